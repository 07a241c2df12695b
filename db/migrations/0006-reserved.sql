-- lotuswall schema migration 0006: reserved. Migration 0006 belongs to a
-- branch written in parallel with this one (issue 13); this no-op stands in
-- for it on the scenes branch so that 0007 has its predecessor. At the
-- merge, that branch's 0006 replaces this file and its name in
-- src/data/migrate.c.
DO $$ BEGIN END $$;
