/* A splice wall's coordination thread (see splice.h). */
#include "app/splice.h"
#include "data/pg.h"
#include "util/util.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SPLICE_CHANNEL "lotuswall_splice"
#define TRY_EVERY_MS 1000.0   /* a follower asks for the lock this often */
#define READ_EVERY_MS 1000.0  /* the row is read this often without a NOTIFY */
#define PART_EVERY_MS 1000.0  /* the part's own row is written this often */

/* `lock` guards role, term, since_ms, out, out_seq, in, in_seq and the
 * report; conn and the rest are the thread's alone. */
struct splice {
    struct splice_opts o;
    char *conninfo, *wall, *part;
    char host[256];
    pthread_t thread;
    atomic_bool stop;
    int wake[2];                /* splice_announce and splice_stop write; the thread polls */
    pthread_mutex_t lock;
    enum splice_role role;
    int64_t term, since_ms;
    struct splice_state out;    /* the leader's announcement to write */
    unsigned out_seq, out_written;
    struct splice_state in;     /* the latest row read */
    unsigned in_seq;
    int64_t max_term;           /* the highest term seen: lower ones are ignored */
    char scene[128], data[24];  /* the report */
    int64_t scene_since_ms;
    PGconn *conn;
    bool failing;
    double try_due, read_due, part_due;
};

static void set_role(struct splice *sp, enum splice_role role, int64_t term)
{
    pthread_mutex_lock(&sp->lock);
    bool moved = sp->role != role || sp->term != term;
    if (sp->role != role)
        sp->since_ms = (int64_t)wall_ms();
    sp->role = role, sp->term = term;
    if (term > sp->max_term)
        sp->max_term = term;
    if (role == SPLICE_LEADER)
        sp->out_written = sp->out_seq - 1; /* the new leader writes at once */
    pthread_mutex_unlock(&sp->lock);
    if (moved) {
        LOG(INFO, "splice %s: part %s is %s (term %" PRId64 ")", sp->wall, sp->part,
            role == SPLICE_LEADER ? "the leader" : "a follower", term);
        sp->o.wake(sp->o.wake_arg);
    }
}

/* Any error on the session: it is closed (freeing the lock if it still
 * held it) and the part follows from now on. */
static void drop(struct splice *sp, const char *what, const char *msg)
{
    if (!sp->failing)
        LOG(WARN, "splice %s: %s: %s (following the last announcement; retrying)", sp->wall, what,
            msg);
    sp->failing = true;
    sp->try_due = now_ms() + TRY_EVERY_MS; /* a part that lost its session lets the others try */
    PQfinish(sp->conn);
    sp->conn = NULL;
    set_role(sp, SPLICE_FOLLOWER, sp->term);
}

static PGresult *run(struct splice *sp, const char *sql, int n, const char *const *v,
                     ExecStatusType want, const char *what)
{
    PGresult *res = PQexecParams(sp->conn, sql, n, NULL, v, NULL, NULL, 0);
    struct err err;
    if (pg_result_ok(res, want, what, &err))
        return res;
    PQclear(res);
    drop(sp, what, err.msg);
    return NULL;
}

static bool connect_db(struct splice *sp)
{
    struct err err;
    sp->conn = pg_connect(sp->conninfo, "lotuswall-splice", &err);
    if (!sp->conn || !pg_command(sp->conn, "SET statement_timeout = 2000", NULL, &err) ||
        !pg_command(sp->conn, "LISTEN " SPLICE_CHANNEL, NULL, &err)) {
        drop(sp, "database", err.msg);
        return false;
    }
    if (sp->failing)
        LOG(INFO, "splice %s: connected again", sp->wall);
    sp->failing = false;
    sp->read_due = 0;
    return true;
}

/* A follower asks for the lock; with it, the term rises and it leads. */
static void try_lead(struct splice *sp)
{
    const char *v[2] = {sp->wall, sp->part};
    PGresult *res = run(sp, "SELECT lotuswall_data.splice_try_lead($1)", 1, v, PGRES_TUPLES_OK,
                        "the splice lock");
    if (!res)
        return;
    bool got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (!got)
        return;
    res = run(sp,
              "INSERT INTO lotuswall.splice_state AS s (wall, term, leader) VALUES ($1, 1, $2) "
              "ON CONFLICT (wall) DO UPDATE SET term = s.term + 1, leader = EXCLUDED.leader "
              "RETURNING term",
              2, v, PGRES_TUPLES_OK, "lotuswall.splice_state");
    if (res) {
        set_role(sp, SPLICE_LEADER, strtoll(PQgetvalue(res, 0, 0), NULL, 10));
        PQclear(res);
    }
}

/* The leader writes its announcement; the fence (the row's trigger) lets
 * only the lock's session with this term write. */
static void write_state(struct splice *sp)
{
    pthread_mutex_lock(&sp->lock);
    struct splice_state st = sp->out;
    unsigned seq = sp->out_seq;
    int64_t term = sp->term;
    pthread_mutex_unlock(&sp->lock);
    char t[24], va[24], da[24];
    snprintf(t, sizeof t, "%" PRId64, term);
    snprintf(va, sizeof va, "%" PRId64, st.view_at_ms);
    snprintf(da, sizeof da, "%" PRId64, st.data_at_ms);
    const char *v[7] = {sp->wall, t, st.view[0] ? st.view : "{}", va, st.data, da, sp->part};
    PGresult *res = run(sp,
                        "UPDATE lotuswall.splice_state SET state = $3::jsonb, view_at_ms = $4, "
                        "data_version = $5, data_at_ms = $6, leader = $7 WHERE wall = $1 AND "
                        "term = $2",
                        7, v, PGRES_COMMAND_OK, "lotuswall.splice_state");
    if (!res)
        return;
    bool wrote = strcmp(PQcmdTuples(res), "1") == 0;
    PQclear(res);
    if (!wrote) { /* a higher term wrote the row: another leads */
        drop(sp, "lotuswall.splice_state", "another part leads with a higher term");
        return;
    }
    pthread_mutex_lock(&sp->lock);
    sp->out_written = seq;
    pthread_mutex_unlock(&sp->lock);
}

static void copy_text(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src);
}

/* Reads the wall's row: a new announcement of this term or a later one. */
static void read_state(struct splice *sp)
{
    const char *v[1] = {sp->wall};
    PGresult *res = run(sp,
                        "SELECT term, leader, state::text, view_at_ms, data_version, data_at_ms "
                        "FROM lotuswall.splice_state WHERE wall = $1",
                        1, v, PGRES_TUPLES_OK, "lotuswall.splice_state");
    if (!res || PQntuples(res) == 0) {
        PQclear(res);
        return;
    }
    struct splice_state st = {.term = strtoll(PQgetvalue(res, 0, 0), NULL, 10),
                              .view_at_ms = strtoll(PQgetvalue(res, 0, 3), NULL, 10),
                              .data_at_ms = strtoll(PQgetvalue(res, 0, 5), NULL, 10)};
    copy_text(st.leader, sizeof st.leader, PQgetvalue(res, 0, 1));
    copy_text(st.view, sizeof st.view, PQgetvalue(res, 0, 2));
    copy_text(st.data, sizeof st.data, PQgetvalue(res, 0, 4));
    PQclear(res);
    pthread_mutex_lock(&sp->lock);
    bool fresh = st.term >= sp->max_term && memcmp(&st, &sp->in, sizeof st) != 0;
    if (fresh) {
        sp->in = st, sp->in_seq++;
        sp->max_term = st.term;
    }
    pthread_mutex_unlock(&sp->lock);
    if (fresh)
        sp->o.wake(sp->o.wake_arg);
}

/* The part's own row: its role, term and what it shows. */
static void write_part(struct splice *sp)
{
    pthread_mutex_lock(&sp->lock);
    char term[24], since[24], scene[128], data[24];
    snprintf(term, sizeof term, "%" PRId64, sp->term);
    snprintf(since, sizeof since, "%" PRId64, sp->scene_since_ms);
    copy_text(scene, sizeof scene, sp->scene);
    copy_text(data, sizeof data, sp->data);
    const char *role = sp->role == SPLICE_LEADER ? "leader" : "follower";
    pthread_mutex_unlock(&sp->lock);
    const char *v[8] = {sp->wall, sp->part, sp->host, role, term, scene, since, data};
    PQclear(run(sp,
                "INSERT INTO lotuswall.splice_parts AS p (wall, part, host, role, term, scene, "
                "scene_since_ms, data_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON "
                "CONFLICT (wall, part) DO UPDATE SET host = EXCLUDED.host, role = EXCLUDED.role, "
                "term = EXCLUDED.term, scene = EXCLUDED.scene, scene_since_ms = "
                "EXCLUDED.scene_since_ms, data_version = EXCLUDED.data_version",
                8, v, PGRES_COMMAND_OK, "lotuswall.splice_parts"));
}

/* Sleeps until `until` (now_ms), a NOTIFY, an announcement or a stop; then
 * takes what the session received. A broken session drops the lead at
 * once: the server ending the backend is heard here, not at the next
 * write. */
static void wait_events(struct splice *sp, double until)
{
    struct pollfd p[2] = {{.fd = sp->wake[0], .events = POLLIN},
                          {.fd = sp->conn ? PQsocket(sp->conn) : -1, .events = POLLIN}};
    double ms = until - now_ms();
    if (poll(p, 2, ms > 0 ? (int)ms + 1 : 0) > 0 && (p[0].revents & POLLIN)) {
        char buf[64];
        while (read(sp->wake[0], buf, sizeof buf) > 0)
            ;
    }
    if (!sp->conn)
        return;
    if (!PQconsumeInput(sp->conn) || PQstatus(sp->conn) != CONNECTION_OK) {
        drop(sp, "the session", PQerrorMessage(sp->conn));
        return;
    }
    for (PGnotify *n; (n = PQnotifies(sp->conn)); PQfreemem(n))
        if (strcmp(n->extra, sp->wall) == 0)
            sp->read_due = 0;
}

static void *splice_main(void *arg)
{
    struct splice *sp = arg;
    double retry = 0;
    while (!atomic_load(&sp->stop)) {
        if (!sp->conn && (now_ms() < retry || !connect_db(sp))) {
            if (now_ms() >= retry)
                retry = now_ms() + TRY_EVERY_MS;
            wait_events(sp, retry);
            continue;
        }
        double now = now_ms();
        if (sp->conn && sp->role == SPLICE_FOLLOWER && now >= sp->try_due) {
            sp->try_due = now + TRY_EVERY_MS;
            try_lead(sp);
        }
        pthread_mutex_lock(&sp->lock);
        bool due = sp->role == SPLICE_LEADER && sp->out_written != sp->out_seq;
        pthread_mutex_unlock(&sp->lock);
        if (sp->conn && due)
            write_state(sp);
        if (sp->conn && now >= sp->read_due) {
            sp->read_due = now + READ_EVERY_MS;
            read_state(sp);
        }
        if (sp->conn && now >= sp->part_due) {
            sp->part_due = now + PART_EVERY_MS;
            write_part(sp);
        }
        double next = sp->read_due < sp->part_due ? sp->read_due : sp->part_due;
        if (sp->role == SPLICE_FOLLOWER && sp->try_due < next)
            next = sp->try_due;
        wait_events(sp, sp->conn ? next : now + TRY_EVERY_MS);
    }
    return NULL;
}

struct splice *splice_start(const struct splice_opts *o)
{
    struct splice *sp = xcalloc(1, sizeof *sp);
    sp->o = *o;
    sp->conninfo = xstrdup(o->conninfo ? o->conninfo : "");
    sp->wall = xstrdup(o->wall);
    sp->part = xstrdup(o->part);
    sp->since_ms = (int64_t)wall_ms();
    if (gethostname(sp->host, sizeof sp->host - 1) != 0)
        copy_text(sp->host, sizeof sp->host, "?");
    pthread_mutex_init(&sp->lock, NULL);
    if (pipe(sp->wake) != 0 || fcntl(sp->wake[0], F_SETFL, O_NONBLOCK) != 0 ||
        fcntl(sp->wake[1], F_SETFL, O_NONBLOCK) != 0) {
        LOG(ERROR, "splice: no pipe: %s", strerror(errno));
        sp->wake[0] = sp->wake[1] = -1;
    } else if (pthread_create(&sp->thread, NULL, splice_main, sp) == 0) {
        return sp;
    }
    LOG(ERROR, "splice: cannot start the coordination thread");
    close(sp->wake[0]);
    close(sp->wake[1]);
    pthread_mutex_destroy(&sp->lock);
    free(sp->conninfo);
    free(sp->wall);
    free(sp->part);
    free(sp);
    return NULL;
}

static void poke(struct splice *sp)
{
    if (write(sp->wake[1], "x", 1) < 0 && errno != EAGAIN)
        LOG(WARN, "splice: cannot wake the thread: %s", strerror(errno));
}

void splice_stop(struct splice *sp)
{
    if (!sp)
        return;
    atomic_store(&sp->stop, true);
    poke(sp);
    pthread_join(sp->thread, NULL);
    close(sp->wake[0]);
    close(sp->wake[1]);
    PQfinish(sp->conn);
    pthread_mutex_destroy(&sp->lock);
    free(sp->conninfo);
    free(sp->wall);
    free(sp->part);
    free(sp);
}

enum splice_role splice_role(struct splice *sp, int64_t *term, int64_t *since_ms)
{
    pthread_mutex_lock(&sp->lock);
    enum splice_role role = sp->role;
    *term = role == SPLICE_LEADER ? sp->term : sp->max_term; /* a follower's: the one it follows */
    *since_ms = sp->since_ms;
    pthread_mutex_unlock(&sp->lock);
    return role;
}

bool splice_leads(struct splice *sp)
{
    int64_t term, since;
    return sp && splice_role(sp, &term, &since) == SPLICE_LEADER;
}

void splice_announce(struct splice *sp, const struct splice_state *st)
{
    pthread_mutex_lock(&sp->lock);
    bool leads = sp->role == SPLICE_LEADER;
    if (leads)
        sp->out = *st, sp->out_seq++;
    pthread_mutex_unlock(&sp->lock);
    if (leads)
        poke(sp);
}

bool splice_latest(struct splice *sp, unsigned *seq, struct splice_state *out)
{
    pthread_mutex_lock(&sp->lock);
    bool fresh = sp->in_seq != *seq;
    if (fresh)
        *out = sp->in, *seq = sp->in_seq;
    pthread_mutex_unlock(&sp->lock);
    return fresh;
}

void splice_report(struct splice *sp, const char *scene, int64_t scene_since_ms, const char *data)
{
    pthread_mutex_lock(&sp->lock);
    copy_text(sp->scene, sizeof sp->scene, scene);
    copy_text(sp->data, sizeof sp->data, data);
    sp->scene_since_ms = scene_since_ms;
    pthread_mutex_unlock(&sp->lock);
}
