/* lotuswall setup wall|engine: finishes a wall PC or an engine host in one
 * command — its settings file in /etc/lotuswall, the right units enabled
 * (and started, where systemd runs) — after the package installed them
 * disabled. Everything it does is a comparison first: a second run with the
 * same options finds every file and unit as wanted, changes nothing and says
 * so. systemctl is found on PATH (a test may put its own there). */
#include "app/cli.h"
#include "util/file.h"
#include "util/paths.h"
#include "util/util.h"
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

extern char **environ;

/* One line of a settings file: KEY=VALUE (value NULL: leave the line alone). */
struct setting {
    const char *key, *value;
};

/* KEY=VALUE, or KEY="VALUE" where it has spaces or quotes, for systemd's
 * EnvironmentFile= (and sh): inside double quotes a backslash escapes
 * " \ ` $, nothing else is special. */
static char *env_line(const struct setting *s)
{
    if (!s->value[strcspn(s->value, " \t\"'\\`$#;")])
        return xasprintf("%s=%s", s->key, s->value);
    size_t n = strlen(s->value);
    char *q = xmalloc(2 * n + 3), *p = q;
    *p++ = '"';
    for (const char *v = s->value; *v; v++) {
        if (strchr("\"\\`$", *v))
            *p++ = '\\';
        *p++ = *v;
    }
    *p++ = '"', *p = '\0';
    char *line = xasprintf("%s=%s", s->key, q);
    free(q);
    return line;
}

/* The first line of text that sets key (KEY=…), its length in *len; NULL if none. */
static char *find_key(char *text, const char *key, size_t *len)
{
    size_t k = strlen(key);
    for (char *l = text; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] == '\n'))
        if (!strncmp(l, key, k) && l[k] == '=')
            return *len = strcspn(l, "\n"), l;
    return NULL;
}

/* text with each setting's first KEY= line replaced (or a line appended);
 * *changed lists the keys whose line differs. Caller frees both. */
static char *env_apply(const char *text, const struct setting *set, size_t n, char **changed)
{
    char *out = xstrdup(text);
    *changed = xstrdup("");
    for (size_t i = 0; i < n; i++) {
        if (!set[i].value)
            continue;
        char *line = env_line(&set[i]);
        size_t len = 0;
        char *at = find_key(out, set[i].key, &len);
        if (at && len == strlen(line) && !strncmp(at, line, len)) {
            free(line);
            continue;
        }
        bool newline = !*out || out[strlen(out) - 1] == '\n';
        char *next = at ? xasprintf("%.*s%s%s", (int)(at - out), out, line, at + len)
                        : xasprintf("%s%s%s\n", out, newline ? "" : "\n", line);
        char *keys = xasprintf("%s%s%s", *changed, **changed ? ", " : "", set[i].key);
        free(out), free(*changed), free(line);
        out = next, *changed = keys;
    }
    return out;
}

/* The file etc/NAME with the settings applied: made from the shipped
 * HOME/kiosk/NAME where missing (mode `mode`), rewritten only when
 * something differs, keeping its mode and owner. 1 changed, 0 as it was,
 * -1 failed (printed). */
static int setup_file(const char *name, const struct setting *set, size_t n, mode_t mode)
{
    struct err err = {{0}};
    char *path = xasprintf("%s/%s", paths_etc(), name), *from = path, *keys = NULL;
    struct stat st = {.st_mode = mode, .st_uid = getuid(), .st_gid = getgid()};
    bool exists = stat(path, &st) == 0;
    if (!exists)
        from = xasprintf("%s/kiosk/%s", paths_home(), name);
    char *old = file_read(from, FILE_MAX_CONFIG, NULL, &err);
    char *text = old ? env_apply(old, set, n, &keys) : NULL;
    int rc = text && exists && !strcmp(old, text) ? 0 : 1;
    if (!text) {
        rc = -1;
    } else if (rc && (mkdir(paths_etc(), 0755) != 0 && errno != EEXIST)) {
        rc = -1, err_set(&err, "%s: %s", paths_etc(), strerror(errno));
    } else if (rc && !(file_write(path, text, strlen(text), FILE_SYNC | FILE_PRIVATE, &err) &&
                       chmod(path, st.st_mode & 07777) == 0 &&
                       (chown(path, st.st_uid, st.st_gid) == 0 || getuid() != 0))) {
        rc = -1, err_set(&err, "%s: %s", path, *err.msg ? err.msg : strerror(errno));
    }
    if (rc < 0)
        fprintf(stderr, "lotuswall setup: %s\n", err.msg);
    else if (rc && exists)
        printf("%s: set %s\n", path, keys);
    else if (rc)
        printf("%s: made from %s%s%s\n", path, from, *keys ? ", set " : "", keys);
    if (from != path)
        free(from);
    free(path), free(old), free(text), free(keys);
    return rc;
}

/* systemctl ARGS...: its exit status, or -1 when it could not be run. */
static int systemctl(const char *const *args)
{
    const char *argv[12] = {"systemctl"};
    size_t n = 1;
    for (; args[n - 1] && n < ARRAY_LEN(argv) - 1; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid;
    int status;
    if (posix_spawnp(&pid, "systemctl", NULL, NULL, (char *const *)argv, environ) != 0)
        return -1;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool unit_is(const char *state, const char *unit)
{
    return systemctl((const char *[]){"--quiet", state, unit, NULL}) == 0;
}

/* Enables `on` and disables `off` where they are not so already; where
 * systemd runs, stops what was disabled and starts `on` (or, when the
 * settings changed, restarts the last of them, the program). Counts the changes; false if
 * systemctl failed. */
static bool setup_units(const char *const *on, const char *const *off, bool settings_changed,
                        int *changes)
{
    bool ok = true, booted = sd_booted() > 0;
    for (size_t i = 0; ok && off && off[i]; i++) {
        if (!unit_is("is-enabled", off[i]) && !(booted && unit_is("is-active", off[i])))
            continue;
        ok = systemctl((const char *[]){"disable", booted ? "--now" : "--no-reload", off[i], NULL}) == 0;
        printf("disabled %s\n", off[i]);
        ++*changes;
    }
    for (size_t i = 0; ok && on[i]; i++) {
        if (unit_is("is-enabled", on[i]))
            continue;
        ok = systemctl((const char *[]){"enable", booted ? "--quiet" : "--no-reload", on[i], NULL}) == 0;
        printf("enabled %s\n", on[i]);
        ++*changes;
    }
    size_t last = 0;
    while (on[last + 1])
        last++;
    bool active = ok && booted && unit_is("is-active", on[last]);
    if (ok && booted && (settings_changed || !active)) {
        /* a new setting restarts the wall alone, never its X server */
        ok = systemctl(active ? (const char *[]){"restart", on[last], NULL}
                              : (const char *[]){"start", on[0], on[last], NULL}) == 0;
        printf("%s %s\n", active ? "restarted" : "started", on[last]);
        ++*changes;
    } else if (ok && !booted && *changes) {
        printf("systemd does not run here: %s starts at the next boot\n", on[last]);
    }
    if (!ok)
        fprintf(stderr, "lotuswall setup: systemctl failed (above)\n");
    return ok;
}

/* Whether a program of that name is on PATH. */
static bool installed(const char *program)
{
    const char *path = getenv("PATH");
    bool found = false;
    for (const char *d = path ? path : "/usr/bin"; *d && !found; d += strcspn(d, ":") + (d[strcspn(d, ":")] == ':')) {
        char *p = xasprintf("%.*s/%s", (int)strcspn(d, ":"), d, program);
        found = access(p, X_OK) == 0;
        free(p);
    }
    return found;
}

static const char *const x11_units[] = {"lotuswall-xinit.service", "lotuswall.service", NULL};
static const char *const cage_units[] = {"lotuswall-cage.service", NULL};
static const char *const engine_units[] = {"lotuswall-engine.service", NULL};

/* wall: X11 (xinit) or Wayland (cage): as asked, else as enabled, else X11. */
static int setup_wall(struct opts *o)
{
    bool wayland = o->setup_display ? !strcmp(o->setup_display, "wayland")
                                    : unit_is("is-enabled", cage_units[0]);
    const char *program = wayland ? "cage" : "xinit";
    if (!installed(program)) {
        fprintf(stderr, "lotuswall setup wall: %s is not installed: apt-get install %s\n", program,
                wayland ? "cage" : "xinit xserver-xorg-core x11-xserver-utils");
        return 1;
    }
    if (o->wall.playlist) { /* a name or a file that resolves to a playlist */
        struct err err;
        bool ok = cli_open_app(o, o->now) && app_find_playlist(&o->app, o->wall.playlist, &err);
        if (o->app.catalog && !ok)
            fprintf(stderr, "lotuswall setup wall: --playlist %s\n", err.msg);
        app_close(&o->app);
        if (!ok)
            return 1;
    }
    const struct setting set[] = {{"LOTUSWALL_DB", o->app.db},
                                  {"LOTUSWALL_PLAYLIST", o->wall.playlist},
                                  {"LOTUSWALL_WALL_NAME", o->wall_name}};
    int changes = 0, rc = setup_file("lotuswall.env", set, ARRAY_LEN(set), 0600);
    int rc2 = wayland ? 0 : setup_file("xinitrc", NULL, 0, 0755);
    if (rc < 0 || rc2 < 0)
        return 1;
    changes = rc + rc2;
    if (!setup_units(wayland ? cage_units : x11_units, wayland ? x11_units : cage_units, rc > 0,
                     &changes))
        return 1;
    if (!changes)
        printf("lotuswall setup wall: nothing to change (%s, %s/lotuswall.env as they were)\n",
               wayland ? "Wayland (cage)" : "X11", paths_etc());
    return 0;
}

static int setup_engine(struct opts *o)
{
    if (!o->app.db || !*o->app.db) {
        fprintf(stderr, "lotuswall setup engine: expected --db CONNINFO (a role in lotuswall_engine)\n");
        return 2;
    }
    const struct setting set[] = {{"LOTUSWALL_DB", o->app.db}};
    int changes = setup_file("engine.env", set, 1, 0600);
    if (changes < 0 || !setup_units(engine_units, NULL, changes > 0, &changes))
        return 1;
    if (!changes)
        printf("lotuswall setup engine: nothing to change (%s/engine.env as it was)\n", paths_etc());
    return 0;
}

int cmd_setup(struct opts *o, int argc, char **argv)
{
    /* one line each in the settings file: no line breaks, no control characters */
    const char *values[] = {o->app.db, o->wall.playlist, o->wall_name};
    for (size_t i = 0; i < ARRAY_LEN(values); i++)
        for (const char *c = values[i]; c && *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f) {
                fprintf(stderr, "lotuswall setup: \"%s\": a control character in a setting\n",
                        values[i]);
                return 2;
            }
    bool wall = argc == 1 && !strcmp(argv[0], "wall");
    if (argc == 1 && !strcmp(argv[0], "engine") && !o->setup_display && !o->wall.playlist &&
        !o->wall_name)
        return setup_engine(o);
    if (!wall) {
        fprintf(stderr, "usage: lotuswall setup wall [--x11|--wayland] [--db CONNINFO] "
                        "[--playlist NAME] [--wall-name NAME]\n"
                        "       lotuswall setup engine --db CONNINFO\n");
        return 2;
    }
    return setup_wall(o);
}
