-- lotuswall schema migration 0015: the delivery health, a source the warning
-- engine watches so that a department nobody can be reached in, and sends
-- that went dead, become warnings of their own (issue 14; rules `urge-dead`
-- and `dept-unreachable` in rules/demo.json). `lotuswall db schema` ends with
-- this same text for a new database (src/data/pg.c embeds the file).
--
-- lotuswall.delivery_health  one row per department that has contacts or was
--                            urged in the last 24 hours: how many contacts it
--                            has, how many of them can be reached now
--                            (lotuswall_deliver.reachable: enabled, on duty),
--                            and of the last 24 hours its sends, its sends
--                            that went dead (tried max_attempts times, refused,
--                            or a failed receipt) and its urges that nobody
--                            could be sent (the worker's contact-0 rows).
--                            Counts only: never a person, a phone number or an
--                            IM account.
-- Who reads it: the engine (its rules) and the delivery worker (it may push it
-- as a whole source). Not the wall and reader roles: which departments cannot
-- be reached is a map of where urges get lost; the wall shows the warnings
-- the engine raises from it, as it shows any other warning.
--
-- NOTIFY: every statement that writes the deliveries sends lotuswall_refresh
-- 'delivery_health' (the engine's poller reads the source again) and
-- lotuswall_receipt (the engine's leader writes the 一键催办 log's 送达 again,
-- within about a second of a receipt); a change of the contacts or the duty
-- roster sends lotuswall_refresh 'delivery_health'. The roster's hours coming
-- and going are seen at the engine's poll of the source (60 s).

CREATE OR REPLACE VIEW lotuswall.delivery_health AS
    WITH people AS (
        SELECT c.department, count(*) AS contacts,
               count(*) FILTER (WHERE EXISTS (SELECT FROM lotuswall_deliver.reachable r
                                              WHERE r.id = c.id)) AS reachable
        FROM lotuswall_deliver.contacts c GROUP BY c.department),
    sends AS (
        SELECT o.department,
               count(*) FILTER (WHERE d.contact <> 0
                                AND d.created_at > now() - interval '24 hours') AS sends,
               count(*) FILTER (WHERE d.contact <> 0 AND d.state = 'dead'
                                AND d.dead_at > now() - interval '24 hours') AS dead,
               count(*) FILTER (WHERE d.contact = 0
                                AND d.dead_at > now() - interval '24 hours') AS nobody
        FROM lotuswall_deliver.deliveries d
        JOIN lotuswall.urge_outbox o ON o.id = d.outbox
        WHERE d.created_at > now() - interval '24 hours'
           OR d.dead_at > now() - interval '24 hours'
        GROUP BY o.department)
    SELECT coalesce(p.department, s.department) AS department,
           coalesce(p.contacts, 0)::double precision AS contacts,
           coalesce(p.reachable, 0)::double precision AS reachable,
           coalesce(s.sends, 0)::double precision AS sends_24h,
           coalesce(s.dead, 0)::double precision AS dead_24h,
           coalesce(s.nobody, 0)::double precision AS nobody_24h
    FROM people p FULL JOIN sends s ON s.department = p.department
    ORDER BY 1;

CREATE OR REPLACE FUNCTION lotuswall_deliver.notify_health() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lotuswall_refresh', 'delivery_health');
    IF TG_TABLE_NAME = 'deliveries' THEN
        PERFORM pg_notify('lotuswall_receipt', '');
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS lotuswall_health ON lotuswall_deliver.deliveries;
CREATE TRIGGER lotuswall_health AFTER INSERT OR UPDATE OR DELETE ON lotuswall_deliver.deliveries
    FOR EACH STATEMENT EXECUTE FUNCTION lotuswall_deliver.notify_health();
DROP TRIGGER IF EXISTS lotuswall_health ON lotuswall_deliver.contacts;
CREATE TRIGGER lotuswall_health AFTER INSERT OR UPDATE OR DELETE ON lotuswall_deliver.contacts
    FOR EACH STATEMENT EXECUTE FUNCTION lotuswall_deliver.notify_health();
DROP TRIGGER IF EXISTS lotuswall_health ON lotuswall_deliver.duty;
CREATE TRIGGER lotuswall_health AFTER INSERT OR UPDATE OR DELETE ON lotuswall_deliver.duty
    FOR EACH STATEMENT EXECUTE FUNCTION lotuswall_deliver.notify_health();

REVOKE ALL ON lotuswall.delivery_health FROM PUBLIC;
GRANT SELECT ON lotuswall.delivery_health TO lotuswall_engine, lotuswall_deliver;
