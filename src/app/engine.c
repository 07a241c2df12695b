/* `lotuswall engine --db CONNINFO [--rules FILE] [--interval SECONDS]`: the
 * warning engine alone, headless, for a server.
 *
 * Any number of engines may run against one database; exactly one leads. The
 * leader is the session holding the advisory lock ENGINE_LOCK on its own
 * connection (`pg_try_advisory_lock`); the others try again every second, so
 * when the leader dies its session ends, the server frees the lock and a
 * standby takes over within about a second. Only the leader evaluates, and it
 * writes only through the session that holds the lock: a leader that lost
 * its connection cannot write any more, it steps down and competes again.
 *
 * The poller (data/pg.h) keeps the sources the rules read fresh. The leader
 * evaluates (warn_eval, the real clock) on every new data version and every
 * --interval seconds, and writes each evaluation in ONE transaction: the
 * urges due (WE_URGE events) into lotuswall.urge_outbox with
 * ON CONFLICT (idem_key) DO NOTHING, and the whole content of the warnings
 * and warning_steps tables; the outbox trigger's NOTIFY lotuswall_urge is
 * delivered when that transaction commits. If anything fails, the new states
 * are dropped with the transaction and the engine steps down: the next leader
 * derives the same urges again, and the idempotency key makes those already
 * committed no-ops. So every (warning, department, step) has exactly one
 * outbox row, whatever crashes or restarts happen.
 *
 * Episodes across restarts: warn_eval numbers a rule instance's warnings from
 * 1 in every process (the states live in memory), so a new leader would call
 * a warning that was the 3rd before "#1" and its urges would collide with, or
 * duplicate, the old ones. The leader therefore reads its predecessor's
 * `warnings` table after its first evaluation (restore_states): a warning that
 * was open before and whose condition still holds (or whose data is missing)
 * is the same warning — same episode, fired_at, handling, urge count, so the
 * keys of the urges already sent are the same and the schedule continues from
 * the original firing time —, otherwise the episode counts on from the last
 * one. Not restored: the audit trail of warning_steps before the restart
 * (the outbox keeps every urge), pending timers (a pending warning waits its
 * whole pending period again) and the hold-down after an ended warning. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strptime */
#endif
#include "app/app.h"
#include "app/cli.h"
#include "auth/auth.h"
#include "data/migrate.h"
#include "data/pg.h"
#include "warn/eval.h"
#include "warn/sms.h"
#include "warn/publish.h"
#include "warn/rules.h"
#include "util/filewatch.h"
#include "util/paths.h"
#include "util/util.h"
#include "util/waker.h"
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* pg_try_advisory_lock key: "lotuswal" as a big-endian int64. */
#define ENGINE_LOCK "7813591926308299116"
#define ENGINE_APP_NAME "lotuswall-engine"
/* Operators' actions are applied at once; but a NOTIFY lotuswall_action
 * that brought none (anyone may send it) makes the next wait this long. */
#define ACTIONS_MIN_MS 250.0
/* A change of the deliveries (NOTIFY lotuswall_receipt: a send, a receipt, a
 * dead send; migration 0015) writes the 一键催办 log's 送达 again at the next
 * evaluation, evaluated at once but at most this often: a busy worker
 * changes the deliveries many times a second. */
#define RECEIPTS_MIN_MS 500.0

/* The urge text. Placeholders in order: rule name, " (instance)" or "",
 * value, department, deadline (the next urge step, or one day). */
#define URGE_TEMPLATE "【许昌市经济运行监测】%s%s当前值%s，请%s于%s前处理。"

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
    (void)sig;
    quit = 1;
}

struct engine {
    struct app app;
    struct rules *rules;
    struct warn_memo *memo;   /* the rules' query results while their tables stay */
    const char *conninfo;
    int interval_s;
    int urge_limit_s;         /* at most one manual urge per warning and department this often */
    const char *fault;        /* LW_ENGINE_FAULT: tests kill the engine at a given point */
    PGconn *lead;             /* the session holding ENGINE_LOCK, or NULL: standby */
    struct warn_states *st;   /* the leader's states; NULL before its first evaluation */
    uint64_t written_gen;     /* generation of the states last written */
    uint64_t data_gen;        /* store generation last evaluated */
    char receipts_stamp[80];  /* the deliveries' last change seen (receipts_moved) */
    bool standby_logged;
    bool actions_pending;     /* an operator queued an action (NOTIFY lotuswall_action) */
    double actions_quiet_until; /* now_ms() before which a NOTIFY waits (ACTIONS_MIN_MS) */
    bool receipts_pending;    /* the deliveries changed (NOTIFY lotuswall_receipt) */
    double receipts_quiet_until; /* now_ms() before which that waits (RECEIPTS_MIN_MS) */
};

/* ---- the urge text --------------------------------------------------------------- */

static void fmt_value(double v, char *buf, size_t len)
{
    if (isnan(v)) {
        snprintf(buf, len, "—");
        return;
    }
    snprintf(buf, len, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (dot) { /* 83.50 → 83.5, 12.00 → 12 */
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
}

/* The urge's wording: the rule's SMS template (sms_templates, with its
 * channel's segment length and over-length policy), or the built-in one. */
struct urge_msg {
    char *text;
    const char *template; /* the sms_templates code, or NULL: the built-in wording */
    const char *channel;  /* borrowed from the template table, or NULL */
    int segments;
    bool refused;
};

static char *urge_text(const struct warn_event *ev);

static struct urge_msg urge_message(struct engine *e, const struct warn_event *ev,
                                    struct table **keep)
{
    struct urge_msg m = {0};
    const char *code = ev->rule->urge.template_code;
    struct sms_template tpl;
    struct err err;
    struct table *tt = code ? store_get(e->app.store, "sms_templates") : NULL;
    struct table *ct = code ? store_get(e->app.store, "sms_channels") : NULL;
    if (code && sms_find_template(tt, ct, code, &tpl, &err)) {
        char value[64], deadline[64] = "", ref[64];
        fmt_value(ev->value, value, sizeof value);
        const struct warn_instance *wi =
            e->st ? warn_states_find(e->st, ev->rule->id, ev->instance ? ev->instance : "") : NULL;
        fmt_value(wi ? wi->ref : NAN, ref, sizeof ref);
        time_t due = (time_t)(ev->at + (ev->rule->urge.repeat_s ? ev->rule->urge.repeat_s : 86400));
        struct tm tm;
        if (localtime_r(&due, &tm))
            strftime(deadline, sizeof deadline, "%m月%d日%H:%M", &tm);
        struct sms_vars v = {ev->rule->name, ev->instance, value, ref, ev->department, deadline,
                             severity_name(ev->rule->severity)};
        m.text = sms_render(tpl.content, &v);
        m.template = code;
        m.channel = tpl.channel;
        m.segments = sms_segments(sms_chars(m.text), tpl.segment_chars);
        m.refused = tpl.refuse_long && m.segments > 1;
        if (m.refused)
            LOG(WARN, "urge %s: %zu characters, channel %s takes one segment: refused", ev->key,
                sms_chars(m.text), tpl.channel);
        keep[0] = tt, keep[1] = ct; /* the borrowed strings live as long as these */
        return m;
    }
    if (code)
        LOG(WARN, "rule %s: %s; using the built-in wording", ev->rule->id, err.msg);
    table_unref(tt);
    table_unref(ct);
    m.text = urge_text(ev);
    m.segments = sms_segments(sms_chars(m.text), 70);
    return m;
}

static char *urge_text(const struct warn_event *ev)
{
    char value[64], deadline[64] = "";
    fmt_value(ev->value, value, sizeof value);
    time_t due = (time_t)(ev->at + (ev->rule->urge.repeat_s ? ev->rule->urge.repeat_s : 86400));
    struct tm tm;
    if (localtime_r(&due, &tm))
        strftime(deadline, sizeof deadline, "%m月%d日%H:%M", &tm);
    /* the instance is data of any length: no fixed buffer, which would cut
     * a long name inside a character (and the server refuses such a text) */
    char *inst = ev->instance && *ev->instance ? xasprintf("（%s）", ev->instance) : xstrdup("");
    char *text = xasprintf(URGE_TEMPLATE, ev->rule->name, inst, value, ev->department, deadline);
    free(inst);
    return text;
}

/* ---- restoring the predecessor's episodes ---------------------------------------- */

struct prev_warning {
    char *rule, *instance;
    unsigned episode;
    bool open;
    int64_t fired_at;
    enum warn_handling handling;
    int urges;
    bool escalated;
};

static int prev_cmp(const void *a, const void *b)
{
    const struct prev_warning *x = a, *y = b;
    int d = strcmp(x->rule, y->rule);
    return d ? d : strcmp(x->instance, y->instance);
}

static int64_t parse_time(const char *s)
{
    struct tm tm = {0};
    if (!s || !*s || !strptime(s, "%Y-%m-%d %H:%M:%S", &tm))
        return 0;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm);
}

static char *event_key(const struct warn_event *ev)
{
    /* the same shape as warn/eval.c's urge_one: rule:instance:episode:department:step */
    return xasprintf("%s:%s:%u:%s:%d", ev->rule->id, ev->instance, ev->episode, ev->department,
                     ev->step);
}

/* After the leader's first evaluation: continue the predecessor's episodes
 * (see the top of the file), and re-key this evaluation's urges. */
static bool restore_states(struct engine *e, struct warn_events *ev, struct err *err)
{
    PGresult *res = PQexec(e->lead, "SELECT rule, coalesce(instance, ''), id, state, fired_at, "
                                    "urges, handling, escalated FROM lotuswall.warnings");
    if (!pg_result_ok(res, PGRES_TUPLES_OK, "reading lotuswall.warnings", err)) {
        PQclear(res);
        return false;
    }
    size_t n = (size_t)PQntuples(res);
    struct prev_warning *pv = xcalloc(n + 1, sizeof *pv);
    for (size_t i = 0; i < n; i++) {
        struct prev_warning *p = &pv[i];
        p->rule = PQgetvalue(res, (int)i, 0);
        p->instance = PQgetvalue(res, (int)i, 1);
        const char *hash = strrchr(PQgetvalue(res, (int)i, 2), '#');
        p->episode = hash ? (unsigned)strtoul(hash + 1, NULL, 10) : 0;
        enum warn_state state;
        bool known = warn_state_parse(PQgetvalue(res, (int)i, 3), &state);
        p->fired_at = parse_time(PQgetvalue(res, (int)i, 4));
        /* nodata/error keep an open episode; their fired_at tells it was one */
        p->open = known && (warn_state_is_open(state) ||
                            ((state == WS_NODATA || state == WS_ERROR) && p->fired_at && p->episode));
        p->urges = atoi(PQgetvalue(res, (int)i, 5));
        warn_handling_parse(PQgetvalue(res, (int)i, 6), &p->handling);
        p->escalated = atof(PQgetvalue(res, (int)i, 7)) != 0;
    }
    qsort(pv, n, sizeof *pv, prev_cmp);
    size_t continued = 0;
    for (size_t i = 0; i < e->st->n; i++) {
        struct warn_instance *w = &e->st->v[i];
        struct prev_warning key = {.rule = w->rule, .instance = w->instance};
        const struct prev_warning *p = n ? bsearch(&key, pv, n, sizeof *pv, prev_cmp) : NULL;
        if (!p || p->episode == 0)
            continue;
        bool holds = w->state == WS_FIRING || w->state == WS_PENDING || w->state == WS_NODATA ||
                     w->state == WS_ERROR;
        bool same = p->open && holds;
        w->episode += same ? p->episode - 1 : p->episode;
        if (same && w->state == WS_FIRING) {
            if (p->fired_at)
                w->fired_at = p->fired_at;
            w->handling = p->handling;
            if (p->urges > w->urges)
                w->urges = p->urges;
            w->escalated |= p->escalated;
            continued++;
        }
    }
    e->st->generation++;
    for (size_t i = 0; i < ev->n; i++) {
        struct warn_event *x = &ev->v[i];
        if (!x->rule)
            continue;
        const struct warn_instance *w = warn_states_find(e->st, x->rule->id, x->instance);
        if (!w)
            continue;
        x->episode = w->episode;
        if (x->kind == WE_URGE) {
            free(x->key);
            x->key = event_key(x);
        }
    }
    if (n)
        LOG(INFO, "continued from the previous engine's %zu warnings (%zu still firing)", n,
            continued);
    free(pv);
    PQclear(res);
    return true;
}

/* ---- writing --------------------------------------------------------------------- */

/* COPY text format: \N for NULL, backslash escapes for the separators. */
static void copy_field(char **buf, size_t *len, size_t *cap, const char *s, bool null)
{
    const char *add = null ? "\\N" : s;
    for (const char *p = add; *p; p++) {
        if (*len + 3 > *cap) {
            *cap = (*cap + 3) * 2;
            *buf = xrealloc(*buf, *cap);
        }
        if (!null && (*p == '\\' || *p == '\t' || *p == '\n' || *p == '\r')) {
            (*buf)[(*len)++] = '\\';
            (*buf)[(*len)++] = *p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : '\\';
        } else {
            (*buf)[(*len)++] = *p;
        }
    }
}

/* Replaces the content of lotuswall_data.<t->name> with the rows of t. */
static bool replace_table(PGconn *c, const struct table *t, struct err *err)
{
    char *name = pg_quote_ident(t->name);
    char *sql = xasprintf("DELETE FROM lotuswall_data.%s", name);
    bool ok = pg_command(c, sql, NULL, err);
    free(sql);
    if (!ok) {
        free(name);
        return false;
    }
    char *cols = NULL;
    for (size_t k = 0; k < t->ncols; k++) {
        char *col = pg_quote_ident(t->cols[k].name);
        str_list_add(&cols, ", ", col);
        free(col);
    }
    sql = xasprintf("COPY lotuswall_data.%s (%s) FROM STDIN", name, cols ? cols : "");
    free(name);
    free(cols);
    PGresult *res = PQexec(c, sql);
    ok = pg_result_ok(res, PGRES_COPY_IN, sql, err);
    PQclear(res);
    free(sql);
    if (!ok)
        return false;
    char *buf = NULL, cell[128];
    size_t len = 0, cap = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t k = 0; k < t->ncols; k++) {
            bool null = table_is_null(t, r, k);
            copy_field(&buf, &len, &cap, null ? "" : table_cell_str(t, r, k, cell, sizeof cell),
                       null);
            if (len + 2 > cap) {
                cap = (cap + 2) * 2;
                buf = xrealloc(buf, cap);
            }
            buf[len++] = k + 1 < t->ncols ? '\t' : '\n';
        }
    }
    ok = (len == 0 || PQputCopyData(c, buf, (int)len) == 1) && PQputCopyEnd(c, NULL) == 1;
    free(buf);
    char *what = xasprintf("COPY %s", t->name);
    while ((res = PQgetResult(c))) {
        struct err later; /* the first failure's message is the one to keep */
        ok = pg_result_ok(res, PGRES_COMMAND_OK, what, ok ? err : &later) && ok;
        PQclear(res);
    }
    free(what);
    if (!ok && !*err->msg)
        err_set(err, "COPY %s: %s", t->name, PQerrorMessage(c));
    return ok;
}

static void fault_point(const struct engine *e, const char *where)
{
    if (e->fault && strcmp(e->fault, where) == 0) {
        LOG(INFO, "LW_ENGINE_FAULT=%s: killing myself", where);
        raise(SIGKILL);
    }
}

static char *warning_id(const struct warn_event *ev)
{
    return *ev->instance ? xasprintf("%s@%s#%u", ev->rule->id, ev->instance, ev->episode)
                         : xasprintf("%s#%u", ev->rule->id, ev->episode);
}

/* ---- the outbox ------------------------------------------------------------------ */

/* One urge row: the event gives rule, instance, department, step and
 * escalation; the key and the warning id are the caller's. */
struct outbox_row {
    const char *key, *warning;
    const struct warn_event *ev;
};

static PGresult *outbox_insert(PGconn *c, const struct outbox_row *r, const struct urge_msg *m,
                               const char *text, bool refused, const char *error)
{
    char step[16], segs[16];
    snprintf(step, sizeof step, "%d", r->ev->step);
    snprintf(segs, sizeof segs, "%d", m->segments);
    const char *params[13] = {r->key, r->warning, r->ev->rule->id, r->ev->instance,
                              r->ev->department, step, r->ev->escalation ? "true" : "false",
                              text, m->channel, segs, refused ? "true" : "false", m->template,
                              error};
    return PQexecParams(c,
                        "INSERT INTO lotuswall.urge_outbox (idem_key, warning, rule, instance, "
                        "department, step, escalation, text, channel, segments, refused, "
                        "template, error) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
                        "ON CONFLICT (idem_key) DO NOTHING",
                        13, NULL, params, NULL, NULL, 0);
}

/* Writes one urge (an existing key is a no-op) in a savepoint of its own, so
 * that a row the server refuses costs that urge only and not the whole
 * evaluation, which would roll back and be retried, and refused, forever.
 * Such an urge is recorded as failed instead: refused (never sent), with the
 * server's message in `error`. Adds the rows written to *inserted; false only
 * when the session itself fails. */
static bool outbox_write(struct engine *e, const struct outbox_row *r, size_t *inserted,
                         struct err *err)
{
    struct table *keep[2] = {NULL, NULL};
    struct urge_msg m = urge_message(e, r->ev, keep);
    bool ok = pg_command(e->lead, "SAVEPOINT urge", NULL, err);
    struct err why;
    PGresult *res = ok ? outbox_insert(e->lead, r, &m, m.text, m.refused, NULL) : NULL;
    bool written = ok && pg_result_ok(res, PGRES_COMMAND_OK, "urge_outbox", &why);
    if (written)
        *inserted += (size_t)atoi(PQcmdTuples(res));
    PQclear(res);
    if (ok && !written) {
        LOG(WARN, "urge %s: %s: recorded as failed", r->key, why.msg);
        ok = pg_command(e->lead, "ROLLBACK TO SAVEPOINT urge", NULL, err);
        const char *text = utf8_valid(m.text, strlen(m.text)) ? m.text : "";
        struct err again;
        res = ok ? outbox_insert(e->lead, r, &m, text, true, why.msg) : NULL;
        if (ok && pg_result_ok(res, PGRES_COMMAND_OK, "urge_outbox", &again))
            *inserted += (size_t)atoi(PQcmdTuples(res));
        else if (ok) { /* not even the record: the urge is lost, the evaluation goes on */
            LOG(ERROR, "urge %s: %s: dropped", r->key, again.msg);
            ok = pg_command(e->lead, "ROLLBACK TO SAVEPOINT urge", NULL, err);
        }
        PQclear(res);
    }
    ok = ok && pg_command(e->lead, "RELEASE SAVEPOINT urge", NULL, err);
    table_unref(keep[0]);
    table_unref(keep[1]);
    free(m.text);
    return ok;
}

/* ---- operators' actions ---------------------------------------------------------- */

/* Why a manual urge of `warning` is refused now, into why[len], or false
 * when it may go: a department of its rule was urged by hand within the
 * last urge_limit_s (the outbox's manual rows; those of this transaction
 * count, so fifty queued urges make one). */
static bool urge_limited(struct engine *e, const char *warning, char *why, size_t len)
{
    char secs[16];
    snprintf(secs, sizeof secs, "%d", e->urge_limit_s);
    const char *p[2] = {warning, secs};
    PGresult *res = PQexecParams(e->lead, "SELECT department, to_char(max(created_at), "
                                          "'HH24:MI:SS') FROM lotuswall.urge_outbox WHERE "
                                          "warning = $1 AND idem_key LIKE 'manual:%' AND "
                                          "created_at > now() - make_interval(secs => $2::int) "
                                          "GROUP BY department ORDER BY department",
                                 2, NULL, p, NULL, NULL, 0);
    int n = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : 0;
    char *list = NULL;
    for (int i = 0; i < n; i++) {
        char *one = xasprintf("%s at %s", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
        str_list_add(&list, ", ", one);
        free(one);
    }
    PQclear(res);
    char every[32];
    snprintf(every, sizeof every, e->urge_limit_s % 60 ? "%d s" : "%d min",
             e->urge_limit_s % 60 ? e->urge_limit_s : e->urge_limit_s / 60);
    if (list)
        snprintf(why, len, "error: urge refused: its departments were urged by hand within %s "
                           "(%s); one manual urge per warning and department every %s",
                 every, list, every);
    free(list);
    return n > 0;
}

/* Why the account `by` may not act on warnings, into why[len], or false
 * when it may: role, disabled from lotuswall_auth.account() (NULL role: no
 * such account). */
static bool account_refused(const char *by, const char *role, bool disabled, char *why,
                            size_t len)
{
    enum auth_role r;
    if (!role)
        snprintf(why, len, "error: %s: no such account (lotuswall user add)", by);
    else if (disabled)
        snprintf(why, len, "error: %s: the account is disabled", by);
    else if (!auth_role_parse(role, &r) || r < AUTH_OPERATOR)
        snprintf(why, len, "error: %s: a %s may not act on warnings (operator or admin)", by, role);
    else
        return false;
    return true;
}

/* One operator action on the states: ack/handle/resolve as a handling
 * step, or a manual urge (一键催办) of the rule's departments into the outbox
 * under the key manual:<action>:<department>. Returns the result text. */
static const char *apply_action(struct engine *e, const char *id, const char *warning,
                                const char *action, const char *by, const char *note,
                                int64_t now, char *buf, size_t len)
{
    struct err err;
    struct warn_instance *wi = NULL;
    char ok[128];
    if (strcmp(action, "urge") == 0 && urge_limited(e, warning, buf, len))
        return buf;
    if (!warn_apply_action(e->st, e->rules, warning, action, by, note, now, &wi, ok, sizeof ok,
                           &err))
        return snprintf(buf, len, "error: %s", err.msg), buf;
    if (strcmp(action, "urge") != 0)
        return snprintf(buf, len, "ok: %s（%s）", ok, by), buf;
    const char *rule = wi->rule;
    char *inst = wi->instance;
    unsigned episode = wi->episode;
    const struct rule *r = rules_find(e->rules, rule);
    size_t n = 0;
    for (size_t d = 0; r && d < r->ndepartments; d++) {
        struct warn_event x = {.kind = WE_URGE, .rule = r, .instance = inst, .episode = episode,
                               .department = r->departments[d], .value = wi->value, .at = now};
        char *key = xasprintf("manual:%s:%s", id, r->departments[d]);
        struct outbox_row row = {key, warning, &x};
        size_t written = 0;
        /* a failed session shows in the caller's next statement */
        n += outbox_write(e, &row, &written, &err) && written;
        free(key);
    }
    return snprintf(buf, len, "ok: 催办 %zu 个部门（%s）", n, by), buf;
}

/* The operators' queued actions, applied in the evaluation's transaction. */
static bool apply_actions(struct engine *e, int64_t now, struct err *err)
{
    /* who acted is the database's word (the trigger of migration 0006);
     * the account is checked as it is now */
    PGresult *res = PQexec(e->lead, "SELECT a.id, a.warning, a.action, a.by, a.note, c.role, "
                                    "c.disabled FROM lotuswall.warning_actions a LEFT JOIN "
                                    "LATERAL lotuswall_auth.account(a.by) c ON true WHERE "
                                    "a.processed_at IS NULL ORDER BY a.id FOR UPDATE OF a");
    if (!pg_result_ok(res, PGRES_TUPLES_OK, "warning_actions", err)) {
        PQclear(res);
        return false;
    }
    bool ok = true;
    for (int i = 0; ok && i < PQntuples(res); i++) {
        char buf[512];
        const char *id = PQgetvalue(res, i, 0), *by = PQgetvalue(res, i, 3);
        const char *role = PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5);
        bool refused = account_refused(by, role, !strcmp(PQgetvalue(res, i, 6), "t"), buf,
                                       sizeof buf);
        const char *result =
            refused ? buf
                    : apply_action(e, id, PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), by,
                                   PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4), now,
                                   buf, sizeof buf);
        utf8_clip(buf); /* the answer is cut to fit buf: never inside a character */
        LOG(INFO, "action %s (%s %s): %s", id, PQgetvalue(res, i, 2), PQgetvalue(res, i, 1), result);
        const char *params[2] = {id, result};
        PGresult *u = PQexecParams(e->lead, "UPDATE lotuswall.warning_actions SET processed_at = "
                                            "now(), result = $2 WHERE id = $1",
                                   2, NULL, params, NULL, NULL, 0);
        ok = pg_result_ok(u, PGRES_COMMAND_OK, "warning_actions: recording a result", err);
        PQclear(u);
    }
    PQclear(res);
    return ok;
}

/* ---- the urges' receipts: the 一键催办 log's 送达 ------------------------------------ */

/* An urge of the outbox and what became of it (lotuswall_deliver.urge_receipt). */
struct receipt_row {
    char *warning, *department, *state;
    int step, nth; /* nth: a manual urge's rank for its warning and department, from 1 */
};

struct receipts {
    struct receipt_row *v;
    size_t n, cap;
};

static const char *receipt_of(void *arg, const char *warning, const char *department, int step,
                              int nth)
{
    const struct receipts *rc = arg;
    for (size_t i = 0; i < rc->n; i++) {
        const struct receipt_row *x = &rc->v[i];
        if (x->nth == nth && (nth || x->step == step) && strcmp(x->warning, warning) == 0 &&
            strcmp(x->department, department) == 0)
            return x->state;
    }
    return NULL;
}

/* The receipts of the urges of the warnings the engine holds. */
static bool receipts_load(struct engine *e, struct receipts *rc, struct err *err)
{
    json_t *ids = json_array();
    for (size_t i = 0; i < e->st->n; i++) {
        if (!e->st->v[i].nsteps)
            continue;
        char *id = warn_instance_id(&e->st->v[i]);
        json_array_append_new(ids, json_string(id));
        free(id);
    }
    char *text = json_dumps(ids, JSON_COMPACT);
    json_decref(ids);
    const char *params[] = {text};
    PGresult *res = PQexecParams(
        e->lead,
        "SELECT warning, department, step, CASE WHEN idem_key LIKE 'manual:%' THEN row_number()\n"
        "  OVER (PARTITION BY warning, department, idem_key LIKE 'manual:%' ORDER BY id) ELSE 0\n"
        "  END, CASE WHEN refused THEN '失败' ELSE lotuswall_deliver.urge_receipt(id) END\n"
        "FROM lotuswall.urge_outbox WHERE warning IN (SELECT jsonb_array_elements_text($1::jsonb))",
        1, NULL, params, NULL, NULL, 0);
    free(text);
    bool ok = pg_result_ok(res, PGRES_TUPLES_OK, "the urges' receipts", err);
    for (int i = 0; ok && i < PQntuples(res); i++) {
        struct receipt_row x = {xstrdup(PQgetvalue(res, i, 0)), xstrdup(PQgetvalue(res, i, 1)),
                                xstrdup(PQgetvalue(res, i, 4)), atoi(PQgetvalue(res, i, 2)),
                                atoi(PQgetvalue(res, i, 3))};
        VEC_PUSH(rc->v, rc->n, rc->cap, x);
    }
    PQclear(res);
    return ok;
}

static void receipts_finish(struct receipts *rc)
{
    for (size_t i = 0; i < rc->n; i++)
        free(rc->v[i].warning), free(rc->v[i].department), free(rc->v[i].state);
    free(rc->v);
}

/* One transaction: the operators' actions, the due urges into the outbox
 * (existing keys are no-ops), and the warnings, warning_steps and
 * warning_series tables replaced. */
static bool write_evaluation(struct engine *e, const struct warn_events *ev, size_t *inserted,
                             int64_t now, struct err *err)
{
    err->msg[0] = '\0';
    *inserted = 0;
    struct table *wt = NULL, *stt = NULL, *series = NULL;
    bool ok = pg_command(e->lead, "BEGIN", NULL, err) && apply_actions(e, now, err);
    if (ok) {
        struct warn_snapshot snap;
        warn_snapshot_take(&snap, e->app.store, e->rules);
        ok = (series = warn_series_table(e->app.catalog, e->rules, e->st, &snap, err)) != NULL;
        warn_snapshot_release(&snap);
    }
    for (size_t i = 0; ok && i < ev->n; i++) {
        const struct warn_event *x = &ev->v[i];
        if (x->kind != WE_URGE)
            continue;
        char *id = warning_id(x);
        struct outbox_row row = {x->key, id, x};
        ok = outbox_write(e, &row, inserted, err);
        free(id);
    }
    /* the tables after the urges, so that a step written now has its receipt */
    struct receipts rc = {0};
    ok = ok && receipts_load(e, &rc, err);
    e->st->receipt = receipt_of;
    e->st->receipt_arg = &rc;
    if (ok && !warn_tables(e->app.catalog, e->rules, e->st, &wt, &stt, err))
        ok = false;
    e->st->receipt = NULL;
    e->st->receipt_arg = NULL;
    receipts_finish(&rc);
    ok = ok && replace_table(e->lead, wt, err) && replace_table(e->lead, stt, err) &&
         replace_table(e->lead, series, err);
    table_unref(wt);
    table_unref(stt);
    table_unref(series);
    if (ok)
        fault_point(e, "before-commit");
    ok = ok && pg_command(e->lead, "COMMIT", NULL, err);
    if (!ok && PQstatus(e->lead) == CONNECTION_OK)
        PQclear(PQexec(e->lead, "ROLLBACK"));
    if (ok)
        fault_point(e, "after-commit");
    return ok;
}

/* ---- leadership ------------------------------------------------------------------ */

static void step_down(struct engine *e, const char *why)
{
    LOG(WARN, "leader lost (%s): standing by, trying again every second", why);
    PQfinish(e->lead);
    e->lead = NULL;
    warn_states_destroy(e->st);
    e->st = NULL;
    e->standby_logged = true;
}

/* The engine writes the schema of its own version (urge_outbox.error since
 * version 3): against another one every urge would fail, so it does not lead
 * until an administrator runs `lotuswall db migrate`. */
static bool schema_current(PGconn *c, struct err *err)
{
    int version;
    if (!migrate_version(c, &version, err))
        return false;
    if (version < LW_SCHEMA_VERSION)
        return err_set(err, "the database has schema version %d, this engine writes version %d: "
                            "run `lotuswall db migrate`", version, LW_SCHEMA_VERSION);
    if (version > LW_SCHEMA_VERSION)
        return err_set(err, "the database has schema version %d, newer than this engine's %d: "
                            "run a newer lotuswall", version, LW_SCHEMA_VERSION);
    return true;
}

static void try_lead(struct engine *e)
{
    struct err err;
    PGconn *c = pg_connect(e->conninfo, ENGINE_APP_NAME, &err);
    if (c && !schema_current(c, &err)) {
        PQfinish(c);
        c = NULL;
    }
    if (!c) {
        if (!e->standby_logged)
            LOG(WARN, "leader election: %s; trying again every second", err.msg);
        e->standby_logged = true;
        return;
    }
    PGresult *res = PQexec(c, "SELECT pg_try_advisory_lock(" ENGINE_LOCK ")");
    bool got = PQresultStatus(res) == PGRES_TUPLES_OK && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (!got) {
        if (!e->standby_logged)
            LOG(INFO, "standby: another engine leads; trying again every second");
        e->standby_logged = true;
        PQfinish(c);
        return;
    }
    PQclear(PQexec(c, "SET statement_timeout = 10000; LISTEN lotuswall_action; "
                      "LISTEN lotuswall_receipt"));
    e->actions_pending = true; /* actions queued while nobody led */
    LOG(INFO, "leader: this engine (pid %ld) holds the lock and evaluates", (long)getpid());
    e->lead = c;
    e->standby_logged = false;
}

/* Whether an action waits. NOTIFY lotuswall_action only says "look": anyone
 * may send it, so the tables are written for real actions only. A failed
 * query says yes: the evaluation's transaction reports the error. */
static bool actions_waiting(struct engine *e)
{
    PGresult *res = PQexec(e->lead, "SELECT EXISTS (SELECT FROM lotuswall.warning_actions "
                                    "WHERE processed_at IS NULL)");
    bool waiting = PQresultStatus(res) != PGRES_TUPLES_OK || strcmp(PQgetvalue(res, 0, 0), "f");
    PQclear(res);
    return waiting;
}

/* Whether a delivery changed since the last look (sent, delivered, dead: the
 * delivery worker's receipts), so that the 一键催办 log's 送达 is written
 * again though no warning changed. */
static bool receipts_moved(struct engine *e, bool *moved, struct err *err)
{
    PGresult *res = PQexec(e->lead, "SELECT coalesce(max(greatest(created_at, sent_at, "
                                    "delivered_at, dead_at))::text, '') || ':' || count(*) "
                                    "FROM lotuswall_deliver.deliveries");
    bool ok = pg_result_ok(res, PGRES_TUPLES_OK, "the deliveries' last change", err);
    *moved = ok && strcmp(PQgetvalue(res, 0, 0), e->receipts_stamp) != 0;
    if (*moved)
        snprintf(e->receipts_stamp, sizeof e->receipts_stamp, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return ok;
}

/* What the leader's session heard: an operator's action (lotuswall_action),
 * to apply now; a change of the deliveries (lotuswall_receipt), whose
 * receipts the next evaluation writes. */
static void take_notifications(struct engine *e)
{
    if (!e->lead || !PQconsumeInput(e->lead))
        return;
    PGnotify *n;
    while ((n = PQnotifies(e->lead))) {
        if (strcmp(n->relname, "lotuswall_receipt") == 0)
            e->receipts_pending = true;
        else
            e->actions_pending = true;
        PQfreemem(n);
    }
}

/* One evaluation by the leader at `now`; steps down when it cannot write. */
static void evaluate(struct engine *e, int64_t now)
{
    struct warn_snapshot snap;
    warn_snapshot_take(&snap, e->app.store, e->rules);
    struct warn_events ev = {0};
    bool first = e->st == NULL;
    struct warn_states *prev = e->st;
    if (!e->memo)
        e->memo = warn_memo_new(e->rules);
    e->st = warn_eval_memo(e->rules, &snap, prev, now, &ev, e->memo);
    warn_snapshot_release(&snap);
    struct err err = {{0}};
    bool ok = !first || restore_states(e, &ev, &err);
    size_t urges = 0;
    for (size_t i = 0; i < ev.n; i++)
        urges += ev.v[i].kind == WE_URGE;
    size_t inserted = 0;
    double t0 = now_ms();
    bool actions = e->actions_pending && actions_waiting(e);
    if (e->actions_pending && !actions) /* a NOTIFY without an action: a flood, perhaps */
        e->actions_quiet_until = t0 + ACTIONS_MIN_MS;
    e->actions_pending = false;
    bool must = first || urges || actions || e->st->generation != e->written_gen, moved = false;
    if (ok && !must) /* still make sure the session (and the lock) lives */
        ok = receipts_moved(e, &moved, &err) || PQstatus(e->lead) == CONNECTION_OK;
    if (ok && (must || moved))
        ok = write_evaluation(e, &ev, &inserted, now, &err);
    if (ok) {
        e->written_gen = e->st->generation;
        warn_states_destroy(prev);
        if (urges)
            LOG(INFO, "%zu urges due, %zu new in the outbox (%.1f ms)", urges, inserted,
                now_ms() - t0);
    } else {
        /* the transaction rolled back: forget these states, so that whoever
         * leads next derives the same urges again */
        warn_states_destroy(prev);
        step_down(e, err.msg);
    }
    warn_events_finish(&ev);
}

/* ---- the command ----------------------------------------------------------------- */

/* `--rules db`: the enabled rows of lotuswall.warning_rules, each a rule
 * object as in a rules file, loaded (and checked) like a file. */
static struct rules *rules_from_db(const char *conninfo, const struct catalog *cat,
                                   struct err *err)
{
    PGconn *c = pg_connect(conninfo, ENGINE_APP_NAME, err);
    if (!c)
        return NULL;
    PGresult *res = PQexec(c, "SELECT rule::text FROM lotuswall.warning_rules WHERE enabled "
                              "ORDER BY id");
    struct rules *r = NULL;
    if (pg_result_ok(res, PGRES_TUPLES_OK, "lotuswall.warning_rules", err)) {
        size_t cap = 128, len = 0;
        for (int i = 0; i < PQntuples(res); i++)
            cap += strlen(PQgetvalue(res, i, 0)) + 2;
        char *doc = xmalloc(cap);
        len = (size_t)snprintf(doc, cap, "{\"kind\": \"rules\", \"version\": 1, \"rules\": [");
        for (int i = 0; i < PQntuples(res); i++)
            len += (size_t)snprintf(doc + len, cap - len, "%s%s", i ? "," : "", PQgetvalue(res, i, 0));
        snprintf(doc + len, cap - len, "]}");
        r = rules_parse("lotuswall.warning_rules", doc, strlen(doc), cat, err);
        free(doc);
    }
    PQclear(res);
    PQfinish(c);
    return r;
}

/* What the engine polls: the SMS templates and channels (the wording of the
 * urges is data too) and every source a rule reads, once each. The fleet
 * (a table of producer "walls", cat given) every 5 s: a wall that stops
 * beating turns 离线 as time passes, and no write sends a NOTIFY for it. */
static struct poller_source *rule_sources(const struct rules *r, const struct catalog *cat,
                                          size_t *n)
{
    struct poller_source *src = NULL;
    size_t nsrc = 0, cap = 0;
    struct poller_source sms[] = {{"sms_templates", 60}, {"sms_channels", 60}};
    for (size_t i = 0; i < ARRAY_LEN(sms); i++)
        VEC_PUSH(src, nsrc, cap, sms[i]);
    for (size_t b = 0; b < r->nbindings; b++) {
        bool seen = false;
        for (size_t k = 0; k < nsrc; k++)
            seen |= strcmp(src[k].name, r->bindings[b]->source) == 0;
        if (!seen) {
            const struct catalog_table *def = cat ? catalog_find(cat, r->bindings[b]->source) : NULL;
            bool fleet = def && def->producer && strcmp(def->producer, "walls") == 0;
            struct poller_source ps = {r->bindings[b]->source, fleet ? 5 : 60};
            VEC_PUSH(src, nsrc, cap, ps);
        }
    }
    *n = nsrc;
    return src;
}

static bool same_sources(const struct rules *a, const struct rules *b)
{
    size_t na, nb;
    struct poller_source *sa = rule_sources(a, NULL, &na), *sb = rule_sources(b, NULL, &nb);
    bool same = na == nb;
    for (size_t i = 0; same && i < na; i++)
        same = strcmp(sa[i].name, sb[i].name) == 0;
    free(sa);
    free(sb);
    return same;
}

/* Starts the poller on what the rules read. No disk cache: the engine
 * judges live data only. */
static bool start_polling(struct engine *e, struct waker *w, struct err *err)
{
    size_t nsrc;
    struct poller_source *src = rule_sources(e->rules, e->app.catalog, &nsrc);
    struct poller_opts opts = {.conninfo = e->conninfo, .wake = waker_wake, .wake_arg = w};
    e->app.poller = poller_start(&opts, e->app.catalog, e->app.store, src, nsrc, err);
    free(src);
    return e->app.poller != NULL;
}

/* The rules file changed: the new rules from the next evaluation on (the
 * states go on: they are keyed by rule id); a bad edit keeps the last good
 * rules. */
static void reload_rules(struct engine *e, const char *path, struct waker *w)
{
    struct err err;
    struct rules *r = rules_load(path, e->app.catalog, &err);
    if (!r) {
        LOG(ERROR, "%s (the engine keeps the last good rules)", err.msg);
        return;
    }
    bool same = same_sources(e->rules, r);
    warn_memo_destroy(e->memo);
    e->memo = NULL;
    rules_destroy(e->rules);
    e->rules = r;
    LOG(INFO, "rules %s: %zu rules", path, r->nrules);
    if (!same) { /* the rules read other sources now */
        poller_stop(e->app.poller);
        e->app.poller = NULL;
        if (!start_polling(e, w, &err))
            LOG(ERROR, "%s", err.msg);
    }
    e->data_gen = 0;          /* evaluate at once */
    e->written_gen = UINT64_MAX; /* and write the tables: a removed rule's warnings go */
}

int cmd_engine(struct opts *o, int argc, char **argv)
{
    struct engine e = {.interval_s = o->interval_s, .urge_limit_s = o->urge_limit_s,
                       .fault = getenv("LW_ENGINE_FAULT"),
                       .conninfo = o->app.db};
    if (!e.conninfo || argc > 0) {
        fprintf(stderr, "usage: lotuswall engine --db CONNINFO [--rules FILE|db] [--interval SECONDS] "
                        "[--urge-limit PERIOD]\n");
        return 2;
    }
    char *shipped = o->rules_path ? NULL : paths_in_home("rules/demo.json");
    const char *rules_path = o->rules_path ? o->rules_path : shipped;
    struct err err;
    e.app.db = e.conninfo;
    if (!app_open(&e.app, (int64_t)time(NULL), &err)) {
        LOG(ERROR, "%s", err.msg);
        app_close(&e.app);
        free(shipped);
        return 1;
    }
    e.rules = strcmp(rules_path, "db") == 0 ? rules_from_db(e.conninfo, e.app.catalog, &err)
                                            : rules_load(rules_path, e.app.catalog, &err);
    if (!e.rules) {
        LOG(ERROR, "%s", err.msg);
        app_close(&e.app);
        free(shipped);
        return 1;
    }
    struct waker w;
    waker_init(&w, true);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    /* a rules file is watched: an edit takes effect at the next evaluation */
    struct filewatch fw = {.fd = -1};
    bool from_file = strcmp(rules_path, "db") != 0;
    if (from_file && filewatch_init(&fw))
        filewatch_add(&fw, rules_path);
    int rc = 0;
    if (!start_polling(&e, &w, &err)) {
        LOG(ERROR, "%s", err.msg);
        rc = 1;
    } else if (!poller_wait_ready(e.app.poller, 10000)) {
        LOG(WARN, "not every source the rules read answered within 10 s; evaluating what there is");
    }
    LOG(INFO, "engine: %zu rules from %s, every %d s and on new data; SIGTERM stops",
        rc ? 0 : e.rules->nrules, rules_path, e.interval_s);
    double next_try = 0, next_eval = 0;
    while (rc == 0 && !quit) {
        double t = now_ms();
        if (!e.lead && t >= next_try) {
            next_try = t + 1000;
            try_lead(&e);
            if (e.lead)
                next_eval = 0;
        }
        take_notifications(&e);
        if (filewatch_changed(&fw)) {
            usleep(50000); /* let the editor finish writing */
            filewatch_changed(&fw);
            reload_rules(&e, rules_path, &w);
        }
        uint64_t gen = store_generation(e.app.store);
        bool actions_due = e.actions_pending && t >= e.actions_quiet_until;
        bool receipts_due = e.receipts_pending && t >= e.receipts_quiet_until;
        if (e.lead && (gen != e.data_gen || t >= next_eval || actions_due || receipts_due)) {
            e.data_gen = gen;
            next_eval = t + e.interval_s * 1000.0;
            e.receipts_pending = false; /* every evaluation looks at the receipts */
            e.receipts_quiet_until = t + RECEIPTS_MIN_MS;
            evaluate(&e, (int64_t)time(NULL));
            continue;
        }
        waker_wait(&w, 200); /* bounded, so that a signal and the timers are seen */
    }
    LOG(INFO, "stopping");
    filewatch_close(&fw);
    poller_stop(e.app.poller); /* before the waker goes away */
    e.app.poller = NULL;
    PQfinish(e.lead);
    warn_states_destroy(e.st);
    warn_memo_destroy(e.memo);
    rules_destroy(e.rules);
    app_close(&e.app);
    waker_finish(&w);
    free(shipped);
    return rc;
}
