-- lotuswall schema migration 0010: the tables of issue 13's 企业全景 and
-- 惠企政策与企业码 scenes (scenes/panorama.json, scenes/policy.json): the top
-- hundred industrial enterprises (top_enterprises), the 经营异常 records and
-- their monthly counts (enterprise_anomalies, anomaly_monthly), the key
-- enterprises' monthly output and power use (key_enterprise_monthly), the
-- policy platform and enterprise code (policy_summary, policy_breakdown), and
-- the appeals by sector (appeal_sectors, for scenes/enterprise.json). The
-- enterprises table gains the month's own output, last year's same months and
-- the 同比 at its end (its rows now run from 2023-01). As `lotuswall db schema`
-- makes them for a new database.
ALTER TABLE lotuswall_data."enterprises" ADD COLUMN IF NOT EXISTS "output_month" double precision,
    ADD COLUMN IF NOT EXISTS "prev_output" double precision,
    ADD COLUMN IF NOT EXISTS "output_yoy_pct" double precision;
COMMENT ON COLUMN lotuswall_data."enterprises"."output_month" IS '当月工业总产值';
COMMENT ON COLUMN lotuswall_data."enterprises"."prev_output" IS '上年同期工业总产值 (累计)';
COMMENT ON COLUMN lotuswall_data."enterprises"."output_yoy_pct" IS '工业总产值累计同比';
CREATE OR REPLACE VIEW lotuswall."enterprises" AS SELECT "period", "region_code", "region", "sector", "count", "output", "revenue", "profit", "output_month", "prev_output", "output_yoy_pct" FROM lotuswall_data."enterprises" ORDER BY _row;

-- 工业百强企业 (按工业总产值)
CREATE TABLE IF NOT EXISTS lotuswall_data."top_enterprises" (
    _row bigserial,
    "period" text,
    "rank" double precision,
    "enterprise_id" text,
    "enterprise" text,
    "region_code" text,
    "region" text,
    "sector" text,
    "output" double precision,
    "revenue" double precision,
    "tax" double precision,
    "output_yoy_pct" double precision,
    "employees" double precision,
    "scale" text
);
COMMENT ON TABLE lotuswall_data."top_enterprises" IS '工业百强企业 (按工业总产值)';
COMMENT ON COLUMN lotuswall_data."top_enterprises"."period" IS '统计期 (1月至该月累计)';
COMMENT ON COLUMN lotuswall_data."top_enterprises"."rank" IS '全市排名 (按工业总产值)';
COMMENT ON COLUMN lotuswall_data."top_enterprises"."enterprise_id" IS '企业编号';
COMMENT ON COLUMN lotuswall_data."top_enterprises"."enterprise" IS '企业名称';
COMMENT ON COLUMN lotuswall_data."top_enterprises"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."top_enterprises"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."top_enterprises"."sector" IS '行业';
COMMENT ON COLUMN lotuswall_data."top_enterprises"."output" IS '工业总产值 (累计)';
COMMENT ON COLUMN lotuswall_data."top_enterprises"."revenue" IS '营业收入 (累计)';
COMMENT ON COLUMN lotuswall_data."top_enterprises"."tax" IS '税收 (累计)';
COMMENT ON COLUMN lotuswall_data."top_enterprises"."output_yoy_pct" IS '工业总产值累计同比';
COMMENT ON COLUMN lotuswall_data."top_enterprises"."employees" IS '从业人员';
COMMENT ON COLUMN lotuswall_data."top_enterprises"."scale" IS '规模 (大型骨干: 从业人员 1000 人及以上且年营业收入 4 亿元及以上; 中型)';
CREATE OR REPLACE VIEW lotuswall."top_enterprises" AS SELECT "period", "rank", "enterprise_id", "enterprise", "region_code", "region", "sector", "output", "revenue", "tax", "output_yoy_pct", "employees", "scale" FROM lotuswall_data."top_enterprises" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."top_enterprises";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."top_enterprises" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 经营异常企业记录
CREATE TABLE IF NOT EXISTS lotuswall_data."enterprise_anomalies" (
    _row bigserial,
    "id" text,
    "period" text,
    "date" text,
    "enterprise_id" text,
    "enterprise" text,
    "region_code" text,
    "region" text,
    "sector" text,
    "type" text,
    "detail" text,
    "status" text,
    "cleared" text
);
COMMENT ON TABLE lotuswall_data."enterprise_anomalies" IS '经营异常企业记录';
COMMENT ON COLUMN lotuswall_data."enterprise_anomalies"."id" IS '记录编号';
COMMENT ON COLUMN lotuswall_data."enterprise_anomalies"."period" IS '发现月份';
COMMENT ON COLUMN lotuswall_data."enterprise_anomalies"."date" IS '发现日期';
COMMENT ON COLUMN lotuswall_data."enterprise_anomalies"."enterprise_id" IS '企业编号';
COMMENT ON COLUMN lotuswall_data."enterprise_anomalies"."enterprise" IS '企业名称';
COMMENT ON COLUMN lotuswall_data."enterprise_anomalies"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."enterprise_anomalies"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."enterprise_anomalies"."sector" IS '行业';
COMMENT ON COLUMN lotuswall_data."enterprise_anomalies"."type" IS '异常类型 (产值下滑/用电骤降/欠缴税款/停产半停产/列入经营异常名录)';
COMMENT ON COLUMN lotuswall_data."enterprise_anomalies"."detail" IS '异常情况';
COMMENT ON COLUMN lotuswall_data."enterprise_anomalies"."status" IS '状态 (跟踪处置/已解除)';
COMMENT ON COLUMN lotuswall_data."enterprise_anomalies"."cleared" IS '解除日期';
CREATE OR REPLACE VIEW lotuswall."enterprise_anomalies" AS SELECT "id", "period", "date", "enterprise_id", "enterprise", "region_code", "region", "sector", "type", "detail", "status", "cleared" FROM lotuswall_data."enterprise_anomalies" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."enterprise_anomalies";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."enterprise_anomalies" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 经营异常企业月度统计
CREATE TABLE IF NOT EXISTS lotuswall_data."anomaly_monthly" (
    _row bigserial,
    "period" text,
    "region_code" text,
    "region" text,
    "type" text,
    "new" double precision,
    "year_new" double precision,
    "open" double precision
);
COMMENT ON TABLE lotuswall_data."anomaly_monthly" IS '经营异常企业月度统计';
COMMENT ON COLUMN lotuswall_data."anomaly_monthly"."period" IS '统计月份';
COMMENT ON COLUMN lotuswall_data."anomaly_monthly"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."anomaly_monthly"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."anomaly_monthly"."type" IS '异常类型';
COMMENT ON COLUMN lotuswall_data."anomaly_monthly"."new" IS '当月新增';
COMMENT ON COLUMN lotuswall_data."anomaly_monthly"."year_new" IS '当年新增';
COMMENT ON COLUMN lotuswall_data."anomaly_monthly"."open" IS '月末在册 (未解除)';
CREATE OR REPLACE VIEW lotuswall."anomaly_monthly" AS SELECT "period", "region_code", "region", "type", "new", "year_new", "open" FROM lotuswall_data."anomaly_monthly" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."anomaly_monthly";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."anomaly_monthly" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 重点工业企业月度监测 (产值与用电)
CREATE TABLE IF NOT EXISTS lotuswall_data."key_enterprise_monthly" (
    _row bigserial,
    "period" text,
    "enterprise_id" text,
    "enterprise" text,
    "region_code" text,
    "region" text,
    "sector" text,
    "output" double precision,
    "power" double precision,
    "output_yoy_pct" double precision,
    "power_yoy_pct" double precision
);
COMMENT ON TABLE lotuswall_data."key_enterprise_monthly" IS '重点工业企业月度监测 (产值与用电)';
COMMENT ON COLUMN lotuswall_data."key_enterprise_monthly"."period" IS '月份';
COMMENT ON COLUMN lotuswall_data."key_enterprise_monthly"."enterprise_id" IS '企业编号';
COMMENT ON COLUMN lotuswall_data."key_enterprise_monthly"."enterprise" IS '企业名称';
COMMENT ON COLUMN lotuswall_data."key_enterprise_monthly"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."key_enterprise_monthly"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."key_enterprise_monthly"."sector" IS '行业';
COMMENT ON COLUMN lotuswall_data."key_enterprise_monthly"."output" IS '当月工业总产值';
COMMENT ON COLUMN lotuswall_data."key_enterprise_monthly"."power" IS '当月用电量';
COMMENT ON COLUMN lotuswall_data."key_enterprise_monthly"."output_yoy_pct" IS '当月产值同比';
COMMENT ON COLUMN lotuswall_data."key_enterprise_monthly"."power_yoy_pct" IS '当月用电同比';
CREATE OR REPLACE VIEW lotuswall."key_enterprise_monthly" AS SELECT "period", "enterprise_id", "enterprise", "region_code", "region", "sector", "output", "power", "output_yoy_pct", "power_yoy_pct" FROM lotuswall_data."key_enterprise_monthly" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."key_enterprise_monthly";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."key_enterprise_monthly" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 惠企政策与企业码统计 (累计与新增)
CREATE TABLE IF NOT EXISTS lotuswall_data."policy_summary" (
    _row bigserial,
    "period" text,
    "region_code" text,
    "region" text,
    "item" text,
    "name" text,
    "unit" text,
    "total" double precision,
    "month" double precision,
    "year" double precision
);
COMMENT ON TABLE lotuswall_data."policy_summary" IS '惠企政策与企业码统计 (累计与新增)';
COMMENT ON COLUMN lotuswall_data."policy_summary"."period" IS '统计月份';
COMMENT ON COLUMN lotuswall_data."policy_summary"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."policy_summary"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."policy_summary"."item" IS '指标代码';
COMMENT ON COLUMN lotuswall_data."policy_summary"."name" IS '指标名称';
COMMENT ON COLUMN lotuswall_data."policy_summary"."unit" IS '单位';
COMMENT ON COLUMN lotuswall_data."policy_summary"."total" IS '累计';
COMMENT ON COLUMN lotuswall_data."policy_summary"."month" IS '当月新增';
COMMENT ON COLUMN lotuswall_data."policy_summary"."year" IS '当年新增';
CREATE OR REPLACE VIEW lotuswall."policy_summary" AS SELECT "period", "region_code", "region", "item", "name", "unit", "total", "month", "year" FROM lotuswall_data."policy_summary" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."policy_summary";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."policy_summary" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 惠企政策申报与资金拨付分类统计
CREATE TABLE IF NOT EXISTS lotuswall_data."policy_breakdown" (
    _row bigserial,
    "period" text,
    "region_code" text,
    "region" text,
    "dim" text,
    "key" text,
    "applications" double precision,
    "funds" double precision,
    "applications_year" double precision,
    "approved_year" double precision,
    "funds_year" double precision
);
COMMENT ON TABLE lotuswall_data."policy_breakdown" IS '惠企政策申报与资金拨付分类统计';
COMMENT ON COLUMN lotuswall_data."policy_breakdown"."period" IS '统计月份';
COMMENT ON COLUMN lotuswall_data."policy_breakdown"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."policy_breakdown"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."policy_breakdown"."dim" IS '分类 (政策类别/主管部门)';
COMMENT ON COLUMN lotuswall_data."policy_breakdown"."key" IS '类别';
COMMENT ON COLUMN lotuswall_data."policy_breakdown"."applications" IS '当月一键申报';
COMMENT ON COLUMN lotuswall_data."policy_breakdown"."funds" IS '当月专项资金拨付';
COMMENT ON COLUMN lotuswall_data."policy_breakdown"."applications_year" IS '当年一键申报';
COMMENT ON COLUMN lotuswall_data."policy_breakdown"."approved_year" IS '当年申报通过';
COMMENT ON COLUMN lotuswall_data."policy_breakdown"."funds_year" IS '当年专项资金拨付';
CREATE OR REPLACE VIEW lotuswall."policy_breakdown" AS SELECT "period", "region_code", "region", "dim", "key", "applications", "funds", "applications_year", "approved_year", "funds_year" FROM lotuswall_data."policy_breakdown" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."policy_breakdown";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."policy_breakdown" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 企业诉求分行业统计 (累计)
CREATE TABLE IF NOT EXISTS lotuswall_data."appeal_sectors" (
    _row bigserial,
    "period" text,
    "region_code" text,
    "region" text,
    "sector" text,
    "appeals" double precision,
    "closed" double precision
);
COMMENT ON TABLE lotuswall_data."appeal_sectors" IS '企业诉求分行业统计 (累计)';
COMMENT ON COLUMN lotuswall_data."appeal_sectors"."period" IS '统计月份 (平台上线至该月累计)';
COMMENT ON COLUMN lotuswall_data."appeal_sectors"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."appeal_sectors"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."appeal_sectors"."sector" IS '行业';
COMMENT ON COLUMN lotuswall_data."appeal_sectors"."appeals" IS '受理诉求 (累计)';
COMMENT ON COLUMN lotuswall_data."appeal_sectors"."closed" IS '办结 (累计)';
CREATE OR REPLACE VIEW lotuswall."appeal_sectors" AS SELECT "period", "region_code", "region", "sector", "appeals", "closed" FROM lotuswall_data."appeal_sectors" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."appeal_sectors";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."appeal_sectors" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

GRANT SELECT ON lotuswall."top_enterprises" TO lotuswall_reader;
GRANT SELECT ON lotuswall."enterprise_anomalies" TO lotuswall_reader;
GRANT SELECT ON lotuswall."anomaly_monthly" TO lotuswall_reader;
GRANT SELECT ON lotuswall."key_enterprise_monthly" TO lotuswall_reader;
GRANT SELECT ON lotuswall."policy_summary" TO lotuswall_reader;
GRANT SELECT ON lotuswall."policy_breakdown" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeal_sectors" TO lotuswall_reader;
