-- lotuswall schema migration 0012: the fleet's heartbeats, the fleet view and
-- steering walls through the database (issue 15, part 3). `lotuswall db
-- schema` ends with this same text for a new database (src/data/pg.c embeds
-- the file).
--
-- lotuswall.wall_logins    which database login may speak for which wall, and
--                          the wall's region (区划代码): kept by an admin.
-- lotuswall.walls          one row per wall, rewritten by the wall itself every
--                          --beat seconds (`run --db --wall-name NAME`): what
--                          it shows, its data, its costs, its last error, a
--                          thumbnail. beat_at is the database's clock at the
--                          write, so liveness never depends on a wall's clock.
--                          Row-level security: a wall login writes only the
--                          row of the wall registered to it.
-- lotuswall.fleet          the view the `fleet` scene and `lotuswall fleet`
--                          read: every wall, its state judged at read time on
--                          the database's clock (离线 after two missed beats).
-- lotuswall.wall_commands  `lotuswall steer`: one row per command, applied by
--                          the wall in id order and answered (answered_at, ok,
--                          result); each insert sends NOTIFY lotuswall_steer
--                          with the wall's name. Who steered is the database's
--                          word: the account whose db_login is the session's.
-- lotuswall_auth.account_walls  an account limited to named walls or regions:
--                          with rows here it may steer only those.
-- Roles:
-- lotuswall_wall   a wall's login: reads like a reader, writes its own
--                  heartbeat row, reads and answers its own commands.
-- lotuswall_steer  a person's login that steers walls (`lotuswall steer`), as
--                  the console account linked to it (user add --db-login).

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotuswall_wall') THEN
        CREATE ROLE lotuswall_wall NOLOGIN IN ROLE lotuswall_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotuswall_steer') THEN
        CREATE ROLE lotuswall_steer NOLOGIN;
    END IF;
END $$;

CREATE TABLE IF NOT EXISTS lotuswall.wall_logins (
    wall text PRIMARY KEY CHECK (octet_length(wall) BETWEEN 1 AND 63),
    db_login text NOT NULL,
    region_code text NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS lotuswall.walls (
    name text PRIMARY KEY CHECK (octet_length(name) BETWEEN 1 AND 63),
    host text NOT NULL DEFAULT '',
    version text NOT NULL DEFAULT '',
    scene text NOT NULL DEFAULT '',
    title text NOT NULL DEFAULT '',
    params jsonb NOT NULL DEFAULT '{}',
    data_version bigint NOT NULL DEFAULT 0,
    data_age_s double precision,
    data_stale boolean NOT NULL DEFAULT false,
    frame_ms double precision,
    rss_kb bigint,
    outputs text NOT NULL DEFAULT '',
    last_error text,
    error_at timestamptz,
    thumbnail bytea CHECK (octet_length(thumbnail) <= 262144),
    interval_s integer NOT NULL DEFAULT 5 CHECK (interval_s BETWEEN 1 AND 3600),
    scene_since_ms bigint,
    started_at timestamptz,
    beat_at timestamptz NOT NULL DEFAULT now(),
    db_login text NOT NULL DEFAULT session_user
);

-- The database's clock and login, whatever the wall sends; error_at is when
-- the last error first appeared (the same error again is not news).
CREATE OR REPLACE FUNCTION lotuswall_data.stamp_beat() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.beat_at := now();
    NEW.db_login := session_user;
    IF NEW.last_error IS NULL OR NEW.last_error = '' THEN
        NEW.error_at := NULL;
    ELSIF TG_OP = 'INSERT' OR NEW.last_error IS DISTINCT FROM OLD.last_error THEN
        NEW.error_at := now();
    ELSE
        NEW.error_at := OLD.error_at;
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS lotuswall_beat ON lotuswall.walls;
CREATE TRIGGER lotuswall_beat BEFORE INSERT OR UPDATE ON lotuswall.walls
    FOR EACH ROW EXECUTE FUNCTION lotuswall_data.stamp_beat();

-- Is this session's login the one registered for the wall?
CREATE OR REPLACE FUNCTION lotuswall_data.wall_is_mine(wall text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT FROM lotuswall.wall_logins m
                   WHERE m.wall = wall_is_mine.wall AND m.db_login = session_user)
$$;

ALTER TABLE lotuswall.walls ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS walls_read ON lotuswall.walls;
CREATE POLICY walls_read ON lotuswall.walls FOR SELECT USING (true);
DROP POLICY IF EXISTS walls_insert ON lotuswall.walls;
CREATE POLICY walls_insert ON lotuswall.walls FOR INSERT
    WITH CHECK (lotuswall_data.wall_is_mine(name));
DROP POLICY IF EXISTS walls_update ON lotuswall.walls;
CREATE POLICY walls_update ON lotuswall.walls FOR UPDATE
    USING (lotuswall_data.wall_is_mine(name)) WITH CHECK (lotuswall_data.wall_is_mine(name));

-- The fleet as the screens show it. 离线: no beat for two intervals; 报错: an
-- error in the last ten minutes; 数据陈旧: the wall shows stale or offline
-- data; else 正常. Ages are the database's now() minus its own beat_at. The
-- region names come from the table, not the view, which an ETL may replace.
CREATE OR REPLACE VIEW lotuswall.fleet AS
    SELECT w.name, coalesce(m.region_code, '') AS region_code, coalesce(r.name, '') AS region,
           w.host, w.version, w.scene, w.title AS scene_title, w.params::text AS params,
           CASE WHEN now() - w.beat_at > make_interval(secs => 2 * w.interval_s) THEN '离线'
                WHEN w.error_at > now() - interval '10 minutes' THEN '报错'
                WHEN w.data_stale THEN '数据陈旧'
                ELSE '正常' END AS state,
           CASE WHEN now() - w.beat_at > make_interval(secs => 2 * w.interval_s)
                THEN 0 ELSE 1 END::double precision AS alive,
           extract(epoch FROM now() - w.beat_at)::double precision AS beat_age_s,
           (w.data_age_s + extract(epoch FROM now() - w.beat_at))::double precision
               AS data_age_s,
           w.frame_ms, (w.rss_kb / 1024.0)::double precision AS rss_mb, w.outputs,
           coalesce(w.last_error, '') AS last_error,
           translate(coalesce(encode(w.thumbnail, 'base64'), ''), E'\n', '') AS thumbnail,
           w.interval_s::double precision AS interval_s,
           w.scene_since_ms::double precision AS scene_since_ms
    FROM lotuswall.walls w
    LEFT JOIN lotuswall.wall_logins m ON m.wall = w.name
    LEFT JOIN lotuswall_data.regions r ON r.code = m.region_code
    ORDER BY coalesce(r.sort, 1e9), w.name;

CREATE TABLE IF NOT EXISTS lotuswall.wall_commands (
    id bigserial PRIMARY KEY,
    wall text NOT NULL,
    command text NOT NULL CHECK (command IN ('show', 'back', 'home', 'reload', 'restart')),
    scene text,
    params jsonb NOT NULL DEFAULT '{}',
    "by" text NOT NULL DEFAULT '',
    db_login text NOT NULL DEFAULT session_user,
    addr text,
    created_at timestamptz NOT NULL DEFAULT now(),
    answered_at timestamptz,
    ok boolean,
    result text
);
CREATE INDEX IF NOT EXISTS wall_commands_open ON lotuswall.wall_commands (wall, id)
    WHERE answered_at IS NULL;

CREATE TABLE IF NOT EXISTS lotuswall_auth.account_walls (
    account text NOT NULL REFERENCES lotuswall_auth.accounts (name) ON DELETE CASCADE,
    wall text NOT NULL DEFAULT '',
    region_code text NOT NULL DEFAULT '',
    CHECK ((wall = '') <> (region_code = '')),
    PRIMARY KEY (account, wall, region_code)
);

-- Who steers, and whether they may: the account linked to this login (else
-- one of the login's name), enabled, presenter or above, and — when it has
-- rows in account_walls — limited to those walls and regions.
CREATE OR REPLACE FUNCTION lotuswall_auth.stamp_command() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a lotuswall_auth.accounts;
BEGIN
    SELECT * INTO a FROM lotuswall_auth.accounts x
        WHERE x.db_login = session_user OR (x.name = session_user AND x.db_login IS NULL)
        ORDER BY x.db_login IS NULL LIMIT 1;
    IF NOT FOUND OR a.disabled THEN
        RAISE EXCEPTION 'steer: the login % has no enabled account (lotuswall user add --db-login)',
            session_user;
    END IF;
    IF a.role = 'viewer' THEN
        RAISE EXCEPTION 'steer: the account % is a viewer; steering takes presenter or above',
            a.name;
    END IF;
    IF EXISTS (SELECT FROM lotuswall_auth.account_walls l WHERE l.account = a.name)
       AND NOT EXISTS (SELECT FROM lotuswall_auth.account_walls l
                       LEFT JOIN lotuswall.wall_logins m ON m.wall = NEW.wall
                       WHERE l.account = a.name
                         AND (l.wall = NEW.wall OR (l.region_code <> ''
                                                    AND l.region_code = m.region_code))) THEN
        RAISE EXCEPTION 'steer: the account % may not steer the wall %', a.name, NEW.wall;
    END IF;
    NEW."by" := a.name;
    NEW.db_login := session_user;
    NEW.addr := coalesce(host(inet_client_addr()), 'local');
    NEW.created_at := now();
    NEW.answered_at := NULL;
    NEW.ok := NULL;
    NEW.result := NULL;
    PERFORM pg_notify('lotuswall_steer', NEW.wall);
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS lotuswall_stamp ON lotuswall.wall_commands;
CREATE TRIGGER lotuswall_stamp BEFORE INSERT ON lotuswall.wall_commands
    FOR EACH ROW EXECUTE FUNCTION lotuswall_auth.stamp_command();

-- An answered command goes to the audit.
CREATE OR REPLACE FUNCTION lotuswall_auth.audit_command() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF OLD.answered_at IS NULL AND NEW.answered_at IS NOT NULL THEN
        INSERT INTO lotuswall_auth.audit (at, who, addr, what, target, result, db_login)
            VALUES (NEW.created_at, NEW."by", NEW.addr, 'wall.' || NEW.command,
                    NEW.wall || coalesce(' ' || NEW.scene, ''), coalesce(NEW.result, ''),
                    NEW.db_login);
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS lotuswall_audit ON lotuswall.wall_commands;
CREATE TRIGGER lotuswall_audit AFTER UPDATE OF answered_at ON lotuswall.wall_commands
    FOR EACH ROW EXECUTE FUNCTION lotuswall_auth.audit_command();

ALTER TABLE lotuswall.wall_commands ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS commands_steer ON lotuswall.wall_commands;
CREATE POLICY commands_steer ON lotuswall.wall_commands FOR SELECT TO lotuswall_steer
    USING (db_login = session_user);
DROP POLICY IF EXISTS commands_queue ON lotuswall.wall_commands;
CREATE POLICY commands_queue ON lotuswall.wall_commands FOR INSERT TO lotuswall_steer
    WITH CHECK (true);
DROP POLICY IF EXISTS commands_wall ON lotuswall.wall_commands;
CREATE POLICY commands_wall ON lotuswall.wall_commands FOR SELECT TO lotuswall_wall
    USING (lotuswall_data.wall_is_mine(wall));
DROP POLICY IF EXISTS commands_answer ON lotuswall.wall_commands;
CREATE POLICY commands_answer ON lotuswall.wall_commands FOR UPDATE TO lotuswall_wall
    USING (lotuswall_data.wall_is_mine(wall)) WITH CHECK (lotuswall_data.wall_is_mine(wall));

REVOKE ALL ON lotuswall.walls, lotuswall.wall_logins, lotuswall.wall_commands FROM PUBLIC;
REVOKE ALL ON lotuswall_auth.account_walls FROM PUBLIC;
REVOKE ALL ON FUNCTION lotuswall_data.wall_is_mine(text) FROM PUBLIC;
GRANT USAGE ON SCHEMA lotuswall_data TO lotuswall_wall;
GRANT EXECUTE ON FUNCTION lotuswall_data.wall_is_mine(text) TO lotuswall_wall;
GRANT SELECT ON lotuswall.fleet TO lotuswall_reader;
-- (the fleet is no secret: the view shows every row to readers)
GRANT SELECT, INSERT (name, host, version, scene, title, params, data_version,
    data_age_s, data_stale, frame_ms, rss_kb, outputs, last_error, thumbnail, interval_s,
    scene_since_ms, started_at),
    UPDATE (host, version, scene, title, params, data_version, data_age_s, data_stale,
    frame_ms, rss_kb, outputs, last_error, thumbnail, interval_s, scene_since_ms, started_at)
    ON lotuswall.walls TO lotuswall_wall;
GRANT SELECT (id, wall, command, scene, params, answered_at), UPDATE (answered_at, ok, result)
    ON lotuswall.wall_commands TO lotuswall_wall;
GRANT USAGE ON SCHEMA lotuswall TO lotuswall_steer;
GRANT SELECT ON lotuswall.fleet TO lotuswall_steer;
GRANT SELECT, INSERT (wall, command, scene, params) ON lotuswall.wall_commands
    TO lotuswall_steer;
GRANT USAGE ON SEQUENCE lotuswall.wall_commands_id_seq TO lotuswall_steer;
GRANT SELECT, INSERT, UPDATE, DELETE ON lotuswall.wall_logins TO lotuswall_admin;
GRANT SELECT, INSERT, DELETE ON lotuswall_auth.account_walls TO lotuswall_admin;
GRANT SELECT ON lotuswall.walls TO lotuswall_admin;
