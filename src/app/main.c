/* lotuswall: the big-screen renderer of the Lotus City dashboards.
 * Commands: run, export, check, doc. See README.md and docs/. */
#include "app/actions.h"
#include "app/app.h"
#include "output/export.h"
#include "data/pg.h"
#include "scene/playlist.h"
#include "warn/sms.h"
#include "util/json.h"
#include "util/util.h"
#include "warn/rules.h"
#include "widgets/widget.h"
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define USAGE                                                                                  \
    "usage: lotuswall COMMAND [OPTIONS]\n"                                                     \
    "  run     [SCENE...]            show scenes full screen, in rotation (without a display:\n" \
    "                                export them to out/)\n"                                    \
    "  export  --out FILE SCENE...   write PNG, PDF (one page per scene), SVG, or JSON (the\n"  \
    "                                data exchange document of what every panel shows)\n"     \
    "  check   FILE...               validate scene, playlist and rule files (by their kind)\n"                      \
    "  doc     widgets|schema        print the widget reference or the scene JSON Schema\n"    \
    "  db      schema|init|load      print the SQL schema; apply it (--db); load the demo (--db)\n" \
    "  warnings [--json]             the open warnings (the demo replays its rules; or --db)\n" \
    "  ack|handle|resolve|urge ID --by NAME [--note TEXT] --db ..  act on a warning (一键催办)\n" \
    "  report --out DIR [--every 1h] [--keep-days N] SCENE...  the 运行报告中心 (PDF reports)\n" \
    "  report list|publish ID|unpublish ID --out DIR [--link URL]\n"                          \
    "  engine  --db CONNINFO [--rules FILE] [--interval S]  the warning engine, headless\n"   \
    "  screenshot [--status FILE] [--out FILE]  what a running wall shows, as PNG\n"          \
    "common options:\n"                                                                        \
    "  --data DIR        demo data set (default db/demo)\n"                                    \
    "  --db CONNINFO     read PostgreSQL (libpq conninfo or URI; \"\" = the PG* variables)\n"   \
    "  --cache DIR       last good data from the database (default ~/.cache/lotuswall/…)\n"   \
    "  --wait SECONDS    export --db: how long to wait for the first data (default 10)\n"     \
    "  --playlist FILE   run: the rotation and alert scene (scenes/playlists/*.json)\n"        \
    "  --wall FILE       run: the outputs of a splice wall as one canvas, bezels included\n"  \
    "  --windowed WxH    run: a window instead of full screen; --display N: which display\n"  \
    "  --dwell SECONDS   run: time per scene given on the command line (default 30)\n"       \
    "  --status FILE     run: JSON status rewritten once a second\n"                           \
    "  --http HOST:PORT  run: serve /healthz and Prometheus /metrics (e.g. 127.0.0.1:9100)\n" \
    "  --fast-forward N  run: benchmark N frames (clock +1 s a frame, data changing every 10)\n" \
    "  --demo-replay     run on demo data: warnings fire, escalate, recover (1 s = 1 hour)\n" \
    "  --hours HH:MM-HH:MM  run: the screen is on only then (black otherwise)\n"             \
    "  --pixel-shift N   run: move the picture by up to N pixels every 10 minutes (burn-in)\n" \
    "  --operator NAME   run: who acts on warnings from the wall's keys (operators table)\n" \
    "  --rotate DEG      run: the screen is mounted turned 90/180/270° clockwise (portrait)\n" \
    "  keys: →/n next, ←/p previous, space pause, 1-9 jump, r reload, s screenshot, q quit;\n" \
    "        ↑/↓ select a warning, a acknowledge (the selection, else the alert), h handling,\n" \
    "        u 一键催办 (urge its departments)\n"                                                 \
    "  --publish DIR     run: publish the data exchange document to DIR on every data change\n" \
    "  --publish-db      run --publish: also insert it into lotuswall.exchange_documents\n"   \
    "  --param NAME=VAL  scene parameter, e.g. district=411002\n"                              \
    "  --now TIME        the time to draw: unix seconds or 2024-11-15T09:30:00 (local)\n"      \
    "  -v, --verbose     debug logging\n"                                                      \
    "SCENE is a path or a bare name that resolves to scenes/NAME.json.\n"

enum { OPT_DATA = 256, OPT_PARAM, OPT_NOW, OPT_SIZE, OPT_THEME, OPT_OUT, OPT_WATERMARK,
       OPT_GREEN_UP, OPT_DB, OPT_CACHE, OPT_WAIT, OPT_PUBLISH, OPT_PUBLISH_DB,
       OPT_PLAYLIST, OPT_WINDOWED, OPT_DISPLAY, OPT_DWELL, OPT_STATUS, OPT_HTTP,
       OPT_FAST_FORWARD, OPT_HOURS, OPT_PIXEL_SHIFT, OPT_WALL, OPT_BY, OPT_NOTE, OPT_EVERY,
       OPT_KEEP_DAYS, OPT_NAME, OPT_LINK, OPT_DEMO_REPLAY, OPT_OPERATOR, OPT_ROTATE };

static const struct option common_opts[] = {
    {"data", required_argument, NULL, OPT_DATA},
    {"param", required_argument, NULL, OPT_PARAM},
    {"now", required_argument, NULL, OPT_NOW},
    {"size", required_argument, NULL, OPT_SIZE},
    {"theme", required_argument, NULL, OPT_THEME},
    {"out", required_argument, NULL, OPT_OUT},
    {"watermark", required_argument, NULL, OPT_WATERMARK},
    {"green-up", no_argument, NULL, OPT_GREEN_UP},
    {"db", required_argument, NULL, OPT_DB},
    {"cache", required_argument, NULL, OPT_CACHE},
    {"wait", required_argument, NULL, OPT_WAIT},
    {"publish", required_argument, NULL, OPT_PUBLISH},
    {"publish-db", no_argument, NULL, OPT_PUBLISH_DB},
    {"playlist", required_argument, NULL, OPT_PLAYLIST},
    {"windowed", required_argument, NULL, OPT_WINDOWED},
    {"display", required_argument, NULL, OPT_DISPLAY},
    {"dwell", required_argument, NULL, OPT_DWELL},
    {"status", required_argument, NULL, OPT_STATUS},
    {"http", required_argument, NULL, OPT_HTTP},
    {"fast-forward", required_argument, NULL, OPT_FAST_FORWARD},
    {"hours", required_argument, NULL, OPT_HOURS},
    {"wall", required_argument, NULL, OPT_WALL},
    {"by", required_argument, NULL, OPT_BY},
    {"operator", required_argument, NULL, OPT_OPERATOR},
    {"rotate", required_argument, NULL, OPT_ROTATE},
    {"note", required_argument, NULL, OPT_NOTE},
    {"every", required_argument, NULL, OPT_EVERY},
    {"keep-days", required_argument, NULL, OPT_KEEP_DAYS},
    {"name", required_argument, NULL, OPT_NAME},
    {"link", required_argument, NULL, OPT_LINK},
    {"demo-replay", no_argument, NULL, OPT_DEMO_REPLAY},
    {"pixel-shift", required_argument, NULL, OPT_PIXEL_SHIFT},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {0},
};

struct opts {
    struct app app;
    int64_t now;
    int width, height;
    const char *theme, *out, *watermark;
    bool red_up;
    const char *publish_dir; /* run: publish the data exchange document here */
    bool publish_db;         /* run: also to lotuswall.exchange_documents */
    bool now_given;
    const char *wall_path;
    const char *by, *note;   /* ack/handle/resolve/urge: the operator and a note */
    struct report_opts report;
    struct wall_opts wall;   /* run on a display */
};

static bool parse_time(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*s && !*end) {
        *out = v;
        return true;
    }
    struct tm tm = {0};
    const char *rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!rest)
        rest = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
    if (!rest || *rest)
        return false;
    tm.tm_isdst = -1;
    *out = (int64_t)mktime(&tm);
    return true;
}

/* Parses the options shared by the commands; returns optind or -1. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->now = (int64_t)time(NULL);
    o->width = 1920, o->height = 1080;
    o->red_up = true;
    /* a unit file passes the conninfo whole (its ExecStart= would split it) */
    const char *env_db = getenv("LOTUSWALL_DB");
    if (env_db && *env_db)
        o->app.db = env_db;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "vh", common_opts, NULL)) != -1) {
        switch (c) {
        case OPT_DATA:
            o->app.data_dir = optarg;
            break;
        case OPT_PARAM: {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg || o->app.nparams == ARRAY_LEN(o->app.params)) {
                fprintf(stderr, "lotuswall: --param %s: expected NAME=VALUE\n", optarg);
                return -1;
            }
            *eq = '\0';
            o->app.params[o->app.nparams++] = (struct scene_param){optarg, eq + 1};
            break;
        }
        case OPT_NOW:
            o->now_given = true;
            if (!parse_time(optarg, &o->now)) {
                fprintf(stderr,
                        "lotuswall: --now %s: expected unix seconds or YYYY-MM-DDTHH:MM:SS\n",
                        optarg);
                return -1;
            }
            break;
        case OPT_SIZE: {
            char x;
            if (sscanf(optarg, "%d%c%d", &o->width, &x, &o->height) != 3 || (x != 'x' && x != 'X') ||
                o->width < 16 || o->height < 16 || o->width > 16384 || o->height > 16384) {
                fprintf(stderr, "lotuswall: --size %s: expected WxH from 16x16 to 16384x16384\n",
                        optarg);
                return -1;
            }
            break;
        }
        case OPT_THEME:
            if (!theme_find(optarg)) {
                fprintf(stderr, "lotuswall: --theme %s: unknown theme (known: %s)\n", optarg,
                        theme_names());
                return -1;
            }
            o->theme = optarg;
            break;
        case OPT_OUT:
            o->out = optarg;
            break;
        case OPT_WATERMARK:
            o->watermark = optarg;
            break;
        case OPT_GREEN_UP:
            o->red_up = false;
            break;
        case OPT_DB:
            o->app.db = optarg;
            break;
        case OPT_CACHE:
            o->app.cache_dir = optarg;
            break;
        case OPT_PLAYLIST:
            o->wall.playlist = optarg;
            break;
        case OPT_WINDOWED: {
            char x;
            if (sscanf(optarg, "%d%c%d", &o->wall.screen.width, &x, &o->wall.screen.height) != 3 ||
                (x != 'x' && x != 'X') || o->wall.screen.width < 64 || o->wall.screen.height < 64 ||
                o->wall.screen.width > 16384 || o->wall.screen.height > 16384) {
                fprintf(stderr, "lotuswall: --windowed %s: expected WxH from 64x64 to 16384x16384\n",
                        optarg);
                return -1;
            }
            break;
        }
        case OPT_DISPLAY:
            o->wall.screen.display = atoi(optarg);
            break;
        case OPT_DWELL:
            o->wall.dwell_s = atoi(optarg);
            if (o->wall.dwell_s < 1 || o->wall.dwell_s > 86400) {
                fprintf(stderr, "lotuswall: --dwell %s: expected seconds from 1 to 86400\n", optarg);
                return -1;
            }
            break;
        case OPT_STATUS:
            o->wall.status_path = optarg;
            break;
        case OPT_HTTP:
            o->wall.http_addr = optarg;
            break;
        case OPT_WALL:
            o->wall_path = optarg;
            break;
        case OPT_BY:
            o->by = optarg;
            break;
        case OPT_NOTE:
            o->note = optarg;
            break;
        case OPT_EVERY: {
            char unit = 's';
            int v = 0;
            if (sscanf(optarg, "%d%c", &v, &unit) < 1 || v < 1 || !strchr("smhd", unit)) {
                fprintf(stderr, "lotuswall: --every %s: expected e.g. 30m, 1h, 1d\n", optarg);
                return -1;
            }
            o->report.every_s = v * (unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 1);
            break;
        }
        case OPT_KEEP_DAYS:
            o->report.keep_days = atoi(optarg);
            break;
        case OPT_NAME:
            o->report.name = optarg;
            break;
        case OPT_LINK:
            o->report.link = optarg;
            break;
        case OPT_DEMO_REPLAY:
            o->wall.demo_replay = true;
            break;
        case OPT_OPERATOR:
            o->wall.operator_name = optarg;
            break;
        case OPT_ROTATE: {
            char *end;
            long r = strtol(optarg, &end, 10);
            if (*end || (r != 0 && r != 90 && r != 180 && r != 270)) {
                fprintf(stderr, "lotuswall: --rotate %s: expected 0, 90, 180 or 270 (degrees "
                                "clockwise, as the screen is mounted)\n", optarg);
                return -1;
            }
            o->wall.screen.rotation = (int)r;
            break;
        }
        case OPT_HOURS: {
            int h0, m0, h1, m1;
            if (sscanf(optarg, "%d:%d-%d:%d", &h0, &m0, &h1, &m1) != 4 || h0 < 0 || h0 > 23 ||
                h1 < 0 || h1 > 24 || m0 < 0 || m0 > 59 || m1 < 0 || m1 > 59) {
                fprintf(stderr, "lotuswall: --hours %s: expected HH:MM-HH:MM, e.g. 07:00-22:30\n",
                        optarg);
                return -1;
            }
            o->wall.hours = optarg;
            break;
        }
        case OPT_PIXEL_SHIFT:
            o->wall.pixel_shift = atoi(optarg);
            if (o->wall.pixel_shift < 0 || o->wall.pixel_shift > 20) {
                fprintf(stderr, "lotuswall: --pixel-shift %s: expected 0 to 20 pixels\n", optarg);
                return -1;
            }
            break;
        case OPT_FAST_FORWARD:
            o->wall.fast_forward = strtoull(optarg, NULL, 10);
            break;
        case OPT_PUBLISH:
            o->publish_dir = optarg;
            break;
        case OPT_PUBLISH_DB:
            o->publish_db = true;
            break;
        case OPT_WAIT: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > 3600) {
                fprintf(stderr, "lotuswall: --wait %s: expected seconds from 0 to 3600\n", optarg);
                return -1;
            }
            o->app.wait_s = (int)v;
            break;
        }
        case 'v':
            log_threshold = LOG_DEBUG;
            break;
        case 'h':
            fputs(USAGE, stdout);
            exit(0);
        default:
            fputs(USAGE, stderr);
            return -1;
        }
    }
    return optind;
}

/* Opens the app at `now` and loads the named scenes; on failure says why,
 * closes the app and returns NULL. Free with close_scenes(). */
static struct scene **open_scenes(struct opts *o, int64_t now, char **names, size_t n)
{
    struct err err;
    double t0 = now_ms();
    if (!app_open(&o->app, now, &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        app_close(&o->app);
        return NULL;
    }
    LOG(DEBUG, "catalog and demo data loaded in %.1f ms", now_ms() - t0);
    struct scene **scenes = xcalloc(n, sizeof *scenes);
    for (size_t i = 0; i < n; i++) {
        if (!(scenes[i] = app_load_scene(&o->app, names[i], &err))) {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
            for (size_t k = 0; k < i; k++)
                scene_destroy(scenes[k]);
            free(scenes);
            app_close(&o->app);
            return NULL;
        }
    }
    return scenes;
}

static void close_scenes(struct opts *o, struct scene **scenes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        scene_destroy(scenes[i]);
    free(scenes);
    app_close(&o->app);
}

static int export_scenes(struct opts *o, char **names, size_t n)
{
    struct err err;
    struct scene **scenes = open_scenes(o, o->now, names, n);
    if (!scenes)
        return 1;
    int rc = 0;
    if (o->app.db && !app_start_db(&o->app, scenes, n, &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        rc = 1;
    }
    if (rc == 0) {
        struct export_job job = {
            .path = o->out, .scenes = scenes, .nscenes = n,
            .width = o->width, .height = o->height, .store = o->app.store,
            .theme = o->theme, .now = o->now, .watermark = o->watermark, .red_up = o->red_up,
            .catalog = o->app.catalog, .db = o->app.db,
        };
        if (!export_run(&job, &err)) {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
            rc = 1;
        }
    }
    close_scenes(o, scenes, n);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    struct opts o;
    int first = parse_opts(argc, argv, &o);
    if (first < 0)
        return 2;
    if (!o.out || first >= argc) {
        fprintf(stderr, "lotuswall export: expected --out FILE and at least one SCENE\n");
        return 2;
    }
    struct err err;
    if (!export_find(o.out, &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        return 2;
    }
    return export_scenes(&o, argv + first, (size_t)(argc - first));
}

/* The kind a file declares ("scene" for bare scene names), or NULL + *err. */
static char *file_kind(const char *arg, struct err *err)
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

static bool check_one(struct app *app, const char *arg)
{
    struct err err;
    char *kind = file_kind(arg, &err);
    bool ok = false;
    if (kind && strcmp(kind, "playlist") == 0) {
        struct playlist *pl = playlist_load(arg, app->scene_dirs, 2, &err);
        /* every scene of the playlist must load too */
        for (size_t i = 0; pl && i < pl->nentries + (pl->alert_scene != NULL); i++) {
            const char *sp = i < pl->nentries ? pl->entries[i].scene : pl->alert_scene;
            struct scene *s = app_load_scene(app, sp, &err);
            if (!s) {
                err_prefix(&err, "%s: scene of the playlist", arg);
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
        if ((ok = s != NULL))
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
    } else if (kind) {
        err_set(&err, "%s: kind: expected one of scene, playlist, rules, wall, found \"%s\"",
                arg,
                kind);
    }
    if (!ok)
        fprintf(stderr, "%s\n", err.msg);
    free(kind);
    return ok;
}

int cmd_check(int argc, char **argv)
{
    struct opts o;
    int first = parse_opts(argc, argv, &o);
    if (first < 0)
        return 2;
    if (first >= argc) {
        fprintf(stderr, "lotuswall check: expected at least one FILE\n");
        return 2;
    }
    struct err err;
    o.app.catalog_path = NULL;
    if (!app_open(&o.app, o.now, &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        app_close(&o.app);
        return 1;
    }
    int bad = 0;
    for (int i = first; i < argc; i++)
        bad += !check_one(&o.app, argv[i]);
    app_close(&o.app);
    return bad ? 1 : 0;
}

/* run --publish: the headless data exchange publisher (until SIGTERM). */
static int run_publisher(struct opts *o, char **names, size_t n)
{
    if (o->publish_db && !o->app.db) {
        fprintf(stderr, "lotuswall run: --publish-db needs --db\n");
        return 2;
    }
    struct scene **scenes = open_scenes(o, (int64_t)time(NULL), names, n);
    if (!scenes)
        return 1;
    int rc = app_run_publisher(&o->app, scenes, n, o->publish_dir, o->publish_db);
    close_scenes(o, scenes, n);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    struct opts o;
    int first = parse_opts(argc, argv, &o);
    if (first < 0)
        return 2;
    static char *all[] = {"situation", "economy", "gdp", "industry", "demand",
                          "sectors", "enterprise", "projects", "help-map", "warnings"};
    char **names = first < argc ? argv + first : all;
    size_t n = first < argc ? (size_t)(argc - first) : ARRAY_LEN(all);
    if (o.publish_dir)
        return run_publisher(&o, names, n);
    if (o.publish_db) {
        fprintf(stderr, "lotuswall run: --publish-db goes with --publish DIR and --db\n");
        return 2;
    }
    const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    const char *driver = getenv("SDL_VIDEODRIVER"); /* e.g. "dummy" for benchmarks */
    if ((display && *display) || (wayland && *wayland) || (driver && *driver)) {
        struct err err;
        if (!app_open(&o.app, (int64_t)time(NULL), &err)) {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
            app_close(&o.app);
            return 1;
        }
        if (o.wall.operator_name && !o.app.db &&
            !action_known_operator(&o.app, NULL, o.wall.operator_name, &err)) {
            fprintf(stderr, "lotuswall: --operator %s\n", err.msg);
            app_close(&o.app);
            return 2;
        }
        o.wall.scenes = names;
        o.wall.nscenes = n;
        struct wall_file *wf = NULL;
        if (o.wall_path && !(wf = wall_file_load(o.wall_path, &err))) {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
            app_close(&o.app);
            return 1;
        }
        o.wall.wall = wf;
        o.wall.now_offset = o.now_given ? o.now - (int64_t)time(NULL) : 0;
        o.wall.theme = o.theme;
        o.wall.red_up = o.red_up;
        int rc = app_run_wall(&o.app, &o.wall);
        wall_file_destroy(wf);
        app_close(&o.app);
        if (rc != 3)
            return rc;
        fprintf(stderr, "lotuswall: the display could not be opened; exporting the scenes instead\n");
    } else {
        fprintf(stderr, "lotuswall: no display (neither DISPLAY nor WAYLAND_DISPLAY is set); "
                        "exporting the scenes instead\n");
    }
    if (!o.out)
        o.out = "out/{scene}.png";
    if (mkdir("out", 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "lotuswall: cannot create out/: %s\n", strerror(errno));
        return 1;
    }
    int rc = export_scenes(&o, names, n);
    if (rc == 0)
        fprintf(stderr, "lotuswall: wrote %zu scene(s) as %s at %dx%d\n", n, o.out, o.width,
                o.height);
    return rc;
}

/* `lotuswall warnings [--json]`: the open warnings (firing or recovering),
 * from the demo's replayed engine or, with --db, from the database. */
static int cmd_warnings(int argc, char **argv)
{
    bool as_json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof *argv);
            argc--, i--;
            as_json = true;
        }
    }
    struct opts o;
    if (parse_opts(argc, argv, &o) < 0)
        return 2;
    struct err err;
    int rc = 0;
    if (!app_open(&o.app, o.now, &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        app_close(&o.app);
        return 1;
    }
    if (o.app.db) {
        struct poller_source src = {"warnings", 60};
        struct poller_opts po = {.conninfo = o.app.db};
        o.app.poller = poller_start(&po, o.app.catalog, o.app.store, &src, 1, &err);
        if (!o.app.poller || !poller_wait_ready(o.app.poller, (o.app.wait_s ? o.app.wait_s : 10) * 1000)) {
            fprintf(stderr, "lotuswall: %s\n", o.app.poller ? "the database did not answer" : err.msg);
            app_close(&o.app);
            return 1;
        }
    }
    struct table *t = store_get(o.app.store, "warnings");
    json_t *rows = json_array();
    int cst = t ? table_col(t, "state") : -1;
    if (!as_json)
        printf("%-44s %-6s %-10s %-10s %10s %10s  %s\n", "warning", "level", "state", "handling",
               "value", "reference", "since");
    for (size_t r = 0; t && cst >= 0 && r < t->nrows; r++) {
        const char *st = table_text(t, r, (size_t)cst);
        if (!st || (strcmp(st, "firing") && strcmp(st, "recovering")))
            continue;
        json_t *row = json_object();
        char buf[64];
        for (size_t c = 0; c < t->ncols; c++) {
            if (table_is_null(t, r, c))
                json_object_set_new(row, t->cols[c].name, json_null());
            else if (t->cols[c].type == COL_NUMBER)
                json_object_set_new(row, t->cols[c].name, json_real(table_num(t, r, c)));
            else
                json_object_set_new(row, t->cols[c].name,
                                    json_string(table_cell_str(t, r, c, buf, sizeof buf)));
        }
        if (!as_json)
            printf("%-44s %-6s %-10s %-10s %10.1f %10.1f  %s\n",
                   json_string_value(json_object_get(row, "id")),
                   json_string_value(json_object_get(row, "severity")), st,
                   json_is_string(json_object_get(row, "handling"))
                       ? json_string_value(json_object_get(row, "handling"))
                       : "",
                   json_real_value(json_object_get(row, "value")),
                   json_real_value(json_object_get(row, "reference")),
                   json_is_string(json_object_get(row, "since"))
                       ? json_string_value(json_object_get(row, "since"))
                       : "");
        json_array_append_new(rows, row);
    }
    if (as_json) {
        json_dumpf(rows, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        putchar('\n');
    } else {
        printf("%zu open warning(s)\n", json_array_size(rows));
    }
    json_decref(rows);
    table_unref(t);
    app_close(&o.app);
    return rc;
}

/* `lotuswall ack|handle|resolve|urge WARNING_ID --by NAME [--note TEXT]`:
 * with --db the action is queued in lotuswall.warning_actions and the
 * leading engine applies it (this waits for its result); on the demo data
 * it is checked against the replayed warnings only. */
static int cmd_action(const char *action, int argc, char **argv)
{
    struct opts o;
    int first = parse_opts(argc, argv, &o);
    if (first < 0)
        return 2;
    if (first + 1 != argc || !o.by) {
        fprintf(stderr, "usage: lotuswall %s WARNING_ID --by OPERATOR [--note TEXT] [--db CONNINFO]\n",
                action);
        return 2;
    }
    const char *warning = argv[first];
    struct err err;
    const char *db = o.app.db;
    o.app.db = NULL; /* the catalog (and the demo's operators and warnings) */
    if (!app_open(&o.app, o.now, &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        app_close(&o.app);
        return 1;
    }
    int rc = 1;
    PGconn *conn = db ? pg_connect(db, "lotuswall-operator", &err) : NULL;
    if (db && !conn) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
    } else if (!action_known_operator(&o.app, conn, o.by, &err)) {
        fprintf(stderr, "lotuswall: --by %s\n", err.msg);
    } else if (!conn) {
        struct table *t = store_get(o.app.store, "warnings");
        int c = t ? table_col(t, "id") : -1;
        bool open = false;
        for (size_t r = 0; c >= 0 && r < t->nrows; r++)
            open |= table_text(t, r, (size_t)c) && strcmp(table_text(t, r, (size_t)c), warning) == 0;
        table_unref(t);
        if (open) {
            printf("%s %s by %s: checked on the demo data; the demo keeps warnings in memory, "
                   "so give --db to record it\n", action, warning, o.by);
            rc = 0;
        } else {
            fprintf(stderr, "lotuswall: %s: no such warning (lotuswall warnings lists them)\n",
                    warning);
        }
    } else {
        char result[512];
        bool good = action_submit_db(conn, warning, action, o.by, o.note, 10000, NULL, result,
                                     sizeof result);
        fprintf(good ? stdout : stderr, "%s%s\n", good ? "" : "lotuswall: ", result);
        rc = good ? 0 : 1;
    }
    PQfinish(conn);
    app_close(&o.app);
    return rc;
}

/* `lotuswall report --out DIR [--every 1h] [--keep-days N] SCENE...`, and
 * `report list|publish ID|unpublish ID --out DIR [--link URL]`. */
static int cmd_report(int argc, char **argv)
{
    struct opts o;
    int first = parse_opts(argc, argv, &o);
    if (first < 0)
        return 2;
    struct report_opts *r = &o.report;
    r->dir = o.out;
    r->theme = o.theme ? o.theme : "light";
    r->name = r->name ? r->name : "经济运行分析报告";
    if (first < argc && (!strcmp(argv[first], "list") || !strcmp(argv[first], "publish") ||
                         !strcmp(argv[first], "unpublish"))) {
        r->verb = argv[first++];
        r->id = first < argc ? argv[first++] : NULL;
    }
    if (!r->dir || (r->verb && strcmp(r->verb, "list") && !r->id) || (!r->verb && first >= argc)) {
        fprintf(stderr, "usage: lotuswall report --out DIR [--every 1h] [--keep-days N] SCENE...\n"
                        "       lotuswall report list|publish ID|unpublish ID --out DIR "
                        "[--link URL]\n");
        return 2;
    }
    if (r->verb) {
        struct err err;
        if (!app_open(&o.app, o.now, &err)) {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
            app_close(&o.app);
            return 1;
        }
        int rc = app_report(&o.app, r);
        app_close(&o.app);
        return rc;
    }
    size_t n = (size_t)(argc - first);
    struct scene **scenes = open_scenes(&o, (int64_t)time(NULL), argv + first, n);
    if (!scenes)
        return 1;
    struct err err;
    int rc = 0;
    if (o.app.db && !app_start_db(&o.app, scenes, n, &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        rc = 1;
    }
    r->scenes = scenes;
    r->nscenes = n;
    if (rc == 0)
        rc = app_report(&o.app, r);
    close_scenes(&o, scenes, n);
    return rc;
}

int cmd_db(int argc, char **argv)
{
    struct opts o;
    int first = parse_opts(argc, argv, &o);
    if (first < 0)
        return 2;
    const char *what = first < argc ? argv[first] : "";
    bool schema = !strcmp(what, "schema"), init = !strcmp(what, "init"), load = !strcmp(what, "load");
    if (!schema && !init && !load) {
        fprintf(stderr, "usage: lotuswall db schema | db init --db CONNINFO | db load --db CONNINFO "
                        "[--data DIR]\n");
        return 2;
    }
    struct err err;
    const char *db = o.app.db;
    o.app.db = NULL; /* open the catalog (and, for load, check the demo files) */
    if (!app_open(&o.app, o.now, &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        app_close(&o.app);
        return 1;
    }
    int rc = 0;
    char *sql = pg_schema_sql(o.app.catalog);
    if (schema) {
        fputs(sql, stdout);
    } else if (!db) {
        fprintf(stderr, "lotuswall db %s: expected --db CONNINFO\n", what);
        rc = 2;
    } else {
        PGconn *conn = pg_connect(db, "lotuswall-admin", &err);
        bool ok = conn && (init ? pg_exec_script(conn, sql, &err)
                                : pg_load_demo(conn, o.app.catalog, o.app.data_dir, &err));
        if (!ok) {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
            rc = 1;
        } else {
            fprintf(stderr, "lotuswall: %s\n", init ? "schema applied" : "demo data loaded");
        }
        PQfinish(conn);
    }
    free(sql);
    app_close(&o.app);
    return rc;
}

static bool copy_file(const char *from, const char *to, struct err *err)
{
    size_t n;
    char *buf = read_file(from, &n);
    if (!buf)
        return err_set(err, "%s: %s", from, strerror(errno));
    FILE *f = fopen(to, "wb");
    bool ok = f && fwrite(buf, 1, n, f) == n;
    ok = (f && fclose(f) == 0) && ok;
    free(buf);
    return ok ? true : err_set(err, "%s: %s", to, strerror(errno));
}

/* `lotuswall screenshot [--status FILE] [--out FILE]`: a screenshot of what
 * a running wall shows. Its --status file names its pid; SIGUSR1 makes it
 * save one per output under its out/, and the status file then lists them
 * (screenshot_seq moves). Prints the paths; --out copies a single one. */
static int cmd_screenshot(int argc, char **argv)
{
    struct opts o;
    int first = parse_opts(argc, argv, &o);
    if (first < 0 || first != argc) {
        fprintf(stderr, "usage: lotuswall screenshot [--status FILE] [--out FILE.png]\n");
        return 2;
    }
    const char *status = o.wall.status_path ? o.wall.status_path : "/run/lotuswall/status.json";
    json_error_t je;
    json_t *st = json_load_file(status, 0, &je);
    json_int_t pid = json_integer_value(json_object_get(st, "pid"));
    json_int_t seq = json_integer_value(json_object_get(st, "screenshot_seq"));
    json_decref(st);
    if (pid <= 0 || kill((pid_t)pid, 0) != 0) {
        fprintf(stderr, "lotuswall: %s: no running wall there (%s)\n", status,
                pid <= 0 ? je.text : strerror(errno));
        return 1;
    }
    kill((pid_t)pid, SIGUSR1);
    for (int i = 0; i < 50; i++) { /* the status file is rewritten once a second */
        usleep(100000);
        if (!(st = json_load_file(status, 0, &je)))
            continue;
        json_t *shots = json_object_get(st, "screenshots");
        if (json_integer_value(json_object_get(st, "screenshot_seq")) != seq &&
            json_array_size(shots) > 0) {
            int rc = 0;
            size_t k;
            json_t *v;
            if (o.out && json_array_size(shots) != 1) {
                fprintf(stderr, "lotuswall: --out: the wall has %zu outputs; their screenshots:\n",
                        json_array_size(shots));
                rc = 1;
            } else if (o.out) {
                struct err err;
                rc = copy_file(json_string_value(json_array_get(shots, 0)), o.out, &err) ? 0 : 1;
                if (rc)
                    fprintf(stderr, "lotuswall: %s\n", err.msg);
            }
            json_array_foreach(shots, k, v)
                printf("%s\n", rc == 0 && o.out ? o.out : json_string_value(v));
            json_decref(st);
            return rc;
        }
        json_decref(st);
    }
    fprintf(stderr, "lotuswall: the wall (pid %lld) took no screenshot within 5 s\n", (long long)pid);
    return 1;
}

int main(int argc, char **argv)
{
    app_environment();
    if (argc < 2) {
        fputs(USAGE, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "export") == 0)
        return cmd_export(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "doc") == 0)
        return cmd_doc(argc - 1, argv + 1);
    if (strcmp(cmd, "db") == 0)
        return cmd_db(argc - 1, argv + 1);
    if (strcmp(cmd, "warnings") == 0)
        return cmd_warnings(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "screenshot") == 0)
        return cmd_screenshot(argc - 1, argv + 1);
    static const char *const actions[] = {"ack", "handle", "resolve", "urge"};
    for (size_t i = 0; i < ARRAY_LEN(actions); i++)
        if (strcmp(cmd, actions[i]) == 0)
            return cmd_action(actions[i], argc - 1, argv + 1);
    if (strcmp(cmd, "engine") == 0)
        return cmd_engine(argc - 1, argv + 1);
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    fprintf(stderr, "lotuswall: unknown command \"%s\"\n%s", cmd, USAGE);
    return 2;
}
