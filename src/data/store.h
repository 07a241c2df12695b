/* The data store: the latest published table of every source, by name.
 *
 * Sources (the demo files, the PostgreSQL poller, the warning engine) put
 * whole tables; readers get a reference to the latest one and keep it as long
 * as they like. `lock` guards `tables`, `ntables` and `cap`; tables
 * themselves are immutable once put. */
#ifndef LW_STORE_H
#define LW_STORE_H
#include "data/catalog.h"
#include "data/table.h"
#include "util/err.h"
#include <stdint.h>

struct store;

struct store *store_new(void);
void store_destroy(struct store *s); /* NULL is a no-op */

/* Publishes t under t->name, replacing the previous table; takes over the
 * caller's reference. */
void store_put(struct store *s, struct table *t);
/* A new reference to the latest table, or NULL; release with table_unref(). */
struct table *store_get(struct store *s, const char *name);
/* "a, b, c", for messages. Caller frees. */
char *store_names(struct store *s);
/* The demo source marks its store: the screens then say 演示数据 where a
 * database's provenance (the catalog's 数据来源) would be. */
void store_set_demo(struct store *s, bool demo);
bool store_is_demo(struct store *s);
/* A live source marks its tables offline while its database is unreachable
 * (the panels then show their stale badge at once); unknown names: false. */
void store_set_offline(struct store *s, const char *name, bool offline);
bool store_is_offline(struct store *s, const char *name);
/* A stamp of this store's tables as they are now: it changes with every
 * store_put and is never the same for two stores, so a cache keyed on it
 * cannot mistake one store's data for another's. */
uint64_t store_stamp(struct store *s);
/* Sum of the versions of all tables: changes whenever any table changes. */
uint64_t store_generation(struct store *s);
/* A version of the whole content that means the same on every host (a
 * splice wall's parts compare it): made of each table's name and content
 * hash (table.h: `hash`), whatever the tables' order or local versions. 0
 * for an empty store. */
uint64_t store_content_hash(struct store *s);
/* Puts every table of src into dst (new references), with its offline
 * mark, when src's content hash is `want` (0: whatever it is), checked and
 * taken in one step. Returns the hash copied, or 0 when nothing was. */
uint64_t store_copy(struct store *dst, struct store *src, uint64_t want);
/* Only the offline marks of src onto dst's tables of the same names. */
void store_copy_offline(struct store *dst, struct store *src);

/* The embedded demo source: reads DIR/<table>.csv for the tables named in
 * need[0..nneed) (need NULL: every table of the catalog) that the store
 * does not hold yet, checks each header against the catalog, and puts the
 * tables. Names the catalog does not list, or whose producer makes them,
 * are skipped. Messages name the file and line:column. */
bool demo_load(struct store *s, const struct catalog *cat, const char *dir, int64_t now,
               const char *const *need, size_t nneed, struct err *err);
/* Reads one CSV file into a table shaped by `def`. */
struct table *demo_read_csv(const struct catalog_table *def, const char *path, struct err *err);

#endif
