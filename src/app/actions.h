/* Operators' actions on warnings — 确认 (ack), 处置中 (handle), 办结
 * (resolve), 一键催办 (urge) — from the command line and from the wall. With
 * a database they are queued in lotuswall.warning_actions and the leading
 * engine applies them in its transaction and answers; on the demo data they
 * apply to the demo's own engine (app_demo_action). */
#ifndef LW_ACTIONS_H
#define LW_ACTIONS_H
#include "app/app.h"
#include "auth/auth.h"
#include "data/table.h"
#include <jansson.h>
#include <libpq-fe.h>
#include <stdatomic.h>
#include <stdbool.h>

/* True when `name` is in the operators table (the database's when conn is
 * not NULL, else the demo's). */
bool action_known_operator(struct app *app, PGconn *conn, const char *name, struct err *err);

/* Queues `action` on `warning` and waits up to timeout_ms for the engine's
 * answer, written to result ("ok: …", the engine's error, or why there was
 * none). *cancel (may be NULL) set from another thread stops the wait. True
 * when the engine said ok.
 *
 * Who acted is the database's word (db/migrations/0006-accounts.sql):
 * account NULL queues it as this login's own account (accounts.db_login, or
 * the account named like the login); an account name acts for it through
 * lotuswall_auth.act_as(), which only a login in lotuswall_console may call
 * (the wall, for the account it authenticated), with addr the client's
 * address (NULL: "console"). The engine refuses an unknown or disabled
 * account, or one below operator, and the answer says so. */
bool action_submit_as(PGconn *conn, const char *account, const char *addr, const char *warning,
                      const char *action, const char *note, int timeout_ms,
                      const atomic_bool *cancel, char *result, size_t len);
/* action_submit_as without an address: the wall's keys (--operator) and the
 * command line (--by). */
bool action_submit_db(PGconn *conn, const char *warning, const char *action, const char *by,
                      const char *note, int timeout_ms, const atomic_bool *cancel,
                      char *result, size_t len);

/* The warnings table's open rows (firing or recovering) as JSON objects,
 * every column: `lotuswall warnings --json` and the API's warnings. */
json_t *action_open_rows(const struct table *t);

/* One action on one warning by a console account: on the demo's engine
 * (recorded under its operator duty, else its name), or through a connection
 * of its own as the account (action_submit_as, from addr), waited for up to
 * timeout_ms. The console's path; result as action_submit_db's. */
bool action_apply(struct app *app, const struct auth_account *who, const char *addr,
                  const char *warning, const char *action, const char *note, int timeout_ms,
                  char *result, size_t len);

#endif
