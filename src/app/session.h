/* The console's sessions, its control lock and its login throttle: plain
 * state under one mutex, with the time passed in (any epoch in ms, only
 * differences count), so tests run it under an injected clock.
 *
 * A session is a random token (the HttpOnly cookie) and a CSRF token (sent
 * back in X-CSRF-Token on every POST), both 256 bits from libsodium; it ends
 * on logout or after `idle_ms` without a request. One session at a time holds
 * the control lock: steering takes it when it is free, keeps it while the
 * holder steers, and frees it on logout, when the session ends, or after
 * `control_idle_ms` without steering. A higher role may take it over; the
 * previous holder finds a notice in its next answer. */
#ifndef LW_SESSION_H
#define LW_SESSION_H
#include "auth/auth.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SESSION_TOKEN_LEN 64            /* hex of 32 random bytes */
#define SESSION_IDLE_MS (30 * 60 * 1000)
#define SESSION_CONTROL_IDLE_MS (10 * 60 * 1000)
#define SESSION_FAILURES 5              /* failed logins in THROTTLE_MS ... */
#define SESSION_THROTTLE_MS 60000       /* ... answer 429 for this long */

struct session {
    char token[SESSION_TOKEN_LEN + 1];
    char csrf[SESSION_TOKEN_LEN + 1];
    struct auth_account account;
    char addr[64];
    int64_t last_ms;
    char notice[192];       /* told once: "控制权已由 李四（管理员）接管" */
};

enum control_result {
    CONTROL_OK,             /* the caller holds it (took it, or held it already) */
    CONTROL_TAKEN_OVER,     /* taken from a lower role; `holder` names who had it */
    CONTROL_HELD,           /* someone else holds it; `holder` names them */
};

struct sessions;

struct sessions *sessions_create(int64_t idle_ms, int64_t control_idle_ms);
void sessions_destroy(struct sessions *s); /* NULL is a no-op */

/* Whether logins for this account or from this address are refused now
 * (SESSION_FAILURES failures within SESSION_THROTTLE_MS); *retry_s: when to
 * try again. */
bool sessions_throttled(struct sessions *s, const char *account, const char *addr, int64_t now,
                        int *retry_s);
void sessions_failed(struct sessions *s, const char *account, const char *addr, int64_t now);
/* A new session for an account that logged in; *out gets its tokens. */
void sessions_open(struct sessions *s, const struct auth_account *a, const char *addr,
                   int64_t now, struct session *out);
/* The live session of a token, with any notice waiting for it (handed over
 * once). Its idle time restarts when `touch`: a person's request, not the
 * console's own refresh, so a forgotten tablet logs out. False when unknown
 * or expired. */
bool sessions_find(struct sessions *s, const char *token, int64_t now, bool touch,
                   struct session *out);
/* The account changed or went (disabled, demoted): its sessions follow. */
void sessions_update_account(struct sessions *s, const struct auth_account *a);
void sessions_close(struct sessions *s, const char *token);
/* The control lock for the session `token` (which must be live): taken
 * when free or held by it; from a lower role only when `takeover`. */
enum control_result sessions_take(struct sessions *s, const char *token, int64_t now,
                                  bool takeover, char *holder, size_t len);
void sessions_release(struct sessions *s, const char *token);
/* Who holds control now ("" when nobody), and the accounts logged in. */
void sessions_holder(struct sessions *s, int64_t now, char *name, size_t len,
                     enum auth_role *role);
size_t sessions_accounts(struct sessions *s, int64_t now, char (*names)[64], size_t max);

#endif
