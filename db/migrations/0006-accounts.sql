-- lotuswall schema migration 0006: the console's accounts, who acts on a
-- warning, and the audit (issue 12). `lotuswall db schema` ends with this same
-- text for a new database (src/data/pg.c embeds the file).
--
-- lotuswall_auth.accounts  login name, access role, argon2id hash, disabled,
--                          the operator duty it is linked to, the person's own
--                          database login. No wall or reader role can read it.
-- lotuswall_auth.audit     logins, control and warning actions: who, from where,
--                          when (the server's clock), what, the result.
-- warning_actions          who acted ("by") is never a column the client fills:
--                          the trigger takes it from the database login's
--                          account, or act_as() names it for the wall's console.
-- Roles:
-- lotuswall_console  the wall's login while it serves the console: checks a
--                    password through credential(), acts for the account it
--                    authenticated through act_as(), writes the audit.
-- lotuswall_admin    manages the accounts (`lotuswall user … --db`) and reads
--                    the audit (`lotuswall audit --db`).

CREATE SCHEMA IF NOT EXISTS lotuswall_auth;
REVOKE ALL ON SCHEMA lotuswall_auth FROM PUBLIC;

CREATE TABLE IF NOT EXISTS lotuswall_auth.accounts (
    name text PRIMARY KEY CHECK (octet_length(name) BETWEEN 1 AND 63),
    role text NOT NULL CHECK (role IN ('viewer', 'presenter', 'operator', 'admin')),
    hash text NOT NULL CHECK (hash LIKE '$argon2id$%'),
    disabled boolean NOT NULL DEFAULT false,
    operator text NOT NULL DEFAULT '',
    db_login text UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS lotuswall_auth.audit (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    who text,
    addr text,
    what text NOT NULL,
    target text,
    result text NOT NULL,
    db_login text NOT NULL DEFAULT session_user
);
CREATE INDEX IF NOT EXISTS audit_at ON lotuswall_auth.audit (at);

-- the database login that queued an action, and the client's address (the
-- console's client through act_as, else the connection's)
ALTER TABLE lotuswall.warning_actions ADD COLUMN IF NOT EXISTS db_login text;
ALTER TABLE lotuswall.warning_actions ADD COLUMN IF NOT EXISTS addr text;

-- One account, with or without its hash: the console's role calls these
-- instead of reading the table.
CREATE OR REPLACE FUNCTION lotuswall_auth.credential(account text)
RETURNS TABLE (role text, disabled boolean, operator text, hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT a.role, a.disabled, a.operator, a.hash FROM lotuswall_auth.accounts a
    WHERE a.name = account
$$;
CREATE OR REPLACE FUNCTION lotuswall_auth.account(account text)
RETURNS TABLE (role text, disabled boolean, operator text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT a.role, a.disabled, a.operator FROM lotuswall_auth.accounts a
    WHERE a.name = account
$$;

-- Every queued action: who acted, when, unprocessed. "by" is set only by a
-- role that may fill that column (act_as, the owner); for everyone else it is
-- the account whose db_login is this session's login, else the login's name
-- (which the engine then refuses unless an account has that name).
CREATE OR REPLACE FUNCTION lotuswall_auth.stamp_action() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW."by" IS NULL THEN
        NEW."by" := coalesce((SELECT a.name FROM lotuswall_auth.accounts a
                              WHERE a.db_login = session_user), session_user);
    END IF;
    IF NEW.addr IS NULL THEN
        NEW.addr := coalesce(host(inet_client_addr()), 'local');
    END IF;
    NEW.db_login := session_user;
    NEW.created_at := now();
    NEW.processed_at := NULL;
    NEW.result := NULL;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS lotuswall_stamp ON lotuswall.warning_actions;
CREATE TRIGGER lotuswall_stamp BEFORE INSERT ON lotuswall.warning_actions
    FOR EACH ROW EXECUTE FUNCTION lotuswall_auth.stamp_action();

-- The wall's console acts for the account it authenticated itself. Whoever
-- may call this may act for any account: only the console's role may.
CREATE OR REPLACE FUNCTION lotuswall_auth.act_as(account text, addr text, warning text,
                                                 action text, note text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    queued bigint;
BEGIN
    IF coalesce(act_as.account, '') = '' THEN
        RAISE EXCEPTION 'act_as: no account';
    END IF;
    INSERT INTO lotuswall.warning_actions (warning, action, "by", note, addr)
        VALUES (act_as.warning, act_as.action, act_as.account, act_as.note,
                coalesce(act_as.addr, 'console'))
        RETURNING warning_actions.id INTO queued;
    RETURN queued;
END $$;

-- An action the engine answered goes to the audit, refusals included.
CREATE OR REPLACE FUNCTION lotuswall_auth.audit_action() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF OLD.processed_at IS NULL AND NEW.processed_at IS NOT NULL THEN
        INSERT INTO lotuswall_auth.audit (at, who, addr, what, target, result, db_login)
            VALUES (NEW.created_at, NEW."by", NEW.addr, 'warning.' || NEW.action, NEW.warning,
                    coalesce(NEW.result, ''), coalesce(NEW.db_login, ''));
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS lotuswall_audit ON lotuswall.warning_actions;
CREATE TRIGGER lotuswall_audit AFTER UPDATE OF processed_at ON lotuswall.warning_actions
    FOR EACH ROW EXECUTE FUNCTION lotuswall_auth.audit_action();

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotuswall_console') THEN
        CREATE ROLE lotuswall_console NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotuswall_admin') THEN
        CREATE ROLE lotuswall_admin NOLOGIN;
    END IF;
END $$;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA lotuswall_auth FROM PUBLIC;
GRANT USAGE ON SCHEMA lotuswall_auth TO lotuswall_console, lotuswall_admin, lotuswall_engine;
GRANT EXECUTE ON FUNCTION lotuswall_auth.credential(text) TO lotuswall_console;
GRANT EXECUTE ON FUNCTION lotuswall_auth.account(text) TO lotuswall_console, lotuswall_engine;
GRANT EXECUTE ON FUNCTION lotuswall_auth.act_as(text, text, text, text, text)
    TO lotuswall_console;
-- the console waits for the engine's answer to what it queued (not the notes)
GRANT SELECT (id, processed_at, result) ON lotuswall.warning_actions TO lotuswall_console;
GRANT INSERT (who, addr, what, target, result) ON lotuswall_auth.audit TO lotuswall_console;
GRANT USAGE ON SEQUENCE lotuswall_auth.audit_id_seq TO lotuswall_console;
GRANT SELECT, INSERT, UPDATE ON lotuswall_auth.accounts TO lotuswall_admin;
GRANT SELECT ON lotuswall_auth.audit TO lotuswall_admin;
-- `user add --operator NAME` checks the duty in the operators table
GRANT USAGE ON SCHEMA lotuswall TO lotuswall_admin;
GRANT SELECT ON lotuswall."operators" TO lotuswall_admin;
-- an operator names the action's warning, kind and note, nothing else; the
-- engine writes the answer, nothing else
REVOKE INSERT, UPDATE ON lotuswall.warning_actions FROM lotuswall_operator;
GRANT INSERT (warning, action, note) ON lotuswall.warning_actions TO lotuswall_operator;
REVOKE UPDATE ON lotuswall.warning_actions FROM lotuswall_engine;
GRANT UPDATE (processed_at, result) ON lotuswall.warning_actions TO lotuswall_engine;
