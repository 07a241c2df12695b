-- lotuswall schema migration 0004: reserved. Migration 0004 belongs to the
-- regions branch of issue 11 (every scene follows the city parameter); this
-- no-op stands in for it on the details branch so that 0005 has its
-- predecessor. At the merge, the regions branch's 0004 replaces this file
-- and its name in src/data/migrate.c.
DO $$ BEGIN END $$;
