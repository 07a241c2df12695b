-- lotuswall schema migration 0009: PLACEHOLDER on branch `scenes2` only.
-- The real 0009 is written on the report branch; at the merge its file
-- replaces this one (this file changes nothing).
DO $$ BEGIN END $$;
