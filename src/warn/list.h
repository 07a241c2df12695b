/* Every rule and its state, read back from a `warnings` table (the demo's
 * replayed engine, or the leading engine's table in the database): what
 * `lotuswall rules` prints. The table has a row for every rule instance,
 * also the normal ones, and at least one row per rule (a rule with nothing
 * to watch yet has one instance, in nodata), so it lists every rule of the
 * rules file the engine runs. */
#ifndef LW_WARN_LIST_H
#define LW_WARN_LIST_H
#include "data/table.h"
#include <jansson.h>
#include <stdio.h>

/* One object per rule, in the table's (the rules file's) order:
 *   {"rule", "name", "severity", "state", "departments": [..],
 *    "instances": [{"instance", "state", "state_name", "value",
 *                   "reference", "since", "message"}]}
 * The rule's state is its most urgent instance's: error, firing,
 * recovering, pending, nodata, normal (a broken query first: it hides
 * everything else). Missing numbers are null. t may be NULL (an empty
 * array). Caller owns the result. */
json_t *warn_rules_json(const struct table *t);

/* The same as a text table, one line per instance (the rule's id, name
 * and departments on its first line only), then a count of the rules and
 * of the instances in each state. */
void warn_rules_print(FILE *f, const json_t *rules);

#endif
