-- lotuswall schema migration 0009: reserved in the branch fleetbeat for another
-- branch's migration (issue 15 parts 1-2 and others); the merge replaces this
-- file with that branch's.
DO $$ BEGIN END $$;
