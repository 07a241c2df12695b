/* The data exchange document: a versioned JSON description of what every
 * panel shows (docs/exchange.md, docs/exchange.schema.json). */
#ifndef LW_EXCHANGE_H
#define LW_EXCHANGE_H
#include "output/export.h"
#include <jansson.h>

#define EXCHANGE_VERSION 1

/* The document for the job's scenes; caller owns it. */
json_t *exchange_document(const struct export_job *job);
/* Writes it to job->path (the ".json" export driver). */
bool exchange_write(const struct export_job *job, struct err *err);

#endif
