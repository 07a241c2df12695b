/* The accounts in the database (schema lotuswall_auth, db/migrations/
 * 0006-accounts.sql): the functions behind auth.h with --db. One connection,
 * guarded by a mutex, reset when it broke. */
#ifndef LW_AUTHDB_H
#define LW_AUTHDB_H
#include "auth/auth.h"

struct authdb;
struct authdb *authdb_open(const char *conninfo, struct err *err);
void authdb_close(struct authdb *db); /* NULL is a no-op */
/* The account and (hash not NULL) its hash: 1 found, 0 not, -1 an error.
 * Through lotuswall_auth.credential() / account(): the console's role may
 * call them without reading the table. */
int authdb_fetch(struct authdb *db, const char *name, struct auth_account *out, char *hash,
                 size_t hash_len, struct err *err);
/* The administration: the table itself (the login needs lotuswall_admin). */
bool authdb_add(struct authdb *db, const char *name, enum auth_role role, const char *hash,
                const char *operator_name, const char *db_login, struct err *err);
/* column: "hash" or "disabled" */
bool authdb_set(struct authdb *db, const char *name, const char *column, const char *value,
                struct err *err);
bool authdb_list(struct authdb *db, struct auth_listing **out, size_t *n, struct err *err);
/* Replaces the walls and regions the account may steer (lotuswall_auth.
 * account_walls) with items, one per line: six digits a region code, else a
 * wall's name; "" lifts the limit. In one statement. */
bool authdb_limit(struct authdb *db, const char *name, const char *items, struct err *err);

#endif
