-- lotuswall schema migration 0009: the exchange push to the city big-data
-- platform (issue 14 part 4), and the retention of what was delivered.
-- `lotuswall db schema` ends with this same text for a new database
-- (src/data/pg.c embeds the file).
--
-- lotuswall_deliver.exchange_outbox  one row per (document, platform
--                               endpoint): the worker POSTs it with the
--                               idempotency key `key` (the same for every
--                               endpoint and every retry), in the order of
--                               `id` per (endpoint, source). state: pending,
--                               failed (retried at next_at), sent, dead (the
--                               dead letter: max attempts or a refusal,
--                               last_error says why), dropped (coalesced into
--                               a newer document of its source while the
--                               endpoint was failing; counted in
--                               exchange_sources.dropped and /metrics).
-- lotuswall_deliver.exchange_sources what the worker last put in the outbox of
--                               each source: seq numbers its documents (the
--                               key is source:seq), hash is the content of
--                               the last one (a document is made only when it
--                               changes); for "panels" seq is the last
--                               lotuswall.exchange_documents id taken.
-- Roles: lotuswall_deliver reads every source a wall reads (it sends whole
-- sources, independent of panels), writes the exchange outbox, and prunes
-- (retention): delivered urges of closed episodes, finished exchange rows,
-- exchange documents already taken.

CREATE TABLE IF NOT EXISTS lotuswall_deliver.exchange_outbox (
    id bigserial PRIMARY KEY,
    endpoint text NOT NULL,
    source text NOT NULL,
    key text NOT NULL,
    document jsonb,
    coalesces boolean NOT NULL DEFAULT true,
    state text NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'failed', 'sent', 'dead', 'dropped')),
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    next_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    done_at timestamptz,
    UNIQUE (endpoint, key)
);
CREATE INDEX IF NOT EXISTS exchange_outbox_open ON lotuswall_deliver.exchange_outbox
    (endpoint, source, id) WHERE state IN ('pending', 'failed');

CREATE TABLE IF NOT EXISTS lotuswall_deliver.exchange_sources (
    name text PRIMARY KEY,
    seq bigint NOT NULL DEFAULT 0,
    hash text NOT NULL DEFAULT '',
    dropped bigint NOT NULL DEFAULT 0
);

-- What became of an urge, as the wall's 一键催办 log says it: 已送达 when a
-- recipient's gateway confirmed it, 已发送 when a gateway took it, 失败 when
-- every send is dead (or nobody could be reached), 待发送 before.
CREATE OR REPLACE FUNCTION lotuswall_deliver.urge_receipt(outbox bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN bool_or(state = 'delivered') THEN '已送达'
                WHEN bool_or(state = 'sent') THEN '已发送'
                WHEN count(*) > 0 AND bool_and(state = 'dead') THEN '失败'
                ELSE '待发送' END
    FROM lotuswall_deliver.deliveries WHERE deliveries.outbox = urge_receipt.outbox
$$;

-- The 一键催办 log's 送达 column: the engine fills warning_steps.receipt of
-- each urge step from urge_receipt(), so the wall shows 已发送 / 已送达 /
-- 失败 without reading the deliveries or the contacts.
ALTER TABLE lotuswall_data."warning_steps" ADD COLUMN IF NOT EXISTS "receipt" text;
COMMENT ON COLUMN lotuswall_data."warning_steps"."receipt" IS '送达 (催办: 待发送/已发送/已送达/失败)';
CREATE OR REPLACE VIEW lotuswall."warning_steps" AS SELECT "warning", "rule", "instance", "seq", "action", "action_name", "by", "at", "note", "receipt" FROM lotuswall_data."warning_steps" ORDER BY _row;

REVOKE ALL ON lotuswall_deliver.exchange_outbox, lotuswall_deliver.exchange_sources FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON lotuswall_deliver.exchange_outbox,
    lotuswall_deliver.exchange_sources TO lotuswall_deliver;
GRANT USAGE ON SEQUENCE lotuswall_deliver.exchange_outbox_id_seq TO lotuswall_deliver;
GRANT SELECT ON lotuswall_deliver.exchange_outbox, lotuswall_deliver.exchange_sources
    TO lotuswall_engine;
GRANT lotuswall_reader TO lotuswall_deliver;
GRANT SELECT, DELETE ON lotuswall.exchange_documents TO lotuswall_deliver;
GRANT DELETE ON lotuswall.urge_outbox, lotuswall_deliver.deliveries TO lotuswall_deliver;
