/* The engine's state as tables: `warnings` (one row per rule instance) and
 * `warning_steps` (the handling and urge trail of each warning), shaped by
 * their definitions in db/catalog.json ("producer": "engine"), so that the
 * warnings scene binds them like any other source. */
#ifndef LW_WARN_PUBLISH_H
#define LW_WARN_PUBLISH_H
#include "data/catalog.h"
#include "data/store.h"
#include "warn/eval.h"

/* Builds both tables (caller owns them; version = the states' generation,
 * fetched_at = the evaluation time). false + *err when the catalog lacks
 * the tables or a column the engine fills. */
bool warn_tables(const struct catalog *cat, const struct rules *rules,
                 const struct warn_states *st, struct table **warnings,
                 struct table **steps, struct err *err);
/* Builds the tables and puts them into the store. */
bool warn_publish(struct store *store, const struct catalog *cat, const struct rules *rules,
                  const struct warn_states *st, struct err *err);

#endif
