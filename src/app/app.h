/* The application: paths, the catalog, the data store and the scenes, and
 * the commands of the CLI. No globals: tests can make two of anything. */
#ifndef LW_APP_H
#define LW_APP_H
#include "data/catalog.h"
#include "data/store.h"
#include "output/screen.h"
#include "scene/playlist.h"
#include "scene/wallfile.h"
#include "scene/scene.h"

struct app {
    const char *data_dir;      /* demo data set (--data) */
    const char *db;            /* PostgreSQL conninfo (--db), or NULL: the demo data */
    const char *db_notify;     /* --db-notify: the primary's LISTEN, "none", or NULL (poller_opts) */
    const char *cache_dir;     /* last good tables (--cache), or NULL: the default */
    int wait_s;                /* export --db: wait this long for first data (default 10) */
    struct poller *poller;
    struct demo_engine *demo;  /* the demo's warning engine (no --db), or NULL */
    void (*wake)(void *arg);   /* called by the poller after new data; optional */
    void *wake_arg;
    const char *catalog_path;
    const char *scene_dirs[2]; /* local edits (/etc/lotuswall/scenes), then HOME/scenes */
    char *owned_paths[4];      /* what the defaults above point into */
    char *playlist_path;       /* app_find_playlist's answer */
    struct catalog *catalog;
    struct store *store;
    /* Where the poller puts what it fetches when that is not `store`: a
     * splice wall's part moves it into `store` only at the data version its
     * leader announces (splice.h). NULL: the poller writes `store`. Owned. */
    struct store *fetch_store;
    struct scene_param params[16];
    size_t nparams;
    /* Set before app_open when only some scenes will be drawn: app_open
     * reads the demo's regions alone, app_demo_need what the scenes show. */
    bool demo_lazy;
    int64_t demo_now;          /* app_open's now, for app_demo_need */
    /* Sources read besides the scenes' (NULL-terminated, or NULL): a
     * report's analysis reads tables no page may show. app_demo_need and
     * app_start_db take them like a panel's. */
    const char *const *extra_sources;
};

/* Sets TZ (Asia/Shanghai unless LOTUSWALL_TZ) and the project's fontconfig
 * file so that output is the same on every machine. Call before any Pango. */
void app_environment(void);
/* Only the time zone: before the options are parsed (--now is local time). */
void app_timezone(void);
/* Loads the catalog and the demo data (with demo_lazy, its regions). */
bool app_open(struct app *app, int64_t now, struct err *err);
/* With demo_lazy: reads the demo tables that the scenes' panels and
 * parameters need, nothing twice, and replays the demo's warnings (after
 * reading their rules' sources) only when a scene shows them. A no-op
 * otherwise. */
bool app_demo_need(struct app *app, struct scene *const *scenes, size_t n, struct err *err);
void app_close(struct app *app);
struct scene_env app_scene_env(const struct app *app);
/* --demo-replay: moves the demo's engine on by `hours` of simulated time,
 * swinging a few indicators so that warnings fire, escalate and recover. */
void app_demo_step(struct app *app, int hours);
/* Steps it on a thread of its own, an hour a second, until app_close; the
 * store's tables change and app->wake is called. False without a demo. */
bool app_demo_replay_start(struct app *app);
/* Where a wall writes and LISTENs for the fleet (heartbeats, commands,
 * configuration, operators' actions): the primary given by --db-notify,
 * else --db (a replica or a pooler takes only the reads). */
const char *app_primary_db(const struct app *app);
/* The demo's rules file (watched by the wall), or NULL without a demo. */
const char *app_demo_rules_path(const struct app *app);
/* Loads the demo's rules again when their file changed: 1 reloaded (and the
 * warnings evaluated and published again), 0 unchanged, -1 + *err a bad
 * edit (the last good rules stay). */
int app_demo_reload_rules(struct app *app, struct err *err);
/* An operator's action (ack, handle, resolve, urge) on the demo's warning
 * `warning`, at the demo engine's clock; the warnings tables are published
 * again. result: "ok: …" or "error: …". Thread-safe against the replay. */
bool app_demo_action(struct app *app, const char *warning, const char *action, const char *by,
                     const char *note, char *result, size_t len);
void app_demo_replay_stop(struct app *app); /* joins the thread; no-op when none */
/* With --db: starts the poller for every source the scenes bind (at their
 * refresh intervals) and waits up to wait_s seconds for first data. */
bool app_start_db(struct app *app, struct scene *const *scenes, size_t n, struct err *err);
/* The headless main job: keeps the data fresh (with --db) and publishes the
 * data exchange document of the scenes to `dir` (and with to_db, to
 * lotuswall.exchange_documents) whenever the data changes, until SIGTERM or
 * SIGINT. Returns the exit status. */
int app_run_publisher(struct app *app, struct scene *const *scenes, size_t n, const char *dir,
                      bool to_db);
/* The wall runtime (src/app/wall.c). */
struct wall_opts {
    const char *playlist;       /* a playlist file, or NULL: the scenes below */
    const char *wall_name;      /* --wall-name: with the database, its assignment wins, its
                                   heartbeat and steering (fleet.h) */
    const struct wall_file *wall; /* --wall FILE: several outputs as one canvas, or NULL */
    const char *part;           /* --part: with --db and --wall-name, one PC of a splice wall
                                   that shows in step with the others (app/splice.h) */
    char **scenes;
    size_t nscenes;
    int dwell_s;                /* for scenes given on the command line (default 30) */
    struct screen_opts screen;
    int64_t now_offset;         /* --now: the clock starts there */
    const char *status_path;    /* --status FILE: JSON rewritten once a second */
    const char *http_addr;      /* --http HOST:PORT: the console, the API, /healthz, /metrics */
    const char *http_cert, *http_key; /* --http-cert, --http-key: HTTPS */
    bool http_insecure;         /* --http-insecure: plain HTTP beyond loopback */
    const char *metrics_addr;   /* --metrics HOST:PORT: /healthz and /metrics apart */
    const char *users_file;     /* --users FILE: the console's accounts without a database */
    const char *audit_file;     /* --audit FILE: the audit without a database */
    int session_idle_s;         /* --session-idle: a console session ends after this */
    int control_idle_s;         /* --control-idle: the control lock frees after this */
    unsigned long long fast_forward; /* --fast-forward N: benchmark N frames, then exit */
    const char *hours;          /* --hours HH:MM-HH:MM: on only then (local time) */
    int pixel_shift;            /* --pixel-shift N: burn-in protection in pixels (0 = off) */
    bool demo_replay;           /* --demo-replay: the demo's warnings live (1 s = 1 h) */
    const char *theme;          /* --theme overrides the scenes' themes */
    bool red_up;
    const char *operator_name;  /* --operator: who acts from the keys, or NULL */
    unsigned threads;           /* --threads: panels drawn on this many; 0 = the CPUs usable */
    int beat_s;                 /* --beat: seconds between heartbeats (default 5) */
};
/* Runs until SIGTERM, SIGINT, Escape or q. Returns the exit status; 3 when
 * there is no display to open (the caller exports instead). */
int app_run_wall(struct app *app, const struct wall_opts *o);

/* `lotuswall report` (src/app/report.c): the 运行报告中心. */
struct report_opts {
    const char *dir;            /* --out DIR: the reports and their index reports.csv */
    const char *verb;           /* NULL: make a report; "list", "publish", "unpublish" */
    const char *id, *link;      /* publish/unpublish: which report; --link URL */
    struct scene **scenes;
    size_t nscenes;
    char **scene_args;          /* the scenes as named, to load again per region */
    const char *each;           /* --each PARAM: a report per region, PARAM set to its code */
    const char *name;           /* --name, default 经济运行分析报告 */
    const char *theme;          /* default light: reports are printed */
    int64_t every_s;            /* --every: repeat; 0 = once */
    int keep_days;              /* --keep-days: drop older reports; 0 = keep all */
    int64_t now;                /* --now: the reports' clock (id, 生成时间, cover); 0 = the time */
};
int app_report(struct app *app, const struct report_opts *o);

/* A playlist argument: a path as given, or a bare name looked up as
 * /etc/lotuswall/playlists/NAME.json, then HOME/scenes/playlists/NAME.json.
 * The answer lives until app_close; NULL + *err when there is none. */
/* Panel i's drill target: found in the scene folders, loaded (with
 * --param), declaring every parameter the drill sets; NULL + *err naming
 * the scene file and the JSON path (panels[i].drill...). Free with
 * scene_destroy(). */
struct scene *app_drill_target(struct app *app, const struct scene *s, size_t i, struct err *err);
/* Every drill of s leads somewhere real (check, and the wall's loads). */
bool app_check_drills(struct app *app, const struct scene *s, struct err *err);
const char *app_find_playlist(struct app *app, const char *arg, struct err *err);
/* Resolves and loads a scene argument (path or bare name). */
struct scene *app_load_scene(struct app *app, const char *arg, struct err *err);

/* Every --param must be a parameter that one of the scenes declares: false
 * + *err naming it and what the scenes do declare. */
bool app_check_params(const struct app *app, struct scene *const *scenes, size_t n,
                      struct err *err);
/* The same for other parameters (a wall's assignment): `what` begins the
 * message ("--param", "the assignment's param"). */
bool app_check_param_list(const struct app *app, const struct scene_param *params, size_t np,
                          const char *what, struct scene *const *scenes, size_t n,
                          struct err *err);

/* Playlist entry i's parameters: names its scene declares, region codes the
 * regions table has (when the store has it), and values the scene takes (it
 * loads with them under the --param values). false + *err with the file
 * and the JSON path. */
bool app_check_entry_params(struct app *app, const struct playlist *pl, size_t i,
                            struct err *err);

#endif
