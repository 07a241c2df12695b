/* The console's accounts and the audit trail (issue 12).
 *
 * An account is a login name, an access role, a password hashed with
 * argon2id (libsodium's crypto_pwhash_str) and a link to an operator duty
 * (the operators table's 值班员 / 处长 / 领导, which stay as they are). The
 * accounts live either in a users file (--users FILE: JSON, mode 0600, refused
 * when anyone else may read it) or in the database's schema lotuswall_auth,
 * which no wall or reader role can read (docs/operations.md, "Accounts").
 *
 * The audit records every login, control and warning action: to the table
 * lotuswall_auth.audit with --db, else to a JSON-lines file. */
#ifndef LW_AUTH_H
#define LW_AUTH_H
#include "util/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ordered: a higher role may do what a lower may. */
enum auth_role { AUTH_VIEWER, AUTH_PRESENTER, AUTH_OPERATOR, AUTH_ADMIN };

struct auth_account {
    char name[64];          /* the login name */
    enum auth_role role;
    bool disabled;
    char operator_name[64]; /* the linked duty in the operators table; "" when none */
};

/* An account store: a users file (--users FILE) or the database (--db). */
struct auth;

/* Exactly one of users_file / conninfo is non-NULL. The users file must
 * exist (auth_users_create makes one): JSON, mode 0600; opening refuses a
 * file that is group- or world-readable, with a message naming it. With a
 * conninfo, one connection of its own ("lotuswall-auth"), reconnected when
 * it broke. NULL + *err on failure. */
struct auth *auth_open(const char *users_file, const char *conninfo, struct err *err);
void auth_close(struct auth *a); /* NULL is a no-op */

/* name + password against the argon2id hashes. True and *out for an enabled
 * account whose password matches; false with err "wrong name or password"
 * otherwise (the same message for an unknown name, a wrong password and a
 * disabled account; an unknown name still spends a hash's time), or the
 * store's own error (the file or the database unreadable). Thread-safe. */
bool auth_verify(struct auth *a, const char *name, const char *password,
                 struct auth_account *out, struct err *err);
/* The account as it is now (for re-checking a session: disabled or demoted
 * since login). False + "NAME: no such account" or the store's error.
 * Thread-safe. */
bool auth_lookup(struct auth *a, const char *name, struct auth_account *out, struct err *err);

const char *auth_role_name(enum auth_role r); /* "viewer" … "admin" */
bool auth_role_parse(const char *s, enum auth_role *r);

/* ---- administration (`lotuswall user …`) --------------------------------- */

/* A new users file holding no account, mode 0600 (O_EXCL: an existing file
 * is left alone and is no error). */
bool auth_users_create(const char *path, struct err *err);

/* A name is 1 to 63 bytes of UTF-8 without spaces or control characters; a
 * password 8 to 1024 bytes. False + *err saying what is wrong. */
bool auth_name_ok(const char *name, struct err *err);
bool auth_password_ok(const char *password, struct err *err);

/* Adds an account (refused when the name is taken). operator_name and
 * db_login (the person's own database login, --db only) may be NULL. */
bool auth_add(struct auth *a, const char *name, enum auth_role role, const char *password,
              const char *operator_name, const char *db_login, struct err *err);
bool auth_passwd(struct auth *a, const char *name, const char *password, struct err *err);
bool auth_set_disabled(struct auth *a, const char *name, bool disabled, struct err *err);

/* One account as `user list` shows it (never its hash). */
struct auth_listing {
    struct auth_account acc;
    char db_login[64];            /* "" when none or in a users file */
    char created[32], changed[32]; /* ISO 8601, UTC */
    char limits[512];             /* the walls and regions it may steer, ", "-separated; "" all */
};
/* Every account, by name. Caller frees *out. */
bool auth_list(struct auth *a, struct auth_listing **out, size_t *n, struct err *err);
/* Limits the account to steering these walls (by name) and regions (six-digit
 * codes of lotuswall.wall_logins), replacing its limits; n = 0 lifts them.
 * The database's accounts only: a users file serves one wall. */
bool auth_limit(struct auth *a, const char *name, char *const *items, size_t n, struct err *err);

/* ---- the audit --------------------------------------------------------------- */

/* what: "login", "logout", "control.take", "warning.ack", …; result: "ok" or
 * the refusal. who, addr and target may be NULL. */
struct audit_entry {
    const char *who, *addr, *what, *target, *result;
};
struct audit;

/* To the table lotuswall_auth.audit when conninfo is not NULL (the login
 * needs the role lotuswall_console), else to the JSON-lines file `file`
 * (NULL: <state dir>/audit.jsonl, util/statedir.h), created 0600 and
 * appended to. NULL + *err on failure. */
struct audit *audit_open(const char *file, const char *conninfo, struct err *err);
/* Thread-safe; the time is the writer's clock (the server's with --db). */
bool audit_write(struct audit *au, const struct audit_entry *e, struct err *err);
void audit_close(struct audit *au); /* NULL is a no-op */
/* The default audit file into out[len]. */
bool audit_default_path(char *out, size_t len, struct err *err);

/* One audit record as `lotuswall audit` lists it. */
struct audit_record {
    char at[32]; /* ISO 8601, UTC */
    char *who, *addr, *what, *target, *result, *db_login;
};
/* The records since `since` (unix seconds; 0: all), oldest first: from the
 * table (the login needs lotuswall_admin) or the file. Free with
 * audit_records_free(). */
bool audit_read(const char *file, const char *conninfo, int64_t since,
                struct audit_record **out, size_t *n, struct err *err);
void audit_records_free(struct audit_record *r, size_t n);

#endif
