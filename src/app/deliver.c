/* `lotuswall deliver --db CONNINFO --config FILE`: the delivery worker.
 *
 * The engine writes each urge (催办) once into lotuswall.urge_outbox; this
 * worker takes it from there, in two steps that each hold their rows with
 * FOR UPDATE SKIP LOCKED, so that several workers share the work and never
 * hold one row at once:
 *
 * 1. fan out: an unsent outbox row becomes one delivery per contact of its
 *    department reachable now (lotuswall_deliver.reachable), keyed by the
 *    urge's idem_key + ':' + the contact's id, and the row is marked taken
 *    (sent_at) in the same transaction. A department nobody can be reached
 *    in gets one dead delivery (contact 0) saying so, and a warning in the
 *    log. Fanning out once means a contact added or edited later never gets
 *    a copy of an urge that was already handed out.
 * 2. send: one due delivery at a time, locked for the whole HTTP call; the
 *    result (sent, or failed with a retry time, or dead after max_attempts
 *    or a refusal) is written in the same transaction. A worker killed
 *    mid-send leaves the row as it was: the next one sends it again with the
 *    same key, so the gateway sees a duplicate, never a loss.
 *
 * The phone number is read from the contact at send time and never logged;
 * the deliveries keep it masked (138****5678).
 *
 * With --http the gateways' receipts arrive on POST /receipts, signed, and
 * /metrics counts the deliveries; that side has a connection of its own. */
#include "app/cli.h"
#include "data/pg.h"
#include "deliver/channel.h"
#include "util/util.h"
#include "output/health.h"
#include "output/publish.h"
#include "util/severity.h"
#include <curl/curl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DELIVER_APP_NAME "lotuswall deliver"
#define FAN_OUT_BATCH "50"
/* new urges, new exchange documents, and changed sources (the whole
 * sources of the exchange push) wake the worker */
#define SESSION_SQL \
    "SET statement_timeout = 10000; LISTEN lotuswall_urge; LISTEN " LW_EXCHANGE_CHANNEL \
    "; LISTEN " LW_NOTIFY_CHANNEL
#define PUSH_BATCH 20        /* documents per round at most: urges are not kept waiting */
#define PRUNE_EVERY_MS 60000
#define COLLECT_ALL_MS 10000 /* every source looked at, changed or not */

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
    (void)sig;
    quit = 1;
}

/* ---- 1. fan out --------------------------------------------------------- */

/* The outbox rows this worker takes, the deliveries they become, the
 * departments nobody in which can be reached, and the rows marked taken:
 * one statement, one snapshot. Returns the rows taken, -1 on error. */
static int fan_out(PGconn *c, struct err *err)
{
    static const char sql[] =
        "WITH claimed AS (\n"
        "  SELECT o.id, o.idem_key, o.department,\n"
        "         coalesce((SELECT s.kind FROM lotuswall.sms_channels s WHERE s.code = o.channel\n"
        "                   LIMIT 1), 'sms') AS kind\n"
        "  FROM lotuswall.urge_outbox o WHERE o.sent_at IS NULL AND NOT o.refused\n"
        "  ORDER BY o.id LIMIT " FAN_OUT_BATCH " FOR UPDATE OF o SKIP LOCKED),\n"
        "fan AS (\n"
        "  INSERT INTO lotuswall_deliver.deliveries (key, outbox, contact, channel, recipient)\n"
        "  SELECT o.idem_key || ':' || c.id, o.id, c.id, o.kind, lotuswall_deliver.mask_phone(\n"
        "         CASE o.kind WHEN 'gov-im' THEN c.im_account ELSE c.phone END)\n"
        "  FROM claimed o JOIN lotuswall_deliver.reachable c ON c.department = o.department\n"
        "  ON CONFLICT (key) DO NOTHING RETURNING outbox),\n"
        "nobody AS (\n"
        "  INSERT INTO lotuswall_deliver.deliveries (key, outbox, contact, channel, state,\n"
        "                                           last_error, dead_at)\n"
        "  SELECT o.idem_key || ':0', o.id, 0, o.kind, 'dead',\n"
        "         'no reachable contact in ' || o.department, now() FROM claimed o\n"
        "  WHERE NOT EXISTS (SELECT FROM lotuswall_deliver.reachable c\n"
        "                    WHERE c.department = o.department)\n"
        "  ON CONFLICT (key) DO NOTHING RETURNING key, last_error),\n"
        "taken AS (\n"
        "  UPDATE lotuswall.urge_outbox u SET sent_at = now(), attempts = u.attempts + 1\n"
        "  FROM claimed o WHERE u.id = o.id RETURNING u.id)\n"
        "SELECT (SELECT count(*) FROM taken), (SELECT count(*) FROM fan), n.key, n.last_error\n"
        "FROM (SELECT 1) one LEFT JOIN nobody n ON true";
    PGresult *res = PQexec(c, sql);
    int taken = -1;
    if (pg_result_ok(res, PGRES_TUPLES_OK, "deliver: fan out", err) && PQntuples(res) > 0) {
        taken = atoi(PQgetvalue(res, 0, 0));
        if (taken)
            LOG(INFO, "took %d urge(s) into %s deliveries", taken, PQgetvalue(res, 0, 1));
        for (int i = 0; i < PQntuples(res); i++)
            if (!PQgetisnull(res, i, 2))
                LOG(WARN, "%s: %s: nobody to send it to", PQgetvalue(res, i, 2),
                    PQgetvalue(res, i, 3));
    }
    PQclear(res);
    return taken;
}

/* ---- 2. send ------------------------------------------------------------ */

/* One due delivery, locked, with what it needs. The held row is left alone
 * by every other worker until this transaction ends. */
static const char claim_sql[] =
    "SELECT d.key, d.channel, d.attempts, c.phone, c.im_account, c.person, o.text,\n"
    "       coalesce(o.template, ''), o.escalation, coalesce(w.severity, ''),\n"
    "       lotuswall_deliver.quiet_end(c.quiet_from, c.quiet_to, now()), d.recipient\n"
    "FROM lotuswall_deliver.deliveries d\n"
    "JOIN lotuswall.urge_outbox o ON o.id = d.outbox\n"
    "LEFT JOIN lotuswall_deliver.contacts c ON c.id = d.contact\n"
    "LEFT JOIN LATERAL (SELECT severity FROM lotuswall.warnings w WHERE w.id = o.warning\n"
    "                   LIMIT 1) w ON true\n"
    "WHERE d.state IN ('pending', 'failed') AND d.next_at <= now()\n"
    "ORDER BY d.next_at LIMIT 1 FOR UPDATE OF d SKIP LOCKED";

enum { C_KEY, C_CHANNEL, C_ATTEMPTS, C_PHONE, C_IM, C_PERSON, C_TEXT, C_TEMPLATE,
       C_ESCALATION, C_SEVERITY, C_QUIET_END, C_RECIPIENT };

/* A Chinese mobile number: 11 digits starting 1[3-9] (an optional +86). */
static bool phone_valid(const char *p)
{
    if (strncmp(p, "+86", 3) == 0)
        p += 3;
    return strlen(p) == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9' &&
           strspn(p, "0123456789") == 11;
}

/* Writes what became of the held delivery. */
static bool record(PGconn *c, const char *key, const char *state, const char *error,
                   long retry_ms, struct err *err)
{
    char ms[32];
    snprintf(ms, sizeof ms, "%ld", retry_ms);
    const char *params[] = {key, state, error, ms};
    return pg_command_params(
        c,
        "UPDATE lotuswall_deliver.deliveries SET state = $2, last_error = $3,\n"
        "  attempts = attempts + 1,\n"
        "  next_at = now() + $4::bigint * interval '1 millisecond',\n"
        "  sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END,\n"
        "  dead_at = CASE WHEN $2 = 'dead' THEN now() ELSE dead_at END\n"
        "WHERE key = $1",
        4, params, "deliver: record", err);
}

/* Why this delivery cannot be sent at all, or NULL. */
static const char *unsendable(const PGresult *r, const struct channel *ch, const char **to)
{
    bool im = strcmp(PQgetvalue(r, 0, C_CHANNEL), "gov-im") == 0;
    *to = PQgetvalue(r, 0, im ? C_IM : C_PHONE);
    if (!ch)
        return "no channel of this kind in the configuration";
    if (PQgetisnull(r, 0, C_PERSON)) /* NOT NULL in the table: the join found no contact */
        return "the contact was deleted";
    if (!**to)
        return im ? "the contact has no IM account" : "the contact has no phone number";
    if (!im && !phone_valid(*to))
        return "invalid phone number";
    return NULL;
}

/* Quiet hours hold a non-urgent send until they end: true when held. */
static bool hold_quiet(PGconn *c, const PGresult *r, const struct deliver_config *cfg,
                       struct err *err, bool *ok)
{
    *ok = true;
    if (PQgetisnull(r, 0, C_QUIET_END) || strcmp(PQgetvalue(r, 0, C_ESCALATION), "t") == 0)
        return false;
    enum severity sev = SEV_INFO;
    severity_parse(PQgetvalue(r, 0, C_SEVERITY), &sev);
    if ((int)sev >= cfg->urgent_severity)
        return false;
    const char *params[] = {PQgetvalue(r, 0, C_KEY), PQgetvalue(r, 0, C_QUIET_END)};
    *ok = pg_command_params(c, "UPDATE lotuswall_deliver.deliveries SET next_at = $2 "
                               "WHERE key = $1", 2, params, "deliver: quiet hours", err);
    LOG(INFO, "%s to %s: held for quiet hours until %s", params[0],
        PQgetvalue(r, 0, C_RECIPIENT), params[1]);
    return true;
}

/* Sends the held delivery and records the result. */
static bool send_held(PGconn *c, const PGresult *r, const struct deliver_config *cfg,
                      struct err *err)
{
    const char *key = PQgetvalue(r, 0, C_KEY), *to, *shown = PQgetvalue(r, 0, C_RECIPIENT);
    const struct channel *ch = deliver_channel(cfg, PQgetvalue(r, 0, C_CHANNEL));
    const char *bad = unsendable(r, ch, &to);
    char why[512] = "";
    enum send_result sr = SEND_REFUSED;
    if (bad) {
        snprintf(why, sizeof why, "%s", bad);
    } else {
        struct send_values v = {to, PQgetvalue(r, 0, C_TEXT), PQgetvalue(r, 0, C_TEMPLATE), key,
                                PQgetvalue(r, 0, C_PERSON)};
        sr = channel_send(ch, &v, why, sizeof why);
    }
    int attempts = atoi(PQgetvalue(r, 0, C_ATTEMPTS)) + 1;
    if (sr == SEND_OK) {
        LOG(INFO, "%s to %s: sent", key, shown);
        /* with a status URL, next_at is when to ask for the receipt */
        return record(c, key, "sent", NULL, channel_poll_ms(ch, NULL), err);
    }
    if (sr == SEND_RETRY && attempts < cfg->max_attempts) {
        long ms = deliver_backoff_ms(cfg, attempts);
        LOG(INFO, "%s to %s: try %d failed (%s), again in %ld ms", key, shown, attempts, why, ms);
        return record(c, key, "failed", why, ms, err);
    }
    LOG(WARN, "%s to %s: dead after %d tries: %s", key, shown, attempts, why);
    return record(c, key, "dead", why, 0, err);
}

/* Claims, sends and records one due delivery in one transaction. Returns
 * 1 when one was handled, 0 when none is due, -1 on a database error. */
static int send_one(PGconn *c, const struct deliver_config *cfg, struct err *err)
{
    if (!pg_command(c, "BEGIN", NULL, err))
        return -1;
    PGresult *r = PQexec(c, claim_sql);
    int n = pg_result_ok(r, PGRES_TUPLES_OK, "deliver: claim", err) ? PQntuples(r) : -1;
    bool ok = n >= 0;
    if (n == 1) {
        bool held = hold_quiet(c, r, cfg, err, &ok);
        if (ok && !held)
            ok = send_held(c, r, cfg, err);
    }
    PQclear(r);
    if (ok && pg_command(c, "COMMIT", NULL, err))
        return n;
    PQclear(PQexec(c, "ROLLBACK"));
    return -1;
}

/* ---- receipts by polling a status URL ------------------------------------ */

/* Asks ch's status URL about one sent delivery whose time to ask has come,
 * held meanwhile. 2: the receipt changed its state, 1: not yet (asked again
 * after the interval), 0: none to ask, -1: a database error. */
static int poll_one(PGconn *c, const struct channel *ch, struct err *err)
{
    long for_s, every = channel_poll_ms(ch, &for_s);
    char secs[32], ms[32];
    snprintf(secs, sizeof secs, "%ld", for_s);
    snprintf(ms, sizeof ms, "%ld", every);
    const char *params[] = {channel_kind(ch), secs};
    if (!pg_command(c, "BEGIN", NULL, err))
        return -1;
    PGresult *r = PQexecParams(
        c,
        "SELECT d.key, d.recipient, coalesce(c.person, '') FROM lotuswall_deliver.deliveries d\n"
        "LEFT JOIN lotuswall_deliver.contacts c ON c.id = d.contact\n"
        "WHERE d.state = 'sent' AND d.channel = $1 AND d.next_at <= now()\n"
        "  AND d.sent_at > now() - make_interval(secs => $2::double precision)\n"
        "ORDER BY d.next_at LIMIT 1 FOR UPDATE OF d SKIP LOCKED",
        2, NULL, params, NULL, NULL, 0);
    int n = pg_result_ok(r, PGRES_TUPLES_OK, "deliver: receipts to poll", err) ? PQntuples(r) : -1;
    if (n == 1) {
        char why[512] = "";
        const char *key = PQgetvalue(r, 0, 0);
        struct send_values v = {PQgetvalue(r, 0, 1), "", "", key, PQgetvalue(r, 0, 2)};
        enum receipt got = channel_poll(ch, &v, why, sizeof why);
        const char *state = got == RECEIPT_DELIVERED ? "delivered" : got ? "dead" : "sent";
        char *error = xasprintf("receipt: %s", why);
        const char *up[] = {key, state, error, ms};
        n = pg_command_params(
                c,
                "UPDATE lotuswall_deliver.deliveries SET state = $2,\n"
                "  delivered_at = CASE WHEN $2 = 'delivered' THEN now() END,\n"
                "  dead_at = CASE WHEN $2 = 'dead' THEN now() END,\n"
                "  last_error = CASE WHEN $2 = 'dead' THEN $3 ELSE last_error END,\n"
                "  next_at = now() + $4::bigint * interval '1 millisecond' WHERE key = $1",
                4, up, "deliver: polled receipt", err) ? (got ? 2 : 1) : -1;
        if (got)
            LOG(INFO, "%s: %s (polled)", key, state);
        free(error);
    }
    PQclear(r);
    if (n >= 0 && pg_command(c, "COMMIT", NULL, err))
        return n;
    PQclear(PQexec(c, "ROLLBACK"));
    return -1;
}

/* Polls the due receipts of every channel with a status URL, a batch at a
 * time. The number that changed state, -1 on a database error. */
static int poll_receipts(PGconn *c, const struct deliver_config *cfg, struct err *err)
{
    int changed = 0;
    for (size_t i = 0; i < cfg->nchannels; i++) {
        if (!channel_poll_ms(cfg->channels[i], NULL))
            continue;
        int n = 1;
        for (int k = 0; k < PUSH_BATCH && !quit && n > 0; k++) {
            if ((n = poll_one(c, cfg->channels[i], err)) < 0)
                return -1;
            changed += n == 2;
        }
    }
    return changed;
}

/* ---- receipts and metrics: `deliver --http` ----------------------------- */

/* The HTTP side: its own connection, shared by the server's connection
 * threads under `lock`. */
struct receipts {
    pthread_mutex_t lock;
    PGconn *conn;                     /* guarded by lock */
    const struct deliver_config *cfg; /* read-only */
    const char *conninfo;
    unsigned long accepted, refused;  /* guarded by lock */
};

static void answer(struct http_response *rs, unsigned status, const char *json)
{
    rs->status = status;
    rs->type = "application/json";
    rs->body = xstrdup(json);
    rs->len = strlen(json);
}

/* A gateway's receipt: POST /receipts {"key": K, "status": "delivered" |
 * "failed", "error": TEXT}, signed: X-Signature = hex HMAC-SHA256 of the
 * body under the receipts' secret. A failed receipt is the gateway's final
 * word: the delivery is dead with its reason. */
static bool receipt(struct receipts *rc, const struct http_request *rq, struct http_response *rs)
{
    if (!deliver_receipt_signed(rc->cfg, rq->body, rq->body_len, rq->signature)) {
        answer(rs, 401, "{\"error\":\"signature\"}");
        return false;
    }
    json_t *doc = json_loadb(rq->body, rq->body_len, 0, NULL);
    const char *key = json_string_value(json_object_get(doc, "key"));
    const char *status = json_string_value(json_object_get(doc, "status"));
    const char *error = json_string_value(json_object_get(doc, "error"));
    bool delivered = status && strcmp(status, "delivered") == 0;
    if (!key || !status || (!delivered && strcmp(status, "failed") != 0)) {
        json_decref(doc);
        answer(rs, 400, "{\"error\":\"expected {key, status: delivered|failed}\"}");
        return false;
    }
    char *why = xasprintf("receipt: %s", error ? error : "failed");
    const char *params[] = {key, delivered ? "delivered" : "dead", why};
    PGresult *res = pg_exec_again(
        rc->conn,
        "UPDATE lotuswall_deliver.deliveries SET state = $2,\n"
        "  delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END,\n"
        "  dead_at = CASE WHEN $2 = 'dead' THEN now() ELSE dead_at END,\n"
        "  last_error = CASE WHEN $2 = 'dead' THEN $3 ELSE last_error END\n"
        "WHERE key = $1 AND state <> 'delivered' AND contact <> 0",
        3, params);
    struct err err;
    bool ok = pg_result_ok(res, PGRES_COMMAND_OK, "deliver: receipt", &err);
    if (!ok)
        LOG(ERROR, "%s", err.msg);
    else if (strcmp(PQcmdTuples(res), "0") == 0)
        LOG(INFO, "receipt for %s: no such delivery, or delivered already", key);
    answer(rs, ok ? 200 : 503, ok ? "{\"ok\":true}" : "{\"error\":\"database\"}");
    PQclear(res);
    free(why);
    json_decref(doc);
    return ok;
}

static bool handle(void *cls, const struct http_request *rq, struct http_response *rs)
{
    struct receipts *rc = cls;
    if (strcmp(rq->path, "/receipts") != 0)
        return false;
    if (strcmp(rq->method, "POST") != 0) {
        rs->allow = "POST";
        answer(rs, 405, "{\"error\":\"POST only\"}");
        return true;
    }
    pthread_mutex_lock(&rc->lock);
    bool ok = receipt(rc, rq, rs);
    ok ? rc->accepted++ : rc->refused++;
    pthread_mutex_unlock(&rc->lock);
    return true;
}

/* /metrics: the deliveries by state, the urges not yet taken, the receipts. */
static char *metrics(void *cls)
{
    struct receipts *rc = cls;
    pthread_mutex_lock(&rc->lock);
    PGresult *r = pg_exec_again(
        rc->conn,
        "SELECT s.state, count(d.key) FROM unnest(ARRAY['pending', 'failed', 'sent',\n"
        "  'delivered', 'dead']) s(state) LEFT JOIN lotuswall_deliver.deliveries d\n"
        "  ON d.state = s.state GROUP BY s.state UNION ALL\n"
        "SELECT 'untaken', count(*) FROM lotuswall.urge_outbox WHERE sent_at IS NULL AND NOT refused\n"
        "UNION ALL SELECT 'x:' || s.state, count(x.key) FROM unnest(ARRAY['pending', 'failed',\n"
        "  'sent', 'dead', 'dropped']) s(state) LEFT JOIN lotuswall_deliver.exchange_outbox x\n"
        "  ON x.state = s.state GROUP BY s.state UNION ALL\n"
        "SELECT 'd:' || name, dropped FROM lotuswall_deliver.exchange_sources",
        0, NULL);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    fprintf(out, "# TYPE lotuswall_deliveries gauge\n");
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
        const char *what = PQgetvalue(r, i, 0), *n = PQgetvalue(r, i, 1);
        if (strcmp(what, "untaken") == 0)
            fprintf(out, "lotuswall_urges_untaken %s\n", n);
        else if (strncmp(what, "x:", 2) == 0) /* the exchange outbox by state */
            fprintf(out, "lotuswall_exchange_documents{state=\"%s\"} %s\n", what + 2, n);
        else if (strncmp(what, "d:", 2) == 0) /* coalesced away, ever (never silently) */
            fprintf(out, "lotuswall_exchange_dropped_total{source=\"%s\"} %s\n", what + 2, n);
        else
            fprintf(out, "lotuswall_deliveries{state=\"%s\"} %s\n", what, n);
    }
    fprintf(out, "lotuswall_deliver_database_up %d\n", PQresultStatus(r) == PGRES_TUPLES_OK);
    fprintf(out, "# TYPE lotuswall_receipts_total counter\n"
                 "lotuswall_receipts_total{result=\"accepted\"} %lu\n"
                 "lotuswall_receipts_total{result=\"refused\"} %lu\n"
                 "lotuswall_deliver_rss_kb %ld\n",
            rc->accepted, rc->refused, rss_kb());
    PQclear(r);
    pthread_mutex_unlock(&rc->lock);
    fclose(out);
    return buf;
}

/* ---- the loop ----------------------------------------------------------- */

/* Milliseconds until the next delivery or document of this worker's is due
 * (0: now), -1 if none waits. */
static long next_due_ms(PGconn *c, const struct deliver_config *cfg, struct err *err)
{
    char *mine = push_endpoints(&cfg->push);
    const char *params[] = {cfg->nchannels ? "t" : "f", mine};
    PGresult *r = PQexecParams(
        c,
        "SELECT ceil(extract(epoch FROM min(t) - now()) * 1000)::bigint FROM "
        "(SELECT min(next_at) t FROM lotuswall_deliver.deliveries "
        "WHERE $1::boolean AND state IN ('pending', 'failed') UNION ALL "
        "SELECT min(next_at) FROM lotuswall_deliver.exchange_outbox "
        "WHERE endpoint = ANY($2::text[]) AND state IN ('pending', 'failed')) due",
        2, NULL, params, NULL, NULL, 0);
    free(mine);
    long ms = -2;
    if (pg_result_ok(r, PGRES_TUPLES_OK, "deliver: next", err)) {
        long due = atol(PQgetvalue(r, 0, 0)); /* negative: overdue */
        ms = PQgetisnull(r, 0, 0) ? -1 : due < 0 ? 0 : due; /* NULL: nothing waits */
    }
    PQclear(r);
    return ms;
}

/* What the loop keeps between rounds. */
struct loop {
    const struct deliver_config *cfg;
    struct receipts *rc;        /* NULL without --http */
    bool *dirty;                /* per exchange source: collect it this round */
    double pruned_at, all_at;   /* the last retention, the last collect of everything */
    long wait_max;              /* the longest wait: 5 s, or the shortest status poll interval */
    unsigned long receipts_seen;
};

/* A source changed (a notification, a send, a receipt): collect it. */
static void mark(struct loop *l, const char *source)
{
    for (size_t i = 0; i < l->cfg->push.nsources; i++)
        if (strcmp(l->cfg->push.sources[i], source) == 0)
            l->dirty[i] = true;
}

/* The exchange push's part of a round: the changed sources' documents in
 * (everything now and then: another worker's sends change "urges"),
 * coalescing where an endpoint fails, up to PUSH_BATCH sends, and now and
 * then the retention. false on a database error. */
static bool push_round(PGconn *c, struct loop *l, struct err *err)
{
    const struct deliver_config *cfg = l->cfg;
    if (now_ms() - l->all_at >= COLLECT_ALL_MS) {
        l->all_at = now_ms();
        for (size_t i = 0; i < cfg->push.nsources; i++)
            l->dirty[i] = true;
    }
    if (l->rc) {
        pthread_mutex_lock(&l->rc->lock);
        if (l->rc->accepted != l->receipts_seen)
            mark(l, "urges");
        l->receipts_seen = l->rc->accepted;
        pthread_mutex_unlock(&l->rc->lock);
    }
    if (cfg->push.nendpoints &&
        (push_collect(c, &cfg->push, l->dirty, err) < 0 || push_coalesce(c, err) < 0))
        return false;
    /* a failed send ends the batch: the platform is not asked again and
     * again in one round while new documents wait to be collected */
    int sent = 0;
    for (int i = 0; i < PUSH_BATCH && !quit && (sent = push_send_one(c, cfg, err)) == 1; i++)
        ;
    if (sent < 0)
        return false;
    if (cfg->retention_s && now_ms() - l->pruned_at >= PRUNE_EVERY_MS) {
        l->pruned_at = now_ms();
        return push_prune(c, cfg->retention_s, err);
    }
    return true;
}

/* One round: fan out what is new, send what is due, push the exchange.
 * How long to wait before the next round, or -2 on a database error. */
static long round_once(PGconn *c, struct loop *l, struct err *err)
{
    int taken = 0, sent = 0, n = 0;
    /* a worker without channels only pushes: the urges are another's */
    while (l->cfg->nchannels && (taken = fan_out(c, err)) > 0 && !quit)
        n++;
    while (l->cfg->nchannels && taken == 0 && !quit && (sent = send_one(c, l->cfg, err)) == 1)
        n++;
    int polled = taken < 0 || sent < 0 ? 0 : poll_receipts(c, l->cfg, err);
    if (n || polled > 0)
        mark(l, "urges");
    if (taken < 0 || sent < 0 || polled < 0 || !push_round(c, l, err))
        return -2;
    return next_due_ms(c, l->cfg, err);
}

/* The notifications queued (a new urge, a new exchange document, a changed
 * source): the sources to collect are marked. Whether there was one. The
 * worker's own (the deliveries' trigger: delivery_health) bring nothing new. */
static bool take_notifications(PGconn *c, struct loop *l)
{
    PQconsumeInput(c);
    PGnotify *n;
    bool any = false;
    while ((n = PQnotifies(c))) {
        if (n->be_pid == PQbackendPID(c)) {
            PQfreemem(n);
            continue;
        }
        any = true;
        mark(l, strcmp(n->relname, "lotuswall_urge") == 0        ? "urges"
                : strcmp(n->relname, LW_EXCHANGE_CHANNEL) == 0 ? "panels"
                                                               : n->extra);
        PQfreemem(n);
    }
    return any;
}

/* Waits for a notification or ms, whichever is first; in slices, so that a
 * signal is seen. A notification that came in with the last round's results
 * is already queued: looked at before sleeping. */
static void wait_for_work(PGconn *c, long ms, struct loop *l)
{
    for (long left = ms; !quit; left -= 200) {
        if (take_notifications(c, l) || left <= 0)
            return;
        struct pollfd pfd = {.fd = PQsocket(c), .events = POLLIN};
        poll(&pfd, 1, left < 200 ? (int)left : 200);
    }
}

/* The loop: a round, then a wait for new work or the next due send. */
static int run(PGconn *c, const struct deliver_config *cfg, struct receipts *rc, bool once,
               struct health *h)
{
    struct err err;
    double started = now_ms();
    struct loop l = {.cfg = cfg, .rc = rc->conn ? rc : NULL,
                     .dirty = xcalloc(cfg->push.nsources + 1, sizeof *l.dirty), .wait_max = 5000};
    for (size_t i = 0; i < cfg->nchannels; i++) {
        long every = channel_poll_ms(cfg->channels[i], NULL);
        if (every && every < l.wait_max)
            l.wait_max = every;
    }
    while (!quit) {
        long ms = round_once(c, &l, &err);
        if (ms < -1) {
            LOG(ERROR, "%s", err.msg);
            if (PQstatus(c) != CONNECTION_OK) {
                PQreset(c); /* a new session: listen again */
                if (PQstatus(c) == CONNECTION_OK && !pg_command(c, SESSION_SQL, NULL, &err))
                    LOG(ERROR, "%s", err.msg);
            }
            ms = 2000;
        }
        struct health_snapshot snap = {.uptime_s = (now_ms() - started) / 1000,
                                       .rss_kb = rss_kb()};
        if (h)
            health_update(h, &snap); /* /healthz: this loop is alive */
        /* --once: done when nothing waits, or only what waits beyond a minute */
        if (once && (ms == -1 || ms > 60000))
            break;
        if (ms > 0)
            wait_for_work(c, ms < 0 || ms > l.wait_max ? l.wait_max : ms, &l);
        else
            take_notifications(c, &l); /* the next round is due at once */
    }
    free(l.dirty);
    return 0;
}

/* --http: the receipts callback, /healthz and /metrics, on a connection of
 * their own. NULL (and *err) when it cannot serve. */
static struct health *serve(const struct wall_opts *o, struct receipts *rc, struct err *err)
{
    if (!o->http_addr)
        return NULL;
    if (!rc->cfg->receipt_secret)
        LOG(WARN, "--http without \"receipts\" in the configuration: every receipt is refused");
    rc->conn = pg_connect(rc->conninfo, DELIVER_APP_NAME, err);
    if (!rc->conn)
        return NULL;
    struct http_opts ho = {.flag = "--http", .addr = o->http_addr, .cert = o->http_cert,
                           .key = o->http_key, .insecure = o->http_insecure, .api = handle,
                           .cls = rc, .metrics = metrics};
    return health_start(&ho, err);
}

int cmd_deliver(struct opts *o, int argc, char **argv)
{
    (void)argv;
    if (argc > 0 || !o->app.db || !o->deliver_config) {
        fprintf(stderr, "lotuswall deliver: needs --db and --config, and nothing else\n");
        return 2;
    }
    struct err err = {""};
    struct deliver_config cfg;
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        fprintf(stderr, "lotuswall deliver: libsodium or libcurl did not start\n");
        return 1;
    }
    if (!deliver_config_load(&cfg, o->deliver_config, &err)) {
        fprintf(stderr, "lotuswall deliver: %s\n", err.msg);
        curl_global_cleanup();
        return 1;
    }
    struct receipts rc = {.cfg = &cfg, .conninfo = o->app.db};
    pthread_mutex_init(&rc.lock, NULL);
    PGconn *c = pg_connect(o->app.db, DELIVER_APP_NAME, &err);
    struct health *h = NULL;
    int rc_exit = 1;
    if (!c || !pg_command(c, SESSION_SQL, NULL, &err) ||
        (!(h = serve(&o->wall, &rc, &err)) && o->wall.http_addr)) {
        fprintf(stderr, "lotuswall deliver: %s\n", err.msg);
    } else {
        struct sigaction sa = {.sa_handler = on_signal};
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        rc_exit = run(c, &cfg, &rc, o->once, h);
    }
    health_stop(h);
    PQfinish(rc.conn);
    pthread_mutex_destroy(&rc.lock);
    PQfinish(c);
    deliver_config_finish(&cfg);
    curl_global_cleanup();
    return rc_exit;
}
