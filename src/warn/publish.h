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
/* `warning_series`: each warning's indicator against its reference over
 * the periods of the rule's data (the rule's query without "$latest"; the
 * reference is the rule's reference column, or its threshold or rank). A
 * rule without periods (one observation, e.g. a count of overdue appeals)
 * has no rows. Caller owns the table; NULL + *err when the catalog lacks it
 * or a column. */
struct table *warn_series_table(const struct catalog *cat, const struct rules *rules,
                                const struct warn_states *st, const struct warn_snapshot *snap,
                                struct err *err);
/* Builds the three tables (the series from the store's data) and puts them
 * into the store. */
bool warn_publish(struct store *store, const struct catalog *cat, const struct rules *rules,
                  const struct warn_states *st, struct err *err);

/* Reading a `warnings` table back (the wall, the CLI), its columns found
 * once. Init returns false when t (may be NULL) lacks them. */
struct warn_reader {
    const struct table *t;
    int state, handling;
};
bool warn_reader_init(struct warn_reader *rd, const struct table *t);
/* Row `row`'s state and handling as enums. false when the row holds a text
 * the engine does not write (or there is no such row); a NULL handling (a
 * warning that never fired) is WH_NONE. */
bool warn_row_status(const struct warn_reader *rd, size_t row, enum warn_state *state,
                     enum warn_handling *handling);
/* Row `row` is an open warning (warn_state_is_open). */
bool warn_row_is_open(const struct warn_reader *rd, size_t row);

#endif
