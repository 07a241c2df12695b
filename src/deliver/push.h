/* The exchange push of the delivery worker: every data exchange document
 * reaches the city big-data platform (docs/exchange.md, "The push").
 *
 * Documents come from two places into lotuswall_deliver.exchange_outbox,
 * one row per (document, endpoint):
 * - "panels": each lotuswall.exchange_documents row (`run --publish-db`);
 * - a whole source ("warnings", "warning_steps", "appeals", any catalog
 *   source, and "urges": the urge outbox with its receipts), independent
 *   of any panel: a new document whenever its content changes.
 * Each is POSTed at least once with the same Idempotency-Key (source:seq,
 * or panels:id) and the endpoint's signature, in order per (endpoint,
 * source), with backoff, into the dead letter after max_attempts or a
 * refusal. While an endpoint fails, the unsent documents of a source
 * coalesce to the newest, and each dropped one is counted; warnings,
 * warning steps and urges (with their receipts) never coalesce.
 *
 * All functions run on the worker's connection, one transaction each. */
#ifndef LW_DELIVER_PUSH_H
#define LW_DELIVER_PUSH_H
#include "util/err.h"
#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>

struct channel;
struct deliver_config;

struct push_config {
    struct channel **endpoints; /* by name: channel_kind() */
    size_t nendpoints;
    char **sources;             /* "panels", "urges", or a catalog source's name */
    size_t nsources;
    json_t *mapping;            /* the mapping file; NULL: the documents as they are */
    int max_attempts;           /* into the dead letter after this many (default 20) */
};

/* The configuration's "exchange" object (NULL: no push). false + *err
 * naming the file and the JSON path. */
bool push_config_load(struct push_config *pc, json_t *o, const char *path, struct err *err);
void push_config_finish(struct push_config *pc);

/* '{a,b}': the endpoints' names as a text[] literal (names are letters,
 * digits, _ and -; '{}' without endpoints). Caller frees. */
char *push_endpoints(const struct push_config *pc);

/* Takes the new documents of the sources marked dirty (one flag per
 * source) into the outbox, and clears their flags. The number taken, -1 +
 * *err. */
int push_collect(PGconn *c, const struct push_config *pc, bool *dirty, struct err *err);
/* Coalesces the unsent documents of a source to its newest, where the
 * endpoint is failing. The number dropped, -1 + *err. */
int push_coalesce(PGconn *c, struct err *err);
/* Claims, sends and records one due document: 1 sent, 2 failed (retried
 * later, or dead), 0 when none is due, -1 + *err on a database error. */
int push_send_one(PGconn *c, const struct deliver_config *cfg, struct err *err);
/* Retention: urges (and their deliveries) finished more than retention_s
 * ago whose episode is closed, finished exchange rows, and exchange
 * documents already taken. Rows of an open episode stay. */
bool push_prune(PGconn *c, long retention_s, struct err *err);

/* The document as the mapping wants it: fields renamed everywhere, then
 * put in the mapping's envelope ({document}, {key}, {source}, {sent_at}).
 * Takes doc's reference; returns a new one. */
json_t *push_map(const json_t *mapping, json_t *doc, const char *key, const char *source);

#endif
