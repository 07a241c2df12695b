-- lotuswall schema migration 0005: the tables of the drill-down detail scenes
-- (issue 11): project_monthly (each key project's months: plan, done, 形象进度,
-- for scenes/project.json), appeal_steps (each appeal's stage trail, for
-- scenes/enterprise-view.json) and warning_series (made by the engine: each
-- warning's indicator against its reference over the data's periods, for
-- scenes/warning.json). As `lotuswall db schema` makes them for a new database.

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

GRANT SELECT ON lotuswall."project_monthly" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeal_steps" TO lotuswall_reader;
GRANT SELECT ON lotuswall."warning_series" TO lotuswall_reader;
GRANT SELECT, INSERT, DELETE ON lotuswall_data."warning_series" TO lotuswall_engine;
GRANT USAGE ON SEQUENCE lotuswall_data."warning_series__row_seq" TO lotuswall_engine;
