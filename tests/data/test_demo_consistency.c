/* The demo data set is internally consistent: districts sum to the city,
 * composites equal their parts, shares sum to 100 %, cumulative values never
 * fall within a year, and every growth rate and rate of completion matches
 * the values it derives from. A leader must be able to trust every number. */
#include "common.h"
#include "data/geojson.h"
#include "util/util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static struct table *get(const char *name)
{
    struct table *t = store_get(test_app.store, name);
    if (!t)
        fail_msg("demo table %s missing", name);
    return t;
}

static int col(const struct table *t, const char *name)
{
    int c = table_col(t, name);
    if (c < 0)
        fail_msg("%s has no column %s", t->name, name);
    return c;
}

static const char *txt(const struct table *t, size_t r, const char *name)
{
    const char *s = table_text(t, r, (size_t)col(t, name));
    return s ? s : "";
}

static double num(const struct table *t, size_t r, const char *name)
{
    return table_num(t, r, (size_t)col(t, name));
}

/* A row belongs to region `code`: the city's rows are its totals. */
static bool of_region(const struct table *t, size_t r, const char *code)
{
    return !strcmp(txt(t, r, "region_code"), code);
}

/* Row of indicator_values for (region, indicator, period), or -1. */
static long find_iv(const struct table *iv, const char *region, const char *ind, const char *per)
{
    for (size_t r = 0; r < iv->nrows; r++)
        if (!strcmp(txt(iv, r, "region_code"), region) && !strcmp(txt(iv, r, "indicator"), ind) &&
            !strcmp(txt(iv, r, "period"), per))
            return (long)r;
    return -1;
}

static bool is_additive(const char *ind)
{
    struct table *t = get("indicators");
    bool add = false;
    for (size_t r = 0; r < t->nrows; r++)
        if (!strcmp(txt(t, r, "code"), ind))
            add = num(t, r, "additive") == 1;
    table_unref(t);
    return add;
}

static void test_districts_sum_to_city(void **state)
{
    struct table *iv = get("indicator_values");
    size_t checked = 0;
    for (size_t r = 0; r < iv->nrows; r++) {
        if (strcmp(txt(iv, r, "region_code"), "411000") || !is_additive(txt(iv, r, "indicator")))
            continue;
        double sum = 0, sum_prev = 0;
        for (size_t k = 0; k < iv->nrows; k++) {
            if (!strcmp(txt(iv, k, "region_code"), "411000") ||
                strcmp(txt(iv, k, "indicator"), txt(iv, r, "indicator")) ||
                strcmp(txt(iv, k, "period"), txt(iv, r, "period")))
                continue;
            sum += num(iv, k, "value");
            sum_prev += num(iv, k, "prev_value");
        }
        if (fabs(sum - num(iv, r, "value")) > 0.006 || fabs(sum_prev - num(iv, r, "prev_value")) > 0.006)
            fail_msg("%s %s: districts sum to %.2f, city is %.2f", txt(iv, r, "indicator"),
                     txt(iv, r, "period"), sum, num(iv, r, "value"));
        checked++;
    }
    assert_true(checked > 100);
    table_unref(iv);
}

static void test_composites(void **state)
{
    struct table *iv = get("indicator_values");
    static const char *const parts[][4] = {
        {"gdp", "gdp_primary", "gdp_secondary", "gdp_tertiary"},
        {"trade", "export", "import", NULL},
    };
    size_t checked = 0;
    for (size_t r = 0; r < iv->nrows; r++) {
        for (size_t p = 0; p < ARRAY_LEN(parts); p++) {
            if (strcmp(txt(iv, r, "indicator"), parts[p][0]))
                continue;
            double sum = 0;
            for (size_t k = 1; k < 4 && parts[p][k]; k++) {
                long row = find_iv(iv, txt(iv, r, "region_code"), parts[p][k], txt(iv, r, "period"));
                assert_true(row >= 0);
                sum += num(iv, (size_t)row, "value");
            }
            if (fabs(sum - num(iv, r, "value")) > 0.006)
                fail_msg("%s %s %s: parts sum to %.2f, total is %.2f", parts[p][0],
                         txt(iv, r, "region_code"), txt(iv, r, "period"), sum, num(iv, r, "value"));
            checked++;
        }
    }
    assert_true(checked > 100);
    table_unref(iv);
}

static void test_cumulative_and_growth(void **state)
{
    struct table *iv = get("indicator_values");
    for (size_t r = 0; r < iv->nrows; r++) {
        double v = num(iv, r, "value"), p = num(iv, r, "prev_value"), g = num(iv, r, "yoy_pct");
        if (fabs((v / p - 1) * 100 - g) > 0.05 + 1e-9)
            fail_msg("%s %s %s: yoy %.1f but values give %.3f", txt(iv, r, "region_code"),
                     txt(iv, r, "indicator"), txt(iv, r, "period"), g, (v / p - 1) * 100);
        /* the previous period of the same year is never larger (1–N月累计) */
        const char *per = txt(iv, r, "period");
        for (size_t k = 0; k < iv->nrows; k++) {
            const char *pk = txt(iv, k, "period");
            if (strncmp(pk, per, 4) || strcmp(pk, per) >= 0 ||
                strcmp(txt(iv, k, "region_code"), txt(iv, r, "region_code")) ||
                strcmp(txt(iv, k, "indicator"), txt(iv, r, "indicator")))
                continue;
            if (num(iv, k, "value") > v)
                fail_msg("%s %s: cumulative value falls from %s to %s", txt(iv, r, "region_code"),
                         txt(iv, r, "indicator"), pk, per);
        }
        /* last year's value of this period is this row's prev_value */
        char last[16];
        snprintf(last, sizeof last, "%d%s", atoi(per) - 1, per + 4);
        long lr = find_iv(iv, txt(iv, r, "region_code"), txt(iv, r, "indicator"), last);
        if (lr >= 0 && fabs(num(iv, (size_t)lr, "value") - p) > 1e-9)
            fail_msg("%s %s %s: prev_value %.2f but %s has %.2f", txt(iv, r, "region_code"),
                     txt(iv, r, "indicator"), per, p, last, num(iv, (size_t)lr, "value"));
    }
    table_unref(iv);
}

/* Per region (the city and each district) and period: the sectors sum to
 * the region's industry value added (the city's exactly, a district's within
 * its rounding), their shares to 100 %, and every district's sector values sum
 * to the city's. */
static void test_sectors(void **state)
{
    struct table *s = get("industry_sectors"), *iv = get("indicator_values");
    size_t groups = 0;
    for (size_t r = 0; r < s->nrows; r++) {
        const char *per = txt(s, r, "period"), *code = txt(s, r, "region_code");
        if (r > 0 && !strcmp(txt(s, r - 1, "period"), per) && of_region(s, r - 1, code))
            continue; /* rows are grouped by region and period */
        bool city = !strcmp(code, "411000");
        double sum = 0, share = 0;
        for (size_t k = r;
             k < s->nrows && !strcmp(txt(s, k, "period"), per) && of_region(s, k, code); k++) {
            sum += num(s, k, "value");
            share += num(s, k, "share_pct");
            double g = (num(s, k, "value") / num(s, k, "prev_value") - 1) * 100;
            assert_true(fabs(g - num(s, k, "yoy_pct")) <= 0.05 + 1e-9);
            if (!city)
                continue;
            double parts = 0;
            for (size_t d = 0; d < s->nrows; d++)
                if (!of_region(s, d, "411000") && !strcmp(txt(s, d, "period"), per) &&
                    !strcmp(txt(s, d, "sector"), txt(s, k, "sector")))
                    parts += num(s, d, "value");
            if (fabs(parts - num(s, k, "value")) > 0.006)
                fail_msg("%s %s: districts sum to %.2f, city is %.2f", txt(s, k, "sector"), per,
                         parts, num(s, k, "value"));
        }
        long want = find_iv(iv, code, "industry_va", per);
        assert_true(want >= 0);
        if (fabs(sum - num(iv, (size_t)want, "value")) > (city ? 0.006 : 0.06))
            fail_msg("sectors %s %s sum to %.2f, industry_va is %.2f", code, per, sum,
                     num(iv, (size_t)want, "value"));
        if (fabs(share - 100) > 0.5)
            fail_msg("sector shares %s %s sum to %.1f %%", code, per, share);
        groups++;
    }
    assert_int_equal(groups, 22 * 8);
    table_unref(s);
    table_unref(iv);
}

static void test_targets_and_trend(void **state)
{
    struct table *tp = get("target_progress"), *iv = get("indicator_values"),
                 *tr = get("indicator_trend");
    for (size_t r = 0; r < tp->nrows; r++) {
        long row = find_iv(iv, txt(tp, r, "region_code"), txt(tp, r, "indicator"), txt(tp, r, "period"));
        assert_true(row >= 0);
        assert_true(num(iv, (size_t)row, "value") == num(tp, r, "value"));
        double pct = num(tp, r, "value") / num(tp, r, "target_value") * 100;
        assert_true(fabs(pct - num(tp, r, "completion_pct")) <= 0.05 + 1e-9);
    }
    for (size_t r = 0; r < tr->nrows; r++) {
        long row = find_iv(iv, txt(tr, r, "region_code"), txt(tr, r, "indicator"), txt(tr, r, "period"));
        assert_true(row >= 0);
        assert_true(num(iv, (size_t)row, "yoy_pct") == num(tr, r, "yoy_pct"));
        double ch = num(tr, r, "yoy_pct") - num(tr, r, "yoy_prev_pct");
        assert_true(fabs(ch - num(tr, r, "change_pp")) <= 0.05 + 1e-9);
        const char *state_ = txt(tr, r, "state");
        assert_string_equal(state_, ch > 0.05 ? "回升" : ch < -0.05 ? "回落" : "持平");
    }
    table_unref(tp);
    table_unref(iv);
    table_unref(tr);
}

/* Project progress per region (the city's rows: every project): rising
 * within the year, completion = done / the region's planned investment, the
 * year so far ending on the projects' own done_year; the districts' counts of
 * started and completed projects sum to the city's. */
static void test_projects(void **state)
{
    struct table *p = get("projects"), *pp = get("project_progress");
    for (size_t r = 0; r < p->nrows; r++) {
        double pct = num(p, r, "done_year") / num(p, r, "plan_year") * 100;
        assert_true(fabs(pct - num(p, r, "progress_pct")) <= 0.05 + 1e-9);
        assert_true(num(p, r, "plan_year") <= num(p, r, "total_invest"));
    }
    double counts[2][16] = {{0}}; /* started, completed: city and districts' sum per month */
    for (size_t r = 0; r < pp->nrows; r++) {
        const char *code = txt(pp, r, "region_code");
        bool city = !strcmp(code, "411000");
        double done = 0, plan = 0;
        for (size_t k = 0; k < p->nrows; k++)
            if (city || of_region(p, k, code)) {
                plan += num(p, k, "plan_year");
                done += num(p, k, "done_year");
            }
        assert_true(plan > 0);
        if (fabs(num(pp, r, "done_cum") / plan * 100 - num(pp, r, "completion_pct")) > 0.05 + 1e-9)
            fail_msg("%s %s: completion %.1f", code, txt(pp, r, "period"),
                     num(pp, r, "completion_pct"));
        for (size_t k = r + 1; k < pp->nrows; k++)
            if (of_region(pp, k, code)) {
                assert_true(num(pp, k, "plan_cum") >= num(pp, r, "plan_cum"));
                assert_true(num(pp, k, "done_cum") >= num(pp, r, "done_cum"));
                assert_true(num(pp, k, "completed") >= num(pp, r, "completed"));
                break;
            }
        if (!strcmp(txt(pp, r, "period"), "2024-10")) /* the year so far: the projects' own */
            assert_true(fabs(num(pp, r, "done_cum") - done) <= 0.006);
        int m = (int)num(pp, r, "month");
        assert_true(m >= 1 && m <= 12);
        counts[0][m] += (city ? 1 : -1) * num(pp, r, "started");
        counts[1][m] += (city ? 1 : -1) * num(pp, r, "completed");
    }
    for (int m = 1; m <= 12; m++)
        if (counts[0][m] != 0 || counts[1][m] != 0)
            fail_msg("month %d: the districts' project counts differ from the city's", m);
    table_unref(p);
    table_unref(pp);
}

/* Each project's months: they add up to project_progress, never fall, end
 * at the project's done_year, and their rates match their values. */
static void test_project_months(void **state)
{
    struct table *p = get("projects"), *pm = get("project_monthly"), *pp = get("project_progress");
    size_t months = 0;
    for (size_t m = 0; m < pp->nrows; m++)
        months += of_region(pp, m, "411000");
    assert_int_equal(pm->nrows, p->nrows * months);
    for (size_t m = 0; m < pp->nrows; m++) {
        if (!of_region(pp, m, "411000"))
            continue; /* the city's progress: every project's */
        double done = 0, plan = 0;
        for (size_t r = 0; r < pm->nrows; r++)
            if (!strcmp(txt(pm, r, "period"), txt(pp, m, "period")))
                done += num(pm, r, "done_cum"), plan += num(pm, r, "plan_cum");
        if (fabs(done - num(pp, m, "done_cum")) > 0.05 || fabs(plan - num(pp, m, "plan_cum")) > 0.05)
            fail_msg("%s: projects sum to %.2f/%.2f, project_progress says %.2f/%.2f",
                     txt(pp, m, "period"), done, plan, num(pp, m, "done_cum"), num(pp, m, "plan_cum"));
    }
    for (size_t i = 0; i < p->nrows; i++) {
        const char *id = txt(p, i, "id");
        double prev = 0, last = NAN;
        const char *prev_period = "";
        for (size_t r = 0; r < pm->nrows; r++) {
            if (strcmp(txt(pm, r, "project"), id) != 0)
                continue;
            double done = num(pm, r, "done_cum");
            if (strcmp(txt(pm, r, "period"), prev_period) <= 0 || done < prev ||
                fabs(done - prev - num(pm, r, "month_done")) > 0.006 ||
                fabs(done / num(p, i, "plan_year") * 100 - num(pm, r, "completion_pct")) > 0.05 + 1e-9)
                fail_msg("%s %s: months out of order, falling, or rates disagree", id,
                         txt(pm, r, "period"));
            prev = last = done;
            prev_period = txt(pm, r, "period");
        }
        if (fabs(last - num(p, i, "done_year")) > 0.006)
            fail_msg("%s: the months end at %.2f, the year's done is %.2f", id, last,
                     num(p, i, "done_year"));
    }
    table_unref(p);
    table_unref(pm);
    table_unref(pp);
}

/* Each appeal's stage trail: it starts with 收集 on the day received, moves
 * forward in time, and ends where the appeal stands (办结 on the day closed). */
static void test_appeal_steps(void **state)
{
    struct table *a = get("appeals"), *st = get("appeal_steps");
    size_t r = 0;
    for (size_t i = 0; i < a->nrows; i++) {
        const char *id = txt(a, i, "id"), *at = txt(a, i, "received"), *stage = NULL;
        if (r >= st->nrows || strcmp(txt(st, r, "appeal"), id) != 0 ||
            strcmp(txt(st, r, "stage"), "收集") != 0 || strcmp(txt(st, r, "at"), at) != 0)
            fail_msg("%s: the trail does not start with 收集 on %s", id, at);
        for (; r < st->nrows && !strcmp(txt(st, r, "appeal"), id); r++) {
            if (strcmp(txt(st, r, "at"), at) < 0 ||
                strcmp(txt(st, r, "enterprise_id"), txt(a, i, "enterprise_id")) != 0)
                fail_msg("%s: step %s goes back in time or names another enterprise", id,
                         txt(st, r, "stage"));
            at = txt(st, r, "at");
            stage = txt(st, r, "stage");
        }
        if (strcmp(stage, txt(a, i, "stage")) != 0 ||
            (!strcmp(stage, "办结") && strcmp(at, txt(a, i, "closed")) != 0))
            fail_msg("%s: the trail ends at %s %s, the appeal is at %s", id, stage, at,
                     txt(a, i, "stage"));
    }
    assert_int_equal(r, st->nrows);
    table_unref(a);
    table_unref(st);
}

/* The city's enterprise rows are its districts' sums, per month and sector;
 * every indicator value with a rank says what it ranks among. */
static void test_enterprises_and_ranks(void **state)
{
    struct table *e = get("enterprises"), *iv = get("indicator_values");
    size_t cities = 0;
    for (size_t r = 0; r < e->nrows; r++) {
        if (!of_region(e, r, "411000"))
            continue;
        double sum[2] = {0};
        for (size_t k = 0; k < e->nrows; k++)
            if (!of_region(e, k, "411000") && !strcmp(txt(e, k, "period"), txt(e, r, "period")) &&
                !strcmp(txt(e, k, "sector"), txt(e, r, "sector"))) {
                sum[0] += num(e, k, "count");
                sum[1] += num(e, k, "output");
            }
        if (sum[0] != num(e, r, "count") || fabs(sum[1] - num(e, r, "output")) > 0.006)
            fail_msg("%s %s: districts sum to %g firms, city has %g", txt(e, r, "period"),
                     txt(e, r, "sector"), sum[0], num(e, r, "count"));
        cities++;
    }
    assert_true(cities >= 100);
    for (size_t r = 0; r < iv->nrows; r++) {
        double rank = num(iv, r, "province_rank");
        const char *want = of_region(iv, r, "411000") ? "全省" : "全省县域";
        if (!(rank >= 1 && rank <= (of_region(iv, r, "411000") ? 17 : 102)) ||
            strcmp(txt(iv, r, "rank_scope"), want))
            fail_msg("%s %s %s: rank %g among %s", txt(iv, r, "region"), txt(iv, r, "indicator"),
                     txt(iv, r, "period"), rank, txt(iv, r, "rank_scope"));
    }
    table_unref(e);
    table_unref(iv);
}

static void test_assessment_ranks(void **state)
{
    struct table *a = get("district_assessment");
    for (size_t r = 0; r < a->nrows; r++)
        for (size_t k = 0; k < a->nrows; k++)
            if (!strcmp(txt(a, r, "item"), txt(a, k, "item")) &&
                !strcmp(txt(a, r, "period"), txt(a, k, "period")) &&
                num(a, r, "rank") < num(a, k, "rank") && num(a, r, "score") < num(a, k, "score"))
                fail_msg("%s: %s ranks above %s with a lower score", txt(a, r, "item"),
                         txt(a, r, "region"), txt(a, k, "region"));
    table_unref(a);
}

/* ---- 万人助企: appeals, enterprises, the aggregates counted from them ---- */

static double pct1(double a, double b)
{
    return round(a / b * 1000) / 10;
}

static void test_help_appeals_lifecycle(void **state)
{
    struct table *a = get("appeals");
    static const char *const stages[] = {"收集", "分拨", "处置", "评价", "督查", "办结"};
    assert_true(a->nrows > 1000);
    for (size_t r = 0; r < a->nrows; r++) {
        const char *stage = txt(a, r, "stage"), *status = txt(a, r, "status");
        bool known = false;
        for (size_t k = 0; k < ARRAY_LEN(stages); k++)
            known |= !strcmp(stage, stages[k]);
        if (!known)
            fail_msg("%s: unknown stage %s", txt(a, r, "id"), stage);
        bool closed = *txt(a, r, "closed") != '\0';
        if (closed != !strcmp(stage, "办结") || closed != !strcmp(status, "已办结"))
            fail_msg("%s: stage %s, status %s, closed %s disagree", txt(a, r, "id"), stage, status,
                     txt(a, r, "closed"));
        if (!closed && num(a, r, "on_time") != 0)
            fail_msg("%s: open but on time", txt(a, r, "id"));
        if (closed && (num(a, r, "on_time") == 1) != (num(a, r, "days_open") <= num(a, r, "limit_days")))
            fail_msg("%s: on_time disagrees with days and limit", txt(a, r, "id"));
        if (!strcmp(status, "超期") && (closed || num(a, r, "days_open") <= num(a, r, "limit_days")))
            fail_msg("%s: overdue but within its limit", txt(a, r, "id"));
        if (strncmp(txt(a, r, "received"), txt(a, r, "month"), 7))
            fail_msg("%s: month is not the month received", txt(a, r, "id"));
    }
    table_unref(a);
}

static void test_help_district_counts(void **state)
{
    struct table *a = get("appeals"), *d = get("help_district"), *e = get("help_enterprises"),
                 *c = get("appeal_closure");
    double sum[4] = {0}, city[4] = {0};
    for (size_t r = 0; r < d->nrows; r++) {
        const char *code = txt(d, r, "region_code");
        bool is_city = !strcmp(code, "411000");
        double n = 0, closed = 0, ontime = 0, ents = 0, served = 0;
        for (size_t k = 0; k < a->nrows; k++)
            if (is_city || !strcmp(txt(a, k, "region_code"), code)) {
                n++;
                closed += *txt(a, k, "closed") != '\0';
                ontime += num(a, k, "on_time");
            }
        for (size_t k = 0; k < e->nrows; k++)
            if (is_city || !strcmp(txt(e, k, "region_code"), code)) {
                ents++;
                served += num(e, k, "served");
            }
        if (n != num(d, r, "appeals") || closed != num(d, r, "closed") ||
            ents != num(d, r, "enterprises") || served != num(d, r, "served") ||
            num(d, r, "open") != n - closed)
            fail_msg("%s: counts differ from the appeal and enterprise rows", code);
        if (pct1(closed, n) != num(d, r, "closure_pct") || pct1(ontime, n) != num(d, r, "on_time_pct"))
            fail_msg("%s: closure rate %.1f, rows give %.1f", code, num(d, r, "closure_pct"),
                     pct1(closed, n));
        double *acc = is_city ? city : sum;
        acc[0] += num(d, r, "enterprises");
        acc[1] += num(d, r, "served");
        acc[2] += num(d, r, "appeals");
        acc[3] += num(d, r, "closed");
        /* the closure ring's rows: count / total = pct */
        for (size_t k = 0; k < c->nrows; k++) {
            if (strcmp(txt(c, k, "region_code"), code))
                continue;
            double want = !strcmp(txt(c, k, "item"), "诉求办结率") ? closed : ontime;
            if (num(c, k, "count") != want || num(c, k, "total") != n ||
                pct1(want, n) != num(c, k, "pct"))
                fail_msg("%s %s: %g / %g = %g%%", code, txt(c, k, "item"), num(c, k, "count"),
                         num(c, k, "total"), num(c, k, "pct"));
        }
    }
    for (int i = 0; i < 4; i++)
        if (sum[i] != city[i])
            fail_msg("help_district: districts sum to %g, city is %g (column %d)", sum[i], city[i], i);
    assert_true(city[1] <= city[0] && city[3] <= city[2]);
    table_unref(a);
    table_unref(d);
    table_unref(e);
    table_unref(c);
}

/* Counts of appeal rows in region `code` (the city: all) received, or closed,
 * in month `per`. */
static double appeals_in(const struct table *a, const char *code, const char *per, bool received)
{
    bool city = !strcmp(code, "411000");
    double n = 0;
    for (size_t k = 0; k < a->nrows; k++)
        if (city || of_region(a, k, code))
            n += received ? !strcmp(txt(a, k, "month"), per)
                          : !strncmp(txt(a, k, "closed"), per, 7);
    return n;
}

static void test_help_monthly_and_teams(void **state)
{
    struct table *a = get("appeals"), *m = get("appeal_monthly"), *t = get("help_teams");
    double received = 0, closed = 0;
    size_t months = 0;
    for (size_t r = 0; r < m->nrows; r++) {
        bool in = !strcmp(txt(m, r, "kind"), "受理诉求");
        const char *code = txt(m, r, "region_code");
        double n = appeals_in(a, code, txt(m, r, "period"), in);
        if (n != num(m, r, "count"))
            fail_msg("%s %s %s: %g, appeals give %g", code, txt(m, r, "period"), txt(m, r, "kind"),
                     num(m, r, "count"), n);
        if (!strcmp(code, "411000")) {
            *(in ? &received : &closed) += n;
            months += in;
        }
    }
    assert_true(months >= 12);
    double all_closed = 0;
    for (size_t k = 0; k < a->nrows; k++)
        all_closed += *txt(a, k, "closed") != '\0';
    assert_true(received == (double)a->nrows && closed == all_closed);
    double handled = 0, by_districts = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        bool city = of_region(t, r, "411000");
        *(city ? &handled : &by_districts) += num(t, r, "appeals");
        assert_true(pct1(num(t, r, "closed"), num(t, r, "appeals")) == num(t, r, "closure_pct"));
        bool first = r == 0 || strcmp(txt(t, r, "region_code"), txt(t, r - 1, "region_code"));
        assert_true(num(t, r, "rank") == (first ? 1 : num(t, r - 1, "rank") + 1));
        if (!first && num(t, r, "closure_pct") > num(t, r - 1, "closure_pct"))
            fail_msg("%s: %s ranks below %s with a higher closure rate", txt(t, r, "region"),
                     txt(t, r, "team"), txt(t, r - 1, "team"));
    }
    assert_true(handled == (double)a->nrows && by_districts == handled);
    table_unref(a);
    table_unref(m);
    table_unref(t);
}

/* Every enterprise and every appeal lies inside its own district on the
 * shipped (schematic) map. */
static void test_help_points_inside_districts(void **state)
{
    struct err err = {{0}};
    struct geo_map *g = geo_load("assets/xuchang-districts.geojson", "adcode", "name", &err);
    if (!g)
        fail_msg("%s", err.msg);
    static const char *const tables[] = {"help_enterprises", "appeals"};
    for (size_t i = 0; i < ARRAY_LEN(tables); i++) {
        struct table *t = get(tables[i]);
        for (size_t r = 0; r < t->nrows; r++) {
            long f = geo_locate(g, num(t, r, "lon"), num(t, r, "lat"));
            if (f < 0 || strcmp(g->features[f].code, txt(t, r, "region_code")))
                fail_msg("%s row %zu (%s) at %g,%g is not inside district %s", tables[i], r,
                         txt(t, r, "id"), num(t, r, "lon"), num(t, r, "lat"),
                         txt(t, r, "region_code"));
        }
        table_unref(t);
    }
    geo_destroy(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_districts_sum_to_city),
        cmocka_unit_test(test_composites),
        cmocka_unit_test(test_cumulative_and_growth),
        cmocka_unit_test(test_sectors),
        cmocka_unit_test(test_targets_and_trend),
        cmocka_unit_test(test_projects),
        cmocka_unit_test(test_project_months),
        cmocka_unit_test(test_appeal_steps),
        cmocka_unit_test(test_enterprises_and_ranks),
        cmocka_unit_test(test_assessment_ranks),
        cmocka_unit_test(test_help_appeals_lifecycle),
        cmocka_unit_test(test_help_district_counts),
        cmocka_unit_test(test_help_monthly_and_teams),
        cmocka_unit_test(test_help_points_inside_districts),
    };
    return cmocka_run_group_tests(tests, test_app_setup, test_app_teardown);
}
