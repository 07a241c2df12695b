-- lotuswall schema migration 0008: who an urge reaches, and what became of
-- each send (issue 14). `lotuswall db schema` ends with this same text for a
-- new database (src/data/pg.c embeds the file).
--
-- lotuswall_deliver.contacts    department, person, phone, IM account, role,
--                               quiet hours; enabled. Personal data: no wall
--                               or reader role can read it.
-- lotuswall_deliver.duty        a contact's duty roster: a contact with rows
--                               here is reachable only during one of them; a
--                               contact without rows always.
-- lotuswall_deliver.deliveries  one row per (urge, recipient), keyed by the
--                               urge's idem_key + ':' + the contact's id, so a
--                               restart or a contact edit never sends one
--                               person one urge twice. Written by the worker
--                               (`lotuswall deliver`) alone: the engine, which
--                               replaces warning_steps each evaluation, does
--                               not own it. A row with contact 0 is the
--                               department's: nobody was reachable.
-- Roles:
-- lotuswall_deliver  the delivery worker: reads the outbox, the contacts and
--                    the warnings' severity; claims outbox rows (sent_at);
--                    writes the deliveries.
-- lotuswall_engine   reads the contacts and the deliveries.

CREATE SCHEMA IF NOT EXISTS lotuswall_deliver;
REVOKE ALL ON SCHEMA lotuswall_deliver FROM PUBLIC;

CREATE TABLE IF NOT EXISTS lotuswall_deliver.contacts (
    id bigserial PRIMARY KEY,
    department text NOT NULL CHECK (department <> ''),
    person text NOT NULL DEFAULT '',
    phone text,
    im_account text,
    role text NOT NULL DEFAULT '',
    quiet_from time,
    quiet_to time,
    enabled boolean NOT NULL DEFAULT true,
    changed_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((quiet_from IS NULL) = (quiet_to IS NULL))
);
CREATE INDEX IF NOT EXISTS contacts_department ON lotuswall_deliver.contacts (department);

CREATE TABLE IF NOT EXISTS lotuswall_deliver.duty (
    contact bigint NOT NULL REFERENCES lotuswall_deliver.contacts (id) ON DELETE CASCADE,
    during tstzrange NOT NULL,
    PRIMARY KEY (contact, during)
);

CREATE TABLE IF NOT EXISTS lotuswall_deliver.deliveries (
    key text PRIMARY KEY,
    outbox bigint NOT NULL REFERENCES lotuswall.urge_outbox (id) ON DELETE CASCADE,
    contact bigint NOT NULL,
    channel text NOT NULL,
    recipient text NOT NULL DEFAULT '',
    state text NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'failed', 'sent', 'delivered', 'dead')),
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    next_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    delivered_at timestamptz,
    dead_at timestamptz
);
CREATE INDEX IF NOT EXISTS deliveries_due ON lotuswall_deliver.deliveries (next_at)
    WHERE state IN ('pending', 'failed');
CREATE INDEX IF NOT EXISTS deliveries_outbox ON lotuswall_deliver.deliveries (outbox);

-- 138****5678: what screens and logs show of a phone number
CREATE OR REPLACE FUNCTION lotuswall_deliver.mask_phone(phone text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN phone IS NULL OR phone = '' THEN ''
                WHEN char_length(phone) <= 7 THEN repeat('*', char_length(phone))
                ELSE left(phone, 3) || repeat('*', char_length(phone) - 7) || right(phone, 4) END
$$;

-- When a contact's quiet hours (local time, may span midnight) that hold
-- `at` end; NULL when `at` is not in them.
CREATE OR REPLACE FUNCTION lotuswall_deliver.quiet_end(q_from time, q_to time, at timestamptz)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN q_from IS NULL OR q_from = q_to THEN NULL
        WHEN q_from < q_to AND at::time >= q_from AND at::time < q_to
            THEN at::date + q_to
        WHEN q_from > q_to AND at::time >= q_from THEN at::date + 1 + q_to
        WHEN q_from > q_to AND at::time < q_to THEN at::date + q_to
    END::timestamptz
$$;

-- The contacts of a department that can be reached now: enabled, and on duty
-- (no roster, or a roster row that holds now).
CREATE OR REPLACE VIEW lotuswall_deliver.reachable AS
    SELECT c.* FROM lotuswall_deliver.contacts c
    WHERE c.enabled AND (NOT EXISTS (SELECT FROM lotuswall_deliver.duty d WHERE d.contact = c.id)
                         OR EXISTS (SELECT FROM lotuswall_deliver.duty d
                                    WHERE d.contact = c.id AND d.during @> now()));

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotuswall_deliver') THEN
        CREATE ROLE lotuswall_deliver NOLOGIN;
    END IF;
END $$;
REVOKE ALL ON ALL TABLES IN SCHEMA lotuswall_deliver FROM PUBLIC;
GRANT USAGE ON SCHEMA lotuswall_deliver TO lotuswall_deliver, lotuswall_engine;
GRANT SELECT ON lotuswall_deliver.contacts, lotuswall_deliver.duty,
    lotuswall_deliver.reachable, lotuswall_deliver.deliveries TO lotuswall_deliver, lotuswall_engine;
GRANT INSERT, UPDATE ON lotuswall_deliver.deliveries TO lotuswall_deliver;
GRANT USAGE ON SCHEMA lotuswall TO lotuswall_deliver;
GRANT SELECT, UPDATE (sent_at, attempts) ON lotuswall.urge_outbox TO lotuswall_deliver;
GRANT SELECT ON lotuswall."warnings", lotuswall."sms_channels" TO lotuswall_deliver;
