-- lotuswall schema migration 0007: the tables of issue 13's scenes — appeal
-- satisfaction, the lifecycle and the 诉求画像 (appeal_ratings, appeal_flow,
-- appeal_profile, for help-map), the enterprise evaluation (eval_enterprises,
-- eval_scores, eval_groups, for scenes/evaluation.json) and the finance
-- service platform (finance_summary, finance_breakdown, for
-- scenes/finance.json). As `lotuswall db schema` makes them for a new database.

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

GRANT SELECT ON lotuswall."appeal_ratings" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeal_flow" TO lotuswall_reader;
GRANT SELECT ON lotuswall."appeal_profile" TO lotuswall_reader;
GRANT SELECT ON lotuswall."eval_enterprises" TO lotuswall_reader;
GRANT SELECT ON lotuswall."eval_scores" TO lotuswall_reader;
GRANT SELECT ON lotuswall."eval_groups" TO lotuswall_reader;
GRANT SELECT ON lotuswall."finance_summary" TO lotuswall_reader;
GRANT SELECT ON lotuswall."finance_breakdown" TO lotuswall_reader;
