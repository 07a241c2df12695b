#include "app/session.h"
#include "util/util.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SESSIONS 256   /* beyond: the least recently used goes */
#define MAX_FAILERS 512    /* accounts and addresses with recent failures */

/* One account or address that failed to log in: the times of its last
 * SESSION_FAILURES failures (a ring), and until when it is refused. */
struct failer {
    char key[72];          /* "a:NAME" or "i:ADDRESS" */
    int64_t at[SESSION_FAILURES];
    unsigned next;
    int64_t refused_until;
};

struct sessions {
    pthread_mutex_t lock;
    int64_t idle_ms, control_idle_ms;
    struct session list[MAX_SESSIONS];
    size_t n;
    struct failer failers[MAX_FAILERS];
    size_t nfailers;
    char holder[SESSION_TOKEN_LEN + 1]; /* the session holding control, or "" */
    int64_t steered_ms;                 /* its last steer */
};

struct sessions *sessions_create(int64_t idle_ms, int64_t control_idle_ms)
{
    if (sodium_init() < 0)
        abort(); /* libsodium has no randomness: nothing here is safe */
    struct sessions *s = xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    s->idle_ms = idle_ms, s->control_idle_ms = control_idle_ms;
    return s;
}

void sessions_destroy(struct sessions *s)
{
    if (!s)
        return;
    sodium_memzero(s->list, sizeof s->list);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static void random_hex(char out[SESSION_TOKEN_LEN + 1])
{
    unsigned char raw[SESSION_TOKEN_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, SESSION_TOKEN_LEN + 1, raw, sizeof raw);
}

/* ---- the login throttle (under the lock) --------------------------------- */

static struct failer *failer(struct sessions *s, const char *kind, const char *name, bool add)
{
    char key[72];
    snprintf(key, sizeof key, "%s:%s", kind, name);
    for (size_t i = 0; i < s->nfailers; i++)
        if (strcmp(s->failers[i].key, key) == 0)
            return &s->failers[i];
    if (!add)
        return NULL;
    size_t i = s->nfailers < MAX_FAILERS ? s->nfailers++ : 0;
    if (i == 0 && s->nfailers == MAX_FAILERS) /* full: the one failing longest ago goes */
        for (size_t k = 1; k < MAX_FAILERS; k++)
            if (s->failers[k].at[(s->failers[k].next + SESSION_FAILURES - 1) % SESSION_FAILURES] <
                s->failers[i].at[(s->failers[i].next + SESSION_FAILURES - 1) % SESSION_FAILURES])
                i = k;
    memset(&s->failers[i], 0, sizeof s->failers[i]);
    snprintf(s->failers[i].key, sizeof s->failers[i].key, "%s", key);
    for (size_t k = 0; k < SESSION_FAILURES; k++)
        s->failers[i].at[k] = INT64_MIN / 2;
    return &s->failers[i];
}

static int64_t refused_until(struct sessions *s, const char *kind, const char *name)
{
    struct failer *f = failer(s, kind, name, false);
    return f ? f->refused_until : INT64_MIN;
}

bool sessions_throttled(struct sessions *s, const char *account, const char *addr, int64_t now,
                        int *retry_s)
{
    pthread_mutex_lock(&s->lock);
    int64_t until = refused_until(s, "a", account);
    int64_t by_addr = refused_until(s, "i", addr);
    until = by_addr > until ? by_addr : until;
    pthread_mutex_unlock(&s->lock);
    *retry_s = until > now ? (int)((until - now + 999) / 1000) : 0;
    return until > now;
}

static void fail_one(struct sessions *s, const char *kind, const char *name, int64_t now)
{
    struct failer *f = failer(s, kind, name, true);
    f->at[f->next] = now;
    f->next = (f->next + 1) % SESSION_FAILURES;
    /* the oldest of the last SESSION_FAILURES within the window: refused */
    if (now - f->at[f->next] < SESSION_THROTTLE_MS)
        f->refused_until = now + SESSION_THROTTLE_MS;
}

void sessions_failed(struct sessions *s, const char *account, const char *addr, int64_t now)
{
    pthread_mutex_lock(&s->lock);
    fail_one(s, "a", account, now);
    fail_one(s, "i", addr, now);
    pthread_mutex_unlock(&s->lock);
}

/* ---- sessions (under the lock) ------------------------------------------- */

static struct session *find(struct sessions *s, const char *token, int64_t now)
{
    if (!token || strlen(token) != SESSION_TOKEN_LEN)
        return NULL;
    for (size_t i = 0; i < s->n; i++) {
        struct session *se = &s->list[i];
        if (sodium_memcmp(se->token, token, SESSION_TOKEN_LEN) == 0)
            return now - se->last_ms < s->idle_ms ? se : NULL;
    }
    return NULL;
}

static void drop(struct sessions *s, size_t i)
{
    if (strcmp(s->holder, s->list[i].token) == 0)
        s->holder[0] = '\0';
    sodium_memzero(&s->list[i], sizeof s->list[i]);
    s->list[i] = s->list[--s->n];
}

/* Sessions idle too long end; so does control held without steering. */
static void expire(struct sessions *s, int64_t now)
{
    for (size_t i = s->n; i-- > 0;)
        if (now - s->list[i].last_ms >= s->idle_ms)
            drop(s, i);
    if (s->holder[0] && now - s->steered_ms >= s->control_idle_ms)
        s->holder[0] = '\0';
}

void sessions_open(struct sessions *s, const struct auth_account *a, const char *addr,
                   int64_t now, struct session *out)
{
    pthread_mutex_lock(&s->lock);
    expire(s, now);
    if (s->n == MAX_SESSIONS) { /* the least recently used goes */
        size_t old = 0;
        for (size_t i = 1; i < s->n; i++)
            if (s->list[i].last_ms < s->list[old].last_ms)
                old = i;
        drop(s, old);
    }
    struct session *se = &s->list[s->n++];
    memset(se, 0, sizeof *se);
    random_hex(se->token);
    random_hex(se->csrf);
    se->account = *a;
    snprintf(se->addr, sizeof se->addr, "%s", addr);
    se->last_ms = now;
    *out = *se;
    pthread_mutex_unlock(&s->lock);
}

bool sessions_find(struct sessions *s, const char *token, int64_t now, bool touch,
                   struct session *out)
{
    pthread_mutex_lock(&s->lock);
    expire(s, now);
    struct session *se = find(s, token, now);
    if (se) {
        if (touch)
            se->last_ms = now;
        *out = *se;
        se->notice[0] = '\0';
    }
    pthread_mutex_unlock(&s->lock);
    return se != NULL;
}

void sessions_update_account(struct sessions *s, const struct auth_account *a)
{
    pthread_mutex_lock(&s->lock);
    for (size_t i = s->n; i-- > 0;)
        if (strcmp(s->list[i].account.name, a->name) == 0) {
            if (a->disabled)
                drop(s, i);
            else
                s->list[i].account = *a;
        }
    pthread_mutex_unlock(&s->lock);
}

void sessions_close(struct sessions *s, const char *token)
{
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; token && i < s->n; i++)
        if (strcmp(s->list[i].token, token) == 0) {
            drop(s, i);
            break;
        }
    pthread_mutex_unlock(&s->lock);
}

/* ---- the control lock (under the lock) ----------------------------------- */

static struct session *holder(struct sessions *s)
{
    for (size_t i = 0; s->holder[0] && i < s->n; i++)
        if (strcmp(s->list[i].token, s->holder) == 0)
            return &s->list[i];
    return NULL;
}

static const char *role_zh(enum auth_role r)
{
    static const char *const zh[] = {"观看", "演示", "值班操作", "管理员"};
    return zh[r];
}

enum control_result sessions_take(struct sessions *s, const char *token, int64_t now,
                                  bool takeover, char *who, size_t len)
{
    pthread_mutex_lock(&s->lock);
    expire(s, now);
    struct session *me = find(s, token, now), *h = holder(s);
    enum control_result r = CONTROL_OK;
    who[0] = '\0';
    if (me && h && h != me) {
        snprintf(who, len, "%s（%s）", h->account.name, role_zh(h->account.role));
        r = takeover && me->account.role > h->account.role ? CONTROL_TAKEN_OVER : CONTROL_HELD;
        if (r == CONTROL_TAKEN_OVER)
            snprintf(h->notice, sizeof h->notice, "控制权已由 %s（%s）接管", me->account.name,
                     role_zh(me->account.role));
    }
    if (me && r != CONTROL_HELD) {
        snprintf(s->holder, sizeof s->holder, "%s", me->token);
        s->steered_ms = now;
    }
    pthread_mutex_unlock(&s->lock);
    return me ? r : CONTROL_HELD;
}

void sessions_release(struct sessions *s, const char *token)
{
    pthread_mutex_lock(&s->lock);
    if (token && strcmp(s->holder, token) == 0)
        s->holder[0] = '\0';
    pthread_mutex_unlock(&s->lock);
}

void sessions_holder(struct sessions *s, int64_t now, char *name, size_t len,
                     enum auth_role *role)
{
    pthread_mutex_lock(&s->lock);
    expire(s, now);
    struct session *h = holder(s);
    snprintf(name, len, "%s", h ? h->account.name : "");
    if (role)
        *role = h ? h->account.role : AUTH_VIEWER;
    pthread_mutex_unlock(&s->lock);
}

size_t sessions_accounts(struct sessions *s, int64_t now, char (*names)[64], size_t max)
{
    pthread_mutex_lock(&s->lock);
    expire(s, now);
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) {
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = strcmp(names[k], s->list[i].account.name) == 0;
        if (!seen && n < max)
            snprintf(names[n++], 64, "%s", s->list[i].account.name);
    }
    pthread_mutex_unlock(&s->lock);
    return n;
}
