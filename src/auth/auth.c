/* Accounts: the roles, the checks of names and passwords, argon2id, and the
 * users file. The database's accounts are in authdb.c. */
#include "auth/auth.h"
#include "auth/authdb.h"
#include "util/file.h"
#include "util/json.h"
#include "util/util.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct auth {
    char *path;        /* the users file, or NULL with --db */
    struct authdb *db; /* with --db */
};

/* An unknown name is checked against this hash (of a random password
 * nobody kept), so that it takes as long as a known one; with the limits of
 * hash_password(). Knowing its password would open nothing: no account has
 * it. */
static const char dummy_hash[crypto_pwhash_STRBYTES] = "$argon2id$v=19$m=65536,t=2,p=1$YavVDW8cn+KV2zG95tuq3g$"
                                 "Y0q4Q1TwAeQJ4r9js+1Smdyays3OKmU1IJ5Z+2Fr7TQ";

static const char *const role_names[] = {"viewer", "presenter", "operator", "admin"};

const char *auth_role_name(enum auth_role r)
{
    return (unsigned)r < ARRAY_LEN(role_names) ? role_names[r] : "?";
}

bool auth_role_parse(const char *s, enum auth_role *r)
{
    for (size_t i = 0; s && i < ARRAY_LEN(role_names); i++)
        if (strcmp(s, role_names[i]) == 0)
            return (*r = (enum auth_role)i), true;
    return false;
}

bool auth_name_ok(const char *name, struct err *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 1 || n > 63)
        return err_set(err, "an account's name is 1 to 63 bytes");
    if (!utf8_valid(name, n))
        return err_set(err, "an account's name must be UTF-8");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] <= ' ' || name[i] == 0x7f)
            return err_set(err, "an account's name has no spaces or control characters");
    return true;
}

bool auth_password_ok(const char *password, struct err *err)
{
    size_t n = password ? strlen(password) : 0;
    if (n < 8)
        return err_set(err, "a password has at least 8 characters");
    if (n > 1024)
        return err_set(err, "a password has at most 1024 bytes");
    return true;
}

/* argon2id with libsodium's interactive limits (about 0.1 s and 64 MiB). */
static bool hash_password(char out[crypto_pwhash_STRBYTES], const char *password, struct err *err)
{
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return err_set(err, "hashing the password: out of memory");
    return true;
}

/* "2026-11-28T13:40:00Z" */
static void iso_now(char *out, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- the users file ---------------------------------------------------------- */

/* {"kind": "users", "version": 1, "accounts": [{"name", "role", "hash",
 * "disabled", "operator", "created", "changed"}, …]}. Read whole at every
 * call (a few hundred bytes an account), so that a `user disable` reaches a
 * running wall at its next request. */
static json_t *users_load(const char *path, struct err *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return err_set(err, "%s: %s%s", path, strerror(errno),
                       errno == ENOENT ? " (`lotuswall user add … --users FILE` makes it)" : ""),
               NULL;
    if (st.st_mode & 077)
        return err_set(err, "%s: mode %04o: anyone but its owner may read the accounts' "
                            "hashes (chmod 600 %s)",
                       path, (unsigned)(st.st_mode & 0777), path),
               NULL;
    json_t *root = json_load_checked(path, "users", err);
    if (!root)
        return NULL;
    if (!json_is_array(json_object_get(root, "accounts"))) {
        json_decref(root);
        return json_fail(err, path, "accounts", "expected an array"), NULL;
    }
    return root;
}

static bool users_save(const char *path, json_t *root, struct err *err)
{
    return json_write_file(root, path, JSON_INDENT(1) | JSON_PRESERVE_ORDER,
                           FILE_PRIVATE | FILE_SYNC, err);
}

/* Made whole or not at all: the content goes to a new file beside it, which
 * link() then names `path` unless it exists. Another `user add` racing this
 * one either finds no file yet or a complete one, never an empty one. */
bool auth_users_create(const char *path, struct err *err)
{
    const char *slash = strrchr(path, '/');
    char *tmp = slash ? xasprintf("%.*s.%s.XXXXXX", (int)(slash - path + 1), path, slash + 1)
                      : xasprintf(".%s.XXXXXX", path);
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0) {
        err_set(err, "%s: %s", path, strerror(errno));
        free(tmp);
        return false;
    }
    static const char empty[] = "{\"kind\": \"users\", \"version\": 1, \"accounts\": []}\n";
    bool ok = write(fd, empty, sizeof empty - 1) == (ssize_t)(sizeof empty - 1) && fsync(fd) == 0;
    ok = (close(fd) == 0) && ok;
    ok = ok && (link(tmp, path) == 0 || errno == EEXIST);
    int saved = errno;
    unlink(tmp);
    free(tmp);
    return ok || err_set(err, "%s: %s", path, strerror(saved));
}

static json_t *users_find(json_t *root, const char *name, size_t *index)
{
    json_t *list = json_object_get(root, "accounts"), *acc;
    size_t i;
    json_array_foreach(list, i, acc)
    {
        const char *n = json_string_value(json_object_get(acc, "name"));
        if (n && strcmp(n, name) == 0) {
            if (index)
                *index = i;
            return acc;
        }
    }
    return NULL;
}

static const char *str_of(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

/* One entry as an account; false + *err when it is malformed. */
static bool users_account(const char *path, json_t *acc, size_t i, struct auth_account *out,
                          struct err *err)
{
    struct jpath at, jp;
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", str_of(acc, "name"));
    snprintf(out->operator_name, sizeof out->operator_name, "%s", str_of(acc, "operator"));
    out->disabled = json_is_true(json_object_get(acc, "disabled"));
    if (!auth_role_parse(str_of(acc, "role"), &out->role))
        return json_fail(err, path, jpath_key(&jp, jpath_idx(&at, "accounts", i), "role"),
                         "expected viewer, presenter, operator or admin");
    return true;
}

/* The account `name` and its hash from the users file: 1 found, 0 not, -1
 * an error. */
static int users_fetch(const char *path, const char *name, struct auth_account *out, char *hash,
                       size_t hash_len, struct err *err)
{
    json_t *root = users_load(path, err);
    if (!root)
        return -1;
    size_t i;
    json_t *acc = users_find(root, name, &i);
    int rc = acc ? 1 : 0;
    if (acc && !users_account(path, acc, i, out, err))
        rc = -1;
    if (acc && hash)
        snprintf(hash, hash_len, "%s", str_of(acc, "hash"));
    json_decref(root);
    return rc;
}

/* Loads, lets `change` edit the entry of `name` (NULL when there is none),
 * and saves; with the file's folder locked (flock), so that two `lotuswall
 * user` at once do not lose one's change. The file itself cannot carry the
 * lock: it is replaced by rename(). */
static bool users_edit(const char *path, const char *name,
                       bool (*change)(json_t *root, json_t *acc, void *arg, struct err *err),
                       void *arg, struct err *err)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, (size_t)(slash - path) + (slash == path)) : xstrdup(".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        err_set(err, "%s: %s", dir, strerror(errno));
        free(dir);
        if (fd >= 0)
            close(fd);
        return false;
    }
    free(dir);
    json_t *root = users_load(path, err);
    bool ok = root && change(root, users_find(root, name, NULL), arg, err) &&
              users_save(path, root, err);
    json_decref(root);
    close(fd); /* and the lock with it */
    return ok;
}

/* ---- the store ---------------------------------------------------------------- */

struct auth *auth_open(const char *users_file, const char *conninfo, struct err *err)
{
    if (!users_file == !conninfo)
        return err_set(err, "accounts: expected --users FILE or --db CONNINFO"), NULL;
    if (sodium_init() < 0)
        return err_set(err, "accounts: libsodium could not start"), NULL;
    struct auth *a = xcalloc(1, sizeof *a);
    json_t *probe = users_file ? users_load(users_file, err) : NULL;
    bool ok = users_file ? probe != NULL : (a->db = authdb_open(conninfo, err)) != NULL;
    json_decref(probe);
    if (!ok) {
        auth_close(a);
        return NULL;
    }
    a->path = users_file ? xstrdup(users_file) : NULL;
    return a;
}

void auth_close(struct auth *a)
{
    if (!a)
        return;
    authdb_close(a->db);
    free(a->path);
    free(a);
}

static int fetch(struct auth *a, const char *name, struct auth_account *out, char *hash,
                 size_t hash_len, struct err *err)
{
    return a->db ? authdb_fetch(a->db, name, out, hash, hash_len, err)
                 : users_fetch(a->path, name, out, hash, hash_len, err);
}

bool auth_verify(struct auth *a, const char *name, const char *password,
                 struct auth_account *out, struct err *err)
{
    char hash[crypto_pwhash_STRBYTES] = "";
    struct auth_account acc;
    int found = name && password ? fetch(a, name, &acc, hash, sizeof hash, err) : 0;
    if (found < 0)
        return false;
    const char *against = found && hash[0] ? hash : dummy_hash;
    /* the hash's time is spent whatever the name */
    bool match = password &&
                 crypto_pwhash_str_verify(against, password, strlen(password)) == 0;
    sodium_memzero(hash, sizeof hash);
    if (!found || !match || acc.disabled)
        return err_set(err, "wrong name or password");
    *out = acc;
    return true;
}

bool auth_lookup(struct auth *a, const char *name, struct auth_account *out, struct err *err)
{
    int found = fetch(a, name, out, NULL, 0, err);
    return found > 0 || (found == 0 && err_set(err, "%s: no such account", name));
}

/* ---- administration ----------------------------------------------------------- */

struct change {
    const char *name, *password, *operator_name;
    enum auth_role role;
    char hash[crypto_pwhash_STRBYTES];
    const char *key; /* set_entry: what changes */
    json_t *value;
};

static bool add_entry(json_t *root, json_t *acc, void *arg, struct err *err)
{
    struct change *c = arg;
    if (acc)
        return err_set(err, "%s: the account exists (lotuswall user passwd changes its "
                            "password)", c->name);
    char now[32];
    iso_now(now, sizeof now);
    json_array_append_new(json_object_get(root, "accounts"),
                          json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "name", c->name,
                                    "role", auth_role_name(c->role), "hash", c->hash,
                                    "disabled", 0, "operator",
                                    c->operator_name ? c->operator_name : "", "created", now,
                                    "changed", now));
    return true;
}

/* Sets key to value (and "changed") in the entry of an existing account. */
static bool set_entry(json_t *root, json_t *acc, void *arg, struct err *err)
{
    struct change *c = arg;
    if (!acc)
        return err_set(err, "%s: no such account", c->name);
    char now[32];
    iso_now(now, sizeof now);
    json_object_set_new(acc, c->key, c->value);
    c->value = NULL;
    json_object_set_new(acc, "changed", json_string(now));
    return true;
}

bool auth_add(struct auth *a, const char *name, enum auth_role role, const char *password,
              const char *operator_name, const char *db_login, struct err *err)
{
    struct change c = {.name = name, .password = password, .operator_name = operator_name,
                       .role = role};
    if (!auth_name_ok(name, err) || !auth_password_ok(password, err))
        return false;
    if (db_login && !a->db)
        return err_set(err, "--db-login: a users file has no database logins");
    bool ok = hash_password(c.hash, password, err) &&
              (a->db ? authdb_add(a->db, name, role, c.hash, operator_name, db_login, err)
                     : users_edit(a->path, name, add_entry, &c, err));
    sodium_memzero(c.hash, sizeof c.hash);
    return ok;
}

bool auth_passwd(struct auth *a, const char *name, const char *password, struct err *err)
{
    struct change c = {.name = name, .password = password, .key = "hash"};
    if (!auth_password_ok(password, err))
        return false;
    bool ok = hash_password(c.hash, password, err);
    c.value = ok && !a->db ? json_string(c.hash) : NULL;
    ok = ok && (a->db ? authdb_set(a->db, name, "hash", c.hash, err)
                      : users_edit(a->path, name, set_entry, &c, err));
    json_decref(c.value);
    sodium_memzero(c.hash, sizeof c.hash);
    return ok;
}

bool auth_set_disabled(struct auth *a, const char *name, bool disabled, struct err *err)
{
    if (a->db)
        return authdb_set(a->db, name, "disabled", disabled ? "true" : "false", err);
    struct change c = {.name = name, .key = "disabled", .value = json_boolean(disabled)};
    bool ok = users_edit(a->path, name, set_entry, &c, err);
    json_decref(c.value);
    return ok;
}

bool auth_limit(struct auth *a, const char *name, char *const *items, size_t n, struct err *err)
{
    if (!a->db)
        return err_set(err, "limits are kept in the database (--db): a users file's accounts "
                            "steer the one wall that reads it");
    for (size_t i = 0; i < n; i++)
        if (!items[i][0] || strlen(items[i]) > 63 || strpbrk(items[i], "\n\r\t"))
            return err_set(err, "\"%s\": expected a wall's name or a six-digit region code",
                           items[i]);
    char *joined = NULL;
    for (size_t i = 0; i < n; i++)
        str_list_add(&joined, "\n", items[i]);
    bool ok = authdb_limit(a->db, name, joined ? joined : "", err);
    free(joined);
    return ok;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(((const struct auth_listing *)x)->acc.name,
                  ((const struct auth_listing *)y)->acc.name);
}

bool auth_list(struct auth *a, struct auth_listing **out, size_t *n, struct err *err)
{
    if (a->db)
        return authdb_list(a->db, out, n, err);
    json_t *root = users_load(a->path, err), *acc;
    if (!root)
        return false;
    json_t *list = json_object_get(root, "accounts");
    struct auth_listing *l = xcalloc(json_array_size(list) + 1, sizeof *l);
    size_t i;
    bool ok = true;
    json_array_foreach(list, i, acc)
    {
        ok = ok && users_account(a->path, acc, i, &l[i].acc, err);
        snprintf(l[i].created, sizeof l[i].created, "%s", str_of(acc, "created"));
        snprintf(l[i].changed, sizeof l[i].changed, "%s", str_of(acc, "changed"));
    }
    *n = json_array_size(list);
    json_decref(root);
    if (!ok) {
        free(l);
        return false;
    }
    qsort(l, *n, sizeof *l, by_name);
    *out = l;
    return true;
}
