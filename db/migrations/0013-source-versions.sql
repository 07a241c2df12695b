-- lotuswall schema migration 0013: a version per source, for walls that
-- cannot LISTEN (issue 15, part 5). A hot-standby replica refuses LISTEN, and
-- a transaction-mode pooler loses the notifications; such a wall asks
-- `SELECT source, version FROM lotuswall.source_versions` (a few dozen rows)
-- instead, each second or when its notify connection to the primary hears a
-- NOTIFY, and reads a source again when its version moved. The version moves
-- in the transaction that wrote the data, so a replica that shows the new
-- version has the new rows too. `lotuswall db schema` writes the same for a
-- new database (src/data/pg.c, schema_head).
--
-- lotuswall_data.source_versions  one row per catalog table that was written:
--                                 version, raised by every statement that
--                                 writes the table, and when.
-- lotuswall.source_versions       the view walls read.
-- notify_refresh() runs as its owner now (SECURITY DEFINER), so a writer of a
-- data table needs no right on source_versions.

CREATE TABLE IF NOT EXISTS lotuswall_data.source_versions (
    source text PRIMARY KEY,
    version bigint NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE VIEW lotuswall.source_versions AS
    SELECT source, version, changed_at FROM lotuswall_data.source_versions;
CREATE OR REPLACE FUNCTION lotuswall_data.notify_refresh() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO lotuswall_data.source_versions AS v (source, version) VALUES (TG_TABLE_NAME, 1)
        ON CONFLICT (source) DO UPDATE SET version = v.version + 1, changed_at = now();
    PERFORM pg_notify('lotuswall_refresh', TG_TABLE_NAME);
    RETURN NULL;
END $$;
GRANT SELECT ON lotuswall.source_versions TO lotuswall_reader;
