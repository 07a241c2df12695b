/* Names of the items scene parameters hold: a parameter's value is a key
 * (a region code, a project id, a warning id, an enterprise id) and titles
 * want the item's name — {city_name} → 禹州市, {project_name} → 钧瓷文化产业园.
 * Which table names which parameter is one table in names.c. */
#ifndef LW_NAMES_H
#define LW_NAMES_H
#include "data/store.h"
#include <stdbool.h>
#include <stddef.h>

/* The name of the item `value` of parameter `param` (a parameter without
 * a table of its own names a region), written to buf; false when the
 * table is missing or has no such item (buf untouched). */
bool names_lookup(struct store *store, const char *param, const char *value, char *buf,
                  size_t len);

/* The table that lists the items of parameter `param` ("projects" for
 * project; "regions" for a parameter without a table of its own). */
const char *names_source(const char *param);

/* Column `col` of the row of table `source` whose column `key_col` is
 * `key`, written to buf; false when the table is missing or has no such
 * row (buf untouched). E.g. a region's kind: regions, code, 411081, kind. */
bool names_find(struct store *store, const char *source, const char *key_col, const char *key,
                const char *col, char *buf, size_t len);

#endif
