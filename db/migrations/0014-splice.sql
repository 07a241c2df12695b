-- lotuswall schema migration 0014: one splice wall driven by several PCs in
-- step (issue 15, part 4). `lotuswall db schema` ends with this same text for
-- a new database (src/data/pg.c embeds the file).
--
-- Every part runs `lotuswall run --db --wall-name WALL --part PART --wall
-- FILE`. The part whose coordination session holds the wall's advisory lock
-- (lotuswall_data.splice_try_lead) leads: it writes the wall's row of
-- lotuswall.splice_state (the view, the data version and the wall-clock times
-- at which both change) and sends NOTIFY lotuswall_splice with the wall's
-- name. The others only follow that row.
--
-- lotuswall.splice_state  one row per splice wall. term rises with every new
--                         leader. The trigger is the fence: a row is written
--                         only by the session that holds the wall's lock now,
--                         and never with a lower term, so a leader whose
--                         session is gone can write nothing more.
-- lotuswall.splice_parts  one row per part, rewritten every second by the
--                         part itself: its role, the term it follows, what it
--                         shows (scene_since_ms, data_version); beat_at is the
--                         database's clock.
-- Row-level security as on lotuswall.walls: a wall login writes only the rows
-- of the wall registered to it (lotuswall.wall_logins).

-- The lock of a splice wall: class 1504 (issue 15, part 4) and the hash of its
-- name, taken on the coordination session and held while it lives.
CREATE OR REPLACE FUNCTION lotuswall_data.splice_try_lead(wall text) RETURNS boolean
LANGUAGE sql VOLATILE AS $$
    SELECT pg_try_advisory_lock(1504, hashtext(splice_try_lead.wall))
$$;
-- Does this session hold the wall's lock?
CREATE OR REPLACE FUNCTION lotuswall_data.splice_leads(wall text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT FROM pg_catalog.pg_locks l
                   WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid() AND l.granted
                     AND l.classid = 1504 AND l.objid = hashtext(splice_leads.wall)::oid
                     AND l.objsubid = 2)
$$;

CREATE TABLE IF NOT EXISTS lotuswall.splice_state (
    wall text PRIMARY KEY CHECK (octet_length(wall) BETWEEN 1 AND 63),
    term bigint NOT NULL DEFAULT 1 CHECK (term > 0),
    leader text NOT NULL DEFAULT '',
    state jsonb NOT NULL DEFAULT '{}',
    view_at_ms bigint NOT NULL DEFAULT 0,
    data_version text NOT NULL DEFAULT '',
    data_at_ms bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    db_login text NOT NULL DEFAULT session_user
);

CREATE OR REPLACE FUNCTION lotuswall_data.splice_fence() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT lotuswall_data.splice_leads(NEW.wall) THEN
        RAISE EXCEPTION 'splice wall %: this session does not hold the wall''s lock', NEW.wall;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.term < OLD.term THEN
        RAISE EXCEPTION 'splice wall %: term % is older than %', NEW.wall, NEW.term, OLD.term;
    END IF;
    NEW.updated_at := now();
    NEW.db_login := session_user;
    PERFORM pg_notify('lotuswall_splice', NEW.wall);
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS lotuswall_fence ON lotuswall.splice_state;
CREATE TRIGGER lotuswall_fence BEFORE INSERT OR UPDATE ON lotuswall.splice_state
    FOR EACH ROW EXECUTE FUNCTION lotuswall_data.splice_fence();

CREATE TABLE IF NOT EXISTS lotuswall.splice_parts (
    wall text NOT NULL CHECK (octet_length(wall) BETWEEN 1 AND 63),
    part text NOT NULL CHECK (octet_length(part) BETWEEN 1 AND 63),
    host text NOT NULL DEFAULT '',
    role text NOT NULL DEFAULT 'follower' CHECK (role IN ('leader', 'follower')),
    term bigint NOT NULL DEFAULT 0,
    scene text NOT NULL DEFAULT '',
    scene_since_ms bigint,
    data_version text NOT NULL DEFAULT '',
    beat_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (wall, part)
);

CREATE OR REPLACE FUNCTION lotuswall_data.stamp_part() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.beat_at := now();
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS lotuswall_beat ON lotuswall.splice_parts;
CREATE TRIGGER lotuswall_beat BEFORE INSERT OR UPDATE ON lotuswall.splice_parts
    FOR EACH ROW EXECUTE FUNCTION lotuswall_data.stamp_part();

ALTER TABLE lotuswall.splice_state ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS splice_state_read ON lotuswall.splice_state;
CREATE POLICY splice_state_read ON lotuswall.splice_state FOR SELECT USING (true);
DROP POLICY IF EXISTS splice_state_insert ON lotuswall.splice_state;
CREATE POLICY splice_state_insert ON lotuswall.splice_state FOR INSERT
    WITH CHECK (lotuswall_data.wall_is_mine(wall));
DROP POLICY IF EXISTS splice_state_update ON lotuswall.splice_state;
CREATE POLICY splice_state_update ON lotuswall.splice_state FOR UPDATE
    USING (lotuswall_data.wall_is_mine(wall)) WITH CHECK (lotuswall_data.wall_is_mine(wall));
ALTER TABLE lotuswall.splice_parts ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS splice_parts_read ON lotuswall.splice_parts;
CREATE POLICY splice_parts_read ON lotuswall.splice_parts FOR SELECT USING (true);
DROP POLICY IF EXISTS splice_parts_insert ON lotuswall.splice_parts;
CREATE POLICY splice_parts_insert ON lotuswall.splice_parts FOR INSERT
    WITH CHECK (lotuswall_data.wall_is_mine(wall));
DROP POLICY IF EXISTS splice_parts_update ON lotuswall.splice_parts;
CREATE POLICY splice_parts_update ON lotuswall.splice_parts FOR UPDATE
    USING (lotuswall_data.wall_is_mine(wall)) WITH CHECK (lotuswall_data.wall_is_mine(wall));

REVOKE ALL ON lotuswall.splice_state, lotuswall.splice_parts FROM PUBLIC;
REVOKE ALL ON FUNCTION lotuswall_data.splice_try_lead(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION lotuswall_data.splice_leads(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lotuswall_data.splice_try_lead(text) TO lotuswall_wall;
GRANT EXECUTE ON FUNCTION lotuswall_data.splice_leads(text) TO lotuswall_wall;
GRANT SELECT, INSERT (wall, term, leader, state, view_at_ms, data_version, data_at_ms),
    UPDATE (term, leader, state, view_at_ms, data_version, data_at_ms)
    ON lotuswall.splice_state TO lotuswall_wall;
GRANT SELECT, INSERT (wall, part, host, role, term, scene, scene_since_ms, data_version),
    UPDATE (host, role, term, scene, scene_since_ms, data_version)
    ON lotuswall.splice_parts TO lotuswall_wall;
GRANT SELECT ON lotuswall.splice_state, lotuswall.splice_parts TO lotuswall_reader;
