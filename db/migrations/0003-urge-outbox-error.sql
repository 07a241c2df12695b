-- lotuswall schema migration 0003: why an urge was recorded as failed (issue
-- 10, finding 1). The engine writes each urge in a savepoint of its own; one
-- the server refuses is kept refused (never sent) with the server's message.
ALTER TABLE lotuswall.urge_outbox ADD COLUMN IF NOT EXISTS error text;
