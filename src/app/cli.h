/* The command line: every command is a row of a table with its own option
 * table (in the manner of mpv's option tables and sway's command handlers).
 * An option belongs to the commands that list it, and nowhere else: the
 * parser refuses any other with a message, and the usage text is generated
 * from the same tables, so it cannot drift from what is accepted. */
#ifndef LW_CLI_H
#define LW_CLI_H
#include "app/app.h"
#include "util/err.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Everything the options of every command can set. One struct, so an
 * option's setter has one place to write; which command may set which
 * field is decided by the option tables alone. */
struct opts {
    const struct command *cmd;
    struct app app;
    int64_t now;             /* --now, else the time at start */
    bool now_given;
    int width, height;       /* export/run --size */
    bool size_given;
    int threads;             /* --threads, or 0: pool_default_size() */
    bool quick;              /* bench --quick */
    const char *theme, *out, *watermark;
    const char *picker;      /* hit --picker: city or period */
    const char *breadcrumb;  /* hit --breadcrumb: A,B,... */
    bool red_up;             /* false with --green-up */
    bool json;               /* warnings, rules --json */
    const char *publish_dir; /* run --publish DIR */
    bool publish_db;         /* run --publish-db */
    const char *wall_path;   /* run/export --wall FILE */
    const char *part;        /* run --part: this PC's outputs of the wall file */
    const char *by, *note;   /* ack/handle/resolve/urge */
    const char *rules_path;  /* engine --rules */
    int interval_s;          /* engine --interval */
    int urge_limit_s;        /* engine --urge-limit: a manual urge per warning and department */
    const char *users_path;  /* --users FILE: the accounts without a database */
    const char *audit_path;  /* --audit FILE: the audit without a database */
    const char *role;        /* user add --role */
    bool password_stdin;     /* user add|passwd --password-stdin */
    const char *duty;        /* user add --operator: the linked operator duty */
    const char *db_login;    /* user add --db-login */
    int64_t since;           /* audit --since */
    const char *setup_display; /* setup wall --x11|--wayland */
    const char *wall_name;   /* setup wall, run --wall-name */
    const char *deliver_config; /* deliver --config FILE */
    const char *steer_to;    /* steer --to WALL */
    bool once;               /* deliver --once */
    struct report_opts report;
    struct wall_opts wall;   /* run on a display */
};

struct cli_option {
    const char *name;        /* --name */
    char short_name;         /* -v, or 0 */
    const char *arg;         /* the value's name in the usage ("FILE"); NULL: a flag */
    const char *help;
    /* Stores val (NULL for a flag); false + *err ("expected …") when it is bad. */
    bool (*set)(struct opts *o, const char *val, struct err *err);
};

struct command {
    const char *name;
    const char *synopsis;    /* what follows the options in the usage: "SCENE..." */
    const char *summary;     /* one line for `lotuswall --help` */
    const struct cli_option *const *options; /* NULL-terminated; the global ones are added */
    /* Runs with the options parsed into *o and the positional arguments. */
    int (*run)(struct opts *o, int argc, char **argv);
    const char *verb;        /* for commands that share a run function (ack, urge, …) */
    const char *notes;       /* printed after the options, or NULL */
};

/* The commands, NULL-name-terminated (src/app/cli.c). */
extern const struct command lw_commands[];

/* The commands' bodies: argv holds the positional arguments only. */
int cmd_run(struct opts *o, int argc, char **argv);
int cmd_export(struct opts *o, int argc, char **argv);
int cmd_hit(struct opts *o, int argc, char **argv);
int cmd_check(struct opts *o, int argc, char **argv);
int cmd_doc(struct opts *o, int argc, char **argv);        /* src/app/doc.c */
int cmd_db(struct opts *o, int argc, char **argv);
int cmd_warnings(struct opts *o, int argc, char **argv);
int cmd_fleet(struct opts *o, int argc, char **argv);
int cmd_steer(struct opts *o, int argc, char **argv);
int cmd_rules(struct opts *o, int argc, char **argv);
int cmd_action(struct opts *o, int argc, char **argv);     /* ack, handle, resolve, urge */
int cmd_report(struct opts *o, int argc, char **argv);
int cmd_engine(struct opts *o, int argc, char **argv);     /* src/app/engine.c */
int cmd_screenshot(struct opts *o, int argc, char **argv); /* src/app/screenshot.c */
int cmd_user(struct opts *o, int argc, char **argv);       /* src/app/accounts.c */
int cmd_audit(struct opts *o, int argc, char **argv);      /* src/app/accounts.c */
int cmd_bench(struct opts *o, int argc, char **argv);      /* src/app/bench.c */
int cmd_setup(struct opts *o, int argc, char **argv);      /* src/app/setup.c */
int cmd_deliver(struct opts *o, int argc, char **argv);    /* src/app/deliver.c */
int cmd_config(struct opts *o, int argc, char **argv);     /* src/app/config.c */

/* `check` of one file (src/app/main.c), for `config push` too: validated by
 * its kind, "FILE: ok (…)" on stdout or the located message on stderr. The
 * scenes a playlist or a drill names resolve through app->scene_dirs. */
bool cli_check_file(struct app *app, const char *arg);
/* The kind a file declares ("scene" for bare scene names), or NULL + *err. */
char *cli_file_kind(const char *arg, struct err *err);

/* Parses argv (argv[0] is the command's name) into *o, defaults first, and
 * moves the positional arguments to the front of argv: returns their count,
 * or -1 after printing the message (exit status 2). `--` ends the options. */
int cli_parse(const struct command *cmd, int argc, char **argv, struct opts *o);
/* The usage of one command, or of all of them (cmd NULL), generated from
 * the tables. */
void cli_usage(FILE *f, const struct command *cmd);
const struct command *cli_find(const char *name);

/* The strict parsers behind the options, for tests: a whole string or
 * nothing, with the range checked before anything can overflow. */
bool cli_parse_size(const char *s, int min, int max, int *w, int *h);
bool cli_parse_long(const char *s, long min, long max, long *out);
/* "30s", "15m", "1h", "7d" → seconds, at most max_s. */
bool cli_parse_duration(const char *s, long max_s, long *out);
bool cli_parse_time(const char *s, int64_t *out);

/* Opens o->app at `now`: false after printing why (and closing it). */
bool cli_open_app(struct opts *o, int64_t now);
/* What `check` and `config push` validate against: the catalog, the demo's
 * regions and the urge templates, never a database. False: said on stderr. */
bool cli_open_app_checks(struct opts *o);
/* Opens the app and loads the named scenes, checking that every --param is
 * a parameter some of them declare; NULL after printing why. Free with
 * cli_close_scenes(), which closes the app too. */
struct scene **cli_open_scenes(struct opts *o, int64_t now, char **names, size_t n);
void cli_close_scenes(struct opts *o, struct scene **scenes, size_t n);

#endif
