-- lotuswall schema migration 0011: the fleet's configuration in the database
-- (issue 15, parts 1 and 2). `lotuswall db schema` ends with this same text
-- for a new database (src/data/pg.c embeds the file).
--
-- lotuswall.config_documents  scenes, playlists, rules and wall files as
--                             versioned documents: a new row per version,
--                             never changed or removed. The content is the
--                             file as pushed; its hash (sha256, hex), who
--                             pushed it (the database login) and when (the
--                             server's clock) are the database's word, set by
--                             the trigger, never by the client.
-- lotuswall.wall_assignments  which wall (its --wall-name) shows which playlist
--                             with which parameters (a JSON object of
--                             strings, e.g. {"city": "411081"}).
-- Every change sends NOTIFY lotuswall_config, and the walls that follow the
-- database take the new set at once (`lotuswall run --db --wall-name NAME`).
-- Roles:
-- lotuswall_config  pushes documents and sets assignments (`lotuswall config
--                   push|assign --db`); reads them back (list, pull, history).
-- lotuswall_reader  (every wall) reads the documents and the assignments.

CREATE TABLE IF NOT EXISTS lotuswall.config_documents (
    kind text NOT NULL CHECK (kind IN ('scene', 'playlist', 'rules', 'wall')),
    name text NOT NULL CHECK (name ~ '^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$'),
    version integer NOT NULL CHECK (version >= 1),
    content text NOT NULL CHECK (octet_length(content) <= 4194304),
    hash text NOT NULL DEFAULT '',
    author text NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, name, version)
);

CREATE TABLE IF NOT EXISTS lotuswall.wall_assignments (
    wall text PRIMARY KEY CHECK (octet_length(wall) BETWEEN 1 AND 128),
    playlist text NOT NULL CHECK (playlist ~ '^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$'),
    params jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
    author text NOT NULL DEFAULT session_user,
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- the hash, the author and the time: the server's, whatever the client sent
CREATE OR REPLACE FUNCTION lotuswall.stamp_config() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'config_documents' THEN
        NEW.hash := encode(sha256(convert_to(NEW.content, 'UTF8')), 'hex');
        NEW.created_at := now();
    ELSE
        NEW.changed_at := now();
    END IF;
    NEW.author := session_user;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION lotuswall.notify_config() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lotuswall_config', '');
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS lotuswall_stamp ON lotuswall.config_documents;
CREATE TRIGGER lotuswall_stamp BEFORE INSERT OR UPDATE ON lotuswall.config_documents
    FOR EACH ROW EXECUTE FUNCTION lotuswall.stamp_config();
DROP TRIGGER IF EXISTS lotuswall_stamp ON lotuswall.wall_assignments;
CREATE TRIGGER lotuswall_stamp BEFORE INSERT OR UPDATE ON lotuswall.wall_assignments
    FOR EACH ROW EXECUTE FUNCTION lotuswall.stamp_config();
DROP TRIGGER IF EXISTS lotuswall_notify ON lotuswall.config_documents;
CREATE TRIGGER lotuswall_notify AFTER INSERT OR UPDATE OR DELETE ON lotuswall.config_documents
    FOR EACH STATEMENT EXECUTE FUNCTION lotuswall.notify_config();
DROP TRIGGER IF EXISTS lotuswall_notify ON lotuswall.wall_assignments;
CREATE TRIGGER lotuswall_notify AFTER INSERT OR UPDATE OR DELETE ON lotuswall.wall_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION lotuswall.notify_config();

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotuswall_config') THEN
        CREATE ROLE lotuswall_config NOLOGIN;
    END IF;
END $$;
REVOKE ALL ON lotuswall.config_documents, lotuswall.wall_assignments FROM PUBLIC;
REVOKE ALL ON FUNCTION lotuswall.stamp_config(), lotuswall.notify_config() FROM PUBLIC;
GRANT USAGE ON SCHEMA lotuswall TO lotuswall_config;
GRANT SELECT ON lotuswall.config_documents, lotuswall.wall_assignments
    TO lotuswall_reader, lotuswall_config;
GRANT INSERT (kind, name, version, content) ON lotuswall.config_documents TO lotuswall_config;
GRANT INSERT (wall, playlist, params), UPDATE (playlist, params), DELETE
    ON lotuswall.wall_assignments TO lotuswall_config;
