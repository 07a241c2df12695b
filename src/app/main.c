/* lotuswall: the big-screen renderer of the Lotus City dashboards.
 * main() finds the command in the table of src/app/cli.c, which parses its
 * options; the bodies of run, export, check, db, warnings, the warning
 * actions and report are here; doc, engine and screenshot have files of
 * their own. See README.md and docs/ARCHITECTURE.md. */
#include "app/actions.h"
#include "app/fleet.h"
#include "app/cli.h"
#include "output/analysis.h"
#include "output/compose.h"
#include "output/export.h"
#include "data/migrate.h"
#include "data/pg.h"
#include "scene/playlist.h"
#include "warn/sms.h"
#include "util/json.h"
#include "util/paths.h"
#include "util/util.h"
#include "util/texttable.h"
#include "warn/list.h"
#include "warn/publish.h"
#include "warn/rules.h"
#include "widgets/widget.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* --wall FILE: the wall's canvas, its outputs edge to edge in the picture. */
static int export_scenes(struct opts *o, char **names, size_t n)
{
    struct err err;
    struct wall_file *wf = NULL;
    if (o->wall_path && !(wf = wall_file_load(o->wall_path, &err))) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        return 1;
    }
    if (wf)
        o->width = wf->canvas_w, o->height = wf->canvas_h;
    struct scene **scenes = cli_open_scenes(o, o->now, names, n);
    if (!scenes) {
        wall_file_destroy(wf);
        return 1;
    }
    int rc = 0;
    /* a database's regions table is there once its first data came */
    if (o->app.db && (!app_start_db(&o->app, scenes, n, &err) ||
                      !app_check_params(&o->app, scenes, n, &err))) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        rc = 1;
    }
    if (rc == 0) {
        struct export_job job = {
            .path = o->out, .scenes = scenes, .nscenes = n,
            .width = o->width, .height = o->height, .store = o->app.store,
            .theme = o->theme, .now = o->now, .watermark = o->watermark, .red_up = o->red_up,
            .catalog = o->app.catalog, .db = o->app.db,
            .pool = pool_new(o->threads > 0 ? (unsigned)o->threads : pool_default_size()),
            .wall = wf,
        };
        if (!export_run(&job, &err)) {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
            rc = 1;
        }
        pool_destroy(job.pool);
    }
    cli_close_scenes(o, scenes, n);
    wall_file_destroy(wf);
    return rc;
}

int cmd_export(struct opts *o, int argc, char **argv)
{
    if (!o->out || argc < 1) {
        fprintf(stderr, "lotuswall export: expected --out FILE and at least one SCENE\n");
        return 2;
    }
    struct err err;
    if (!export_find(o->out, &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        return 2;
    }
    if (o->wall_path && o->size_given) {
        fprintf(stderr, "lotuswall export: --size and --wall: the wall file gives the size (its "
                        "canvas)\n");
        return 2;
    }
    return export_scenes(o, argv, (size_t)argc);
}

/* One point of `hit`: "X,Y" in pixels of the canvas. */
static bool parse_point(const char *arg, double *x, double *y)
{
    char *end;
    *x = strtod(arg, &end);
    if (end == arg || *end != ',')
        return false;
    const char *ys = end + 1;
    *y = strtod(ys, &end);
    return end != ys && !*end && *x >= 0 && *y >= 0;
}

static const char *param_of(const struct scene *s, const char *name)
{
    for (size_t i = 0; i < s->nparams; i++)
        if (strcmp(s->params[i].name, name) == 0)
            return s->params[i].value;
    return "";
}

/* One line of `hit` after the point: the panel, the row, and where a touch
 * there leads (a drill, or a choice of the open picker). */
static void print_hit(const struct scene *s, struct opts *o, struct render *r,
                      const struct compose_choices *pick, double x, double y)
{
    struct compose_hit h;
    if (!compose_hit(s, o->app.store, r, o->width, o->height, x, y, &h)) {
        printf("\t-\t-1\n");
        return;
    }
    printf("\t%s\t%ld", s->panels[h.panel].id, h.row);
    long k = h.row - TITLE_CHOICE0;
    struct scene_param *params;
    size_t n;
    char *label;
    if (pick->param && strcmp(s->panels[h.panel].widget->name, "title") == 0 && k >= 0 &&
        (size_t)k < pick->n) {
        printf("\tpick %s=%s\t%s", pick->param, pick->values[k], pick->labels[k]);
    } else if (compose_drill(s, &h, &params, &n, &label)) {
        printf("\t%s", s->panels[h.panel].drill->scene);
        for (size_t i = 0; i < n; i++)
            printf(" %s=%s", params[i].name, params[i].value);
        printf("\t%s", label ? label : "");
        compose_drill_free(params, n, label);
    }
    compose_hit_release(&h);
    printf("\n");
}

/* What a touch at each point would hit on the wall and where it leads: a
 * line per point, tab-separated: the point, the panel (or -), the row (or
 * -1), and the drill (scene, name=value..., the label) when there is one. */
int cmd_hit(struct opts *o, int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "lotuswall hit: expected a SCENE and at least one point X,Y\n");
        return 2;
    }
    double x, y;
    for (int i = 1; i < argc; i++)
        if (!parse_point(argv[i], &x, &y)) {
            fprintf(stderr, "lotuswall hit: %s: expected a point X,Y in pixels\n", argv[i]);
            return 2;
        }
    struct scene **scenes = cli_open_scenes(o, o->now, argv, 1);
    if (!scenes)
        return 1;
    const struct scene *s = scenes[0];
    struct render r;
    const struct theme *t = theme_find(o->theme ? o->theme : s->theme);
    render_init(&r, t ? t : theme_find("dark"), o->now);
    struct compose_choices pick = {0};
    if (o->picker) {
        compose_choices(&pick, s, o->app.store, o->picker);
        compose_choices_show(&pick, param_of(s, o->picker), &r);
    }
    char *crumbs[16], *list = o->breadcrumb ? xstrdup(o->breadcrumb) : NULL, *save = NULL;
    for (char *c = list ? strtok_r(list, ",", &save) : NULL; c && r.ncrumbs < 16;
         c = strtok_r(NULL, ",", &save))
        crumbs[r.ncrumbs++] = c;
    r.crumbs = (const char *const *)crumbs;
    for (int i = 1; i < argc; i++) {
        parse_point(argv[i], &x, &y);
        printf("%s", argv[i]);
        print_hit(s, o, &r, &pick, x, y);
    }
    compose_choices_free(&pick);
    free(list);
    render_finish(&r);
    cli_close_scenes(o, scenes, 1);
    return 0;
}

char *cli_file_kind(const char *arg, struct err *err)
{
    if (!strchr(arg, '/') && !strstr(arg, ".json"))
        return xstrdup("scene");
    json_t *root = json_load_checked(arg, NULL, err);
    if (!root)
        return NULL;
    const char *kind = json_string_value(json_object_get(root, "kind"));
    char *out = kind ? xstrdup(kind) : NULL;
    if (!out)
        err_set(err, "%s: kind: expected one of scene, playlist, rules, wall", arg);
    json_decref(root);
    return out;
}

bool cli_check_file(struct app *app, const char *arg)
{
    struct err err;
    char *kind = cli_file_kind(arg, &err);
    bool ok = false;
    if (kind && strcmp(kind, "playlist") == 0) {
        struct playlist *pl = playlist_load(arg, app->scene_dirs, 2, &err);
        /* every scene of the playlist must load too, with its entry's parameters */
        for (size_t i = 0; pl && i < pl->nentries + (pl->alert_scene != NULL); i++) {
            const char *sp = i < pl->nentries ? pl->entries[i].scene : pl->alert_scene;
            struct scene *s = app_load_scene(app, sp, &err);
            if (!s)
                err_prefix(&err, "%s: scene of the playlist", arg);
            if (s && ((i < pl->nentries && !app_check_entry_params(app, pl, i, &err)) ||
                      !app_check_drills(app, s, &err))) {
                scene_destroy(s);
                s = NULL;
            }
            if (!s) {
                playlist_destroy(pl);
                pl = NULL;
            }
            scene_destroy(s);
        }
        if ((ok = pl != NULL))
            printf("%s: ok (playlist, %zu scenes%s%s)\n", arg, pl->nentries,
                   pl->alert_scene ? ", alert takeover from " : "",
                   pl->alert_scene ? severity_name(pl->alert_min) : "");
        playlist_destroy(pl);
    } else if (kind && strcmp(kind, "scene") == 0) {
        struct scene *s = app_load_scene(app, arg, &err);
        if ((ok = s && app_check_drills(app, s, &err)))
            printf("%s: ok (scene %s, %zu panels)\n", s->path, s->name, s->npanels);
        scene_destroy(s);
    } else if (kind && strcmp(kind, "wall") == 0) {
        struct wall_file *wf = wall_file_load(arg, &err);
        if ((ok = wf != NULL))
            printf("%s: ok (wall, %zu outputs, canvas %d×%d)\n", arg, wf->noutputs, wf->canvas_w,
                   wf->canvas_h);
        wall_file_destroy(wf);
    } else if (kind && strcmp(kind, "rules") == 0) {
        struct rules *rs = rules_load(arg, app->catalog, &err);
        ok = rs != NULL;
        /* the urge templates they name exist, with known placeholders only */
        struct table *tt = store_get(app->store, "sms_templates");
        struct table *ct = store_get(app->store, "sms_channels");
        for (size_t i = 0; ok && i < rs->nrules; i++) {
            struct sms_template tpl;
            const char *code = rs->rules[i].urge.template_code;
            if (code && !sms_find_template(tt, ct, code, &tpl, &err)) {
                err_prefix(&err, "%s: rules[%zu].urge.template", arg, i);
                ok = false;
            }
        }
        table_unref(tt);
        table_unref(ct);
        if (ok)
            printf("%s: ok (rules, %zu rules)\n", arg, rs->nrules);
        rules_destroy(rs);
    } else if (kind && strcmp(kind, "report-analysis") == 0) {
        struct analysis *a = analysis_load(arg, &err);
        if ((ok = a != NULL))
            printf("%s: ok (report-analysis)\n", arg);
        analysis_destroy(a);
    } else if (kind) {
        err_set(&err, "%s: kind: expected one of scene, playlist, rules, wall, report-analysis, "
                "found \"%s\"", arg, kind);
    }
    if (!ok)
        fprintf(stderr, "%s\n", err.msg);
    free(kind);
    return ok;
}

int cmd_check(struct opts *o, int argc, char **argv)
{
    if (argc < 1) {
        fprintf(stderr, "lotuswall check: expected at least one FILE\n");
        return 2;
    }
    if (!cli_open_app_checks(o))
        return 1;
    int bad = 0;
    for (int i = 0; i < argc; i++)
        bad += !cli_check_file(&o->app, argv[i]);
    app_close(&o->app);
    return bad ? 1 : 0;
}

/* run --publish: the headless data exchange publisher (until SIGTERM). */
static int run_publisher(struct opts *o, char **names, size_t n)
{
    if (o->publish_db && !o->app.db) {
        fprintf(stderr, "lotuswall run: --publish-db needs --db\n");
        return 2;
    }
    struct scene **scenes = cli_open_scenes(o, (int64_t)time(NULL), names, n);
    if (!scenes)
        return 1;
    int rc = app_run_publisher(&o->app, scenes, n, o->publish_dir, o->publish_db);
    cli_close_scenes(o, scenes, n);
    return rc;
}

/* run on a display: 3 when there is none to open (the caller exports). */
static int run_wall(struct opts *o, char **names, size_t n)
{
    struct err err;
    if (!cli_open_app(o, (int64_t)time(NULL)))
        return 1;
    int rc = 1;
    struct wall_file *wf = NULL;
    if (o->wall.operator_name && !o->app.db &&
        !action_known_operator(&o->app, NULL, o->wall.operator_name, &err)) {
        fprintf(stderr, "lotuswall: --operator %s\n", err.msg);
        rc = 2;
    } else if (o->wall.playlist &&
               !(o->wall.playlist = app_find_playlist(&o->app, o->wall.playlist, &err))) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
    } else if (o->wall_path && (!(wf = wall_file_load(o->wall_path, &err)) ||
                                (o->part && !wall_file_keep_part(wf, o->part, &err)))) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
    } else {
        o->wall.scenes = names;
        o->wall.nscenes = n;
        o->wall.wall = wf;
        o->wall.now_offset = o->now_given ? o->now - (int64_t)time(NULL) : 0;
        o->wall.theme = o->theme;
        o->wall.red_up = o->red_up;
        o->wall.threads = o->threads > 0 ? (unsigned)o->threads : 0;
        o->wall.wall_name = o->wall_name;
        o->wall.part = o->part;
        rc = app_run_wall(&o->app, &o->wall);
    }
    wall_file_destroy(wf);
    app_close(&o->app);
    return rc;
}

/* --part names a part of the --wall file, checked before a display is
 * looked for, so that a mistyped part is said even where the wall exports. */
static bool part_is_known(const struct opts *o)
{
    if (!o->wall_path) {
        fprintf(stderr, "lotuswall run: --part needs --wall FILE (the outputs of each part)\n");
        return false;
    }
    struct err err;
    struct wall_file *wf = wall_file_load(o->wall_path, &err);
    bool ok = wf && wall_file_keep_part(wf, o->part, &err);
    if (!ok)
        fprintf(stderr, "lotuswall: %s\n", err.msg);
    wall_file_destroy(wf);
    return ok;
}

int cmd_run(struct opts *o, int argc, char **argv)
{
    /* every shipped scene that stands on its own, in the briefing order (the
     * drill targets enterprise-view, project and warning need a parameter) */
    static char *all[] = {"situation", "economy", "gdp", "industry", "demand",
                          "sectors", "enterprise", "panorama", "projects", "help-map",
                          "evaluation", "finance", "policy", "warnings", "fleet"};
    char **names = argc > 0 ? argv : all;
    size_t n = argc > 0 ? (size_t)argc : ARRAY_LEN(all);
    if (o->publish_dir)
        return run_publisher(o, names, n);
    if (o->publish_db) {
        fprintf(stderr, "lotuswall run: --publish-db goes with --publish DIR and --db\n");
        return 2;
    }
    if (o->part && !part_is_known(o))
        return 2;
    if (o->app.db_notify && !o->app.db) {
        fprintf(stderr, "lotuswall run: --db-notify goes with --db (the replica or pooler to read)\n");
        return 2;
    }
    const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    const char *driver = getenv("SDL_VIDEODRIVER"); /* e.g. "dummy" for benchmarks */
    if ((display && *display) || (wayland && *wayland) || (driver && *driver)) {
        int rc = run_wall(o, names, n);
        if (rc != 3)
            return rc;
        fprintf(stderr, "lotuswall: the display could not be opened; exporting the scenes instead\n");
    } else {
        fprintf(stderr, "lotuswall: no display (neither DISPLAY nor WAYLAND_DISPLAY is set); "
                        "exporting the scenes instead\n");
    }
    if (!o->out)
        o->out = "out/{scene}.png";
    if (strncmp(o->out, "out/", 4) == 0 && mkdir("out", 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "lotuswall: cannot create out/: %s\n", strerror(errno));
        return 1;
    }
    int rc = export_scenes(o, names, n);
    if (rc == 0 && o->wall_path)
        fprintf(stderr, "lotuswall: wrote %zu scene(s) as %s, the wall %s\n", n, o->out,
                o->wall_path);
    else if (rc == 0)
        fprintf(stderr, "lotuswall: wrote %zu scene(s) as %s at %dx%d\n", n, o->out, o->width,
                o->height);
    return rc;
}

/* A warning row's text field, "" when absent. */
static const char *row_str(const json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* The open warnings as a table whose columns line up by display width,
 * and their count. */
static void print_warnings_table(FILE *f, const json_t *rows)
{
    enum { NCOL = 7 };
    static const char *const head[NCOL] = {"warning", "level", "state", "handling",
                                           "value", "reference", "since"};
    static const bool right[NCOL] = {[4] = true, [5] = true};
    size_t nrows = json_array_size(rows);
    char (*num)[2][32] = xcalloc(nrows + 1, sizeof *num);
    const char **cell = xcalloc((nrows + 1) * NCOL, sizeof *cell);
    memcpy(cell, head, sizeof head);
    for (size_t r = 1; r <= nrows; r++) {
        const json_t *row = json_array_get(rows, r - 1);
        for (int k = 0; k < 2; k++) {
            json_t *v = json_object_get(row, k ? "reference" : "value");
            snprintf(num[r][k], sizeof num[r][k], json_is_number(v) ? "%.1f" : "—",
                     json_number_value(v));
        }
        const char **c = &cell[r * NCOL];
        c[0] = row_str(row, "id"), c[1] = row_str(row, "severity"),
        c[2] = row_str(row, "state"), c[3] = row_str(row, "handling"), c[4] = num[r][0],
        c[5] = num[r][1], c[6] = row_str(row, "since");
    }
    text_table_print(f, cell, nrows + 1, NCOL, right);
    fprintf(f, "%zu open warning(s)\n", nrows);
    free(cell);
    free(num);
}

/* One source read once for a listing: `warnings` for `lotuswall warnings`
 * and `lotuswall rules` (the demo's replayed engine's or, with --db, the
 * leading engine's), `fleet` for `lotuswall fleet` (the demo walls, or the
 * view lotuswall.fleet: what the fleet scene reads). NULL after the message
 * (the app is closed then); else the caller closes the app. */
static struct table *source_table(struct opts *o, int argc, char **argv, const char *source)
{
    if (argc > 0) {
        fprintf(stderr, "lotuswall %s: unexpected argument \"%s\"\n", o->cmd->name, argv[0]);
        return NULL;
    }
    struct err err;
    if (!cli_open_app(o, o->now))
        return NULL;
    if (o->app.db) {
        struct poller_source src = {source, 60};
        struct poller_opts po = {.conninfo = o->app.db};
        o->app.poller = poller_start(&po, o->app.catalog, o->app.store, &src, 1, &err);
        if (!o->app.poller ||
            !poller_wait_ready(o->app.poller, (o->app.wait_s ? o->app.wait_s : 10) * 1000)) {
            fprintf(stderr, "lotuswall: %s\n", o->app.poller ? "the database did not answer" : err.msg);
            app_close(&o->app);
            return NULL;
        }
    }
    struct table *t = store_get(o->app.store, source);
    if (!t) {
        fprintf(stderr, "lotuswall: no %s table (%s)\n", source,
                strcmp(source, "warnings") == 0 ? "the engine has not published one"
                                                : "no wall has beaten yet");
        app_close(&o->app);
    }
    return t;
}

/* Prints a listing as JSON (--json) or as text, and lets go of it all. */
static int print_listing(struct opts *o, struct table *t, json_t *v,
                         void (*text)(FILE *f, const json_t *v))
{
    if (o->json) {
        json_dumpf(v, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        putchar('\n');
    } else {
        text(stdout, v);
    }
    json_decref(v);
    table_unref(t);
    app_close(&o->app);
    return 0;
}

/* `lotuswall warnings [--json]`: the open warnings (firing or recovering). */
int cmd_warnings(struct opts *o, int argc, char **argv)
{
    struct table *t = source_table(o, argc, argv, "warnings");
    return t ? print_listing(o, t, action_open_rows(t), print_warnings_table) : argc > 0 ? 2 : 1;
}

/* `lotuswall rules [--json]`: every rule the engine runs, each instance
 * with its state, value, reference and departments (src/warn/list.h). */
int cmd_rules(struct opts *o, int argc, char **argv)
{
    struct table *t = source_table(o, argc, argv, "warnings");
    return t ? print_listing(o, t, warn_rules_json(t), warn_rules_print) : argc > 0 ? 2 : 1;
}

/* `lotuswall fleet [--json]`: every wall of the fleet as the fleet scene
 * shows it (src/app/fleet.c). */
int cmd_fleet(struct opts *o, int argc, char **argv)
{
    struct table *t = source_table(o, argc, argv, "fleet");
    return t ? print_listing(o, t, fleet_rows(t), fleet_print) : argc > 0 ? 2 : 1;
}

/* `lotuswall steer --to WALL show SCENE|back|home|reload|restart --db`. */
int cmd_steer(struct opts *o, int argc, char **argv)
{
    static const char *const verbs[] = {"show", "back", "home", "reload", "restart"};
    bool known = false;
    for (size_t i = 0; argc > 0 && i < ARRAY_LEN(verbs); i++)
        known |= strcmp(argv[0], verbs[i]) == 0;
    bool show = known && strcmp(argv[0], "show") == 0;
    if (!known || argc != (show ? 2 : 1) || (!show && o->app.nparams > 0)) {
        fprintf(stderr, "usage: lotuswall steer --to WALL show SCENE [--param NAME=VALUE...] --db "
                        "CONNINFO\n"
                        "       lotuswall steer --to WALL back|home|reload|restart --db CONNINFO\n");
        return 2;
    }
    if (!o->steer_to || !o->app.db) {
        fprintf(stderr, "lotuswall steer: needs --to WALL and --db (walls are steered through "
                        "PostgreSQL)\n");
        return 2;
    }
    return fleet_steer(&o->app, o->steer_to, argv[0], show ? argv[1] : NULL);
}

/* `lotuswall ack|handle|resolve|urge WARNING_ID [--by NAME] [--note TEXT]`:
 * with --db the action is queued in lotuswall.warning_actions and the
 * leading engine applies it (this waits for its result); who acted is the
 * database's word: this login's own account, or with --by the account named
 * (through lotuswall_auth.act_as, for a login in lotuswall_console). On the
 * demo data it is checked against the replayed warnings and operators only. */
int cmd_action(struct opts *o, int argc, char **argv)
{
    const char *action = o->cmd->verb;
    if (argc != 1 || (!o->by && !o->app.db)) {
        fprintf(stderr, "usage: lotuswall %s WARNING_ID --by OPERATOR [--note TEXT]\n"
                        "       lotuswall %s WARNING_ID --db CONNINFO [--by ACCOUNT] [--note TEXT]\n",
                action, action);
        return 2;
    }
    const char *warning = argv[0];
    struct err err;
    const char *db = o->app.db;
    o->app.db = NULL; /* the catalog (and the demo's operators and warnings) */
    if (!cli_open_app(o, o->now))
        return 1;
    int rc = 1;
    PGconn *conn = db ? pg_connect(db, "lotuswall-operator", &err) : NULL;
    if (db && !conn) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
    } else if (!conn && !action_known_operator(&o->app, NULL, o->by, &err)) {
        fprintf(stderr, "lotuswall: --by %s\n", err.msg);
    } else if (!conn) {
        struct table *t = store_get(o->app.store, "warnings");
        int c = t ? table_col(t, "id") : -1;
        bool open = false;
        for (size_t r = 0; c >= 0 && r < t->nrows; r++)
            open |= table_text(t, r, (size_t)c) && strcmp(table_text(t, r, (size_t)c), warning) == 0;
        table_unref(t);
        if (open) {
            printf("%s %s by %s: checked on the demo data; the demo keeps warnings in memory, "
                   "so give --db to record it\n", action, warning, o->by);
            rc = 0;
        } else {
            fprintf(stderr, "lotuswall: %s: no such warning (lotuswall warnings lists them)\n",
                    warning);
        }
    } else {
        char result[512];
        bool good = action_submit_db(conn, warning, action, o->by, o->note, 10000, NULL, result,
                                     sizeof result);
        fprintf(good ? stdout : stderr, "%s%s\n", good ? "" : "lotuswall: ", result);
        rc = good ? 0 : 1;
    }
    PQfinish(conn);
    app_close(&o->app);
    return rc;
}

/* `lotuswall report --out DIR [--every 1h] [--keep-days N] SCENE...`, and
 * `report list|publish ID|unpublish ID --out DIR [--link URL]`. */
int cmd_report(struct opts *o, int argc, char **argv)
{
    int first = 0;
    struct report_opts *r = &o->report;
    r->dir = o->out;
    r->theme = o->theme ? o->theme : "light";
    r->name = r->name ? r->name : "经济运行分析报告";
    if (first < argc && (!strcmp(argv[first], "list") || !strcmp(argv[first], "publish") ||
                         !strcmp(argv[first], "unpublish"))) {
        r->verb = argv[first++];
        r->id = first < argc ? argv[first++] : NULL;
    }
    if (!r->dir || (r->verb && strcmp(r->verb, "list") && !r->id) || (!r->verb && first >= argc)) {
        fprintf(stderr, "usage: lotuswall report --out DIR [--every 1h] [--keep-days N] [--each city] "
                        "SCENE...\n"
                        "       lotuswall report list|publish ID|unpublish ID --out DIR "
                        "[--link URL]\n");
        return 2;
    }
    if (r->verb) {
        if (!cli_open_app(o, o->now))
            return 1;
        int rc = app_report(&o->app, r);
        app_close(&o->app);
        return rc;
    }
    size_t n = (size_t)(argc - first);
    r->now = o->now_given ? o->now : 0;
    o->app.extra_sources = analysis_sources;
    struct scene **scenes = cli_open_scenes(o, o->now, argv + first, n);
    if (!scenes)
        return 1;
    struct err err;
    int rc = 0;
    if (o->app.db && (!app_start_db(&o->app, scenes, n, &err) ||
                      !app_check_params(&o->app, scenes, n, &err))) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        rc = 1;
    }
    r->scenes = scenes;
    r->nscenes = n;
    r->scene_args = argv + first;
    if (rc == 0)
        rc = app_report(&o->app, r);
    cli_close_scenes(o, scenes, n);
    return rc;
}

int cmd_db(struct opts *o, int argc, char **argv)
{
    const char *what = argc == 1 ? argv[0] : "";
    bool schema = !strcmp(what, "schema"), init = !strcmp(what, "init"), load = !strcmp(what, "load");
    bool migrate = !strcmp(what, "migrate");
    if (!schema && !init && !load && !migrate) {
        fprintf(stderr, "usage: lotuswall db schema | db init --db CONNINFO | db migrate --db CONNINFO "
                        "| db load --db CONNINFO [--data DIR]\n");
        return 2;
    }
    struct err err;
    const char *db = o->app.db;
    o->app.db = NULL; /* open the catalog (and, for load, check the demo files) */
    if (!cli_open_app(o, o->now))
        return 1;
    int rc = 0;
    char *sql = pg_schema_sql(o->app.catalog);
    if (schema) {
        fputs(sql, stdout);
    } else if (!db) {
        fprintf(stderr, "lotuswall db %s: expected --db CONNINFO\n", what);
        rc = 2;
    } else {
        PGconn *conn = pg_connect(db, "lotuswall-admin", &err);
        char *dir = migrate_dir(o->app.catalog_path); /* the migrations beside the catalog */
        int from = 0, to = 0;
        bool ok = conn && (init      ? migrate_init(conn, o->app.catalog, dir, &from, &err)
                           : migrate ? migrate_run(conn, dir, &from, &to, &err)
                                     : pg_load_demo(conn, o->app.catalog, o->app.data_dir, &err));
        free(dir);
        if (migrate && conn)
            fprintf(stderr, "lotuswall: schema version %d → %d\n", from, to);
        if (!ok) {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
            rc = 1;
        } else {
            fprintf(stderr, "lotuswall: %s\n", init ? "schema applied" : "demo data loaded");
        }
        PQfinish(conn);
    }
    free(sql);
    app_close(&o->app);
    return rc;
}

/* tests/output/touch_driver.c runs this same program under another name
 * (LW_MAIN=lotuswall_main), with a thread of its own that injects touches. */
#ifndef LW_MAIN
#define LW_MAIN main
#endif
int LW_MAIN(int argc, char **argv);
int LW_MAIN(int argc, char **argv)
{
    app_timezone();
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("lotuswall %s\n", paths_version());
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        cli_usage(argc < 2 ? stderr : stdout, NULL);
        return argc < 2 ? 2 : 0;
    }
    const struct command *cmd = cli_find(argv[1]);
    if (!cmd) {
        fprintf(stderr, "lotuswall: unknown command \"%s\"\n", argv[1]);
        cli_usage(stderr, NULL);
        return 2;
    }
    struct opts o;
    int npos = cli_parse(cmd, argc - 1, argv + 1, &o);
    if (npos < 0)
        return 2;
    app_environment(); /* after --home: the fonts come from there */
    return cmd->run(&o, npos, argv + 1);
}
