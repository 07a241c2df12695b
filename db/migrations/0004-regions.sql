-- lotuswall schema migration 0004: every scene serves any region (issue 11).
-- The industry sectors, the appeal monthly counts, the leadership teams'
-- ranking and the project progress gain a region (region_code, region: the
-- city's rows are its totals, beside one set of rows per county), and indicator_values says what
-- its province_rank ranks among (rank_scope: 全省 for a city among Henan's
-- cities, 全省县域 for a county among its counties). The rows an older
-- database holds were the city's: they get the city's code and name from the
-- regions table. The views gain the new columns at their end.
ALTER TABLE lotuswall_data."indicator_values" ADD COLUMN IF NOT EXISTS "rank_scope" text;
ALTER TABLE lotuswall_data."industry_sectors" ADD COLUMN IF NOT EXISTS "region_code" text,
    ADD COLUMN IF NOT EXISTS "region" text;
ALTER TABLE lotuswall_data."project_progress" ADD COLUMN IF NOT EXISTS "region_code" text,
    ADD COLUMN IF NOT EXISTS "region" text;
ALTER TABLE lotuswall_data."appeal_monthly" ADD COLUMN IF NOT EXISTS "region_code" text,
    ADD COLUMN IF NOT EXISTS "region" text;
ALTER TABLE lotuswall_data."help_teams" ADD COLUMN IF NOT EXISTS "region_code" text,
    ADD COLUMN IF NOT EXISTS "region" text;
COMMENT ON COLUMN lotuswall_data."indicator_values"."rank_scope" IS '位次范围 (全省: 全省各省辖市间; 全省县域: 全省县(市、区)间)';
CREATE OR REPLACE VIEW lotuswall."indicator_values" AS SELECT "region_code", "region", "indicator", "name", "unit", "period", "month", "value", "prev_value", "yoy_pct", "province_rank", "rank_scope" FROM lotuswall_data."indicator_values" ORDER BY _row;
COMMENT ON COLUMN lotuswall_data."industry_sectors"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."industry_sectors"."region" IS '地区';
CREATE OR REPLACE VIEW lotuswall."industry_sectors" AS SELECT "period", "sector", "leading", "value", "prev_value", "yoy_pct", "share_pct", "region_code", "region" FROM lotuswall_data."industry_sectors" ORDER BY _row;
COMMENT ON COLUMN lotuswall_data."project_progress"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."project_progress"."region" IS '地区';
CREATE OR REPLACE VIEW lotuswall."project_progress" AS SELECT "period", "month", "plan_cum", "done_cum", "completion_pct", "schedule_pct", "started", "completed", "region_code", "region" FROM lotuswall_data."project_progress" ORDER BY _row;
COMMENT ON COLUMN lotuswall_data."appeal_monthly"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."appeal_monthly"."region" IS '地区';
CREATE OR REPLACE VIEW lotuswall."appeal_monthly" AS SELECT "period", "kind", "count", "region_code", "region" FROM lotuswall_data."appeal_monthly" ORDER BY _row;
COMMENT ON COLUMN lotuswall_data."help_teams"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."help_teams"."region" IS '地区';
CREATE OR REPLACE VIEW lotuswall."help_teams" AS SELECT "team", "appeals", "closed", "closure_pct", "on_time_pct", "avg_days", "rank", "region_code", "region" FROM lotuswall_data."help_teams" ORDER BY _row;
UPDATE lotuswall_data."indicator_values" SET "rank_scope" = '全省'
    WHERE "province_rank" IS NOT NULL AND "region_code" IN
        (SELECT "code" FROM lotuswall_data."regions" WHERE "kind" = 'city');
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['industry_sectors', 'project_progress', 'appeal_monthly', 'help_teams'] LOOP
        EXECUTE format('UPDATE lotuswall_data.%I d SET region_code = r.code, region = r.name '
                       'FROM (SELECT code, name FROM lotuswall_data.regions WHERE kind = ''city'' '
                       'LIMIT 1) r WHERE d.region_code IS NULL', t);
    END LOOP;
END $$;
