-- lotuswall schema migration 0007: PLACEHOLDER on branch `deliver` only.
-- The real 0007-evaluation-finance.sql is written on another branch; at the
-- merge its text replaces this one (this file changes nothing).
DO $$ BEGIN END $$;
