/* The fleet's heartbeat and steering on a wall (see fleet.h). */
#include "app/fleet.h"
#include "app/splice.h"
#include "data/pg.h"
#include "output/export.h"
#include "render/fmt.h"
#include "util/paths.h"
#include "util/texttable.h"
#include "util/util.h"
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STEER_CHANNEL "lotuswall_steer"
#define RETRY_MS 2000 /* between attempts to connect while the database is away */
/* A thumbnail is ~60 kB: sent with every beat it would be most of the
 * fleet's write-ahead log. The row keeps the last one in between. */
#define THUMB_EVERY_MS 30000

/* The thread owns conn and everything but `stop`; `stop` is the only field
 * another thread touches (fleet_beat_stop), with the pipe to wake poll(). */
struct fleet_beat {
    struct fleet_beat_opts o;
    char *conninfo, *name;
    pthread_t thread;
    atomic_bool stop;
    int wake[2];            /* written by fleet_beat_stop; read end polled by the thread */
    PGconn *conn;
    bool failing;           /* the last beat failed: logged once a streak */
    double thumb_due;       /* clock_ms() when the next beat sends a thumbnail */
    char host[256];
};

static double clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void log_once(struct fleet_beat *b, bool ok, const char *what, const char *msg)
{
    if (!ok && !b->failing)
        LOG(WARN, "fleet: %s: %s (the wall shows on; retrying)", what, msg);
    else if (ok && b->failing)
        LOG(INFO, "fleet: heartbeats written again");
    b->failing = !ok;
}

/* ---- the heartbeat ------------------------------------------------------ */

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The outputs' names, comma-separated. Caller frees. */
static char *outputs_text(const json_t *state)
{
    char *list = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(state, "outputs"), i, v)
        str_list_add(&list, ",", json_string_value(v) ? json_string_value(v) : "");
    return list ? list : xstrdup("");
}

/* The thumbnail as PNG, or NULL (a wall too busy to answer beats without). */
static unsigned char *thumbnail(struct fleet_beat *b, size_t *len)
{
    struct api_call call = {.op = API_SCREEN, .width = FLEET_THUMB_WIDTH};
    b->o.exec(b->o.exec_cls, &call);
    if (call.status != 200)
        return NULL;
    struct err err;
    unsigned char *png = export_png_bytes(call.image, len, &err);
    cairo_surface_destroy(call.image);
    if (!png)
        LOG(WARN, "fleet: %s", err.msg);
    return png;
}

#define BEAT_SQL                                                                              \
    "INSERT INTO lotuswall.walls AS w (name, host, version, scene, title, params, "          \
    "data_version, data_age_s, data_stale, frame_ms, rss_kb, outputs, last_error, thumbnail, " \
    "interval_s, scene_since_ms, started_at) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, " \
    "$9, $10, $11, $12, nullif($13, ''), $14, $15, $16, now()) ON CONFLICT (name) DO UPDATE "  \
    "SET host = EXCLUDED.host, version = EXCLUDED.version, scene = EXCLUDED.scene, title = "  \
    "EXCLUDED.title, params = EXCLUDED.params, data_version = EXCLUDED.data_version, "         \
    "data_age_s = EXCLUDED.data_age_s, data_stale = EXCLUDED.data_stale, frame_ms = "         \
    "EXCLUDED.frame_ms, rss_kb = EXCLUDED.rss_kb, outputs = EXCLUDED.outputs, last_error = "  \
    "EXCLUDED.last_error, thumbnail = coalesce(EXCLUDED.thumbnail, w.thumbnail), interval_s " \
    "= EXCLUDED.interval_s, scene_since_ms = EXCLUDED.scene_since_ms"

/* One heartbeat: the wall's state from the render thread, written with the
 * database's clock. false + *err when the wall or the database failed. */
static bool beat(struct fleet_beat *b, bool first, struct err *err)
{
    struct api_call call = {.op = API_BEAT};
    b->o.exec(b->o.exec_cls, &call);
    if (call.status != 200)
        return err_set(err, "the wall did not answer: %s", call.message);
    json_t *st = call.answer;
    size_t png_len = 0;
    unsigned char *png = NULL;
    if (clock_ms() >= b->thumb_due && (png = thumbnail(b, &png_len)))
        b->thumb_due = clock_ms() + THUMB_EVERY_MS;
    char *params = json_dumps(json_object_get(st, "params"), JSON_COMPACT);
    char *outputs = outputs_text(st);
    char num[7][32];
    snprintf(num[0], sizeof num[0], "%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(st, "data_version")));
    snprintf(num[1], sizeof num[1], "%.3f", json_number_value(json_object_get(st, "data_age_s")));
    snprintf(num[2], sizeof num[2], "%s",
             json_is_true(json_object_get(st, "data_stale")) ? "true" : "false");
    snprintf(num[3], sizeof num[3], "%.3f", json_number_value(json_object_get(st, "frame_ms")));
    snprintf(num[4], sizeof num[4], "%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(st, "rss_kb")));
    snprintf(num[5], sizeof num[5], "%d", b->o.interval_s);
    snprintf(num[6], sizeof num[6], "%" JSON_INTEGER_FORMAT,
             json_integer_value(json_object_get(st, "scene_since_ms")));
    /* no data yet (-1): NULL, not an age */
    const char *age = json_number_value(json_object_get(st, "data_age_s")) >= 0 ? num[1] : NULL;
    const char *v[16] = {b->name, b->host, paths_version(), jstr(st, "scene"), jstr(st, "title"),
                         params, num[0], age, num[2], num[3], num[4], outputs,
                         jstr(st, "last_error"), (char *)png, num[5], num[6]};
    int lens[16] = {[13] = (int)png_len}, formats[16] = {[13] = 1};
    PGresult *res = PQexecParams(b->conn, BEAT_SQL, 16, NULL, v, lens, formats, 0);
    bool ok = pg_result_ok(res, PGRES_COMMAND_OK, "lotuswall.walls", err);
    PQclear(res);
    if (ok && first)
        LOG(INFO, "fleet: %s beats every %d s", b->name, b->o.interval_s);
    free(params);
    free(outputs);
    free(png);
    json_decref(st);
    return ok;
}

/* ---- steering: the commands queued for this wall, in order -------------- */

/* A command as the call the console would make; false for an unknown one. */
static bool command_call(const char *cmd, const char *scene, struct api_call *c)
{
    *c = (struct api_call){.op = API_KEY};
    if (strcmp(cmd, "show") == 0)
        c->op = API_SHOW, c->scene = scene;
    else if (strcmp(cmd, "back") == 0)
        c->key = SHOW_KEY_BACK;
    else if (strcmp(cmd, "home") == 0)
        c->key = SHOW_KEY_HOME;
    else if (strcmp(cmd, "reload") == 0)
        c->op = API_RELOAD;
    else if (strcmp(cmd, "restart") == 0)
        c->op = API_RESTART;
    else
        return false;
    return true;
}

/* The parameters of a command's JSON object ({"city": "411081"}). Caller
 * frees with free() (names and values point into params). */
static struct scene_param *command_params(json_t *params, size_t *n)
{
    *n = json_object_size(params);
    struct scene_param *p = xcalloc(*n ? *n : 1, sizeof *p);
    const char *key;
    json_t *v;
    size_t i = 0;
    json_object_foreach(params, key, v) {
        p[i].name = (char *)key;
        p[i++].value = (char *)(json_string_value(v) ? json_string_value(v) : "");
    }
    return p;
}

static bool answer(struct fleet_beat *b, const char *id, bool ok, const char *result,
                   struct err *err)
{
    const char *v[3] = {id, ok ? "true" : "false", result};
    PGresult *res = PQexecParams(b->conn,
                                 "UPDATE lotuswall.wall_commands SET answered_at = now(), "
                                 "ok = $2, result = $3 WHERE id = $1 AND answered_at IS NULL",
                                 3, NULL, v, NULL, NULL, 0);
    bool done = pg_result_ok(res, PGRES_COMMAND_OK, "lotuswall.wall_commands", err);
    PQclear(res);
    return done;
}

/* Applies one command through the render thread and answers it. A restart
 * is answered first: the wall ends after it (systemd starts it again). */
static bool apply(struct fleet_beat *b, PGresult *rows, int r, struct err *err)
{
    const char *id = PQgetvalue(rows, r, 0), *cmd = PQgetvalue(rows, r, 1);
    struct api_call c;
    if (!command_call(cmd, PQgetvalue(rows, r, 2), &c))
        return answer(b, id, false, "unknown command", err);
    if (c.op == API_RESTART && !answer(b, id, true, "restarting", err))
        return false;
    json_t *params = json_loads(PQgetvalue(rows, r, 3), 0, NULL);
    struct scene_param *p = command_params(params, &c.nparams);
    c.params = p;
    b->o.exec(b->o.exec_cls, &c);
    free(p);
    json_decref(params);
    char result[320];
    if (c.status == 200)
        snprintf(result, sizeof result, "showing %s", jstr(c.answer, "scene"));
    else
        snprintf(result, sizeof result, "%s", c.message);
    json_decref(c.answer);
    LOG(INFO, "fleet: %s %s: %s", cmd, PQgetvalue(rows, r, 2), result);
    return c.op == API_RESTART || answer(b, id, c.status == 200, result, err);
}

/* A command queued while the wall was away is answered, not applied, once it
 * is older than this: a briefing that steered a dead wall has moved on, and
 * the wall must not jump to that scene when it comes back hours later. */
#define STEER_EXPIRE_S 120

static bool steer(struct fleet_beat *b, struct err *err)
{
    char expire[16];
    snprintf(expire, sizeof expire, "%d", STEER_EXPIRE_S);
    const char *v[2] = {b->name, expire};
    PGresult *res = PQexecParams(b->conn,
                                 "SELECT id, command, coalesce(scene, ''), params::text, "
                                 "created_at < now() - make_interval(secs => $2::int), "
                                 "to_char(created_at, 'YYYY-MM-DD HH24:MI:SS') FROM "
                                 "lotuswall.wall_commands WHERE wall = $1 AND answered_at IS "
                                 "NULL ORDER BY id",
                                 2, NULL, v, NULL, NULL, 0);
    bool ok = pg_result_ok(res, PGRES_TUPLES_OK, "lotuswall.wall_commands", err);
    for (int r = 0; ok && r < PQntuples(res) && !atomic_load(&b->stop); r++) {
        char why[160];
        snprintf(why, sizeof why, "expired: queued at %s, more than %d s before the wall could "
                 "apply it; not applied", PQgetvalue(res, r, 5), STEER_EXPIRE_S);
        ok = strcmp(PQgetvalue(res, r, 4), "t") == 0 ? answer(b, PQgetvalue(res, r, 0), false,
                                                              why, err)
                                                     : apply(b, res, r, err);
    }
    PQclear(res);
    return ok;
}

/* ---- the thread ----------------------------------------------------------- */

static void nap(struct fleet_beat *b, int fd, double ms)
{
    struct pollfd p[2] = {{.fd = b->wake[0], .events = POLLIN}, {.fd = fd, .events = POLLIN}};
    if (ms > 0)
        poll(p, fd >= 0 ? 2 : 1, (int)ms);
}

static bool connect_db(struct fleet_beat *b, struct err *err)
{
    PQfinish(b->conn);
    b->conn = pg_connect(b->conninfo, "lotuswall-fleet", err);
    return b->conn && pg_command(b->conn, "LISTEN " STEER_CHANNEL, NULL, err);
}

/* Was there a NOTIFY for this wall (or did the connection break)? */
static bool notified(struct fleet_beat *b)
{
    bool mine = false;
    if (!PQconsumeInput(b->conn))
        return true; /* the next query finds out */
    for (PGnotify *n; (n = PQnotifies(b->conn)); PQfreemem(n))
        mine |= strcmp(n->extra, b->name) == 0;
    return mine;
}

static void *beat_main(void *arg)
{
    struct fleet_beat *b = arg;
    double next = 0;
    bool first = true, connected = false;
    while (!atomic_load(&b->stop)) {
        struct err err;
        if (!connected && !(connected = connect_db(b, &err))) {
            log_once(b, false, "database", err.msg);
            nap(b, -1, RETRY_MS);
            continue;
        }
        bool mine = !b->o.splice || splice_leads(b->o.splice); /* one part beats and steers */
        if (clock_ms() >= next && !mine) {
            next = clock_ms() + 1000.0; /* until it leads */
        } else if (clock_ms() >= next) {
            next = clock_ms() + b->o.interval_s * 1000.0;
            bool ok = beat(b, first, &err) && steer(b, &err);
            first &= !ok;
            log_once(b, ok, "heartbeat", err.msg);
            connected = ok || PQstatus(b->conn) == CONNECTION_OK;
            if (!connected)
                continue;
        }
        nap(b, PQsocket(b->conn), next - clock_ms());
        if (!atomic_load(&b->stop) && notified(b) && mine && !steer(b, &err)) {
            log_once(b, false, "steer", err.msg);
            connected = PQstatus(b->conn) == CONNECTION_OK;
        }
    }
    return NULL;
}

struct fleet_beat *fleet_beat_start(const struct fleet_beat_opts *o)
{
    struct fleet_beat *b = xcalloc(1, sizeof *b);
    b->o = *o;
    b->conninfo = xstrdup(o->conninfo ? o->conninfo : "");
    b->name = xstrdup(o->name);
    if (gethostname(b->host, sizeof b->host - 1) != 0)
        snprintf(b->host, sizeof b->host, "?");
    if (pipe(b->wake) != 0 || pthread_create(&b->thread, NULL, beat_main, b) != 0) {
        LOG(ERROR, "fleet: cannot start the heartbeat: %s", strerror(errno));
        free(b->conninfo);
        free(b->name);
        free(b);
        return NULL;
    }
    return b;
}

void fleet_beat_stop(struct fleet_beat *b)
{
    if (!b)
        return;
    atomic_store(&b->stop, true);
    if (write(b->wake[1], "x", 1) < 0)
        LOG(WARN, "fleet: cannot wake the heartbeat: %s", strerror(errno));
    pthread_join(b->thread, NULL);
    close(b->wake[0]);
    close(b->wake[1]);
    PQfinish(b->conn);
    free(b->conninfo);
    free(b->name);
    free(b);
}

/* ---- `lotuswall fleet` ---------------------------------------------------- */

json_t *fleet_rows(const struct table *t)
{
    json_t *rows = json_array();
    for (size_t r = 0; r < t->nrows; r++)
        json_array_append_new(rows, table_row_json(t, r, "thumbnail"));
    return rows;
}

void fleet_print(FILE *f, const json_t *rows)
{
    enum { NCOL = 8 };
    static const char *const head[NCOL] = {"wall", "region", "state", "showing",
                                           "beat", "data age", "frame ms", "last error"};
    static const bool right[NCOL] = {[4] = true, [5] = true, [6] = true};
    size_t nrows = json_array_size(rows), dead = 0;
    char (*num)[3][32] = xcalloc(nrows + 1, sizeof *num);
    const char **cell = xcalloc((nrows + 1) * NCOL, sizeof *cell);
    memcpy(cell, head, sizeof head);
    for (size_t r = 1; r <= nrows; r++) {
        const json_t *row = json_array_get(rows, r - 1);
        json_t *beat = json_object_get(row, "beat_age_s"), *data = json_object_get(row, "data_age_s");
        fmt_age(num[r][0], sizeof num[r][0], json_is_number(beat) ? json_number_value(beat) : NAN);
        fmt_age(num[r][1], sizeof num[r][1], json_is_number(data) ? json_number_value(data) : NAN);
        json_t *ms = json_object_get(row, "frame_ms");
        snprintf(num[r][2], sizeof num[r][2], json_is_number(ms) ? "%.1f" : "—",
                 json_number_value(ms));
        const char **c = &cell[r * NCOL];
        c[0] = jstr(row, "name"), c[1] = jstr(row, "region"), c[2] = jstr(row, "state");
        c[3] = jstr(row, "scene_title"), c[4] = num[r][0], c[5] = num[r][1], c[6] = num[r][2];
        c[7] = jstr(row, "last_error");
        dead += json_number_value(json_object_get(row, "alive")) == 0;
    }
    text_table_print(f, cell, nrows + 1, NCOL, right);
    fprintf(f, "%zu wall(s), %zu offline\n", nrows, dead);
    free(cell);
    free(num);
}

/* ---- `lotuswall steer` ---------------------------------------------------- */

#define STEER_WAIT_MS 10000

/* The command's parameters as a JSON object's text. Caller frees. */
static char *params_text(const struct app *app)
{
    json_t *o = json_object();
    for (size_t i = 0; i < app->nparams; i++)
        json_object_set_new(o, app->params[i].name, json_string(app->params[i].value));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

/* Waits for the wall's answer to command id: 0 done, 1 refused or failed,
 * 1 with a message when it did not answer in time. */
static int steer_wait(PGconn *conn, const char *id, const char *wall)
{
    const char *v[1] = {id};
    for (double until = clock_ms() + STEER_WAIT_MS; clock_ms() < until; usleep(50 * 1000)) {
        PGresult *res = PQexecParams(conn,
                                     "SELECT ok, result FROM lotuswall.wall_commands WHERE id = "
                                     "$1 AND answered_at IS NOT NULL",
                                     1, NULL, v, NULL, NULL, 0);
        struct err err;
        if (!pg_result_ok(res, PGRES_TUPLES_OK, "lotuswall.wall_commands", &err)) {
            fprintf(stderr, "lotuswall steer: %s\n", err.msg);
            PQclear(res);
            return 1;
        }
        if (PQntuples(res) == 1) {
            bool ok = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
            fprintf(ok ? stdout : stderr, "%s%s: %s\n", ok ? "" : "lotuswall steer: ", wall,
                    PQgetvalue(res, 0, 1));
            PQclear(res);
            return ok ? 0 : 1;
        }
        PQclear(res);
    }
    fprintf(stderr, "lotuswall steer: the wall %s did not answer within %d s (queued as "
                    "command %s: applied if the wall is back within %d s; is it running with "
                    "--db --wall-name %s?)\n",
            wall, STEER_WAIT_MS / 1000, id, STEER_EXPIRE_S, wall);
    return 1;
}

int fleet_steer(const struct app *app, const char *wall, const char *cmd, const char *scene)
{
    struct err err;
    PGconn *conn = pg_connect(app->db, "lotuswall-steer", &err);
    if (!conn) {
        fprintf(stderr, "lotuswall steer: %s\n", err.msg);
        return 1;
    }
    char *params = params_text(app);
    const char *v[4] = {wall, cmd, scene, params};
    PGresult *res = PQexecParams(conn,
                                 "INSERT INTO lotuswall.wall_commands (wall, command, scene, "
                                 "params) VALUES ($1, $2, $3, $4::jsonb) RETURNING id",
                                 4, NULL, v, NULL, NULL, 0);
    int rc = 1;
    if (pg_result_ok(res, PGRES_TUPLES_OK, "steer", &err))
        rc = steer_wait(conn, PQgetvalue(res, 0, 0), wall);
    else
        fprintf(stderr, "lotuswall %s\n", err.msg);
    PQclear(res);
    free(params);
    PQfinish(conn);
    return rc;
}
