-- lotuswall schema migration 0002: the reader role reads the catalog's views
-- by name (issue 10, finding 4). Version 1 granted lotuswall_reader SELECT on
-- every table of schema lotuswall, which took in the urge outbox (SMS texts),
-- the operators' notes, the rules and the exchange documents. The operator and
-- engine roles get SELECT on what they use themselves.
REVOKE SELECT ON ALL TABLES IN SCHEMA lotuswall FROM lotuswall_reader;
GRANT SELECT ON lotuswall.schema_migrations TO lotuswall_reader;
GRANT SELECT ON lotuswall."regions" TO lotuswall_reader;
GRANT SELECT ON lotuswall."indicators" TO lotuswall_reader;
GRANT SELECT ON lotuswall."indicator_values" TO lotuswall_reader;
GRANT SELECT ON lotuswall."indicator_trend" TO lotuswall_reader;
GRANT SELECT ON lotuswall."target_progress" TO lotuswall_reader;
GRANT SELECT ON lotuswall."industry_sectors" TO lotuswall_reader;
GRANT SELECT ON lotuswall."enterprises" TO lotuswall_reader;
GRANT SELECT ON lotuswall."projects" TO lotuswall_reader;
GRANT SELECT ON lotuswall."project_progress" TO lotuswall_reader;
GRANT SELECT ON lotuswall."economic_index" TO lotuswall_reader;
GRANT SELECT ON lotuswall."district_assessment" TO lotuswall_reader;
GRANT SELECT ON lotuswall."help_enterprises" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeals" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeal_monthly" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeal_closure" TO lotuswall_reader;
GRANT SELECT ON lotuswall."help_district" TO lotuswall_reader;
GRANT SELECT ON lotuswall."help_teams" TO lotuswall_reader;
GRANT SELECT ON lotuswall."warnings" TO lotuswall_reader;
GRANT SELECT ON lotuswall."warning_steps" TO lotuswall_reader;
GRANT SELECT ON lotuswall."sms_templates" TO lotuswall_reader;
GRANT SELECT ON lotuswall."sms_channels" TO lotuswall_reader;
GRANT SELECT ON lotuswall."operators" TO lotuswall_reader;
GRANT SELECT ON lotuswall."reports" TO lotuswall_reader;
GRANT SELECT ON lotuswall.exchange_documents TO lotuswall_engine;
GRANT SELECT ON lotuswall.warning_actions TO lotuswall_operator;
GRANT SELECT ON lotuswall.warning_actions TO lotuswall_engine;
GRANT SELECT ON lotuswall.warning_rules TO lotuswall_engine;
