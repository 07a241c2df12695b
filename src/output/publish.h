/* Publishing the data exchange document continuously: one document per new
 * data version, to a folder (written atomically) and, optionally, to the
 * PostgreSQL table lotuswall.exchange_documents with NOTIFY
 * lotuswall_exchange, for the city big-data platform to consume. */
#ifndef LW_PUBLISH_H
#define LW_PUBLISH_H
#include "util/err.h"
#include <jansson.h>
#include <stdint.h>

#define LW_EXCHANGE_CHANNEL "lotuswall_exchange"

struct publisher;

/* dir may be NULL (no files); conninfo NULL = no database. The database
 * role needs INSERT on lotuswall.exchange_documents (lotuswall_engine). */
struct publisher *publisher_new(const char *dir, const char *conninfo, struct err *err);
/* Writes DIR/exchange-<unix ms>-<generation>.json and inserts the row; a failing
 * database is logged once and retried with the next document. */
bool publisher_publish(struct publisher *p, json_t *doc, uint64_t generation, struct err *err);
void publisher_destroy(struct publisher *p); /* NULL is a no-op */

#endif
