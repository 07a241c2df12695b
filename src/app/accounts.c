/* `lotuswall user add|passwd|disable|enable|list` and `lotuswall audit`: the
 * console's accounts and the audit trail (src/auth/auth.h), with --db or
 * with --users FILE / --audit FILE. Hashes are never printed. */
#include "app/actions.h"
#include "app/cli.h"
#include "auth/auth.h"
#include "data/pg.h"
#include "util/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One line of standard input, without its line end, into buf[len]. */
static bool read_password(char *buf, size_t len, struct err *err)
{
    if (!fgets(buf, (int)len, stdin))
        return err_set(err, "--password-stdin: standard input is empty");
    size_t n = strcspn(buf, "\r\n");
    if (buf[n] == '\0' && n == len - 1 && !feof(stdin))
        return err_set(err, "--password-stdin: a password has at most 1024 bytes");
    buf[n] = '\0';
    return true;
}

/* --operator NAME is an operator duty of the operators table: the
 * database's with --db, else the demo's. */
static bool duty_known(struct opts *o, const char *db, struct err *err)
{
    o->app.db = NULL; /* the catalog and the demo's operators */
    if (!cli_open_app(o, o->now))
        return err_set(err, "--operator %s: the operators table could not be read", o->duty);
    PGconn *conn = db ? pg_connect(db, "lotuswall-admin", err) : NULL;
    bool ok = (!db || conn) && action_known_operator(&o->app, conn, o->duty, err);
    if (!ok)
        err_prefix(err, "--operator");
    PQfinish(conn);
    app_close(&o->app);
    return ok;
}

/* "yuzhou, 411082" as ["yuzhou", "411082"]: the walls and regions an
 * account may steer ([] = every wall). */
static json_t *limits_json(const char *limits)
{
    json_t *a = json_array();
    for (const char *s = limits; *s;) {
        size_t n = strcspn(s, ",");
        json_array_append_new(a, json_stringn(s, n));
        s += n;
        s += strspn(s, ", ");
    }
    return a;
}

static void print_list(const struct auth_listing *l, size_t n, bool json)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct auth_account *a = &l[i].acc;
        if (json) {
            json_array_append_new(rows, json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:s}", "name",
                                                  a->name, "role", auth_role_name(a->role),
                                                  "disabled", a->disabled, "operator",
                                                  a->operator_name, "db_login", l[i].db_login,
                                                  "created", l[i].created, "changed",
                                                  l[i].changed));
            json_object_set_new(json_array_get(rows, json_array_size(rows) - 1), "limited_to",
                                limits_json(l[i].limits));
            continue;
        }
        int pad = 16 - utf8_display_width(a->name);
        bool more = a->operator_name[0] || l[i].db_login[0];
        printf("%s%*s  %-9s  %-*s", a->name, pad > 0 ? pad : 0, "", auth_role_name(a->role),
               more ? 8 : 0, a->disabled ? "disabled" : "enabled");
        if (a->operator_name[0])
            printf("  operator %s", a->operator_name);
        if (l[i].db_login[0])
            printf("  db-login %s", l[i].db_login);
        if (l[i].limits[0])
            printf("  steers only %s", l[i].limits);
        putchar('\n');
    }
    if (json) {
        json_dumpf(rows, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        putchar('\n');
    }
    json_decref(rows);
}

/* What `user VERB` does once the store is open; its message on success. */
static bool user_verb(struct opts *o, struct auth *a, int argc, char **argv,
                      const char *password, char *done, size_t len, struct err *err)
{
    const char *verb = argv[0], *name = argc > 1 ? argv[1] : NULL;
    if (strcmp(verb, "limit") == 0) {
        if (!auth_limit(a, name, argv + 2, (size_t)argc - 2, err))
            return false;
        int w = snprintf(done, len, "%s: %s", name, argc > 2 ? "steers only" : "steers every wall");
        for (int i = 2; i < argc && w > 0 && (size_t)w < len; i++)
            w += snprintf(done + w, len - (size_t)w, "%s%s", i > 2 ? ", " : " ", argv[i]);
        return true;
    }
    if (strcmp(verb, "list") == 0) {
        struct auth_listing *l = NULL;
        size_t n = 0;
        if (!auth_list(a, &l, &n, err))
            return false;
        print_list(l, n, o->json);
        free(l);
        return true;
    }
    enum auth_role role = AUTH_VIEWER;
    bool ok;
    if (strcmp(verb, "add") == 0)
        ok = auth_role_parse(o->role, &role) &&
             auth_add(a, name, role, password, o->duty, o->db_login, err);
    else if (strcmp(verb, "passwd") == 0)
        ok = auth_passwd(a, name, password, err);
    else
        ok = auth_set_disabled(a, name, strcmp(verb, "disable") == 0, err);
    if (ok && !strcmp(verb, "add"))
        snprintf(done, len, "%s: added as %s", name, auth_role_name(role));
    else if (ok)
        snprintf(done, len, "%s: %s", name, !strcmp(verb, "passwd")    ? "password changed"
                                             : !strcmp(verb, "disable") ? "disabled"
                                                                        : "enabled");
    return ok;
}

/* The usage error of `user`, or NULL when the arguments fit the verb. */
static const char *user_misuse(struct opts *o, int argc, char **argv)
{
    const char *verb = argc > 0 ? argv[0] : "";
    bool list = !strcmp(verb, "list"), add = !strcmp(verb, "add"),
         passwd = !strcmp(verb, "passwd");
    if (!strcmp(verb, "limit"))
        return argc < 2 ? "limit: expected NAME [WALL|REGION_CODE...]"
               : !o->app.db || o->users_path ? "limit: expected --db CONNINFO (limits are kept in the database)"
               : o->role || o->duty || o->db_login || o->password_stdin ? "limit takes no other option"
               : NULL;
    if (!list && !add && !passwd && strcmp(verb, "disable") && strcmp(verb, "enable"))
        return "expected add, passwd, disable, enable, limit or list";
    if (argc != (list ? 1 : 2))
        return list ? "list takes no NAME" : "expected one NAME";
    if (add && !o->role)
        return "add: expected --role viewer|presenter|operator|admin";
    if ((add || passwd) && !o->password_stdin)
        return "expected --password-stdin (the password on standard input, one line)";
    if (!add && (o->role || o->duty || o->db_login))
        return "--role, --operator and --db-login go with add";
    if (!(add || passwd) && o->password_stdin)
        return "--password-stdin goes with add and passwd";
    if (!o->users_path && !o->app.db)
        return "expected --users FILE or --db CONNINFO";
    return NULL;
}

int cmd_user(struct opts *o, int argc, char **argv)
{
    const char *why = user_misuse(o, argc, argv);
    if (why) {
        fprintf(stderr, "lotuswall user: %s\n", why);
        return 2;
    }
    const char *verb = argv[0], *name = argc > 1 ? argv[1] : NULL;
    const char *db = o->users_path ? NULL : o->app.db; /* --users wins over $LOTUSWALL_DB */
    struct err err = {{0}};
    char password[1026] = "", done[256] = "";
    bool ok = !o->password_stdin || read_password(password, sizeof password, &err);
    ok = ok && (!o->password_stdin || auth_password_ok(password, &err));
    ok = ok && (!name || auth_name_ok(name, &err));
    ok = ok && (!o->duty || duty_known(o, db, &err));
    if (ok && !strcmp(verb, "add") && o->users_path)
        ok = auth_users_create(o->users_path, &err);
    struct auth *a = ok ? auth_open(o->users_path, db, &err) : NULL;
    ok = a && user_verb(o, a, argc, argv, password, done, sizeof done, &err);
    memset(password, 0, sizeof password);
    auth_close(a);
    if (!ok) {
        fprintf(stderr, "lotuswall user %s: %s\n", verb, err.msg);
        return 1;
    }
    if (done[0])
        printf("%s\n", done);
    return 0;
}

int cmd_audit(struct opts *o, int argc, char **argv)
{
    if (argc > 0) {
        fprintf(stderr, "lotuswall audit: unexpected argument \"%s\"\n", argv[0]);
        return 2;
    }
    const char *db = o->audit_path ? NULL : o->app.db;
    struct audit_record *r = NULL;
    size_t n = 0;
    struct err err;
    if (!audit_read(o->audit_path, db, o->since, &r, &n, &err)) {
        fprintf(stderr, "lotuswall audit: %s\n", err.msg);
        return 1;
    }
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        if (o->json) {
            json_array_append_new(rows, json_pack("{s:s, s:s?, s:s?, s:s, s:s?, s:s, s:s?}", "at",
                                                  r[i].at, "who", r[i].who, "addr", r[i].addr,
                                                  "what", r[i].what, "target", r[i].target,
                                                  "result", r[i].result, "db_login",
                                                  r[i].db_login));
            continue;
        }
        printf("%s  %s  %s  %s%s%s  %s\n", r[i].at, r[i].who ? r[i].who : "-",
               r[i].addr ? r[i].addr : "-", r[i].what, r[i].target ? " " : "",
               r[i].target ? r[i].target : "", r[i].result);
    }
    if (o->json) {
        json_dumpf(rows, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        putchar('\n');
    }
    json_decref(rows);
    audit_records_free(r, n);
    return 0;
}
