/* The command line's option tables, the parser and the generated usage.
 * Adding an option: a setter, one `OPTION(...)` row, and its name in the
 * option list of each command that takes it (src/app/main.c has the
 * commands). Nothing else parses argv. */
#include "app/cli.h"
#include "app/session.h"
#include "data/store.h"
#include "render/theme.h"
#include "util/paths.h"
#include "util/util.h"
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- strict value parsers ---------------------------------------------- */

bool cli_parse_long(const char *s, long min, long max, long *out)
{
    if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool cli_parse_size(const char *s, int min, int max, int *w, int *h)
{
    const char *x = s ? strpbrk(s, "xX") : NULL;
    if (!x || x == s || (size_t)(x - s) > 9)
        return false;
    char first[10];
    memcpy(first, s, (size_t)(x - s));
    first[x - s] = '\0';
    long a, b;
    if (!cli_parse_long(first, min, max, &a) || first[0] == '-' ||
        !cli_parse_long(x + 1, min, max, &b) || x[1] == '-')
        return false;
    *w = (int)a, *h = (int)b;
    return true;
}

bool cli_parse_duration(const char *s, long max_s, long *out)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 12)
        return false;
    char num[16];
    memcpy(num, s, n + 1);
    long unit = 1;
    switch (num[n - 1]) {
    case 's': unit = 1; num[n - 1] = '\0'; break;
    case 'm': unit = 60; num[n - 1] = '\0'; break;
    case 'h': unit = 3600; num[n - 1] = '\0'; break;
    case 'd': unit = 86400; num[n - 1] = '\0'; break;
    default: break;
    }
    long v;
    if (!cli_parse_long(num, 1, max_s / unit, &v))
        return false;
    *out = v * unit;
    return true;
}

bool cli_parse_time(const char *s, int64_t *out)
{
    long long v;
    char *end;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (*s && !*end && !errno) {
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

/* ---- setters: one per option ------------------------------------------- */

#define SET(fn) static bool fn(struct opts *o, const char *v, struct err *err)

SET(set_home)
{
    return paths_set_home(v, err);
}
SET(set_verbose)
{
    log_threshold = LOG_DEBUG;
    return true;
}
SET(set_data) { return (o->app.data_dir = v), true; }
SET(set_db) { return (o->app.db = v), true; }
SET(set_db_notify) { return (o->app.db_notify = v), true; }
SET(set_cache) { return (o->app.cache_dir = v), true; }
SET(set_out) { return (o->out = v), true; }
SET(set_watermark) { return (o->watermark = v), true; }
SET(set_green_up) { return (o->red_up = false), true; }
SET(set_json) { return (o->json = true), true; }
SET(set_quick) { return (o->quick = true), true; }
SET(set_publish) { return (o->publish_dir = v), true; }
SET(set_publish_db) { return (o->publish_db = true), true; }
SET(set_playlist) { return (o->wall.playlist = v), true; }
SET(set_status) { return (o->wall.status_path = v), true; }
SET(set_http) { return (o->wall.http_addr = v), true; }
SET(set_wall) { return (o->wall_path = v), true; }
SET(set_part) { return (o->part = v), true; }
SET(set_by) { return (o->by = v), true; }
SET(set_note) { return (o->note = v), true; }
SET(set_name) { return (o->report.name = v), true; }
SET(set_link) { return (o->report.link = v), true; }
SET(set_each) { return (o->report.each = v), true; }
SET(set_demo_replay) { return (o->wall.demo_replay = true), true; }
SET(set_operator) { return (o->wall.operator_name = v), true; }
SET(set_rules) { return (o->rules_path = v), true; }
SET(set_users) { return (o->users_path = o->wall.users_file = v), true; }
SET(set_audit) { return (o->audit_path = o->wall.audit_file = v), true; }
SET(set_password_stdin) { return (o->password_stdin = true), true; }
SET(set_duty) { return (o->duty = v), true; }
SET(set_db_login) { return (o->db_login = v), true; }
SET(set_deliver_config) { return (o->deliver_config = v), true; }
SET(set_once) { return (o->once = true), true; }
SET(set_role)
{
    if (strcmp(v, "viewer") && strcmp(v, "presenter") && strcmp(v, "operator") && strcmp(v, "admin"))
        return err_set(err, "expected viewer, presenter, operator or admin");
    return (o->role = v), true;
}
SET(set_since)
{
    return cli_parse_time(v, &o->since) || err_set(err, "expected unix seconds or YYYY-MM-DDTHH:MM:SS");
}
SET(set_urge_limit)
{
    long s;
    if (!cli_parse_duration(v, 86400, &s))
        return err_set(err, "expected a period such as 30s, 10m or 1h, up to 1d");
    o->urge_limit_s = (int)s;
    return true;
}
SET(set_x11) { return (o->setup_display = "x11"), true; }
SET(set_wayland) { return (o->setup_display = "wayland"), true; }
SET(set_wall_name) { return (o->wall_name = v), true; }

SET(set_param)
{
    const char *eq = strchr(v, '=');
    if (!eq || eq == v)
        return err_set(err, "expected NAME=VALUE");
    if (o->app.nparams == ARRAY_LEN(o->app.params))
        return err_set(err, "at most %zu parameters", ARRAY_LEN(o->app.params));
    size_t len = (size_t)(eq - v);
    for (size_t i = 0; i < o->app.nparams; i++)
        if (strlen(o->app.params[i].name) == len && !strncmp(o->app.params[i].name, v, len))
            return err_set(err, "parameter %.*s given twice", (int)len, v);
    /* the name is cut out of argv's own string, which lives as long as o */
    char *name = (char *)v;
    name[len] = '\0';
    o->app.params[o->app.nparams++] = (struct scene_param){name, name + len + 1};
    return true;
}

SET(set_now)
{
    o->now_given = true;
    return cli_parse_time(v, &o->now) || err_set(err, "expected unix seconds or YYYY-MM-DDTHH:MM:SS");
}

SET(set_size)
{
    o->size_given = true;
    return cli_parse_size(v, 16, 16384, &o->width, &o->height) ||
           err_set(err, "expected WxH from 16x16 to 16384x16384");
}

SET(set_windowed)
{
    return cli_parse_size(v, 64, 16384, &o->wall.screen.width, &o->wall.screen.height) ||
           err_set(err, "expected WxH from 64x64 to 16384x16384");
}

SET(set_picker)
{
    if (strcmp(v, "city") && strcmp(v, "period"))
        return err_set(err, "expected city or period");
    return (o->picker = v), true;
}
SET(set_breadcrumb)
{
    (void)err;
    return (o->breadcrumb = v), true;
}
SET(set_theme)
{
    if (!theme_find(v))
        return err_set(err, "unknown theme (known: %s)", theme_names());
    o->theme = v;
    return true;
}

/* An integer option into an int field, within [min, max]. */
static bool set_int(const char *v, long min, long max, int *field, const char *what,
                    struct err *err)
{
    long n;
    if (!cli_parse_long(v, min, max, &n))
        return err_set(err, "expected %s from %ld to %ld", what, min, max);
    *field = (int)n;
    return true;
}

SET(set_display) { return set_int(v, 0, 63, &o->wall.screen.display, "a display index", err); }
SET(set_dwell) { return set_int(v, 1, 86400, &o->wall.dwell_s, "seconds", err); }
SET(set_wait) { return set_int(v, 0, 3600, &o->app.wait_s, "seconds", err); }
SET(set_pixel_shift) { return set_int(v, 0, 20, &o->wall.pixel_shift, "pixels", err); }
SET(set_keep_days) { return set_int(v, 1, 36500, &o->report.keep_days, "days", err); }
SET(set_steer_to) { return (o->steer_to = v), true; }
SET(set_beat) { return set_int(v, 1, 3600, &o->wall.beat_s, "seconds", err); }
SET(set_interval) { return set_int(v, 1, 86400, &o->interval_s, "seconds", err); }
SET(set_threads) { return set_int(v, 1, 64, &o->threads, "threads", err); }

SET(set_fast_forward)
{
    long n;
    if (!cli_parse_long(v, 1, 100000000, &n))
        return err_set(err, "expected a number of frames from 1 to 100000000");
    o->wall.fast_forward = (unsigned long long)n;
    return true;
}

SET(set_rotate)
{
    long r;
    if (!cli_parse_long(v, 0, 270, &r) || r % 90)
        return err_set(err, "expected 0, 90, 180 or 270 (degrees clockwise, as the screen is "
                            "mounted)");
    o->wall.screen.rotation = (int)r;
    return true;
}

SET(set_every)
{
    long s;
    if (!cli_parse_duration(v, 366L * 86400, &s))
        return err_set(err, "expected a period such as 30m, 1h or 1d, up to 366d");
    o->report.every_s = (int)s;
    return true;
}

SET(set_http_cert) { return (o->wall.http_cert = v), true; }
SET(set_http_key) { return (o->wall.http_key = v), true; }
SET(set_http_insecure) { return (o->wall.http_insecure = true), true; }
SET(set_metrics) { return (o->wall.metrics_addr = v), true; }

static bool set_idle(const char *v, int *out, struct err *err)
{
    long s;
    if (!cli_parse_duration(v, 7L * 86400, &s) || s < 1)
        return err_set(err, "expected a time such as 90s, 30m or 8h, up to 7d");
    *out = (int)s;
    return true;
}
SET(set_session_idle) { return set_idle(v, &o->wall.session_idle_s, err); }
SET(set_control_idle) { return set_idle(v, &o->wall.control_idle_s, err); }

SET(set_hours)
{
    int h0, m0, h1, m1, end = 0;
    if (sscanf(v, "%2d:%2d-%2d:%2d%n", &h0, &m0, &h1, &m1, &end) != 4 || v[end] || h0 < 0 ||
        h0 > 23 || h1 < 0 || h1 > 24 || m0 < 0 || m0 > 59 || m1 < 0 || m1 > 59)
        return err_set(err, "expected HH:MM-HH:MM, e.g. 07:00-22:30");
    o->wall.hours = v;
    return true;
}

/* ---- the options ------------------------------------------------------- */

#define OPTION(id, name, sh, arg, help, fn) \
    static const struct cli_option id = {name, sh, arg, help, fn}

OPTION(opt_home, "home", 0, "DIR", "the shipped catalog, demo data, fonts, assets, rules and "
       "scenes (default: $LOTUSWALL_HOME, the install prefix, or the source tree)", set_home);
OPTION(opt_verbose, "verbose", 'v', NULL, "debug logging", set_verbose);
OPTION(opt_help, "help", 'h', NULL, "this text", NULL);
OPTION(opt_data, "data", 0, "DIR", "the demo data set (default HOME/db/demo)", set_data);
OPTION(opt_db, "db", 0, "CONNINFO", "PostgreSQL (libpq conninfo or URI; \"\" = the PG* "
       "variables; default $LOTUSWALL_DB)", set_db);
OPTION(opt_db_notify, "db-notify", 0, "CONNINFO|none", "with --db on a replica or a pooler: the "
       "primary, whose NOTIFYs say when data changed (none: ask each second)", set_db_notify);
OPTION(opt_cache, "cache", 0, "DIR", "the last good data from the database (default: the "
       "private cache folder)", set_cache);
OPTION(opt_wait, "wait", 0, "SECONDS", "how long to wait for the first data (default 10)",
       set_wait);
OPTION(opt_param, "param", 0, "NAME=VALUE", "a parameter the scenes declare, e.g. "
       "city=411081", set_param);
OPTION(opt_now, "now", 0, "TIME", "the time to draw: unix seconds or 2024-11-15T09:30:00 "
       "(local)", set_now);
OPTION(opt_threads, "threads", 0, "N", "draw and encode on N threads (default: the CPUs this "
       "process may use); the picture is the same for every N", set_threads);
OPTION(opt_quick, "quick", 0, NULL, "a few runs at small sizes: that the table is made, not "
       "what it says", set_quick);
OPTION(opt_size, "size", 0, "WxH", "the picture's size (default 1920x1080)", set_size);
OPTION(opt_picker, "picker", 0, "city|period",
       "ask as with that picker of the title bar open (its choices answer)", set_picker);
OPTION(opt_breadcrumb, "breadcrumb", 0, "A,B,...",
       "ask as with this breadcrumb in the title bar (someone driving)", set_breadcrumb);
OPTION(opt_theme, "theme", 0, "NAME", "dark or light (default: the scene's)", set_theme);
OPTION(opt_green_up, "green-up", 0, NULL, "green for growth, red for decline", set_green_up);
OPTION(opt_out_export, "out", 0, "FILE", "FILE.png|.pdf|.svg|.json; {scene} is each scene's "
       "name", set_out);
OPTION(opt_out_run, "out", 0, "FILE", "without a display: where the scenes are exported "
       "(default out/{scene}.png)", set_out);
OPTION(opt_out_report, "out", 0, "DIR", "the reports and their index reports.csv", set_out);
OPTION(opt_out_shot, "out", 0, "FILE", "copy the screenshot there", set_out);
OPTION(opt_watermark, "watermark", 0, "TEXT", "a watermark over every page", set_watermark);
OPTION(opt_playlist, "playlist", 0, "FILE|NAME", "the rotation and its alert scene",
       set_playlist);
OPTION(opt_wall, "wall", 0, "FILE", "the outputs of a splice wall as one canvas", set_wall);
OPTION(opt_part, "part", 0, "PART", "with --wall: drive only the outputs of this PC (the wall "
       "file's \"part\"); with --db and --wall-name, in step with the other parts (one leads)",
       set_part);
OPTION(opt_windowed, "windowed", 0, "WxH", "a window instead of full screen", set_windowed);
OPTION(opt_display, "display", 0, "N", "which display (default 0)", set_display);
OPTION(opt_dwell, "dwell", 0, "SECONDS", "time per scene named on the command line "
       "(default 30)", set_dwell);
OPTION(opt_status, "status", 0, "FILE", "a JSON status file rewritten once a second",
       set_status);
OPTION(opt_status_shot, "status", 0, "FILE", "the running wall's status file (default "
       "/run/lotuswall/status.json)", set_status);
OPTION(opt_http, "http", 0, "HOST:PORT", "serve the console, the API (/api/v1/), /healthz and "
       "/metrics; without TLS only on loopback", set_http);
OPTION(opt_http_cert, "http-cert", 0, "FILE", "serve --http as HTTPS with this PEM certificate",
       set_http_cert);
OPTION(opt_http_key, "http-key", 0, "FILE", "the PEM private key of --http-cert", set_http_key);
OPTION(opt_http_insecure, "http-insecure", 0, NULL, "allow --http without TLS beyond loopback "
       "(passwords in clear; logged at every start)", set_http_insecure);
OPTION(opt_metrics, "metrics", 0, "HOST:PORT", "serve /healthz and /metrics apart, plain, for "
       "Prometheus", set_metrics);
OPTION(opt_session_idle, "session-idle", 0, "TIME", "a console session ends after this idle "
       "time (default 30m)", set_session_idle);
OPTION(opt_control_idle, "control-idle", 0, "TIME", "the control lock frees after this time "
       "without steering (default 10m)", set_control_idle);
OPTION(opt_fast_forward, "fast-forward", 0, "N", "benchmark N frames (the clock +1 s a frame)",
       set_fast_forward);
OPTION(opt_demo_replay, "demo-replay", 0, NULL, "the demo's warnings fire, escalate and "
       "recover (1 s = 1 h)", set_demo_replay);
OPTION(opt_hours, "hours", 0, "HH:MM-HH:MM", "the screen is on only then", set_hours);
OPTION(opt_pixel_shift, "pixel-shift", 0, "N", "move the picture up to N pixels every 10 "
       "minutes (burn-in)", set_pixel_shift);
OPTION(opt_operator, "operator", 0, "NAME", "who acts on warnings from the keys (operators "
       "table)", set_operator);
OPTION(opt_rotate, "rotate", 0, "DEG", "the screen is mounted turned 90/180/270° clockwise",
       set_rotate);
OPTION(opt_publish, "publish", 0, "DIR", "headless: publish the data exchange document to DIR "
       "on every change", set_publish);
OPTION(opt_publish_db, "publish-db", 0, NULL, "with --publish: also into "
       "lotuswall.exchange_documents", set_publish_db);
OPTION(opt_json, "json", 0, NULL, "print JSON", set_json);
OPTION(opt_by, "by", 0, "NAME", "who acts: on the demo an operator (operators table); with "
       "--db an account, for a login in lotuswall_console (default: this login's own account)",
       set_by);
OPTION(opt_note, "note", 0, "TEXT", "a note kept with the action", set_note);
OPTION(opt_every, "every", 0, "PERIOD", "repeat: 30m, 1h, 1d (default: once)", set_every);
OPTION(opt_keep_days, "keep-days", 0, "N", "delete reports older than N days", set_keep_days);
OPTION(opt_name, "name", 0, "TEXT", "the report's name (default 经济运行分析报告)", set_name);
OPTION(opt_link, "link", 0, "URL", "publish: where the report can be read", set_link);
OPTION(opt_each, "each", 0, "PARAM", "one report per region of the regions table (the city, then its "
       "counties), PARAM (e.g. city) set to each", set_each);
OPTION(opt_rules, "rules", 0, "FILE|db", "the warning rules (default HOME/rules/demo.json)",
       set_rules);
OPTION(opt_interval, "interval", 0, "SECONDS", "evaluate at least this often (default 10)",
       set_interval);
OPTION(opt_urge_limit, "urge-limit", 0, "PERIOD", "at most one manual urge (一键催办) per "
       "warning and department this often (default 10m)", set_urge_limit);
OPTION(opt_users, "users", 0, "FILE", "the accounts without a database: a JSON file of mode "
       "0600", set_users);
OPTION(opt_audit, "audit", 0, "FILE", "the audit without a database (default "
       "STATE/audit.jsonl)", set_audit);
OPTION(opt_role, "role", 0, "ROLE", "viewer, presenter, operator or admin", set_role);
OPTION(opt_password_stdin, "password-stdin", 0, NULL, "read the password from standard input "
       "(one line)", set_password_stdin);
OPTION(opt_duty, "operator", 0, "NAME", "the operator duty of the account (operators table)",
       set_duty);
OPTION(opt_db_login, "db-login", 0, "ROLE", "with --db: the person's own database login, whose "
       "actions are this account's", set_db_login);
OPTION(opt_deliver_config, "config", 0, "FILE", "the channels: gateways, templates, signatures, "
       "secrets' files or variables, retries (docs/operations.md)", set_deliver_config);
OPTION(opt_once, "once", 0, NULL, "send what is due (and retries due within a minute), then exit",
       set_once);
OPTION(opt_http_deliver, "http", 0, "HOST:PORT", "serve the gateways' receipts (POST "
       "/receipts, signed), /healthz and /metrics", set_http);
OPTION(opt_since, "since", 0, "TIME", "only records since then: unix seconds or "
       "2024-11-15T09:30:00 (local)", set_since);
OPTION(opt_x11, "x11", 0, NULL, "the wall on X11 (xinit; the default)", set_x11);
OPTION(opt_wayland, "wayland", 0, NULL, "the wall on Wayland (cage)", set_wayland);
OPTION(opt_wall_name, "wall-name", 0, "NAME", "this wall's name in the fleet", set_wall_name);
OPTION(opt_wall_name_run, "wall-name", 0, "NAME", "this wall's name in the fleet (default "
       "$LOTUSWALL_WALL_NAME); with --db it shows the playlist the database assigns it, follows "
       "every change (lotuswall config), beats into lotuswall.walls and takes `lotuswall steer "
       "--to NAME`", set_wall_name);

OPTION(opt_out_pull, "out", 0, "FILE", "config pull: write the document there (default: "
       "standard output)", set_out);
OPTION(opt_param_assign, "param", 0, "NAME=VALUE", "config assign: a parameter of the "
       "assignment, e.g. city=411081 (under a playlist entry's own)", set_param);
OPTION(opt_to, "to", 0, "WALL", "the wall to steer (its --wall-name)", set_steer_to);
OPTION(opt_beat, "beat", 0, "SECONDS", "seconds between the fleet's heartbeats (default 5); a "
       "wall is offline after two missed", set_beat);

static const struct cli_option *const global_options[] = {&opt_home, &opt_verbose, &opt_help,
                                                          NULL};

/* ---- parsing ----------------------------------------------------------- */

static const struct cli_option *lookup(const struct cli_option *const *list, const char *name,
                                       size_t len, char short_name)
{
    for (size_t i = 0; list && list[i]; i++)
        if (short_name ? list[i]->short_name == short_name
                       : strlen(list[i]->name) == len && !strncmp(list[i]->name, name, len))
            return list[i];
    return NULL;
}

/* The first command (other than cmd) that takes the option, for the message. */
static const struct command *owner_of(const struct command *cmd, const char *name, size_t len)
{
    for (const struct command *c = lw_commands; c->name; c++)
        if (c != cmd && lookup(c->options, name, len, 0))
            return c;
    return NULL;
}

static void defaults(struct opts *o, const struct command *cmd)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->now = (int64_t)time(NULL);
    o->width = 1920, o->height = 1080;
    o->red_up = true;
    o->interval_s = 10;
    o->wall.session_idle_s = SESSION_IDLE_MS / 1000;
    o->wall.control_idle_s = SESSION_CONTROL_IDLE_MS / 1000;
    o->urge_limit_s = 600;
    /* a unit file passes the conninfo whole (its ExecStart= would split it) */
    const char *env_db = getenv("LOTUSWALL_DB");
    if (env_db && *env_db && lookup(cmd->options, "db", 2, 0))
        o->app.db = env_db;
    const char *env_name = getenv("LOTUSWALL_WALL_NAME");
    if (env_name && *env_name && lookup(cmd->options, "wall-name", 9, 0))
        o->wall_name = env_name;
}

/* One option at argv[*i]; false after printing the message. */
static bool parse_one(const struct command *cmd, int argc, char **argv, int *i, struct opts *o)
{
    const char *a = argv[*i];
    bool is_long = a[1] == '-';
    const char *name = a + (is_long ? 2 : 1);
    const char *eq = is_long ? strchr(name, '=') : NULL;
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    char sh = is_long ? 0 : name[0];
    if (!is_long && len != 1) {
        fprintf(stderr, "lotuswall %s: unknown option %s\n", cmd->name, a);
        return false;
    }
    const struct cli_option *opt = lookup(cmd->options, name, len, sh);
    if (!opt)
        opt = lookup(global_options, name, len, sh);
    if (!opt) {
        const struct command *other = is_long ? owner_of(cmd, name, len) : NULL;
        if (other)
            fprintf(stderr, "lotuswall %s: --%.*s is an option of `lotuswall %s`, not of `%s` "
                            "(lotuswall %s --help lists its options)\n",
                    cmd->name, (int)len, name, other->name, cmd->name, cmd->name);
        else
            fprintf(stderr, "lotuswall %s: unknown option %.*s%.*s (lotuswall %s --help lists "
                            "its options)\n",
                    cmd->name, is_long ? 2 : 1, "--", (int)len, name, cmd->name);
        return false;
    }
    if (opt == &opt_help) {
        cli_usage(stdout, cmd);
        exit(0);
    }
    const char *val = NULL;
    if (opt->arg) {
        if (eq)
            val = eq + 1;
        else if (*i + 1 < argc)
            val = argv[++*i];
        else {
            fprintf(stderr, "lotuswall %s: --%s expects %s\n", cmd->name, opt->name, opt->arg);
            return false;
        }
    } else if (eq) {
        fprintf(stderr, "lotuswall %s: --%s takes no value\n", cmd->name, opt->name);
        return false;
    }
    struct err err = {{0}};
    if (!opt->set(o, val, &err)) {
        fprintf(stderr, "lotuswall %s: --%s %s: %s\n", cmd->name, opt->name, val ? val : "",
                err.msg);
        return false;
    }
    return true;
}

int cli_parse(const struct command *cmd, int argc, char **argv, struct opts *o)
{
    defaults(o, cmd);
    int npos = 0;
    bool options_end = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_end && strcmp(a, "--") == 0) {
            options_end = true;
        } else if (!options_end && a[0] == '-' && a[1]) {
            if (!parse_one(cmd, argc, argv, &i, o))
                return -1;
        } else {
            argv[npos++] = argv[i];
        }
    }
    return npos;
}

const struct command *cli_find(const char *name)
{
    for (const struct command *c = lw_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

/* ---- usage ------------------------------------------------------------- */

/* "  -v, --verbose    debug logging", the help wrapped at 100 columns. */
static void usage_options(FILE *f, const struct cli_option *const *list)
{
    enum { COL = 30, WIDTH = 100 };
    for (size_t i = 0; list && list[i]; i++) {
        const struct cli_option *op = list[i];
        char head[64];
        if (op->short_name)
            snprintf(head, sizeof head, "-%c, --%s%s%s", op->short_name, op->name,
                     op->arg ? " " : "", op->arg ? op->arg : "");
        else
            snprintf(head, sizeof head, "    --%s%s%s", op->name, op->arg ? " " : "",
                     op->arg ? op->arg : "");
        fprintf(f, "  %-*s", COL - 2, head);
        const char *h = op->help;
        int col = utf8_display_width(head) + 2 > COL - 1 ? WIDTH : COL;
        while (*h) {
            const char *sp = strchr(h, ' ');
            size_t n = sp ? (size_t)(sp - h) : strlen(h);
            char word[128];
            snprintf(word, sizeof word, "%.*s", (int)n, h);
            int w = utf8_display_width(word);
            if (col > COL && col + 1 + w > WIDTH) {
                fprintf(f, "\n%*s", COL, "");
                col = COL;
            } else if (col > COL) {
                fputc(' ', f), col++;
            }
            fputs(word, f);
            col += w;
            h += n + (sp != NULL);
        }
        fputc('\n', f);
    }
}

void cli_usage(FILE *f, const struct command *cmd)
{
    if (cmd) {
        fprintf(f, "usage: lotuswall %s [OPTIONS]%s%s\n  %s\noptions:\n", cmd->name,
                cmd->synopsis[0] ? " " : "", cmd->synopsis, cmd->summary);
        usage_options(f, cmd->options);
        usage_options(f, global_options);
        if (cmd->notes)
            fputs(cmd->notes, f);
        return;
    }
    fputs("usage: lotuswall COMMAND [OPTIONS] [ARGS]\ncommands:\n", f);
    for (const struct command *c = lw_commands; c->name; c++)
        fprintf(f, "  %-11s %s\n", c->name, c->summary);
    fputs("`lotuswall COMMAND --help` lists the options of a command; `lotuswall --version`.\n"
          "SCENE is a path or a bare name: /etc/lotuswall/scenes/NAME.json, else the shipped\n"
          "HOME/scenes/NAME.json.\n",
          f);
}

/* ---- opening the app --------------------------------------------------- */

bool cli_open_app(struct opts *o, int64_t now)
{
    struct err err;
    double t0 = now_ms();
    if (!app_open(&o->app, now, &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        app_close(&o->app);
        return false;
    }
    LOG(DEBUG, "catalog and demo data loaded in %.1f ms", now_ms() - t0);
    return true;
}

bool cli_open_app_checks(struct opts *o)
{
    o->app.db = NULL; /* the checks are the same with and without a database */
    o->app.demo_lazy = true;
    static const char *const need[] = {"sms_templates", "sms_channels"};
    struct err err;
    if (!cli_open_app(o, o->now))
        return false;
    if (!demo_load(o->app.store, o->app.catalog, o->app.data_dir, o->now, need, ARRAY_LEN(need),
                   &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        app_close(&o->app);
        return false;
    }
    return true;
}

struct scene **cli_open_scenes(struct opts *o, int64_t now, char **names, size_t n)
{
    o->app.demo_lazy = true; /* only these scenes are drawn: read only what they show */
    if (!cli_open_app(o, now))
        return NULL;
    struct err err;
    struct scene **scenes = xcalloc(n, sizeof *scenes);
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++)
        ok = (scenes[i] = app_load_scene(&o->app, names[i], &err)) != NULL;
    ok = ok && app_demo_need(&o->app, scenes, n, &err);
    ok = ok && app_check_params(&o->app, scenes, n, &err);
    if (!ok) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        cli_close_scenes(o, scenes, n);
        return NULL;
    }
    return scenes;
}

void cli_close_scenes(struct opts *o, struct scene **scenes, size_t n)
{
    for (size_t i = 0; scenes && i < n; i++)
        scene_destroy(scenes[i]);
    free(scenes);
    app_close(&o->app);
}

/* ---- the commands and their options ------------------------------------ */

#define OPTIONS(...) ((const struct cli_option *const[]){__VA_ARGS__, NULL})

const struct command lw_commands[] = {
    {"run", "[SCENE...]",
     "show scenes full screen, in rotation (without a display: export them to out/)",
     OPTIONS(&opt_playlist, &opt_wall, &opt_part, &opt_windowed, &opt_display, &opt_rotate, &opt_dwell,
             &opt_status, &opt_http, &opt_http_cert, &opt_http_key, &opt_http_insecure,
             &opt_metrics, &opt_users, &opt_audit, &opt_session_idle, &opt_control_idle,
             &opt_hours, &opt_pixel_shift, &opt_operator, &opt_beat,
             &opt_demo_replay, &opt_fast_forward, &opt_publish, &opt_publish_db, &opt_out_run,
             &opt_size, &opt_threads, &opt_theme, &opt_green_up, &opt_param, &opt_now, &opt_data,
             &opt_db, &opt_db_notify, &opt_cache, &opt_wait, &opt_wall_name_run),
     cmd_run, NULL,
     "keys: →/n next, ←/p previous, space pause, . blank, 1-9 jump, Esc/Backspace back (up a\n"
     "      drill), Home the rotation's scene, r reload, s screenshot, q quit;\n"
     "      ↑/↓ select a warning, a acknowledge (the selection, else the alert), h handling,\n"
     "      u 一键催办 (urge its departments)\n"},
    {"export", "SCENE...",
     "write PNG, PDF (a page per scene), SVG, or JSON (the data exchange document)",
     OPTIONS(&opt_out_export, &opt_size, &opt_wall, &opt_threads, &opt_theme, &opt_watermark,
             &opt_green_up, &opt_param, &opt_now, &opt_data, &opt_db, &opt_cache, &opt_wait),
     cmd_export, NULL, NULL},
    {"hit", "SCENE X,Y...",
     "what a touch at each point (pixels of the picture) hits, and where its drill leads",
     OPTIONS(&opt_size, &opt_picker, &opt_breadcrumb, &opt_theme, &opt_param, &opt_now,
             &opt_data),
     cmd_hit, NULL, NULL},
    {"check", "FILE...", "validate scene, playlist, rules and wall files (by their kind)",
     OPTIONS(&opt_param, &opt_data), cmd_check, NULL, NULL},
    {"doc", "widgets|schema", "print the widget reference or the scene JSON Schema",
     OPTIONS(NULL), cmd_doc, NULL, NULL},
    {"db", "schema|init|migrate|load",
     "print the SQL schema; apply it; move a database to this version; load the demo data",
     OPTIONS(&opt_db, &opt_data), cmd_db, NULL, NULL},
    {"warnings", "", "the open warnings (the demo replays its rules; or --db)",
     OPTIONS(&opt_json, &opt_now, &opt_data, &opt_db, &opt_cache, &opt_wait), cmd_warnings,
     NULL, NULL},
    {"rules", "", "every warning rule with its state, value, reference and departments",
     OPTIONS(&opt_json, &opt_now, &opt_data, &opt_db, &opt_cache, &opt_wait), cmd_rules,
     NULL, NULL},
    {"fleet", "", "every wall of the fleet: alive or offline, what it shows, its data's age "
     "(the demo walls; or --db)",
     OPTIONS(&opt_json, &opt_data, &opt_db, &opt_wait), cmd_fleet, NULL, NULL},
    {"steer", "show SCENE | back | home | reload | restart",
     "steer a wall of the fleet through the database (needs --db and --to)",
     OPTIONS(&opt_to, &opt_param, &opt_db), cmd_steer, NULL,
     "as the console account linked to this database login (user add --db-login), presenter\n"
     "or above, and only a wall or region the account is limited to (docs/operations.md)\n"
     "e.g.   lotuswall steer --to yuzhou show gdp --param city=411081 --db \"\"\n"},
    {"ack", "WARNING_ID", "acknowledge a warning (确认)",
     OPTIONS(&opt_by, &opt_note, &opt_db, &opt_now, &opt_data), cmd_action, "ack", NULL},
    {"handle", "WARNING_ID", "mark a warning as being handled (处理中)",
     OPTIONS(&opt_by, &opt_note, &opt_db, &opt_now, &opt_data), cmd_action, "handle", NULL},
    {"resolve", "WARNING_ID", "mark a warning as resolved (已办结)",
     OPTIONS(&opt_by, &opt_note, &opt_db, &opt_now, &opt_data), cmd_action, "resolve", NULL},
    {"urge", "WARNING_ID", "urge a warning's departments now (一键催办)",
     OPTIONS(&opt_by, &opt_note, &opt_db, &opt_now, &opt_data), cmd_action, "urge", NULL},
    {"report", "SCENE... | list | publish ID | unpublish ID",
     "the 运行报告中心: PDF reports, once or on a schedule, and their index",
     OPTIONS(&opt_out_report, &opt_every, &opt_keep_days, &opt_name, &opt_link, &opt_each,
             &opt_theme, &opt_param, &opt_now, &opt_data, &opt_db, &opt_cache, &opt_wait),
     cmd_report, NULL, NULL},
    {"engine", "", "the warning engine and its 催办 outbox, headless (needs --db)",
     OPTIONS(&opt_db, &opt_rules, &opt_interval, &opt_urge_limit), cmd_engine, NULL, NULL},
    {"screenshot", "", "what a running wall shows, as PNG",
     OPTIONS(&opt_status_shot, &opt_out_shot), cmd_screenshot, NULL, NULL},
    {"user", "add|passwd|disable|enable NAME | limit NAME [WALL|REGION_CODE...] | list",
     "the console's accounts: in the database (--db) or a users file (--users FILE)",
     OPTIONS(&opt_role, &opt_password_stdin, &opt_duty, &opt_db_login, &opt_json, &opt_users,
             &opt_db),
     cmd_user, NULL,
     "roles: viewer (looks), presenter (steers the wall), operator (acts on warnings),\n"
     "       admin (all of it); each may do what the ones before it may.\n"
     "e.g.   printf '%s\\n' \"$PW\" | lotuswall user add 张伟 --role operator --operator 张伟 \\\n"
     "           --password-stdin --users /etc/lotuswall/users.json\n"
     "limit: the walls (by name) and regions (six-digit codes) an account may steer through\n"
     "       `steer`, replacing its limits; none = every wall. --db only.\n"
     "e.g.   lotuswall user limit 李干事 yuzhou 411082 --db \"$CONNINFO\"\n"},
    {"audit", "", "the audit: logins, control and warning actions (--db, or the audit file)",
     OPTIONS(&opt_since, &opt_json, &opt_audit, &opt_db), cmd_audit, NULL, NULL},
    {"deliver", "", "the delivery worker: sends the 催办 outbox to each department's contacts "
     "(needs --db)",
     OPTIONS(&opt_db, &opt_deliver_config, &opt_once, &opt_http_deliver, &opt_http_cert,
             &opt_http_key, &opt_http_insecure),
     cmd_deliver, NULL, NULL},
    {"config", "push FILE... | list | pull NAME[@VERSION] | history NAME | assign WALL PLAYLIST | "
     "unassign WALL",
     "the fleet's scenes, playlists, rules, wall files and assignments (needs --db)",
     OPTIONS(&opt_param_assign, &opt_out_pull, &opt_json, &opt_db), cmd_config, NULL,
     "push validates as `check` does and stores each changed file as its next version, all or\n"
     "nothing; NAME may say its kind (playlist/county) and pull a version (gdp@3). Walls run\n"
     "with --db --wall-name WALL show their assignment and follow it (docs/operations.md).\n"},
    {"bench", "", "what exports and tween frames cost on this machine (a Markdown table)",
     OPTIONS(&opt_quick, &opt_threads), cmd_bench, NULL, NULL},
    {"setup", "wall|engine", "finish a wall PC or an engine host: its settings, its units enabled",
     OPTIONS(&opt_x11, &opt_wayland, &opt_db, &opt_playlist, &opt_wall_name), cmd_setup, NULL,
     "settings in /etc/lotuswall (lotuswall.env, engine.env); a wall's --db \"\": the demo data;\n"
     "a second run changes nothing\n"},
    {0},
};
