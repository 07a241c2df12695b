/* The exchange push (see push.h): the outbox, the mapping, the retention. */
#include "deliver/push.h"
#include "data/pg.h"
#include "deliver/channel.h"
#include "util/json.h"
#include "render/fmt.h"
#include "util/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* pg_advisory_xact_lock key of the collecting worker: "lotuswax". */
#define COLLECT_LOCK "7813591926308299128"
#define PANELS_BATCH "200"

/* Sources whose every document must arrive: never coalesced. */
static bool never_coalesces(const char *source)
{
    return strcmp(source, "warnings") == 0 || strcmp(source, "warning_steps") == 0 ||
           strcmp(source, "urges") == 0;
}

/* ---- configuration ------------------------------------------------------ */

static bool name_ok(const char *s, const char *allowed)
{
    return s && *s && strspn(s, allowed) == strlen(s) && strlen(s) < 64;
}

static bool load_sources(struct push_config *pc, json_t *a, const char *path, struct err *err)
{
    size_t i, cap = 0;
    json_t *v;
    if (!json_is_array(a) || json_array_size(a) == 0)
        return json_fail(err, path, "exchange.sources", "expected a list of sources: \"panels\", "
                                                        "\"urges\", \"warnings\", …");
    json_array_foreach(a, i, v) {
        const char *s = json_string_value(v);
        if (!name_ok(s, "abcdefghijklmnopqrstuvwxyz0123456789_"))
            return json_fail(err, path, "exchange.sources", "[%zu]: expected a source's name "
                                                            "(a-z, 0-9, _)", i);
        VEC_PUSH(pc->sources, pc->nsources, cap, xstrdup(s));
    }
    return true;
}

static bool load_endpoints(struct push_config *pc, json_t *o, const char *path, struct err *err)
{
    const char *name;
    json_t *v;
    size_t cap = 0;
    if (!json_is_object(o) || json_object_size(o) == 0)
        return json_fail(err, path, "exchange.endpoints", "expected the platform's endpoints "
                                                          "by name");
    json_object_foreach(o, name, v) {
        struct jpath jp;
        jpath_key(&jp, "exchange.endpoints", name);
        if (!name_ok(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"))
            return json_fail(err, path, jp.s, "an endpoint's name is letters, digits, _ and -");
        struct channel *ch = channel_load(name, v, path, jp.s, err);
        if (!ch)
            return false;
        VEC_PUSH(pc->endpoints, pc->nendpoints, cap, ch);
    }
    return true;
}

/* A path relative to the configuration file's folder. Caller frees. */
static char *beside(const char *config, const char *rel)
{
    const char *slash = strrchr(config, '/');
    if (rel[0] == '/' || !slash)
        return xstrdup(rel);
    return xasprintf("%.*s/%s", (int)(slash - config), config, rel);
}

/* The mapping file: rename (field → field) and envelope (any JSON). */
static bool check_mapping(const json_t *m, const char *file, struct err *err)
{
    static const char *const keys[] = {"kind", "version", "comment", "rename", "envelope", NULL};
    json_t *rename = json_object_get(m, "rename");
    const char *k;
    json_t *v;
    if (!json_check_keys(err, file, "", (json_t *)m, keys))
        return false;
    if (rename && !json_is_object(rename))
        return json_fail(err, file, "rename", "expected {\"field\": \"new name\", …}");
    json_object_foreach(rename, k, v)
        if (!json_is_string(v) || !*json_string_value(v))
            return json_fail(err, file, "rename", "%s: expected the new name", k);
    return true;
}

bool push_config_load(struct push_config *pc, json_t *o, const char *path, struct err *err)
{
    memset(pc, 0, sizeof *pc);
    pc->max_attempts = 20;
    if (!o)
        return true;
    static const char *const keys[] = {"endpoints", "sources", "mapping", "max_attempts", NULL};
    json_t *max = json_object_get(o, "max_attempts");
    const char *mapping = json_string_value(json_object_get(o, "mapping"));
    bool ok = json_is_object(o) && json_check_keys(err, path, "exchange", o, keys) &&
              load_endpoints(pc, json_object_get(o, "endpoints"), path, err) &&
              load_sources(pc, json_object_get(o, "sources"), path, err);
    if (ok && max && (!json_is_integer(max) || json_integer_value(max) < 1 ||
                      json_integer_value(max) > 1000))
        ok = json_fail(err, path, "exchange.max_attempts", "expected a whole number from 1 to 1000");
    if (ok && max)
        pc->max_attempts = (int)json_integer_value(max);
    if (ok && json_object_get(o, "mapping") && !mapping)
        ok = json_fail(err, path, "exchange.mapping", "expected the mapping file's path");
    if (ok && mapping) {
        char *full = beside(path, mapping);
        pc->mapping = json_load_checked(full, "exchange-mapping", err);
        ok = pc->mapping && check_mapping(pc->mapping, full, err);
        free(full);
    }
    if (!ok && !json_is_object(o))
        json_fail(err, path, "exchange", "expected an object");
    if (!ok)
        push_config_finish(pc);
    return ok;
}

void push_config_finish(struct push_config *pc)
{
    for (size_t i = 0; i < pc->nendpoints; i++)
        channel_destroy(pc->endpoints[i]);
    for (size_t i = 0; i < pc->nsources; i++)
        free(pc->sources[i]);
    free(pc->endpoints);
    free(pc->sources);
    json_decref(pc->mapping);
    memset(pc, 0, sizeof *pc);
}

/* ---- the mapping -------------------------------------------------------- */

static void rename_all(json_t *v, json_t *rename)
{
    size_t i;
    json_t *x;
    if (json_is_array(v)) {
        json_array_foreach(v, i, x)
            rename_all(x, rename);
        return;
    }
    if (!json_is_object(v))
        return;
    json_t *out = json_object();
    const char *k;
    json_object_foreach(v, k, x) {
        const char *to = json_string_value(json_object_get(rename, k));
        rename_all(x, rename);
        json_object_set(out, to ? to : k, x);
    }
    json_object_clear(v);
    json_object_update(v, out);
    json_decref(out);
}

/* A copy of the envelope template with its placeholders filled. */
static json_t *fill(const json_t *tpl, json_t *doc, const char *const vals[][2], size_t nvals)
{
    if (json_is_string(tpl)) {
        const char *s = json_string_value(tpl);
        if (strcmp(s, "{document}") == 0)
            return json_incref(doc);
        for (size_t i = 0; i < nvals; i++)
            if (strcmp(s, vals[i][0]) == 0)
                return json_string(vals[i][1]);
        return json_deep_copy(tpl);
    }
    json_t *out = json_is_object(tpl) ? json_object() : json_is_array(tpl) ? json_array() : NULL;
    if (!out)
        return json_deep_copy(tpl);
    const char *k;
    size_t i;
    json_t *x;
    if (json_is_object(tpl))
        json_object_foreach((json_t *)tpl, k, x)
            json_object_set_new(out, k, fill(x, doc, vals, nvals));
    else
        json_array_foreach(tpl, i, x)
            json_array_append_new(out, fill(x, doc, vals, nvals));
    return out;
}

json_t *push_map(const json_t *mapping, json_t *doc, const char *key, const char *source)
{
    if (!mapping)
        return doc;
    json_t *rename = json_object_get(mapping, "rename");
    if (json_is_object(rename))
        rename_all(doc, rename);
    const json_t *env = json_object_get(mapping, "envelope");
    if (!env)
        return doc;
    char now[40];
    fmt_rfc3339(now, sizeof now, (int64_t)time(NULL));
    const char *const vals[][2] = {{"{key}", key}, {"{source}", source}, {"{sent_at}", now}};
    json_t *out = fill(env, doc, vals, ARRAY_LEN(vals));
    json_decref(doc);
    return out;
}

/* ---- collecting --------------------------------------------------------- */

char *push_endpoints(const struct push_config *pc)
{
    char *list = NULL;
    for (size_t i = 0; i < pc->nendpoints; i++)
        str_list_add(&list, ",", channel_kind(pc->endpoints[i]));
    char *a = xasprintf("{%s}", list ? list : "");
    free(list);
    return a;
}

/* The rows of a whole source as one jsonb array. "urges": the outbox, each
 * urge with its sends (masked recipients, never a contact) and its receipt
 * as the wall says it. */
static char *rows_sql(const char *source)
{
    if (strcmp(source, "urges") == 0)
        return xstrdup(
            "SELECT coalesce(jsonb_agg(jsonb_build_object('key', o.idem_key, 'warning', o.warning,\n"
            "  'rule', o.rule, 'instance', o.instance, 'department', o.department, 'step', o.step,\n"
            "  'escalation', o.escalation, 'text', o.text, 'created_at', o.created_at,\n"
            "  'refused', o.refused, 'receipt', CASE WHEN o.refused THEN '失败'\n"
            "    ELSE lotuswall_deliver.urge_receipt(o.id) END,\n"
            "  'sends', (SELECT coalesce(jsonb_agg(jsonb_build_object('key', d.key,\n"
            "     'channel', d.channel, 'recipient', d.recipient, 'state', d.state,\n"
            "     'attempts', d.attempts, 'error', d.last_error, 'sent_at', d.sent_at,\n"
            "     'delivered_at', d.delivered_at) ORDER BY d.key), '[]'::jsonb)\n"
            "   FROM lotuswall_deliver.deliveries d WHERE d.outbox = o.id)) ORDER BY o.id),\n"
            "  '[]'::jsonb) FROM lotuswall.urge_outbox o");
    char *q = pg_quote_ident(source);
    char *sql = xasprintf("SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb) FROM lotuswall.%s t",
                          q);
    free(q);
    return sql;
}

/* A new document of a whole source when its content changed since the last. */
static int collect_source(PGconn *c, const char *source, const char *endpoints, struct err *err)
{
    char *rows = rows_sql(source);
    char *sql = xasprintf(
        "WITH doc AS (SELECT (%s) AS rows),\n"
        "cur AS (INSERT INTO lotuswall_deliver.exchange_sources AS s (name, seq, hash)\n"
        "  SELECT $1, 1, md5(rows::text) FROM doc ON CONFLICT (name) DO UPDATE\n"
        "  SET seq = s.seq + 1, hash = EXCLUDED.hash WHERE s.hash <> EXCLUDED.hash RETURNING seq),\n"
        "ins AS (INSERT INTO lotuswall_deliver.exchange_outbox (endpoint, source, key, coalesces,\n"
        "  document) SELECT e, $1, $1 || ':' || cur.seq, $3::boolean, jsonb_build_object(\n"
        "  'format', 'lotuswall-exchange', 'version', 1,\n"
        "  'generated_at', to_char(now(), 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM'),\n"
        "  'producer', jsonb_build_object('name', 'lotuswall', 'version', $4::text),\n"
        "  'data', 'database', 'source', jsonb_build_object('name', $1::text,\n"
        "  'sequence', cur.seq, 'count', jsonb_array_length(doc.rows)), 'rows', doc.rows)\n"
        "  FROM cur, doc, unnest($2::text[]) e ORDER BY e RETURNING 1)\n"
        "SELECT count(*) FROM ins",
        rows);
    const char *params[] = {source, endpoints, never_coalesces(source) ? "false" : "true",
                            LW_VERSION};
    PGresult *res = PQexecParams(c, sql, 4, NULL, params, NULL, NULL, 0);
    char *what = xasprintf("exchange: source %s", source);
    int n = pg_result_ok(res, PGRES_TUPLES_OK, what, err) ? atoi(PQgetvalue(res, 0, 0)) : -1;
    PQclear(res);
    free(what);
    free(sql);
    free(rows);
    return n;
}

/* The exchange documents published since the last taken, in their order. */
static int collect_panels(PGconn *c, const char *endpoints, struct err *err)
{
    const char *params[] = {endpoints};
    PGresult *res = PQexecParams(
        c,
        "WITH last AS (SELECT coalesce(max(seq), 0) AS id FROM lotuswall_deliver.exchange_sources\n"
        "  WHERE name = 'panels'),\n"
        "docs AS (SELECT d.id, d.document FROM lotuswall.exchange_documents d, last\n"
        "  WHERE d.id > last.id ORDER BY d.id LIMIT " PANELS_BATCH "),\n"
        "bump AS (INSERT INTO lotuswall_deliver.exchange_sources AS s (name, seq)\n"
        "  SELECT 'panels', max(id) FROM docs HAVING count(*) > 0\n"
        "  ON CONFLICT (name) DO UPDATE SET seq = EXCLUDED.seq RETURNING seq),\n"
        "ins AS (INSERT INTO lotuswall_deliver.exchange_outbox (endpoint, source, key, document)\n"
        "  SELECT e, 'panels', 'panels:' || d.id, d.document FROM docs d, unnest($1::text[]) e\n"
        "  ORDER BY d.id, e RETURNING 1)\n"
        "SELECT count(*) FROM ins",
        1, NULL, params, NULL, NULL, 0);
    int n = pg_result_ok(res, PGRES_TUPLES_OK, "exchange: panels", err)
                ? atoi(PQgetvalue(res, 0, 0)) : -1;
    PQclear(res);
    return n;
}

/* One source in a transaction of its own, one collecting worker at a time
 * (two could otherwise number two snapshots out of order). */
static int collect_one(PGconn *c, const char *source, const char *endpoints, struct err *err)
{
    if (!pg_command(c, "BEGIN", NULL, err))
        return -1;
    int n = -1;
    PGresult *lock = PQexec(c, "SELECT pg_advisory_xact_lock(" COLLECT_LOCK ")");
    if (pg_result_ok(lock, PGRES_TUPLES_OK, "exchange: collect lock", err))
        n = strcmp(source, "panels") == 0 ? collect_panels(c, endpoints, err)
                                           : collect_source(c, source, endpoints, err);
    PQclear(lock);
    if (n >= 0 && pg_command(c, "COMMIT", NULL, err))
        return n;
    PQclear(PQexec(c, "ROLLBACK"));
    return -1;
}

int push_collect(PGconn *c, const struct push_config *pc, bool *dirty, struct err *err)
{
    if (!pc->nendpoints)
        return 0;
    char *endpoints = push_endpoints(pc);
    int total = 0;
    bool failed = false;
    for (size_t i = 0; i < pc->nsources; i++) {
        if (!dirty[i])
            continue;
        int n;
        while ((n = collect_one(c, pc->sources[i], endpoints, err)) > 0 &&
               strcmp(pc->sources[i], "panels") == 0)
            total += n;
        if (n < 0) { /* the others go on; the error is the caller's to log */
            failed = true;
            if (PQstatus(c) != CONNECTION_OK)
                break;
        }
        total += n > 0 ? n : 0;
        dirty[i] = n < 0; /* looked at: again only when it changes (or failed) */
    }
    free(endpoints);
    return failed ? -1 : total;
}

int push_coalesce(PGconn *c, struct err *err)
{
    PGresult *res = PQexec(
        c,
        "WITH down AS (SELECT DISTINCT endpoint FROM lotuswall_deliver.exchange_outbox\n"
        "  WHERE state = 'failed'),\n"
        "gone AS (UPDATE lotuswall_deliver.exchange_outbox x SET state = 'dropped',\n"
        "  document = NULL, done_at = now(),\n"
        "  last_error = 'coalesced: a newer document of its source was waiting'\n"
        "  WHERE x.id IN (SELECT y.id FROM lotuswall_deliver.exchange_outbox y JOIN down\n"
        "    USING (endpoint) WHERE y.state IN ('pending', 'failed') AND y.coalesces\n"
        "    AND EXISTS (SELECT FROM lotuswall_deliver.exchange_outbox z\n"
        "      WHERE z.endpoint = y.endpoint AND z.source = y.source AND z.id > y.id\n"
        "      AND z.state IN ('pending', 'failed'))\n"
        "    FOR UPDATE OF y SKIP LOCKED)\n"
        "  RETURNING x.source),\n"
        "counted AS (UPDATE lotuswall_deliver.exchange_sources s SET dropped = s.dropped + g.n\n"
        "  FROM (SELECT source, count(*) AS n FROM gone GROUP BY source) g\n"
        "  WHERE s.name = g.source RETURNING 1)\n"
        "SELECT count(*) FROM gone");
    int n = pg_result_ok(res, PGRES_TUPLES_OK, "exchange: coalesce", err)
                ? atoi(PQgetvalue(res, 0, 0)) : -1;
    PQclear(res);
    if (n > 0)
        LOG(WARN, "exchange: the platform is failing: %d waiting document(s) dropped for a "
                  "newer one of the same source (lotuswall_exchange_dropped_total)", n);
    return n;
}

/* ---- sending ------------------------------------------------------------ */

/* The oldest open document of its (endpoint, source), due, not held by
 * another worker: held while it is sent, so that order holds per source. */
static const char claim_sql[] =
    "SELECT x.key, x.endpoint, x.source, x.attempts, x.document::text\n"
    "FROM lotuswall_deliver.exchange_outbox x\n"
    "WHERE x.state IN ('pending', 'failed') AND x.next_at <= now()\n"
    "  AND x.endpoint = ANY($1::text[])\n"
    "  AND NOT EXISTS (SELECT FROM lotuswall_deliver.exchange_outbox p\n"
    "    WHERE p.endpoint = x.endpoint AND p.source = x.source\n"
    "    AND p.state IN ('pending', 'failed') AND p.id < x.id)\n"
    "ORDER BY x.next_at, x.id LIMIT 1 FOR UPDATE OF x SKIP LOCKED";

enum { X_KEY, X_ENDPOINT, X_SOURCE, X_ATTEMPTS, X_DOCUMENT };

static const struct channel *endpoint(const struct push_config *pc, const char *name)
{
    for (size_t i = 0; i < pc->nendpoints; i++)
        if (strcmp(channel_kind(pc->endpoints[i]), name) == 0)
            return pc->endpoints[i];
    return NULL;
}

static bool record(PGconn *c, const PGresult *r, const char *state, const char *error,
                   long retry_ms, struct err *err)
{
    char ms[32];
    snprintf(ms, sizeof ms, "%ld", retry_ms);
    const char *params[] = {PQgetvalue(r, 0, X_ENDPOINT), PQgetvalue(r, 0, X_KEY), state, error,
                            ms};
    return pg_command_params(
        c,
        "UPDATE lotuswall_deliver.exchange_outbox SET state = $3, last_error = $4,\n"
        "  attempts = attempts + 1, next_at = now() + $5::bigint * interval '1 millisecond',\n"
        "  sent_at = CASE WHEN $3 = 'sent' THEN now() END,\n"
        "  done_at = CASE WHEN $3 IN ('sent', 'dead') THEN now() END,\n"
        "  document = CASE WHEN $3 = 'sent' THEN NULL ELSE document END\n"
        "WHERE endpoint = $1 AND key = $2",
        5, params, "exchange: record", err);
}

/* The body of the held document as the endpoint wants it, or NULL + why. */
static char *body_of(const struct push_config *pc, const PGresult *r, char *why, size_t len)
{
    if (!pc->mapping) /* as the database wrote it: no parse, no copy */
        return xstrdup(PQgetvalue(r, 0, X_DOCUMENT));
    json_error_t je;
    json_t *doc = json_loads(PQgetvalue(r, 0, X_DOCUMENT), 0, &je);
    if (!doc) {
        snprintf(why, len, "the document does not parse: %s", je.text);
        return NULL;
    }
    doc = push_map(pc->mapping, doc, PQgetvalue(r, 0, X_KEY), PQgetvalue(r, 0, X_SOURCE));
    char *body = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(doc);
    return body;
}

/* 1: sent, 2: failed (or dead), -1: a database error. */
static int send_held(PGconn *c, const PGresult *r, const struct deliver_config *cfg,
                     struct err *err)
{
    const char *key = PQgetvalue(r, 0, X_KEY), *name = PQgetvalue(r, 0, X_ENDPOINT);
    const struct channel *ch = endpoint(&cfg->push, name);
    char why[512] = "";
    enum send_result sr = SEND_REFUSED;
    char *body = NULL;
    if (!ch)
        snprintf(why, sizeof why, "no endpoint %s in the configuration", name);
    else if (PQgetisnull(r, 0, X_DOCUMENT))
        snprintf(why, sizeof why, "the document is gone");
    else if ((body = body_of(&cfg->push, r, why, sizeof why))) {
        char *idem = xasprintf("Idempotency-Key: %s", key);
        char *src = xasprintf("X-Lotuswall-Source: %s", PQgetvalue(r, 0, X_SOURCE));
        const char *extra[] = {idem, src, NULL};
        struct send_values v = {.recipient = name, .text = "", .key = key};
        sr = channel_post(ch, body, &v, extra, why, sizeof why);
        free(idem);
        free(src);
    }
    free(body);
    int attempts = atoi(PQgetvalue(r, 0, X_ATTEMPTS)) + 1;
    if (sr == SEND_OK)
        return record(c, r, "sent", NULL, 0, err) ? 1 : -1;
    if (sr == SEND_RETRY && attempts < cfg->push.max_attempts) {
        long ms = deliver_backoff_ms(cfg, attempts);
        LOG(INFO, "exchange %s to %s: try %d failed (%s), again in %ld ms", key, name, attempts,
            why, ms);
        return record(c, r, "failed", why, ms, err) ? 2 : -1;
    }
    LOG(WARN, "exchange %s to %s: into the dead letter after %d tries: %s", key, name, attempts,
        why);
    return record(c, r, "dead", why, 0, err) ? 2 : -1;
}

int push_send_one(PGconn *c, const struct deliver_config *cfg, struct err *err)
{
    if (!cfg->push.nendpoints)
        return 0;
    if (!pg_command(c, "BEGIN", NULL, err))
        return -1;
    char *mine = push_endpoints(&cfg->push); /* another worker's endpoints are its own */
    const char *params[] = {mine};
    PGresult *r = PQexecParams(c, claim_sql, 1, NULL, params, NULL, NULL, 0);
    free(mine);
    int n = pg_result_ok(r, PGRES_TUPLES_OK, "exchange: claim", err) ? PQntuples(r) : -1;
    if (n == 1)
        n = send_held(c, r, cfg, err);
    PQclear(r);
    if (n >= 0 && pg_command(c, "COMMIT", NULL, err))
        return n;
    PQclear(PQexec(c, "ROLLBACK"));
    return -1;
}

/* ---- retention ---------------------------------------------------------- */

bool push_prune(PGconn *c, long retention_s, struct err *err)
{
    if (retention_s <= 0)
        return true;
    char secs[32];
    snprintf(secs, sizeof secs, "%ld", retention_s);
    const char *params[] = {secs};
    /* an urge of a warning still in lotuswall.warnings under its id, in any
     * state but normal, is of an open episode: kept, or a new leader would
     * write it again and send it again */
    PGresult *res = PQexecParams(
        c,
        "WITH old AS (SELECT now() - make_interval(secs => $1::double precision) AS t),\n"
        "urges AS (DELETE FROM lotuswall.urge_outbox o USING old\n"
        "  WHERE o.created_at < old.t AND (o.sent_at IS NOT NULL OR o.refused)\n"
        "  AND NOT EXISTS (SELECT FROM lotuswall_deliver.deliveries d WHERE d.outbox = o.id\n"
        "    AND (d.state IN ('pending', 'failed') OR coalesce(d.delivered_at, d.dead_at,\n"
        "         d.sent_at, d.created_at) >= old.t))\n"
        "  AND NOT EXISTS (SELECT FROM lotuswall.warnings w WHERE w.id = o.warning\n"
        "    AND w.state <> 'normal') RETURNING 1),\n"
        "sends AS (DELETE FROM lotuswall_deliver.exchange_outbox x USING old\n"
        "  WHERE x.state IN ('sent', 'dead', 'dropped') AND x.done_at < old.t RETURNING 1),\n"
        "docs AS (DELETE FROM lotuswall.exchange_documents d USING old\n"
        "  WHERE d.published_at < old.t AND d.id <= coalesce((SELECT seq FROM\n"
        "    lotuswall_deliver.exchange_sources WHERE name = 'panels'), 9223372036854775807)\n"
        "  RETURNING 1)\n"
        "SELECT (SELECT count(*) FROM urges), (SELECT count(*) FROM sends),\n"
        "       (SELECT count(*) FROM docs)",
        1, NULL, params, NULL, NULL, 0);
    bool ok = pg_result_ok(res, PGRES_TUPLES_OK, "retention", err);
    if (ok && (atoi(PQgetvalue(res, 0, 0)) || atoi(PQgetvalue(res, 0, 1)) ||
               atoi(PQgetvalue(res, 0, 2))))
        LOG(INFO, "retention: pruned %s urge(s) of closed episodes, %s finished exchange "
                  "row(s), %s exchange document(s)",
            PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
    PQclear(res);
    return ok;
}
