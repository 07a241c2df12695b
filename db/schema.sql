-- lotuswall database schema, version 16.
-- Generated from db/catalog.json by `lotuswall db schema`; do not edit by hand.
-- Idempotent: applying it again changes nothing (`lotuswall db init`).
--
-- lotuswall_data.<table>  the tables, written by the demo load or by your ETL
-- lotuswall.<table>       the views lotuswall reads (replace them with your own
--                         views of the same columns to serve your data)
-- Every write to a lotuswall_data table sends NOTIFY lotuswall_refresh with the
-- table's name, and the walls refresh that source at once. An ETL that writes
-- elsewhere can send it itself: SELECT pg_notify('lotuswall_refresh', 'projects');
-- (an empty payload refreshes every source).

BEGIN;
-- A database of another version is moved by `lotuswall db migrate`, not by this
-- script, which would mark it current without its migrations.
DO $$
DECLARE v integer;
BEGIN
    IF to_regclass('lotuswall.schema_migrations') IS NOT NULL THEN
        SELECT coalesce(max(version), 1) INTO v FROM lotuswall.schema_migrations;
    ELSIF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'lotuswall') THEN
        v := 1;
    END IF;
    IF v <> 16 THEN
        RAISE EXCEPTION 'the database has lotuswall schema version %, this script makes version 16: run lotuswall db migrate', v;
    END IF;
END $$;
CREATE SCHEMA IF NOT EXISTS lotuswall_data;
CREATE SCHEMA IF NOT EXISTS lotuswall;
CREATE TABLE IF NOT EXISTS lotuswall.schema_migrations (
    version integer PRIMARY KEY,
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
-- A version per source (migration 0013), for walls that cannot LISTEN: a
-- hot-standby replica, a transaction-mode pooler.
CREATE TABLE IF NOT EXISTS lotuswall_data.source_versions (
    source text PRIMARY KEY,
    version bigint NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE VIEW lotuswall.source_versions AS
    SELECT source, version, changed_at FROM lotuswall_data.source_versions;
CREATE OR REPLACE FUNCTION lotuswall_data.notify_refresh() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO lotuswall_data.source_versions AS v (source, version) VALUES (TG_TABLE_NAME, 1)
        ON CONFLICT (source) DO UPDATE SET version = v.version + 1, changed_at = now();
    PERFORM pg_notify('lotuswall_refresh', TG_TABLE_NAME);
    RETURN NULL;
END $$;

-- 行政区划
CREATE TABLE IF NOT EXISTS lotuswall_data."regions" (
    _row bigserial,
    "code" text,
    "name" text,
    "short_name" text,
    "kind" text,
    "sort" double precision
);
COMMENT ON TABLE lotuswall_data."regions" IS '行政区划';
COMMENT ON COLUMN lotuswall_data."regions"."code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."regions"."name" IS '名称';
COMMENT ON COLUMN lotuswall_data."regions"."short_name" IS '简称';
COMMENT ON COLUMN lotuswall_data."regions"."kind" IS '类别 (city/district/zone)';
COMMENT ON COLUMN lotuswall_data."regions"."sort" IS '排序';
CREATE OR REPLACE VIEW lotuswall."regions" AS SELECT "code", "name", "short_name", "kind", "sort" FROM lotuswall_data."regions" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."regions";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."regions" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 指标目录
CREATE TABLE IF NOT EXISTS lotuswall_data."indicators" (
    _row bigserial,
    "code" text,
    "name" text,
    "unit" text,
    "freq" text,
    "additive" double precision,
    "source" text
);
COMMENT ON TABLE lotuswall_data."indicators" IS '指标目录';
COMMENT ON COLUMN lotuswall_data."indicators"."code" IS '指标代码';
COMMENT ON COLUMN lotuswall_data."indicators"."name" IS '指标名称';
COMMENT ON COLUMN lotuswall_data."indicators"."unit" IS '单位';
COMMENT ON COLUMN lotuswall_data."indicators"."freq" IS '频度 (M 月/Q 季)';
COMMENT ON COLUMN lotuswall_data."indicators"."additive" IS '区县可加 (1/0)';
COMMENT ON COLUMN lotuswall_data."indicators"."source" IS '数据来源';
CREATE OR REPLACE VIEW lotuswall."indicators" AS SELECT "code", "name", "unit", "freq", "additive", "source" FROM lotuswall_data."indicators" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."indicators";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."indicators" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 主要经济指标 (1–N月累计)
CREATE TABLE IF NOT EXISTS lotuswall_data."indicator_values" (
    _row bigserial,
    "region_code" text,
    "region" text,
    "indicator" text,
    "name" text,
    "unit" text,
    "period" text,
    "month" double precision,
    "value" double precision,
    "prev_value" double precision,
    "yoy_pct" double precision,
    "province_rank" double precision,
    "rank_scope" text
);
COMMENT ON TABLE lotuswall_data."indicator_values" IS '主要经济指标 (1–N月累计)';
COMMENT ON COLUMN lotuswall_data."indicator_values"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."indicator_values"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."indicator_values"."indicator" IS '指标代码';
COMMENT ON COLUMN lotuswall_data."indicator_values"."name" IS '指标名称';
COMMENT ON COLUMN lotuswall_data."indicator_values"."unit" IS '单位';
COMMENT ON COLUMN lotuswall_data."indicator_values"."period" IS '统计期 (截至月份, 累计)';
COMMENT ON COLUMN lotuswall_data."indicator_values"."month" IS '月份';
COMMENT ON COLUMN lotuswall_data."indicator_values"."value" IS '累计值';
COMMENT ON COLUMN lotuswall_data."indicator_values"."prev_value" IS '上年同期累计值';
COMMENT ON COLUMN lotuswall_data."indicator_values"."yoy_pct" IS '累计同比增长';
COMMENT ON COLUMN lotuswall_data."indicator_values"."province_rank" IS '居全省位次';
COMMENT ON COLUMN lotuswall_data."indicator_values"."rank_scope" IS '位次范围 (全省: 全省各省辖市间; 全省县域: 全省县(市、区)间)';
CREATE OR REPLACE VIEW lotuswall."indicator_values" AS SELECT "region_code", "region", "indicator", "name", "unit", "period", "month", "value", "prev_value", "yoy_pct", "province_rank", "rank_scope" FROM lotuswall_data."indicator_values" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."indicator_values";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."indicator_values" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 核心指标变动状态
CREATE TABLE IF NOT EXISTS lotuswall_data."indicator_trend" (
    _row bigserial,
    "region_code" text,
    "indicator" text,
    "name" text,
    "period" text,
    "yoy_pct" double precision,
    "yoy_prev_pct" double precision,
    "change_pp" double precision,
    "state" text,
    "judgement" text
);
COMMENT ON TABLE lotuswall_data."indicator_trend" IS '核心指标变动状态';
COMMENT ON COLUMN lotuswall_data."indicator_trend"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."indicator_trend"."indicator" IS '指标代码';
COMMENT ON COLUMN lotuswall_data."indicator_trend"."name" IS '指标名称';
COMMENT ON COLUMN lotuswall_data."indicator_trend"."period" IS '统计期';
COMMENT ON COLUMN lotuswall_data."indicator_trend"."yoy_pct" IS '累计同比增长';
COMMENT ON COLUMN lotuswall_data."indicator_trend"."yoy_prev_pct" IS '上期累计同比增长';
COMMENT ON COLUMN lotuswall_data."indicator_trend"."change_pp" IS '增速变动';
COMMENT ON COLUMN lotuswall_data."indicator_trend"."state" IS '变动状态 (回升/回落/持平)';
COMMENT ON COLUMN lotuswall_data."indicator_trend"."judgement" IS '走势研判';
CREATE OR REPLACE VIEW lotuswall."indicator_trend" AS SELECT "region_code", "indicator", "name", "period", "yoy_pct", "yoy_prev_pct", "change_pp", "state", "judgement" FROM lotuswall_data."indicator_trend" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."indicator_trend";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."indicator_trend" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 年度目标完成情况
CREATE TABLE IF NOT EXISTS lotuswall_data."target_progress" (
    _row bigserial,
    "region_code" text,
    "region" text,
    "indicator" text,
    "name" text,
    "period" text,
    "value" double precision,
    "target_value" double precision,
    "target_growth_pct" double precision,
    "completion_pct" double precision,
    "schedule_pct" double precision
);
COMMENT ON TABLE lotuswall_data."target_progress" IS '年度目标完成情况';
COMMENT ON COLUMN lotuswall_data."target_progress"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."target_progress"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."target_progress"."indicator" IS '指标代码';
COMMENT ON COLUMN lotuswall_data."target_progress"."name" IS '指标名称';
COMMENT ON COLUMN lotuswall_data."target_progress"."period" IS '统计期';
COMMENT ON COLUMN lotuswall_data."target_progress"."value" IS '累计值';
COMMENT ON COLUMN lotuswall_data."target_progress"."target_value" IS '年度目标';
COMMENT ON COLUMN lotuswall_data."target_progress"."target_growth_pct" IS '目标增速';
COMMENT ON COLUMN lotuswall_data."target_progress"."completion_pct" IS '完成年度目标';
COMMENT ON COLUMN lotuswall_data."target_progress"."schedule_pct" IS '序时进度';
CREATE OR REPLACE VIEW lotuswall."target_progress" AS SELECT "region_code", "region", "indicator", "name", "period", "value", "target_value", "target_growth_pct", "completion_pct", "schedule_pct" FROM lotuswall_data."target_progress" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."target_progress";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."target_progress" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 规上工业分行业增加值
CREATE TABLE IF NOT EXISTS lotuswall_data."industry_sectors" (
    _row bigserial,
    "period" text,
    "sector" text,
    "leading" double precision,
    "value" double precision,
    "prev_value" double precision,
    "yoy_pct" double precision,
    "share_pct" double precision,
    "region_code" text,
    "region" text
);
COMMENT ON TABLE lotuswall_data."industry_sectors" IS '规上工业分行业增加值';
COMMENT ON COLUMN lotuswall_data."industry_sectors"."period" IS '统计期';
COMMENT ON COLUMN lotuswall_data."industry_sectors"."sector" IS '行业';
COMMENT ON COLUMN lotuswall_data."industry_sectors"."leading" IS '主导产业 (1/0)';
COMMENT ON COLUMN lotuswall_data."industry_sectors"."value" IS '累计增加值';
COMMENT ON COLUMN lotuswall_data."industry_sectors"."prev_value" IS '上年同期';
COMMENT ON COLUMN lotuswall_data."industry_sectors"."yoy_pct" IS '累计同比增长';
COMMENT ON COLUMN lotuswall_data."industry_sectors"."share_pct" IS '占规上工业比重';
COMMENT ON COLUMN lotuswall_data."industry_sectors"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."industry_sectors"."region" IS '地区';
CREATE OR REPLACE VIEW lotuswall."industry_sectors" AS SELECT "period", "sector", "leading", "value", "prev_value", "yoy_pct", "share_pct", "region_code", "region" FROM lotuswall_data."industry_sectors" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."industry_sectors";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."industry_sectors" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 规上企业 (分地区分行业)
CREATE TABLE IF NOT EXISTS lotuswall_data."enterprises" (
    _row bigserial,
    "period" text,
    "region_code" text,
    "region" text,
    "sector" text,
    "count" double precision,
    "output" double precision,
    "revenue" double precision,
    "profit" double precision,
    "output_month" double precision,
    "prev_output" double precision,
    "output_yoy_pct" double precision
);
COMMENT ON TABLE lotuswall_data."enterprises" IS '规上企业 (分地区分行业)';
COMMENT ON COLUMN lotuswall_data."enterprises"."period" IS '统计期';
COMMENT ON COLUMN lotuswall_data."enterprises"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."enterprises"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."enterprises"."sector" IS '行业';
COMMENT ON COLUMN lotuswall_data."enterprises"."count" IS '规上企业数';
COMMENT ON COLUMN lotuswall_data."enterprises"."output" IS '工业总产值';
COMMENT ON COLUMN lotuswall_data."enterprises"."revenue" IS '营业收入';
COMMENT ON COLUMN lotuswall_data."enterprises"."profit" IS '利润总额';
COMMENT ON COLUMN lotuswall_data."enterprises"."output_month" IS '当月工业总产值';
COMMENT ON COLUMN lotuswall_data."enterprises"."prev_output" IS '上年同期工业总产值 (累计)';
COMMENT ON COLUMN lotuswall_data."enterprises"."output_yoy_pct" IS '工业总产值累计同比';
CREATE OR REPLACE VIEW lotuswall."enterprises" AS SELECT "period", "region_code", "region", "sector", "count", "output", "revenue", "profit", "output_month", "prev_output", "output_yoy_pct" FROM lotuswall_data."enterprises" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."enterprises";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."enterprises" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 重大项目
CREATE TABLE IF NOT EXISTS lotuswall_data."projects" (
    _row bigserial,
    "id" text,
    "name" text,
    "region_code" text,
    "region" text,
    "category" text,
    "status" text,
    "total_invest" double precision,
    "plan_year" double precision,
    "done_year" double precision,
    "progress_pct" double precision,
    "start_date" text,
    "finish_date" text
);
COMMENT ON TABLE lotuswall_data."projects" IS '重大项目';
COMMENT ON COLUMN lotuswall_data."projects"."id" IS '项目编号';
COMMENT ON COLUMN lotuswall_data."projects"."name" IS '项目名称';
COMMENT ON COLUMN lotuswall_data."projects"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."projects"."region" IS '所在地';
COMMENT ON COLUMN lotuswall_data."projects"."category" IS '类别';
COMMENT ON COLUMN lotuswall_data."projects"."status" IS '状态';
COMMENT ON COLUMN lotuswall_data."projects"."total_invest" IS '总投资';
COMMENT ON COLUMN lotuswall_data."projects"."plan_year" IS '年度计划投资';
COMMENT ON COLUMN lotuswall_data."projects"."done_year" IS '年度完成投资';
COMMENT ON COLUMN lotuswall_data."projects"."progress_pct" IS '年度投资完成率';
COMMENT ON COLUMN lotuswall_data."projects"."start_date" IS '开工日期';
COMMENT ON COLUMN lotuswall_data."projects"."finish_date" IS '计划竣工';
CREATE OR REPLACE VIEW lotuswall."projects" AS SELECT "id", "name", "region_code", "region", "category", "status", "total_invest", "plan_year", "done_year", "progress_pct", "start_date", "finish_date" FROM lotuswall_data."projects" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."projects";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."projects" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 重大项目月度进展
CREATE TABLE IF NOT EXISTS lotuswall_data."project_progress" (
    _row bigserial,
    "period" text,
    "month" double precision,
    "plan_cum" double precision,
    "done_cum" double precision,
    "completion_pct" double precision,
    "schedule_pct" double precision,
    "started" double precision,
    "completed" double precision,
    "region_code" text,
    "region" text
);
COMMENT ON TABLE lotuswall_data."project_progress" IS '重大项目月度进展';
COMMENT ON COLUMN lotuswall_data."project_progress"."period" IS '统计期';
COMMENT ON COLUMN lotuswall_data."project_progress"."month" IS '月份';
COMMENT ON COLUMN lotuswall_data."project_progress"."plan_cum" IS '计划投资累计';
COMMENT ON COLUMN lotuswall_data."project_progress"."done_cum" IS '完成投资累计';
COMMENT ON COLUMN lotuswall_data."project_progress"."completion_pct" IS '年度投资完成率';
COMMENT ON COLUMN lotuswall_data."project_progress"."schedule_pct" IS '序时进度';
COMMENT ON COLUMN lotuswall_data."project_progress"."started" IS '累计开工项目';
COMMENT ON COLUMN lotuswall_data."project_progress"."completed" IS '累计竣工项目';
COMMENT ON COLUMN lotuswall_data."project_progress"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."project_progress"."region" IS '地区';
CREATE OR REPLACE VIEW lotuswall."project_progress" AS SELECT "period", "month", "plan_cum", "done_cum", "completion_pct", "schedule_pct", "started", "completed", "region_code", "region" FROM lotuswall_data."project_progress" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."project_progress";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."project_progress" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 重大项目分项目月度进展
CREATE TABLE IF NOT EXISTS lotuswall_data."project_monthly" (
    _row bigserial,
    "project" text,
    "period" text,
    "month" double precision,
    "stage" text,
    "owner" text,
    "unit" text,
    "plan_cum" double precision,
    "done_cum" double precision,
    "month_done" double precision,
    "completion_pct" double precision,
    "schedule_pct" double precision
);
COMMENT ON TABLE lotuswall_data."project_monthly" IS '重大项目分项目月度进展';
COMMENT ON COLUMN lotuswall_data."project_monthly"."project" IS '项目编号';
COMMENT ON COLUMN lotuswall_data."project_monthly"."period" IS '统计期';
COMMENT ON COLUMN lotuswall_data."project_monthly"."month" IS '月份';
COMMENT ON COLUMN lotuswall_data."project_monthly"."stage" IS '形象进度';
COMMENT ON COLUMN lotuswall_data."project_monthly"."owner" IS '项目单位';
COMMENT ON COLUMN lotuswall_data."project_monthly"."unit" IS '责任单位';
COMMENT ON COLUMN lotuswall_data."project_monthly"."plan_cum" IS '计划投资累计';
COMMENT ON COLUMN lotuswall_data."project_monthly"."done_cum" IS '完成投资累计';
COMMENT ON COLUMN lotuswall_data."project_monthly"."month_done" IS '当月完成投资';
COMMENT ON COLUMN lotuswall_data."project_monthly"."completion_pct" IS '年度投资完成率';
COMMENT ON COLUMN lotuswall_data."project_monthly"."schedule_pct" IS '计划进度';
CREATE OR REPLACE VIEW lotuswall."project_monthly" AS SELECT "project", "period", "month", "stage", "owner", "unit", "plan_cum", "done_cum", "month_done", "completion_pct", "schedule_pct" FROM lotuswall_data."project_monthly" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."project_monthly";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."project_monthly" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 经济景气指数
CREATE TABLE IF NOT EXISTS lotuswall_data."economic_index" (
    _row bigserial,
    "dim" text,
    "key" text,
    "name" text,
    "period" text,
    "value" double precision
);
COMMENT ON TABLE lotuswall_data."economic_index" IS '经济景气指数';
COMMENT ON COLUMN lotuswall_data."economic_index"."dim" IS '维度 (region/sector)';
COMMENT ON COLUMN lotuswall_data."economic_index"."key" IS '代码';
COMMENT ON COLUMN lotuswall_data."economic_index"."name" IS '名称';
COMMENT ON COLUMN lotuswall_data."economic_index"."period" IS '统计期';
COMMENT ON COLUMN lotuswall_data."economic_index"."value" IS '景气指数 (100 = 荣枯线)';
CREATE OR REPLACE VIEW lotuswall."economic_index" AS SELECT "dim", "key", "name", "period", "value" FROM lotuswall_data."economic_index" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."economic_index";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."economic_index" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 区县考核指标对比
CREATE TABLE IF NOT EXISTS lotuswall_data."district_assessment" (
    _row bigserial,
    "period" text,
    "region_code" text,
    "region" text,
    "item" text,
    "score" double precision,
    "rank" double precision
);
COMMENT ON TABLE lotuswall_data."district_assessment" IS '区县考核指标对比';
COMMENT ON COLUMN lotuswall_data."district_assessment"."period" IS '统计期';
COMMENT ON COLUMN lotuswall_data."district_assessment"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."district_assessment"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."district_assessment"."item" IS '考核项';
COMMENT ON COLUMN lotuswall_data."district_assessment"."score" IS '得分';
COMMENT ON COLUMN lotuswall_data."district_assessment"."rank" IS '位次';
CREATE OR REPLACE VIEW lotuswall."district_assessment" AS SELECT "period", "region_code", "region", "item", "score", "rank" FROM lotuswall_data."district_assessment" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."district_assessment";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."district_assessment" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 万人助企服务企业 (含位置)
CREATE TABLE IF NOT EXISTS lotuswall_data."help_enterprises" (
    _row bigserial,
    "id" text,
    "name" text,
    "region_code" text,
    "region" text,
    "sector" text,
    "lon" double precision,
    "lat" double precision,
    "served" double precision,
    "appeals" double precision
);
COMMENT ON TABLE lotuswall_data."help_enterprises" IS '万人助企服务企业 (含位置)';
COMMENT ON COLUMN lotuswall_data."help_enterprises"."id" IS '企业编号';
COMMENT ON COLUMN lotuswall_data."help_enterprises"."name" IS '企业名称';
COMMENT ON COLUMN lotuswall_data."help_enterprises"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."help_enterprises"."region" IS '所在地';
COMMENT ON COLUMN lotuswall_data."help_enterprises"."sector" IS '行业';
COMMENT ON COLUMN lotuswall_data."help_enterprises"."lon" IS '经度 (示意图坐标)';
COMMENT ON COLUMN lotuswall_data."help_enterprises"."lat" IS '纬度 (示意图坐标)';
COMMENT ON COLUMN lotuswall_data."help_enterprises"."served" IS '已服务 (1/0)';
COMMENT ON COLUMN lotuswall_data."help_enterprises"."appeals" IS '诉求数';
CREATE OR REPLACE VIEW lotuswall."help_enterprises" AS SELECT "id", "name", "region_code", "region", "sector", "lon", "lat", "served", "appeals" FROM lotuswall_data."help_enterprises" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."help_enterprises";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."help_enterprises" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 企业诉求 (收集→分拨→处置→评价→督查→办结)
CREATE TABLE IF NOT EXISTS lotuswall_data."appeals" (
    _row bigserial,
    "id" text,
    "enterprise_id" text,
    "enterprise" text,
    "region_code" text,
    "region" text,
    "category" text,
    "stage" text,
    "status" text,
    "received" text,
    "month" text,
    "closed" text,
    "days_open" double precision,
    "limit_days" double precision,
    "on_time" double precision,
    "is_key" double precision,
    "unit" text,
    "team" text,
    "lon" double precision,
    "lat" double precision
);
COMMENT ON TABLE lotuswall_data."appeals" IS '企业诉求 (收集→分拨→处置→评价→督查→办结)';
COMMENT ON COLUMN lotuswall_data."appeals"."id" IS '诉求编号';
COMMENT ON COLUMN lotuswall_data."appeals"."enterprise_id" IS '企业编号';
COMMENT ON COLUMN lotuswall_data."appeals"."enterprise" IS '企业名称';
COMMENT ON COLUMN lotuswall_data."appeals"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."appeals"."region" IS '所在地';
COMMENT ON COLUMN lotuswall_data."appeals"."category" IS '诉求类别';
COMMENT ON COLUMN lotuswall_data."appeals"."stage" IS '环节 (收集/分拨/处置/评价/督查/办结)';
COMMENT ON COLUMN lotuswall_data."appeals"."status" IS '状态 (已办结/处理中/超期)';
COMMENT ON COLUMN lotuswall_data."appeals"."received" IS '受理日期';
COMMENT ON COLUMN lotuswall_data."appeals"."month" IS '受理月份';
COMMENT ON COLUMN lotuswall_data."appeals"."closed" IS '办结日期';
COMMENT ON COLUMN lotuswall_data."appeals"."days_open" IS '办理天数 (未办结: 截至数据日)';
COMMENT ON COLUMN lotuswall_data."appeals"."limit_days" IS '办理时限';
COMMENT ON COLUMN lotuswall_data."appeals"."on_time" IS '按期办结 (1/0)';
COMMENT ON COLUMN lotuswall_data."appeals"."is_key" IS '重点诉求 (1/0)';
COMMENT ON COLUMN lotuswall_data."appeals"."unit" IS '责任单位';
COMMENT ON COLUMN lotuswall_data."appeals"."team" IS '领导小组';
COMMENT ON COLUMN lotuswall_data."appeals"."lon" IS '经度 (示意图坐标)';
COMMENT ON COLUMN lotuswall_data."appeals"."lat" IS '纬度 (示意图坐标)';
CREATE OR REPLACE VIEW lotuswall."appeals" AS SELECT "id", "enterprise_id", "enterprise", "region_code", "region", "category", "stage", "status", "received", "month", "closed", "days_open", "limit_days", "on_time", "is_key", "unit", "team", "lon", "lat" FROM lotuswall_data."appeals" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."appeals";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."appeals" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 诉求办理环节记录
CREATE TABLE IF NOT EXISTS lotuswall_data."appeal_steps" (
    _row bigserial,
    "appeal" text,
    "enterprise_id" text,
    "seq" double precision,
    "stage" text,
    "at" text,
    "by" text,
    "note" text
);
COMMENT ON TABLE lotuswall_data."appeal_steps" IS '诉求办理环节记录';
COMMENT ON COLUMN lotuswall_data."appeal_steps"."appeal" IS '诉求编号';
COMMENT ON COLUMN lotuswall_data."appeal_steps"."enterprise_id" IS '企业编号';
COMMENT ON COLUMN lotuswall_data."appeal_steps"."seq" IS '序号';
COMMENT ON COLUMN lotuswall_data."appeal_steps"."stage" IS '环节 (收集/分拨/处置/评价/督查/办结)';
COMMENT ON COLUMN lotuswall_data."appeal_steps"."at" IS '日期';
COMMENT ON COLUMN lotuswall_data."appeal_steps"."by" IS '办理单位或人员';
COMMENT ON COLUMN lotuswall_data."appeal_steps"."note" IS '说明';
CREATE OR REPLACE VIEW lotuswall."appeal_steps" AS SELECT "appeal", "enterprise_id", "seq", "stage", "at", "by", "note" FROM lotuswall_data."appeal_steps" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."appeal_steps";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."appeal_steps" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 诉求月统计 (受理/办结)
CREATE TABLE IF NOT EXISTS lotuswall_data."appeal_monthly" (
    _row bigserial,
    "period" text,
    "kind" text,
    "count" double precision,
    "region_code" text,
    "region" text
);
COMMENT ON TABLE lotuswall_data."appeal_monthly" IS '诉求月统计 (受理/办结)';
COMMENT ON COLUMN lotuswall_data."appeal_monthly"."period" IS '月份';
COMMENT ON COLUMN lotuswall_data."appeal_monthly"."kind" IS '口径 (受理/办结)';
COMMENT ON COLUMN lotuswall_data."appeal_monthly"."count" IS '诉求数';
COMMENT ON COLUMN lotuswall_data."appeal_monthly"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."appeal_monthly"."region" IS '地区';
CREATE OR REPLACE VIEW lotuswall."appeal_monthly" AS SELECT "period", "kind", "count", "region_code", "region" FROM lotuswall_data."appeal_monthly" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."appeal_monthly";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."appeal_monthly" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 诉求闭环率
CREATE TABLE IF NOT EXISTS lotuswall_data."appeal_closure" (
    _row bigserial,
    "region_code" text,
    "region" text,
    "item" text,
    "count" double precision,
    "total" double precision,
    "pct" double precision
);
COMMENT ON TABLE lotuswall_data."appeal_closure" IS '诉求闭环率';
COMMENT ON COLUMN lotuswall_data."appeal_closure"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."appeal_closure"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."appeal_closure"."item" IS '项目 (诉求办结率/按期办结率)';
COMMENT ON COLUMN lotuswall_data."appeal_closure"."count" IS '办结数';
COMMENT ON COLUMN lotuswall_data."appeal_closure"."total" IS '诉求总数';
COMMENT ON COLUMN lotuswall_data."appeal_closure"."pct" IS '比率';
CREATE OR REPLACE VIEW lotuswall."appeal_closure" AS SELECT "region_code", "region", "item", "count", "total", "pct" FROM lotuswall_data."appeal_closure" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."appeal_closure";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."appeal_closure" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 万人助企分地区统计
CREATE TABLE IF NOT EXISTS lotuswall_data."help_district" (
    _row bigserial,
    "region_code" text,
    "region" text,
    "enterprises" double precision,
    "served" double precision,
    "appeals" double precision,
    "closed" double precision,
    "open" double precision,
    "closure_pct" double precision,
    "on_time_pct" double precision
);
COMMENT ON TABLE lotuswall_data."help_district" IS '万人助企分地区统计';
COMMENT ON COLUMN lotuswall_data."help_district"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."help_district"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."help_district"."enterprises" IS '联系企业数';
COMMENT ON COLUMN lotuswall_data."help_district"."served" IS '已服务企业数';
COMMENT ON COLUMN lotuswall_data."help_district"."appeals" IS '诉求总数';
COMMENT ON COLUMN lotuswall_data."help_district"."closed" IS '已办结';
COMMENT ON COLUMN lotuswall_data."help_district"."open" IS '未办结';
COMMENT ON COLUMN lotuswall_data."help_district"."closure_pct" IS '办结率';
COMMENT ON COLUMN lotuswall_data."help_district"."on_time_pct" IS '按期办结率';
CREATE OR REPLACE VIEW lotuswall."help_district" AS SELECT "region_code", "region", "enterprises", "served", "appeals", "closed", "open", "closure_pct", "on_time_pct" FROM lotuswall_data."help_district" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."help_district";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."help_district" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 领导小组排名
CREATE TABLE IF NOT EXISTS lotuswall_data."help_teams" (
    _row bigserial,
    "team" text,
    "appeals" double precision,
    "closed" double precision,
    "closure_pct" double precision,
    "on_time_pct" double precision,
    "avg_days" double precision,
    "rank" double precision,
    "region_code" text,
    "region" text
);
COMMENT ON TABLE lotuswall_data."help_teams" IS '领导小组排名';
COMMENT ON COLUMN lotuswall_data."help_teams"."team" IS '领导小组';
COMMENT ON COLUMN lotuswall_data."help_teams"."appeals" IS '承办诉求';
COMMENT ON COLUMN lotuswall_data."help_teams"."closed" IS '已办结';
COMMENT ON COLUMN lotuswall_data."help_teams"."closure_pct" IS '办结率';
COMMENT ON COLUMN lotuswall_data."help_teams"."on_time_pct" IS '按期办结率';
COMMENT ON COLUMN lotuswall_data."help_teams"."avg_days" IS '平均办理天数';
COMMENT ON COLUMN lotuswall_data."help_teams"."rank" IS '排名';
COMMENT ON COLUMN lotuswall_data."help_teams"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."help_teams"."region" IS '地区';
CREATE OR REPLACE VIEW lotuswall."help_teams" AS SELECT "team", "appeals", "closed", "closure_pct", "on_time_pct", "avg_days", "rank", "region_code", "region" FROM lotuswall_data."help_teams" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."help_teams";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."help_teams" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 预警 (预警总览、预警指标)
CREATE TABLE IF NOT EXISTS lotuswall_data."warnings" (
    _row bigserial,
    "id" text,
    "rule" text,
    "name" text,
    "instance" text,
    "severity" text,
    "state" text,
    "state_name" text,
    "value" double precision,
    "reference" double precision,
    "since" text,
    "fired_at" text,
    "handling" text,
    "handled_by" text,
    "departments" text,
    "urges" double precision,
    "escalated" double precision,
    "message" text
);
COMMENT ON TABLE lotuswall_data."warnings" IS '预警 (预警总览、预警指标)';
COMMENT ON COLUMN lotuswall_data."warnings"."id" IS '预警编号 (规则:实例:次)';
COMMENT ON COLUMN lotuswall_data."warnings"."rule" IS '规则编号';
COMMENT ON COLUMN lotuswall_data."warnings"."name" IS '规则名称';
COMMENT ON COLUMN lotuswall_data."warnings"."instance" IS '实例 (如区划代码)';
COMMENT ON COLUMN lotuswall_data."warnings"."severity" IS '预警级别 (提示/一般/严重)';
COMMENT ON COLUMN lotuswall_data."warnings"."state" IS '状态代码 (normal/pending/firing/recovering/nodata/error)';
COMMENT ON COLUMN lotuswall_data."warnings"."state_name" IS '状态';
COMMENT ON COLUMN lotuswall_data."warnings"."value" IS '当前值';
COMMENT ON COLUMN lotuswall_data."warnings"."reference" IS '比较值 (阈值、目标、序时进度、均值)';
COMMENT ON COLUMN lotuswall_data."warnings"."since" IS '进入当前状态时间';
COMMENT ON COLUMN lotuswall_data."warnings"."fired_at" IS '触发时间';
COMMENT ON COLUMN lotuswall_data."warnings"."handling" IS '处理状态 (未处理/已确认/处理中/已办结)';
COMMENT ON COLUMN lotuswall_data."warnings"."handled_by" IS '处理人';
COMMENT ON COLUMN lotuswall_data."warnings"."departments" IS '预警关联部门';
COMMENT ON COLUMN lotuswall_data."warnings"."urges" IS '已催办次数';
COMMENT ON COLUMN lotuswall_data."warnings"."escalated" IS '已升级催办 (1/0)';
COMMENT ON COLUMN lotuswall_data."warnings"."message" IS '说明';
CREATE OR REPLACE VIEW lotuswall."warnings" AS SELECT "id", "rule", "name", "instance", "severity", "state", "state_name", "value", "reference", "since", "fired_at", "handling", "handled_by", "departments", "urges", "escalated", "message" FROM lotuswall_data."warnings" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."warnings";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."warnings" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 预警处理与催办记录
CREATE TABLE IF NOT EXISTS lotuswall_data."warning_steps" (
    _row bigserial,
    "warning" text,
    "rule" text,
    "instance" text,
    "seq" double precision,
    "action" text,
    "action_name" text,
    "by" text,
    "at" text,
    "note" text,
    "receipt" text
);
COMMENT ON TABLE lotuswall_data."warning_steps" IS '预警处理与催办记录';
COMMENT ON COLUMN lotuswall_data."warning_steps"."warning" IS '预警编号';
COMMENT ON COLUMN lotuswall_data."warning_steps"."rule" IS '规则编号';
COMMENT ON COLUMN lotuswall_data."warning_steps"."instance" IS '实例';
COMMENT ON COLUMN lotuswall_data."warning_steps"."seq" IS '序号';
COMMENT ON COLUMN lotuswall_data."warning_steps"."action" IS '动作代码 (acknowledged/handling/resolved/urge/escalate)';
COMMENT ON COLUMN lotuswall_data."warning_steps"."action_name" IS '动作';
COMMENT ON COLUMN lotuswall_data."warning_steps"."by" IS '处理人或催办部门';
COMMENT ON COLUMN lotuswall_data."warning_steps"."at" IS '时间';
COMMENT ON COLUMN lotuswall_data."warning_steps"."note" IS '备注';
COMMENT ON COLUMN lotuswall_data."warning_steps"."receipt" IS '送达 (催办: 待发送/已发送/已送达/失败)';
CREATE OR REPLACE VIEW lotuswall."warning_steps" AS SELECT "warning", "rule", "instance", "seq", "action", "action_name", "by", "at", "note", "receipt" FROM lotuswall_data."warning_steps" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."warning_steps";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."warning_steps" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 预警指标走势 (指标值与比较值)
CREATE TABLE IF NOT EXISTS lotuswall_data."warning_series" (
    _row bigserial,
    "warning" text,
    "rule" text,
    "instance" text,
    "period" text,
    "value" double precision,
    "reference" double precision
);
COMMENT ON TABLE lotuswall_data."warning_series" IS '预警指标走势 (指标值与比较值)';
COMMENT ON COLUMN lotuswall_data."warning_series"."warning" IS '预警编号';
COMMENT ON COLUMN lotuswall_data."warning_series"."rule" IS '规则编号';
COMMENT ON COLUMN lotuswall_data."warning_series"."instance" IS '实例';
COMMENT ON COLUMN lotuswall_data."warning_series"."period" IS '统计期';
COMMENT ON COLUMN lotuswall_data."warning_series"."value" IS '指标值';
COMMENT ON COLUMN lotuswall_data."warning_series"."reference" IS '比较值 (阈值、目标、序时进度)';
CREATE OR REPLACE VIEW lotuswall."warning_series" AS SELECT "warning", "rule", "instance", "period", "value", "reference" FROM lotuswall_data."warning_series" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."warning_series";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."warning_series" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 诉求办结评价 (企业满意度)
CREATE TABLE IF NOT EXISTS lotuswall_data."appeal_ratings" (
    _row bigserial,
    "appeal" text,
    "enterprise_id" text,
    "region_code" text,
    "region" text,
    "month" text,
    "category" text,
    "unit" text,
    "rating" text,
    "score" double precision,
    "satisfied" double precision
);
COMMENT ON TABLE lotuswall_data."appeal_ratings" IS '诉求办结评价 (企业满意度)';
COMMENT ON COLUMN lotuswall_data."appeal_ratings"."appeal" IS '诉求编号';
COMMENT ON COLUMN lotuswall_data."appeal_ratings"."enterprise_id" IS '企业编号';
COMMENT ON COLUMN lotuswall_data."appeal_ratings"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."appeal_ratings"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."appeal_ratings"."month" IS '评价月份';
COMMENT ON COLUMN lotuswall_data."appeal_ratings"."category" IS '诉求类别';
COMMENT ON COLUMN lotuswall_data."appeal_ratings"."unit" IS '责任单位';
COMMENT ON COLUMN lotuswall_data."appeal_ratings"."rating" IS '评价 (满意/基本满意/不满意)';
COMMENT ON COLUMN lotuswall_data."appeal_ratings"."score" IS '评价得分 (满意 100, 基本满意 80, 不满意 0)';
COMMENT ON COLUMN lotuswall_data."appeal_ratings"."satisfied" IS '满意或基本满意 (1/0)';
CREATE OR REPLACE VIEW lotuswall."appeal_ratings" AS SELECT "appeal", "enterprise_id", "region_code", "region", "month", "category", "unit", "rating", "score", "satisfied" FROM lotuswall_data."appeal_ratings" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."appeal_ratings";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."appeal_ratings" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 诉求全流程 (各环节到达件数)
CREATE TABLE IF NOT EXISTS lotuswall_data."appeal_flow" (
    _row bigserial,
    "region_code" text,
    "region" text,
    "seq" double precision,
    "stage" text,
    "count" double precision
);
COMMENT ON TABLE lotuswall_data."appeal_flow" IS '诉求全流程 (各环节到达件数)';
COMMENT ON COLUMN lotuswall_data."appeal_flow"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."appeal_flow"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."appeal_flow"."seq" IS '环节序号';
COMMENT ON COLUMN lotuswall_data."appeal_flow"."stage" IS '环节 (收集反馈/分拨/处置/评价/办结/督查)';
COMMENT ON COLUMN lotuswall_data."appeal_flow"."count" IS '到达该环节的诉求';
CREATE OR REPLACE VIEW lotuswall."appeal_flow" AS SELECT "region_code", "region", "seq", "stage", "count" FROM lotuswall_data."appeal_flow" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."appeal_flow";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."appeal_flow" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 诉求画像 (地区 × 类别)
CREATE TABLE IF NOT EXISTS lotuswall_data."appeal_profile" (
    _row bigserial,
    "region_code" text,
    "region" text,
    "category" text,
    "unit" text,
    "appeals" double precision,
    "closed" double precision,
    "rated" double precision,
    "satisfied" double precision,
    "satisfaction_pct" double precision,
    "score" double precision,
    "avg_days" double precision
);
COMMENT ON TABLE lotuswall_data."appeal_profile" IS '诉求画像 (地区 × 类别)';
COMMENT ON COLUMN lotuswall_data."appeal_profile"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."appeal_profile"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."appeal_profile"."category" IS '诉求类别 (全部: 合计)';
COMMENT ON COLUMN lotuswall_data."appeal_profile"."unit" IS '责任单位';
COMMENT ON COLUMN lotuswall_data."appeal_profile"."appeals" IS '受理诉求';
COMMENT ON COLUMN lotuswall_data."appeal_profile"."closed" IS '办结';
COMMENT ON COLUMN lotuswall_data."appeal_profile"."rated" IS '已评价';
COMMENT ON COLUMN lotuswall_data."appeal_profile"."satisfied" IS '满意或基本满意';
COMMENT ON COLUMN lotuswall_data."appeal_profile"."satisfaction_pct" IS '满意率';
COMMENT ON COLUMN lotuswall_data."appeal_profile"."score" IS '满意度得分 (平均)';
COMMENT ON COLUMN lotuswall_data."appeal_profile"."avg_days" IS '平均办理天数 (已办结)';
CREATE OR REPLACE VIEW lotuswall."appeal_profile" AS SELECT "region_code", "region", "category", "unit", "appeals", "closed", "rated", "satisfied", "satisfaction_pct", "score", "avg_days" FROM lotuswall_data."appeal_profile" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."appeal_profile";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."appeal_profile" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 企业高质量发展评价 (亩均效益)
CREATE TABLE IF NOT EXISTS lotuswall_data."eval_enterprises" (
    _row bigserial,
    "period" text,
    "enterprise_id" text,
    "enterprise" text,
    "region_code" text,
    "region" text,
    "sector" text,
    "total_score" double precision,
    "grade" text,
    "rank" double precision,
    "land_mu" double precision,
    "tax" double precision,
    "revenue" double precision,
    "output" double precision
);
COMMENT ON TABLE lotuswall_data."eval_enterprises" IS '企业高质量发展评价 (亩均效益)';
COMMENT ON COLUMN lotuswall_data."eval_enterprises"."period" IS '评价期 (季度末, 1月至该月累计年化)';
COMMENT ON COLUMN lotuswall_data."eval_enterprises"."enterprise_id" IS '企业编号';
COMMENT ON COLUMN lotuswall_data."eval_enterprises"."enterprise" IS '企业名称';
COMMENT ON COLUMN lotuswall_data."eval_enterprises"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."eval_enterprises"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."eval_enterprises"."sector" IS '行业';
COMMENT ON COLUMN lotuswall_data."eval_enterprises"."total_score" IS '评估总分';
COMMENT ON COLUMN lotuswall_data."eval_enterprises"."grade" IS '评估等级 (A 优先发展/B 提升发展/C 调整转型/D 整治淘汰)';
COMMENT ON COLUMN lotuswall_data."eval_enterprises"."rank" IS '全市排名';
COMMENT ON COLUMN lotuswall_data."eval_enterprises"."land_mu" IS '用地面积';
COMMENT ON COLUMN lotuswall_data."eval_enterprises"."tax" IS '税收 (年化)';
COMMENT ON COLUMN lotuswall_data."eval_enterprises"."revenue" IS '营业收入 (年化)';
COMMENT ON COLUMN lotuswall_data."eval_enterprises"."output" IS '工业总产值 (年化)';
CREATE OR REPLACE VIEW lotuswall."eval_enterprises" AS SELECT "period", "enterprise_id", "enterprise", "region_code", "region", "sector", "total_score", "grade", "rank", "land_mu", "tax", "revenue", "output" FROM lotuswall_data."eval_enterprises" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."eval_enterprises";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."eval_enterprises" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 企业高质量发展评价指标得分
CREATE TABLE IF NOT EXISTS lotuswall_data."eval_scores" (
    _row bigserial,
    "period" text,
    "enterprise_id" text,
    "region_code" text,
    "indicator" text,
    "name" text,
    "unit" text,
    "value" double precision,
    "weight" double precision,
    "score" double precision,
    "avg_score" double precision
);
COMMENT ON TABLE lotuswall_data."eval_scores" IS '企业高质量发展评价指标得分';
COMMENT ON COLUMN lotuswall_data."eval_scores"."period" IS '评价期';
COMMENT ON COLUMN lotuswall_data."eval_scores"."enterprise_id" IS '企业编号';
COMMENT ON COLUMN lotuswall_data."eval_scores"."region_code" IS '区划代码';
COMMENT ON COLUMN lotuswall_data."eval_scores"."indicator" IS '指标代码';
COMMENT ON COLUMN lotuswall_data."eval_scores"."name" IS '指标名称';
COMMENT ON COLUMN lotuswall_data."eval_scores"."unit" IS '单位';
COMMENT ON COLUMN lotuswall_data."eval_scores"."value" IS '指标值';
COMMENT ON COLUMN lotuswall_data."eval_scores"."weight" IS '权重';
COMMENT ON COLUMN lotuswall_data."eval_scores"."score" IS '指标得分 (全市最低 5% 为 0, 最优 5% 为 100, 对数刻度)';
COMMENT ON COLUMN lotuswall_data."eval_scores"."avg_score" IS '全市平均得分';
CREATE OR REPLACE VIEW lotuswall."eval_scores" AS SELECT "period", "enterprise_id", "region_code", "indicator", "name", "unit", "value", "weight", "score", "avg_score" FROM lotuswall_data."eval_scores" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."eval_scores";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."eval_scores" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 企业高质量发展评价分组统计
CREATE TABLE IF NOT EXISTS lotuswall_data."eval_groups" (
    _row bigserial,
    "period" text,
    "region_code" text,
    "region" text,
    "dim" text,
    "key" text,
    "code" text,
    "enterprises" double precision,
    "avg_score" double precision,
    "tax" double precision,
    "output" double precision,
    "rank" double precision
);
COMMENT ON TABLE lotuswall_data."eval_groups" IS '企业高质量发展评价分组统计';
COMMENT ON COLUMN lotuswall_data."eval_groups"."period" IS '评价期';
COMMENT ON COLUMN lotuswall_data."eval_groups"."region_code" IS '区划代码 (市: 全市)';
COMMENT ON COLUMN lotuswall_data."eval_groups"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."eval_groups"."dim" IS '分组 (行业/等级/区域/指标)';
COMMENT ON COLUMN lotuswall_data."eval_groups"."key" IS '组';
COMMENT ON COLUMN lotuswall_data."eval_groups"."code" IS '组的代码 (区域: 区划代码)';
COMMENT ON COLUMN lotuswall_data."eval_groups"."enterprises" IS '企业数';
COMMENT ON COLUMN lotuswall_data."eval_groups"."avg_score" IS '平均得分';
COMMENT ON COLUMN lotuswall_data."eval_groups"."tax" IS '税收 (年化)';
COMMENT ON COLUMN lotuswall_data."eval_groups"."output" IS '工业总产值 (年化)';
COMMENT ON COLUMN lotuswall_data."eval_groups"."rank" IS '组内排名 (按平均得分)';
CREATE OR REPLACE VIEW lotuswall."eval_groups" AS SELECT "period", "region_code", "region", "dim", "key", "code", "enterprises", "avg_score", "tax", "output", "rank" FROM lotuswall_data."eval_groups" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."eval_groups";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."eval_groups" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 金融服务平台统计 (累计与新增)
CREATE TABLE IF NOT EXISTS lotuswall_data."finance_summary" (
    _row bigserial,
    "period" text,
    "date" text,
    "region_code" text,
    "region" text,
    "item" text,
    "name" text,
    "unit" text,
    "total" double precision,
    "day" double precision,
    "month" double precision,
    "year" double precision
);
COMMENT ON TABLE lotuswall_data."finance_summary" IS '金融服务平台统计 (累计与新增)';
COMMENT ON COLUMN lotuswall_data."finance_summary"."period" IS '统计月份';
COMMENT ON COLUMN lotuswall_data."finance_summary"."date" IS '截至日期';
COMMENT ON COLUMN lotuswall_data."finance_summary"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."finance_summary"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."finance_summary"."item" IS '指标代码';
COMMENT ON COLUMN lotuswall_data."finance_summary"."name" IS '指标名称';
COMMENT ON COLUMN lotuswall_data."finance_summary"."unit" IS '单位';
COMMENT ON COLUMN lotuswall_data."finance_summary"."total" IS '累计';
COMMENT ON COLUMN lotuswall_data."finance_summary"."day" IS '当日新增';
COMMENT ON COLUMN lotuswall_data."finance_summary"."month" IS '当月新增';
COMMENT ON COLUMN lotuswall_data."finance_summary"."year" IS '当年新增';
CREATE OR REPLACE VIEW lotuswall."finance_summary" AS SELECT "period", "date", "region_code", "region", "item", "name", "unit", "total", "day", "month", "year" FROM lotuswall_data."finance_summary" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."finance_summary";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."finance_summary" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 金融服务平台授信放款分类统计
CREATE TABLE IF NOT EXISTS lotuswall_data."finance_breakdown" (
    _row bigserial,
    "period" text,
    "region_code" text,
    "region" text,
    "dim" text,
    "key" text,
    "credits" double precision,
    "credit_amount" double precision,
    "loans" double precision,
    "loan_amount" double precision,
    "loans_year" double precision,
    "loan_amount_year" double precision
);
COMMENT ON TABLE lotuswall_data."finance_breakdown" IS '金融服务平台授信放款分类统计';
COMMENT ON COLUMN lotuswall_data."finance_breakdown"."period" IS '统计月份';
COMMENT ON COLUMN lotuswall_data."finance_breakdown"."region_code" IS '区划代码 (市: 全市合计)';
COMMENT ON COLUMN lotuswall_data."finance_breakdown"."region" IS '地区';
COMMENT ON COLUMN lotuswall_data."finance_breakdown"."dim" IS '分类 (产品/行业/金融机构)';
COMMENT ON COLUMN lotuswall_data."finance_breakdown"."key" IS '类别';
COMMENT ON COLUMN lotuswall_data."finance_breakdown"."credits" IS '当月授信笔数';
COMMENT ON COLUMN lotuswall_data."finance_breakdown"."credit_amount" IS '当月授信金额';
COMMENT ON COLUMN lotuswall_data."finance_breakdown"."loans" IS '当月放款笔数';
COMMENT ON COLUMN lotuswall_data."finance_breakdown"."loan_amount" IS '当月放款金额';
COMMENT ON COLUMN lotuswall_data."finance_breakdown"."loans_year" IS '当年放款笔数';
COMMENT ON COLUMN lotuswall_data."finance_breakdown"."loan_amount_year" IS '当年放款金额';
CREATE OR REPLACE VIEW lotuswall."finance_breakdown" AS SELECT "period", "region_code", "region", "dim", "key", "credits", "credit_amount", "loans", "loan_amount", "loans_year", "loan_amount_year" FROM lotuswall_data."finance_breakdown" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."finance_breakdown";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."finance_breakdown" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

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

-- 催办短信模板
CREATE TABLE IF NOT EXISTS lotuswall_data."sms_templates" (
    _row bigserial,
    "code" text,
    "type" text,
    "name" text,
    "content" text,
    "channel" text
);
COMMENT ON TABLE lotuswall_data."sms_templates" IS '催办短信模板';
COMMENT ON COLUMN lotuswall_data."sms_templates"."code" IS '模板编号';
COMMENT ON COLUMN lotuswall_data."sms_templates"."type" IS '模板类型';
COMMENT ON COLUMN lotuswall_data."sms_templates"."name" IS '模板名称';
COMMENT ON COLUMN lotuswall_data."sms_templates"."content" IS '模板内容 (占位符 {indicator} {instance} {value} {threshold} {department} {deadline} {severity})';
COMMENT ON COLUMN lotuswall_data."sms_templates"."channel" IS '短信通道';
CREATE OR REPLACE VIEW lotuswall."sms_templates" AS SELECT "code", "type", "name", "content", "channel" FROM lotuswall_data."sms_templates" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."sms_templates";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."sms_templates" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 短信通道
CREATE TABLE IF NOT EXISTS lotuswall_data."sms_channels" (
    _row bigserial,
    "code" text,
    "name" text,
    "kind" text,
    "segment_chars" double precision,
    "over_length" text
);
COMMENT ON TABLE lotuswall_data."sms_channels" IS '短信通道';
COMMENT ON COLUMN lotuswall_data."sms_channels"."code" IS '通道编号';
COMMENT ON COLUMN lotuswall_data."sms_channels"."name" IS '通道名称';
COMMENT ON COLUMN lotuswall_data."sms_channels"."kind" IS '类型 (sms/gov-im)';
COMMENT ON COLUMN lotuswall_data."sms_channels"."segment_chars" IS '每条字数 (中文短信 70)';
COMMENT ON COLUMN lotuswall_data."sms_channels"."over_length" IS '超长处理 (split 拆分 / refuse 拒发)';
CREATE OR REPLACE VIEW lotuswall."sms_channels" AS SELECT "code", "name", "kind", "segment_chars", "over_length" FROM lotuswall_data."sms_channels" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."sms_channels";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."sms_channels" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 操作人员
CREATE TABLE IF NOT EXISTS lotuswall_data."operators" (
    _row bigserial,
    "name" text,
    "department" text,
    "role" text
);
COMMENT ON TABLE lotuswall_data."operators" IS '操作人员';
COMMENT ON COLUMN lotuswall_data."operators"."name" IS '姓名';
COMMENT ON COLUMN lotuswall_data."operators"."department" IS '部门';
COMMENT ON COLUMN lotuswall_data."operators"."role" IS '角色 (值班员/处长/领导)';
CREATE OR REPLACE VIEW lotuswall."operators" AS SELECT "name", "department", "role" FROM lotuswall_data."operators" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."operators";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."operators" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- 运行报告中心
CREATE TABLE IF NOT EXISTS lotuswall_data."reports" (
    _row bigserial,
    "id" text,
    "name" text,
    "created_at" text,
    "scenes" text,
    "file" text,
    "trigger" text,
    "published" text,
    "link" text
);
COMMENT ON TABLE lotuswall_data."reports" IS '运行报告中心';
COMMENT ON COLUMN lotuswall_data."reports"."id" IS '报告编号';
COMMENT ON COLUMN lotuswall_data."reports"."name" IS '报告名称';
COMMENT ON COLUMN lotuswall_data."reports"."created_at" IS '生成时间';
COMMENT ON COLUMN lotuswall_data."reports"."scenes" IS '包含专题';
COMMENT ON COLUMN lotuswall_data."reports"."file" IS '文件';
COMMENT ON COLUMN lotuswall_data."reports"."trigger" IS '触发 (定时/手动)';
COMMENT ON COLUMN lotuswall_data."reports"."published" IS '发布状态 (已发布/未发布)';
COMMENT ON COLUMN lotuswall_data."reports"."link" IS '外部链接';
CREATE OR REPLACE VIEW lotuswall."reports" AS SELECT "id", "name", "created_at", "scenes", "file", "trigger", "published", "link" FROM lotuswall_data."reports" ORDER BY _row;
DROP TRIGGER IF EXISTS lotuswall_refresh ON lotuswall_data."reports";
CREATE TRIGGER lotuswall_refresh AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON lotuswall_data."reports" FOR EACH STATEMENT
    EXECUTE FUNCTION lotuswall_data.notify_refresh();

-- The data exchange documents that walls and the engine publish for the city
-- big-data platform (docs/exchange.md); each insert sends NOTIFY lotuswall_exchange
-- with the new id.
CREATE TABLE IF NOT EXISTS lotuswall.exchange_documents (
    id bigserial PRIMARY KEY,
    published_at timestamptz NOT NULL DEFAULT now(),
    generation bigint NOT NULL,
    document jsonb NOT NULL
);

-- The urge (催办) outbox of the warning engine (`lotuswall engine`): one row per
-- (warning, department, urge step), keyed by the engine's idempotency key
-- rule:instance:episode:department:step, so a restarted or new leader never
-- writes an urge twice. Each insert sends NOTIFY lotuswall_urge with the new id when
-- its transaction commits. `lotuswall deliver` takes the unsent rows (sets
-- sent_at) and sends them to the department's contacts, recording each send
-- in lotuswall_deliver.deliveries (docs/operations.md).
CREATE TABLE IF NOT EXISTS lotuswall.urge_outbox (
    id bigserial PRIMARY KEY,
    idem_key text NOT NULL UNIQUE,
    warning text NOT NULL,
    rule text NOT NULL,
    instance text NOT NULL,
    department text NOT NULL,
    step integer NOT NULL,
    escalation boolean NOT NULL DEFAULT false,
    text text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    attempts integer NOT NULL DEFAULT 0
);
-- the SMS channel (sms_channels.code) and the segments the text takes; a
-- text longer than a channel that refuses long texts is refused: kept here,
-- never sent
ALTER TABLE lotuswall.urge_outbox ADD COLUMN IF NOT EXISTS channel text;
ALTER TABLE lotuswall.urge_outbox ADD COLUMN IF NOT EXISTS template text;
ALTER TABLE lotuswall.urge_outbox ADD COLUMN IF NOT EXISTS segments integer NOT NULL DEFAULT 1;
ALTER TABLE lotuswall.urge_outbox ADD COLUMN IF NOT EXISTS refused boolean NOT NULL DEFAULT false;
-- why the server refused the rendered urge: such a row is recorded refused
ALTER TABLE lotuswall.urge_outbox ADD COLUMN IF NOT EXISTS error text;
CREATE INDEX IF NOT EXISTS urge_outbox_unsent ON lotuswall.urge_outbox (id)
    WHERE sent_at IS NULL;
CREATE OR REPLACE FUNCTION lotuswall_data.notify_urge() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lotuswall_urge', NEW.id::text);
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS lotuswall_urge ON lotuswall.urge_outbox;
CREATE TRIGGER lotuswall_urge AFTER INSERT ON lotuswall.urge_outbox
    FOR EACH ROW EXECUTE FUNCTION lotuswall_data.notify_urge();

-- Warning rules kept in the database (`lotuswall engine --rules db`): one row
-- per rule, the same JSON object as an entry of a rules file (docs/rules.md).
CREATE TABLE IF NOT EXISTS lotuswall.warning_rules (
    id text PRIMARY KEY,
    rule jsonb NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Operators' actions on warnings (ack, handle, resolve, urge: 一键催办), queued
-- by `lotuswall ack|handle|resolve|urge` and applied by the leading engine in
-- the same transaction as its next evaluation (processed_at, result).
CREATE TABLE IF NOT EXISTS lotuswall.warning_actions (
    id bigserial PRIMARY KEY,
    warning text NOT NULL,
    action text NOT NULL CHECK (action IN ('ack', 'handle', 'resolve', 'urge')),
    by text NOT NULL,
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    result text
);
CREATE OR REPLACE FUNCTION lotuswall_data.notify_action() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lotuswall_action', NEW.id::text);
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS lotuswall_action ON lotuswall.warning_actions;
CREATE TRIGGER lotuswall_action AFTER INSERT ON lotuswall.warning_actions
    FOR EACH ROW EXECUTE FUNCTION lotuswall_data.notify_action();

-- Roles (cluster-wide; created once). Give them to login roles:
--   CREATE ROLE wall1 LOGIN PASSWORD '...' IN ROLE lotuswall_reader;
-- lotuswall_reader:   SELECT on the catalog's views (and the schema version)
--                     only, granted by name; the tables, the outbox, the
--                     operators' notes, the rules and the exchange documents
--                     stay out of reach.
-- lotuswall_operator: a reader that queues actions and reads their answers.
-- lotuswall_engine:   the warning engine and publishing walls; reads like a
--                     wall, writes the exchange documents, the outbox and the
--                     warning tables, reads the rules and applies the actions.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotuswall_reader') THEN
        CREATE ROLE lotuswall_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotuswall_operator') THEN
        CREATE ROLE lotuswall_operator NOLOGIN IN ROLE lotuswall_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotuswall_engine') THEN
        CREATE ROLE lotuswall_engine NOLOGIN IN ROLE lotuswall_reader;
    END IF;
END $$;
REVOKE ALL ON SCHEMA lotuswall_data FROM PUBLIC;
REVOKE ALL ON SCHEMA lotuswall FROM PUBLIC;
GRANT USAGE ON SCHEMA lotuswall TO lotuswall_reader;
GRANT SELECT ON lotuswall.schema_migrations TO lotuswall_reader;
GRANT SELECT ON lotuswall.source_versions TO lotuswall_reader;
GRANT SELECT ON lotuswall."regions" TO lotuswall_reader;
GRANT SELECT ON lotuswall."indicators" TO lotuswall_reader;
GRANT SELECT ON lotuswall."indicator_values" TO lotuswall_reader;
GRANT SELECT ON lotuswall."indicator_trend" TO lotuswall_reader;
GRANT SELECT ON lotuswall."target_progress" TO lotuswall_reader;
GRANT SELECT ON lotuswall."industry_sectors" TO lotuswall_reader;
GRANT SELECT ON lotuswall."enterprises" TO lotuswall_reader;
GRANT SELECT ON lotuswall."projects" TO lotuswall_reader;
GRANT SELECT ON lotuswall."project_progress" TO lotuswall_reader;
GRANT SELECT ON lotuswall."project_monthly" TO lotuswall_reader;
GRANT SELECT ON lotuswall."economic_index" TO lotuswall_reader;
GRANT SELECT ON lotuswall."district_assessment" TO lotuswall_reader;
GRANT SELECT ON lotuswall."help_enterprises" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeals" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeal_steps" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeal_monthly" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeal_closure" TO lotuswall_reader;
GRANT SELECT ON lotuswall."help_district" TO lotuswall_reader;
GRANT SELECT ON lotuswall."help_teams" TO lotuswall_reader;
GRANT SELECT ON lotuswall."warnings" TO lotuswall_reader;
GRANT SELECT ON lotuswall."warning_steps" TO lotuswall_reader;
GRANT SELECT ON lotuswall."warning_series" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeal_ratings" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeal_flow" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeal_profile" TO lotuswall_reader;
GRANT SELECT ON lotuswall."eval_enterprises" TO lotuswall_reader;
GRANT SELECT ON lotuswall."eval_scores" TO lotuswall_reader;
GRANT SELECT ON lotuswall."eval_groups" TO lotuswall_reader;
GRANT SELECT ON lotuswall."finance_summary" TO lotuswall_reader;
GRANT SELECT ON lotuswall."finance_breakdown" TO lotuswall_reader;
GRANT SELECT ON lotuswall."top_enterprises" TO lotuswall_reader;
GRANT SELECT ON lotuswall."enterprise_anomalies" TO lotuswall_reader;
GRANT SELECT ON lotuswall."anomaly_monthly" TO lotuswall_reader;
GRANT SELECT ON lotuswall."key_enterprise_monthly" TO lotuswall_reader;
GRANT SELECT ON lotuswall."policy_summary" TO lotuswall_reader;
GRANT SELECT ON lotuswall."policy_breakdown" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeal_sectors" TO lotuswall_reader;
GRANT SELECT ON lotuswall."sms_templates" TO lotuswall_reader;
GRANT SELECT ON lotuswall."sms_channels" TO lotuswall_reader;
GRANT SELECT ON lotuswall."operators" TO lotuswall_reader;
GRANT SELECT ON lotuswall."reports" TO lotuswall_reader;
GRANT SELECT, INSERT ON lotuswall.exchange_documents TO lotuswall_engine;
GRANT SELECT, INSERT ON lotuswall.warning_actions TO lotuswall_operator;
GRANT USAGE ON SEQUENCE lotuswall.warning_actions_id_seq TO lotuswall_operator;
GRANT SELECT, UPDATE ON lotuswall.warning_actions TO lotuswall_engine;
GRANT SELECT ON lotuswall.warning_rules TO lotuswall_engine;
GRANT USAGE ON SEQUENCE lotuswall.exchange_documents_id_seq TO lotuswall_engine;
GRANT SELECT, INSERT, UPDATE ON lotuswall.urge_outbox TO lotuswall_engine;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE lotuswall.urge_outbox_id_seq TO lotuswall_engine;
GRANT USAGE ON SCHEMA lotuswall_data TO lotuswall_engine;
GRANT SELECT, INSERT, DELETE ON lotuswall_data."warnings" TO lotuswall_engine;
GRANT USAGE ON SEQUENCE lotuswall_data."warnings__row_seq" TO lotuswall_engine;
GRANT SELECT, INSERT, DELETE ON lotuswall_data."warning_steps" TO lotuswall_engine;
GRANT USAGE ON SEQUENCE lotuswall_data."warning_steps__row_seq" TO lotuswall_engine;
GRANT SELECT, INSERT, DELETE ON lotuswall_data."warning_series" TO lotuswall_engine;
GRANT USAGE ON SEQUENCE lotuswall_data."warning_series__row_seq" TO lotuswall_engine;

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

-- lotuswall schema migration 0011: the fleet's configuration in the database
-- (issue 15, parts 1 and 2). `lotuswall db schema` ends with this same text
-- for a new database (src/data/pg.c embeds the file).
--
-- lotuswall.config_documents  scenes, playlists, rules and wall files as
--                             versioned documents: a new row per version,
--                             never changed or removed. The content is the
--                             file as pushed; its hash (sha256, hex), who
--                             pushed it (the database login) and when (the
--                             server's clock) are the database's word, set by
--                             the trigger, never by the client.
-- lotuswall.wall_assignments  which wall (its --wall-name) shows which playlist
--                             with which parameters (a JSON object of
--                             strings, e.g. {"city": "411081"}).
-- Every change sends NOTIFY lotuswall_config, and the walls that follow the
-- database take the new set at once (`lotuswall run --db --wall-name NAME`).
-- Roles:
-- lotuswall_config  pushes documents and sets assignments (`lotuswall config
--                   push|assign --db`); reads them back (list, pull, history).
-- lotuswall_reader  (every wall) reads the documents and the assignments.

CREATE TABLE IF NOT EXISTS lotuswall.config_documents (
    kind text NOT NULL CHECK (kind IN ('scene', 'playlist', 'rules', 'wall')),
    name text NOT NULL CHECK (name ~ '^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$'),
    version integer NOT NULL CHECK (version >= 1),
    content text NOT NULL CHECK (octet_length(content) <= 4194304),
    hash text NOT NULL DEFAULT '',
    author text NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, name, version)
);

CREATE TABLE IF NOT EXISTS lotuswall.wall_assignments (
    wall text PRIMARY KEY CHECK (octet_length(wall) BETWEEN 1 AND 128),
    playlist text NOT NULL CHECK (playlist ~ '^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$'),
    params jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
    author text NOT NULL DEFAULT session_user,
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- the hash, the author and the time: the server's, whatever the client sent
CREATE OR REPLACE FUNCTION lotuswall.stamp_config() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'config_documents' THEN
        NEW.hash := encode(sha256(convert_to(NEW.content, 'UTF8')), 'hex');
        NEW.created_at := now();
    ELSE
        NEW.changed_at := now();
    END IF;
    NEW.author := session_user;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION lotuswall.notify_config() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lotuswall_config', '');
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS lotuswall_stamp ON lotuswall.config_documents;
CREATE TRIGGER lotuswall_stamp BEFORE INSERT OR UPDATE ON lotuswall.config_documents
    FOR EACH ROW EXECUTE FUNCTION lotuswall.stamp_config();
DROP TRIGGER IF EXISTS lotuswall_stamp ON lotuswall.wall_assignments;
CREATE TRIGGER lotuswall_stamp BEFORE INSERT OR UPDATE ON lotuswall.wall_assignments
    FOR EACH ROW EXECUTE FUNCTION lotuswall.stamp_config();
DROP TRIGGER IF EXISTS lotuswall_notify ON lotuswall.config_documents;
CREATE TRIGGER lotuswall_notify AFTER INSERT OR UPDATE OR DELETE ON lotuswall.config_documents
    FOR EACH STATEMENT EXECUTE FUNCTION lotuswall.notify_config();
DROP TRIGGER IF EXISTS lotuswall_notify ON lotuswall.wall_assignments;
CREATE TRIGGER lotuswall_notify AFTER INSERT OR UPDATE OR DELETE ON lotuswall.wall_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION lotuswall.notify_config();

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lotuswall_config') THEN
        CREATE ROLE lotuswall_config NOLOGIN;
    END IF;
END $$;
REVOKE ALL ON lotuswall.config_documents, lotuswall.wall_assignments FROM PUBLIC;
REVOKE ALL ON FUNCTION lotuswall.stamp_config(), lotuswall.notify_config() FROM PUBLIC;
GRANT USAGE ON SCHEMA lotuswall TO lotuswall_config;
GRANT SELECT ON lotuswall.config_documents, lotuswall.wall_assignments
    TO lotuswall_reader, lotuswall_config;
GRANT INSERT (kind, name, version, content) ON lotuswall.config_documents TO lotuswall_config;
GRANT INSERT (wall, playlist, params), UPDATE (playlist, params), DELETE
    ON lotuswall.wall_assignments TO lotuswall_config;

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

-- lotuswall schema migration 0016: a steering command expires (issue 15).
-- A wall answers a command of lotuswall.wall_commands that waited more than
-- two minutes for it (the wall was away) as expired instead of applying it:
-- a briefing that steered a dead wall has moved on. The wall's login reads
-- when the command was queued for that.
GRANT SELECT (created_at) ON lotuswall.wall_commands TO lotuswall_wall;
INSERT INTO lotuswall.schema_migrations (version, description) VALUES
    (1, '0001-initial'),
    (2, '0002-reader-grants'),
    (3, '0003-urge-outbox-error'),
    (4, '0004-regions'),
    (5, '0005-drill-details'),
    (6, '0006-accounts'),
    (7, '0007-evaluation-finance'),
    (8, '0008-contacts-deliveries'),
    (9, '0009-exchange-outbox'),
    (10, '0010-panorama-policy'),
    (11, '0011-fleet-config'),
    (12, '0012-fleet-heartbeats'),
    (13, '0013-source-versions'),
    (14, '0014-splice'),
    (15, '0015-delivery-health'),
    (16, '0016-steer-expiry')
    ON CONFLICT (version) DO NOTHING;
COMMIT;
