/* Schema migrations: moving an existing database to the schema this
 * lotuswall expects, with its rows.
 *
 * The schema has a version (lotuswall.schema_migrations, LW_SCHEMA_VERSION).
 * Version 1 is frozen as db/migrations/0001-initial.sql; every later change
 * of the catalog or the roles ships as db/migrations/NNNN-name.sql, named in
 * migrate.c's list, and `db schema` (generated from the catalog) must equal
 * version 1 plus every migration — tests/pg/test_migrate.py compares the two
 * databases (pg_dump --schema-only, grants included, and the demo rows).
 * The folder is found next to the catalog: dirname(catalog)/migrations.
 *
 * Both entry points take a session-level advisory lock first, so two
 * administrators (or two deploy scripts) never migrate one database at once. */
#ifndef LW_MIGRATE_H
#define LW_MIGRATE_H
#include "data/catalog.h"
#include "util/err.h"
#include <libpq-fe.h>
#include <stdbool.h>

/* The description of migration `version` (1..LW_SCHEMA_VERSION), which is
 * also its file name without the number and ".sql": "reader-grants". NULL
 * for a number given to a branch that is merged separately: nothing to
 * apply. */
const char *migrate_name(int version);

/* The database's schema version: 0 without a schema lotuswall, 1 with one
 * but without lotuswall.schema_migrations (databases made before it). */
bool migrate_version(PGconn *conn, int *version, struct err *err);

/* Applies DIR/NNNN-name.sql for every version the database lacks, in order,
 * each in its own transaction together with its version row. Refuses a
 * database newer than this lotuswall. *from: the version found; *to: the
 * version reached (also on failure: the migrations before stay applied). */
bool migrate_run(PGconn *conn, const char *dir, int *from, int *to, struct err *err);

/* `db init`: an empty database gets the schema generated from the catalog
 * with every version recorded; a database at this version gets it again
 * (idempotent); an older one is migrated (migrate_run). */
bool migrate_init(PGconn *conn, const struct catalog *cat, const char *dir, int *from,
                  struct err *err);

/* dirname(catalog_path)/migrations. Caller frees. */
char *migrate_dir(const char *catalog_path);

#endif
