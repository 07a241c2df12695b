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

/* ==== issue 13: appeal ratings, the enterprise evaluation, the finance platform ====
 * Plausibility ranges for a city of about 4.4 million people and a GDP of about
 * 3,700 亿元 are written beside each check with their reasoning. */

/* A value lies in [lo, hi], else the message names the table, the row and why. */
static void in_range(const struct table *t, size_t r, const char *what, double v, double lo,
                     double hi)
{
    if (!(v >= lo && v <= hi))
        fail_msg("%s row %zu: %s = %g outside the plausible [%g, %g]", t->name, r, what, v, lo, hi);
}

/* Every closed appeal has exactly the rating its 评价 step recorded; the
 * score follows the rating and "satisfied" the score. */
static void test_appeal_ratings(void **state)
{
    struct table *a = get("appeals"), *ra = get("appeal_ratings"), *st = get("appeal_steps");
    size_t closed = 0;
    for (size_t r = 0; r < a->nrows; r++)
        closed += *txt(a, r, "closed") != '\0';
    assert_int_equal(ra->nrows, closed);
    static const struct { const char *rating; double score; } scores[] = {
        {"满意", 100}, {"基本满意", 80}, {"不满意", 0}};
    size_t k = 0; /* appeal_steps is sorted by appeal, like the ratings */
    for (size_t r = 0; r < ra->nrows; r++) {
        const char *id = txt(ra, r, "appeal"), *rating = txt(ra, r, "rating");
        double want = NAN;
        for (size_t i = 0; i < ARRAY_LEN(scores); i++)
            if (!strcmp(rating, scores[i].rating))
                want = scores[i].score;
        if (num(ra, r, "score") != want || num(ra, r, "satisfied") != (want >= 80))
            fail_msg("%s: rating %s, score %g, satisfied %g disagree", id, rating,
                     num(ra, r, "score"), num(ra, r, "satisfied"));
        while (k < st->nrows && (strcmp(txt(st, k, "appeal"), id) < 0 ||
                                 strcmp(txt(st, k, "stage"), "评价")))
            k++;
        if (k == st->nrows || strcmp(txt(st, k, "appeal"), id) || !strstr(txt(st, k, "note"), rating))
            fail_msg("%s: rated %s, but its 评价 step says otherwise", id, rating);
    }
    table_unref(a);
    table_unref(ra);
    table_unref(st);
}

/* The evaluation: per period every indicator score lies in 0–100 (a log
 * scale between the lowest and the best 5 % of the values), the total is the weighted sum of the
 * scores (weights 100 in all), the grade follows the total (A ≥ 75, B ≥ 55,
 * C ≥ 25, else D), the ranks are 1..n by total, and the average scores are
 * the averages. */
static void test_evaluation_scores(void **state)
{
    struct table *e = get("eval_enterprises"), *sc = get("eval_scores");
    enum { NIND = 6 };
    assert_int_equal(sc->nrows, e->nrows * NIND); /* six indicators per enterprise, in order */
    double avg_sum[3][NIND] = {{0}}, avg_want[3][NIND] = {{0}};
    size_t per_n[3] = {0};
    const char *periods[3] = {"2024-03", "2024-06", "2024-09"};
    for (size_t r = 0; r < e->nrows; r++) {
        size_t p = 0;
        while (p < 3 && strcmp(txt(e, r, "period"), periods[p]))
            p++;
        assert_true(p < 3);
        per_n[p]++;
        double total = 0, weights = 0;
        for (size_t i = 0; i < NIND; i++) {
            size_t k = r * NIND + i;
            if (strcmp(txt(sc, k, "enterprise_id"), txt(e, r, "enterprise_id")) ||
                strcmp(txt(sc, k, "period"), txt(e, r, "period")))
                fail_msg("eval_scores row %zu is not %s's", k, txt(e, r, "enterprise_id"));
            in_range(sc, k, "score", num(sc, k, "score"), 0, 100);
            total += num(sc, k, "weight") * num(sc, k, "score") / 100;
            weights += num(sc, k, "weight");
            avg_sum[p][i] += num(sc, k, "score");
            avg_want[p][i] = num(sc, k, "avg_score");
        }
        assert_true(weights == 100);
        double t = num(e, r, "total_score");
        if (fabs(total - t) > 0.1)
            fail_msg("%s %s: total %g, weighted scores %g", txt(e, r, "period"),
                     txt(e, r, "enterprise_id"), t, total);
        const char *g = t >= 75 ? "A" : t >= 55 ? "B" : t >= 25 ? "C" : "D";
        if (strcmp(txt(e, r, "grade"), g))
            fail_msg("%s: total %g is grade %s, not %s", txt(e, r, "enterprise_id"), t, g,
                     txt(e, r, "grade"));
        /* 亩均税收 (annualised): 0.1–200 万元/亩 — Henan's best industrial land
         * yields around 100 万元/亩, a struggling plant next to nothing */
        in_range(sc, r * NIND, "亩均税收", num(sc, r * NIND, "value"), 0.1, 200);
        /* land: 5–2,000 亩, a workshop to a large plant */
        in_range(e, r, "land_mu", num(e, r, "land_mu"), 5, 2000);
        /* tax = 亩均税收 × land, to the rounding of both */
        double want_tax = num(sc, r * NIND, "value") * num(e, r, "land_mu");
        if (fabs(num(e, r, "tax") - want_tax) > 0.005 * want_tax + 0.5 * num(e, r, "land_mu"))
            fail_msg("%s: tax %g, 亩均税收 × land %g", txt(e, r, "enterprise_id"),
                     num(e, r, "tax"), want_tax);
    }
    for (size_t p = 0; p < 3; p++)
        for (size_t i = 0; i < NIND; i++)
            if (fabs(avg_sum[p][i] / (double)per_n[p] - avg_want[p][i]) > 0.05)
                fail_msg("%s indicator %zu: average %g, avg_score %g", periods[p], i,
                         avg_sum[p][i] / (double)per_n[p], avg_want[p][i]);
    /* ranks: 1..n within the period, a better total never ranked below a worse */
    for (size_t r = 0; r < e->nrows; r++)
        for (size_t k = r + 1; k < e->nrows && !strcmp(txt(e, k, "period"), txt(e, r, "period")); k++)
            if ((num(e, r, "total_score") - num(e, k, "total_score")) *
                    (num(e, k, "rank") - num(e, r, "rank")) < 0 || num(e, r, "rank") == num(e, k, "rank"))
                fail_msg("ranks %g and %g disagree with totals %g and %g", num(e, r, "rank"),
                         num(e, k, "rank"), num(e, r, "total_score"), num(e, k, "total_score"));
    table_unref(e);
    table_unref(sc);
}

/* 诉求全流程: each region's stages never grow down the flow (收集反馈 ≥ 分拨 ≥
 * 处置 ≥ 评价 ≥ 办结), 收集反馈 is every appeal, 办结 every closed one, the
 * counties sum to the city. */
static void test_appeal_flow(void **state)
{
    struct table *f = get("appeal_flow"), *d = get("help_district");
    for (size_t r = 0; r < f->nrows; r++) {
        double seq = num(f, r, "seq");
        if (seq > 1 && seq <= 5 && num(f, r, "count") > num(f, r - 1, "count"))
            fail_msg("appeal_flow %s: %s %g exceeds the stage before", txt(f, r, "region"),
                     txt(f, r, "stage"), num(f, r, "count"));
        double counties = 0;
        for (size_t k = 0; k < f->nrows && of_region(f, r, "411000"); k++)
            if (!of_region(f, k, "411000") && num(f, k, "seq") == seq)
                counties += num(f, k, "count");
        if (of_region(f, r, "411000") && counties != num(f, r, "count"))
            fail_msg("appeal_flow %s: the counties %g, the city %g", txt(f, r, "stage"), counties,
                     num(f, r, "count"));
        for (size_t k = 0; k < d->nrows && (seq == 1 || seq == 5); k++)
            if (!strcmp(txt(d, k, "region_code"), txt(f, r, "region_code")) &&
                num(d, k, seq == 1 ? "appeals" : "closed") != num(f, r, "count"))
                fail_msg("appeal_flow %s %s disagrees with help_district", txt(f, r, "region"),
                         txt(f, r, "stage"));
    }
    table_unref(f);
    table_unref(d);
}

/* 诉求画像: the categories sum to 全部, 全部 is help_district's count, the
 * counties sum to the city, and satisfied ≤ rated ≤ closed ≤ appeals. */
static void test_appeal_profile(void **state)
{
    struct table *p = get("appeal_profile"), *d = get("help_district");
    static const char *const cols[] = {"appeals", "closed", "rated", "satisfied"};
    for (size_t r = 0; r < p->nrows; r++) {
        for (size_t c = 1; c < ARRAY_LEN(cols); c++)
            if (num(p, r, cols[c]) > num(p, r, cols[c - 1]))
                fail_msg("appeal_profile %s %s: %s > %s", txt(p, r, "region"), txt(p, r, "category"),
                         cols[c], cols[c - 1]);
        if (strcmp(txt(p, r, "category"), "全部"))
            continue;
        double sums[4] = {0}, counties[4] = {0};
        for (size_t k = 0; k < p->nrows; k++) {
            bool same = !strcmp(txt(p, k, "region_code"), txt(p, r, "region_code"));
            bool all = !strcmp(txt(p, k, "category"), "全部");
            for (size_t c = 0; c < ARRAY_LEN(cols); c++) {
                sums[c] += same && !all ? num(p, k, cols[c]) : 0;
                counties[c] += !of_region(p, k, "411000") && all ? num(p, k, cols[c]) : 0;
            }
        }
        for (size_t c = 0; c < ARRAY_LEN(cols); c++)
            if (sums[c] != num(p, r, cols[c]) ||
                (of_region(p, r, "411000") && counties[c] != num(p, r, cols[c])))
                fail_msg("appeal_profile %s: %s of the categories %g, of the counties %g, total %g",
                         txt(p, r, "region"), cols[c], sums[c], counties[c], num(p, r, cols[c]));
        for (size_t k = 0; k < d->nrows; k++)
            if (!strcmp(txt(d, k, "region_code"), txt(p, r, "region_code")) &&
                (num(d, k, "appeals") != num(p, r, "appeals") || num(d, k, "closed") != num(p, r, "closed")))
                fail_msg("appeal_profile %s disagrees with help_district", txt(p, r, "region"));
        /* 满意度得分 of closed appeals: 0–100, and a city whose enterprises
         * rate below 60 on average would be news, not a demo */
        in_range(p, r, "score", num(p, r, "score"), 60, 100);
    }
    table_unref(p);
    table_unref(d);
}

/* Every evaluated enterprise is a platform enterprise of the same name and
 * region; the groups count and sum the enterprises; the city's evaluated
 * industry lies in a plausible range. */
static void test_evaluation_groups(void **state)
{
    struct table *e = get("eval_enterprises"), *g = get("eval_groups"), *h = get("help_enterprises");
    for (size_t r = 0; r < e->nrows; r++) {
        bool found = false;
        for (size_t k = 0; k < h->nrows && !found; k++)
            found = !strcmp(txt(h, k, "id"), txt(e, r, "enterprise_id")) &&
                    !strcmp(txt(h, k, "name"), txt(e, r, "enterprise")) &&
                    !strcmp(txt(h, k, "region_code"), txt(e, r, "region_code"));
        if (!found)
            fail_msg("%s is no platform enterprise of that name and region", txt(e, r, "enterprise_id"));
    }
    size_t checked = 0;
    for (size_t r = 0; r < g->nrows; r++) {
        const char *dim = txt(g, r, "dim");
        if (!strcmp(dim, "指标"))
            continue;
        const char *col_of = !strcmp(dim, "行业") ? "sector" : !strcmp(dim, "等级") ? "grade" : "region";
        double n = 0, score = 0, tax = 0;
        for (size_t k = 0; k < e->nrows; k++)
            if (!strcmp(txt(e, k, "period"), txt(g, r, "period")) &&
                (of_region(g, r, "411000") || !strcmp(txt(e, k, "region_code"), txt(g, r, "region_code"))) &&
                !strcmp(txt(e, k, col_of), txt(g, r, "key")))
                n++, score += num(e, k, "total_score"), tax += num(e, k, "tax");
        if (n != num(g, r, "enterprises") || fabs(score / n - num(g, r, "avg_score")) > 0.051 ||
            fabs(tax - num(g, r, "tax")) > 0.5)
            fail_msg("eval_groups row %zu (%s %s %s): %g enterprises, average %g, tax %g disagree",
                     r, txt(g, r, "region"), dim, txt(g, r, "key"), n, score / n, tax);
        checked++;
    }
    assert_true(checked > 100);
    /* the city's evaluated enterprises, annualised: tax 10–80 亿元 (the city's
     * 一般公共预算收入 is about 190 亿元, of it tax about 130 亿元; industry pays
     * a part) and output 300–2,500 亿元 (规上工业总产值 about 4,500 亿元; the
     * evaluated firms are a few hundred of its 1,800) */
    for (size_t r = 0; r < g->nrows; r++) {
        if (!of_region(g, r, "411000") || strcmp(txt(g, r, "dim"), "等级"))
            continue;
        double tax = 0, output = 0;
        for (size_t k = 0; k < g->nrows; k++)
            if (of_region(g, k, "411000") && !strcmp(txt(g, k, "dim"), "等级") &&
                !strcmp(txt(g, k, "period"), txt(g, r, "period")))
                tax += num(g, k, "tax"), output += num(g, k, "output");
        in_range(g, r, "the city's evaluated tax (亿元)", tax / 1e4, 10, 80);
        in_range(g, r, "the city's evaluated output (亿元)", output / 1e4, 300, 2500);
    }
    table_unref(e);
    table_unref(g);
    table_unref(h);
}

/* The row of (period, region, column = key), or -1. */
static long find_key(const struct table *t, const char *per, const char *code, const char *col,
                     const char *key)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (!strcmp(txt(t, r, "period"), per) && of_region(t, r, code) && !strcmp(txt(t, r, col), key))
            return (long)r;
    return -1;
}

/* The finance platform's row of (period, region, item), or -1. */
static long find_fs(const struct table *t, const char *per, const char *code, const char *item)
{
    return find_key(t, per, code, "item", item);
}

/* 累计 never falls and grows by the month's addition; the year's additions
 * add up from January; day ≤ month ≤ year ≤ total; the counties sum to the
 * city; a loan was granted credit, credit was applied for. */
static void test_finance_summary(void **state)
{
    struct table *t = get("finance_summary");
    for (size_t r = 0; r < t->nrows; r++) {
        const char *per = txt(t, r, "period"), *code = txt(t, r, "region_code"), *item = txt(t, r, "item");
        double total = num(t, r, "total"), day = num(t, r, "day"), month = num(t, r, "month"),
               year = num(t, r, "year");
        if (!(0 <= day && day <= month + 1e-9 && month <= year + 1e-9 && year <= total + 1e-9))
            fail_msg("%s %s %s: day %g, month %g, year %g, total %g out of order", per, code, item,
                     day, month, year, total);
        int m = atoi(per + 5);
        if (m > 1) {
            char prev[8];
            snprintf(prev, sizeof prev, "2024-%02d", m - 1);
            long p = find_fs(t, prev, code, item);
            assert_true(p >= 0);
            if (fabs(num(t, (size_t)p, "total") + month - total) > 0.011 ||
                fabs(num(t, (size_t)p, "year") + month - year) > 0.011)
                fail_msg("%s %s %s: 累计 %g or 当年 %g is not last month's plus %g", per, code, item,
                         total, year, month);
        } else if (fabs(year - month) > 1e-9) {
            fail_msg("%s %s %s: in January the year's additions are the month's", per, code, item);
        }
        if (of_region(t, r, "411000")) {
            double sum = 0;
            for (size_t k = 0; k < t->nrows; k++)
                if (!of_region(t, k, "411000") && !strcmp(txt(t, k, "period"), per) &&
                    !strcmp(txt(t, k, "item"), item))
                    sum += num(t, k, "total");
            if (fabs(sum - total) > 0.05)
                fail_msg("%s %s: the counties' 累计 %g, the city's %g", per, item, sum, total);
        }
        static const char *const order[][2] = {{"loans", "credits"}, {"credits", "applications"},
                                               {"loan_amount", "credit_amount"},
                                               {"credit_amount", "app_amount"},
                                               {"certified", "registrations"}};
        for (size_t i = 0; i < ARRAY_LEN(order); i++) {
            if (strcmp(item, order[i][0]))
                continue;
            long hi = find_fs(t, per, code, order[i][1]);
            assert_true(hi >= 0);
            static const char *const cols[] = {"total", "year", "month", "day"};
            for (size_t c = 0; c < ARRAY_LEN(cols); c++)
                if (num(t, r, cols[c]) > num(t, (size_t)hi, cols[c]) + 1e-9)
                    fail_msg("%s %s: %s %s %g exceeds %s %g", per, code, item, cols[c],
                             num(t, r, cols[c]), order[i][1], num(t, (size_t)hi, cols[c]));
        }
    }
    /* the city at the demo clock: registered users 5,000–200,000 (about 110,000
     * enterprises and 300,000 individual businesses could sign up); loans
     * granted 50–2,000 亿元 in all (the city's loans outstanding are about
     * 3,000 亿元); an average loan 10 万元–1 亿元 (small and medium firms) */
    long reg = find_fs(t, "2024-11", "411000", "registrations");
    long amt = find_fs(t, "2024-11", "411000", "loan_amount"), n = find_fs(t, "2024-11", "411000", "loans");
    assert_true(reg >= 0 && amt >= 0 && n >= 0);
    in_range(t, (size_t)reg, "registrations", num(t, (size_t)reg, "total"), 5000, 200000);
    in_range(t, (size_t)amt, "loan_amount (亿元)", num(t, (size_t)amt, "total"), 50, 2000);
    in_range(t, (size_t)amt, "an average loan (亿元)",
             num(t, (size_t)amt, "total") / num(t, (size_t)n, "total"), 0.001, 1);
    assert_string_equal(txt(t, (size_t)reg, "date"), "2024-11-15"); /* up to the demo clock's day */
    table_unref(t);
}

/* By product, sector and institution: each split sums to the month's
 * credits and loans; the year's loans add up; the counties sum to the city. */
static void test_finance_breakdown(void **state)
{
    struct table *b = get("finance_breakdown"), *t = get("finance_summary");
    static const char *const items[][2] = {{"credits", "credits"}, {"credit_amount", "credit_amount"},
                                           {"loans", "loans"}, {"loan_amount", "loan_amount"}};
    static const char *const dims[] = {"产品", "行业", "金融机构"};
    for (size_t s = 0; s < t->nrows; s++) {
        for (size_t i = 0; i < ARRAY_LEN(items); i++) {
            if (strcmp(txt(t, s, "item"), items[i][0]))
                continue;
            for (size_t d = 0; d < ARRAY_LEN(dims); d++) {
                double sum = 0;
                for (size_t r = 0; r < b->nrows; r++)
                    if (!strcmp(txt(b, r, "period"), txt(t, s, "period")) &&
                        !strcmp(txt(b, r, "region_code"), txt(t, s, "region_code")) &&
                        !strcmp(txt(b, r, "dim"), dims[d]))
                        sum += num(b, r, items[i][1]);
                if (fabs(sum - num(t, s, "month")) > 0.05)
                    fail_msg("%s %s by %s: %g, the month's %g", txt(t, s, "period"), items[i][0],
                             dims[d], sum, num(t, s, "month"));
            }
        }
    }
    for (size_t r = 0; r < b->nrows; r++) {
        int m = atoi(txt(b, r, "period") + 5);
        double before = 0, before_amt = 0;
        for (size_t k = 0; k < r && m > 1; k++)
            if (atoi(txt(b, k, "period") + 5) == m - 1 &&
                !strcmp(txt(b, k, "region_code"), txt(b, r, "region_code")) &&
                !strcmp(txt(b, k, "dim"), txt(b, r, "dim")) && !strcmp(txt(b, k, "key"), txt(b, r, "key")))
                before = num(b, k, "loans_year"), before_amt = num(b, k, "loan_amount_year");
        if (fabs(before + num(b, r, "loans") - num(b, r, "loans_year")) > 1e-9 ||
            fabs(before_amt + num(b, r, "loan_amount") - num(b, r, "loan_amount_year")) > 0.011)
            fail_msg("finance_breakdown row %zu: the year's loans do not add up", r);
    }
    table_unref(b);
    table_unref(t);
}

/* ==== issue 13, second part: 企业全景, 企业监测中心, 惠企政策与企业码 ==== */

/* 税收收入 is a part of each region's 一般公共预算收入: 55–80 % of it (about
 * two thirds in Henan's cities; the rest is fees, fines and state assets;
 * below 55 % would be a treasury of fees, above 80 % a coastal exception).
 * The city's 1–10月 taxes: 80–160 亿元 (its budget revenue is about 190 亿元
 * a year). The districts' sum is test_districts_sum_to_city's. */
static void test_tax_revenue(void **state)
{
    struct table *iv = get("indicator_values");
    size_t checked = 0;
    for (size_t r = 0; r < iv->nrows; r++) {
        if (strcmp(txt(iv, r, "indicator"), "tax"))
            continue;
        const char *code = txt(iv, r, "region_code"), *per = txt(iv, r, "period");
        long b = find_iv(iv, code, "budget_rev", per);
        assert_true(b >= 0);
        in_range(iv, r, "tax ÷ 一般公共预算收入", num(iv, r, "value") / num(iv, (size_t)b, "value"),
                 0.55, 0.80);
        if (!strcmp(code, "411000") && !strcmp(per, "2024-10"))
            in_range(iv, r, "the city's 1–10月 tax (亿元)", num(iv, r, "value"), 80, 160);
        checked++;
    }
    assert_int_equal(checked, 8 * 22); /* eight regions, 2023-01 to 2024-10 */
    table_unref(iv);
}

/* enterprises from 2023-01 to 2024-10, 22 months: the month's output is the
 * cumulative's step from the month before (January: the cumulative), never
 * negative; prev_output is last year's row and the 同比 follows from it. The
 * city's output against its 规上工业增加值: 3–7 times (工业增加值率 of 15–33 %;
 * metals and building materials, strong here, add little value). */
static void test_enterprise_months(void **state)
{
    struct table *e = get("enterprises"), *iv = get("indicator_values");
    size_t periods = 0, yoy = 0;
    for (size_t r = 0; r < e->nrows; r++) {
        const char *per = txt(e, r, "period"), *code = txt(e, r, "region_code"),
                   *sector = txt(e, r, "sector");
        int y = atoi(per), m = atoi(per + 5);
        char before[8], last_year[8];
        snprintf(before, sizeof before, "%d-%02d", y, m - 1);
        snprintf(last_year, sizeof last_year, "%d-%02d", y - 1, m);
        long b = m > 1 ? find_key(e, before, code, "sector", sector) : -1;
        double step = num(e, r, "output") - (b >= 0 ? num(e, (size_t)b, "output") : 0);
        if ((m > 1 && b < 0) || fabs(step - num(e, r, "output_month")) > 0.011 ||
            num(e, r, "output_month") < 0)
            fail_msg("enterprises %s %s %s: 当月 %g, but the cumulative moved by %g", per, code,
                     sector, num(e, r, "output_month"), step);
        long p = find_key(e, last_year, code, "sector", sector);
        if (p >= 0) {
            double prev = num(e, (size_t)p, "output"), g = num(e, r, "output_yoy_pct");
            if (prev != num(e, r, "prev_output") || fabs((num(e, r, "output") / prev - 1) * 100 - g) > 0.051)
                fail_msg("enterprises %s %s %s: prev %g, 同比 %g disagree with %s", per, code, sector,
                         num(e, r, "prev_output"), g, last_year);
            yoy++;
        } else if (!isnan(num(e, r, "prev_output")) || y != 2023) {
            fail_msg("enterprises %s %s %s: no row a year before, yet a prev_output", per, code, sector);
        }
        if (!strcmp(code, "411000") && !strcmp(sector, "智能电力装备")) {
            double out = 0;
            for (size_t k = 0; k < e->nrows; k++)
                if (of_region(e, k, "411000") && !strcmp(txt(e, k, "period"), per))
                    out += num(e, k, "output");
            long va = find_iv(iv, "411000", "industry_va", per);
            if (va >= 0)
                in_range(e, r, "the city's output ÷ 规上工业增加值", out / num(iv, (size_t)va, "value"), 3, 7);
            periods++;
        }
    }
    assert_int_equal(periods, 22);
    assert_int_equal(yoy, e->nrows / 22 * 10); /* 2024's ten months have a year before */
    table_unref(e);
    table_unref(iv);
}

/* The top hundred: each period ranks 1–100 by output, every enterprise one of
 * the help platform's, in its region, with one size class in every month:
 * 大型骨干 exactly when 从业人员 ≥ 1000 and the newest revenue, annualised,
 * ≥ 4 亿元 (国统字〔2017〕213号). Ranges: the hundred make 20–60 % of the
 * region-wide 规上工业总产值 (about 2,100 firms; the largest hundred of a
 * manufacturing city hold a third to a half); the largest makes 50–800 亿元 a
 * year (a leading firm of a 3,700 亿元 economy); taxes 0.5–6 % of revenue
 * (VAT and income tax of manufacturers), all of them under the city's 税收收入
 * of the same months; 同比 within ±50 %; staff 100–30,000. */
static void check_top_row(const struct table *t, size_t r, const struct table *h)
{
    const char *id = txt(t, r, "enterprise_id");
    bool known = false;
    for (size_t k = 0; k < h->nrows && !known; k++)
        known = !strcmp(txt(h, k, "id"), id) && !strcmp(txt(h, k, "region_code"), txt(t, r, "region_code"));
    if (!known)
        fail_msg("top_enterprises row %zu: %s is no enterprise of its region", r, id);
    in_range(t, r, "tax ÷ revenue", num(t, r, "tax") / num(t, r, "revenue"), 0.005, 0.06);
    in_range(t, r, "同比 (%)", num(t, r, "output_yoy_pct"), -50, 50);
    in_range(t, r, "从业人员", num(t, r, "employees"), 100, 30000);
    for (size_t k = 0; k < t->nrows; k++) /* the newest period decides the class */
        if (!strcmp(txt(t, k, "period"), "2024-10") && !strcmp(txt(t, k, "enterprise_id"), id)) {
            bool big = num(t, k, "employees") >= 1000 && num(t, k, "revenue") * 12 / 10 >= 4;
            if (strcmp(txt(t, r, "scale"), big ? "大型骨干" : "中型"))
                fail_msg("top_enterprises row %zu: %s is %s", r, id, txt(t, r, "scale"));
        }
}

static void test_top_enterprises(void **state)
{
    struct table *t = get("top_enterprises"), *h = get("help_enterprises"), *e = get("enterprises"),
                 *iv = get("indicator_values");
    for (int m = 1; m <= 10; m++) {
        char per[8];
        snprintf(per, sizeof per, "2024-%02d", m);
        double last = INFINITY, out = 0, tax = 0, all = 0;
        int rank = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            if (strcmp(txt(t, r, "period"), per))
                continue;
            if (num(t, r, "rank") != ++rank || num(t, r, "output") > last)
                fail_msg("top_enterprises %s row %zu: rank %g out of order", per, r, num(t, r, "rank"));
            last = num(t, r, "output");
            out += last, tax += num(t, r, "tax");
            check_top_row(t, r, h);
            if (rank == 1)
                in_range(t, r, "the largest's output, annualised (亿元)", last * 12 / m, 50, 800);
        }
        assert_int_equal(rank, 100);
        for (size_t k = 0; k < e->nrows; k++)
            if (of_region(e, k, "411000") && !strcmp(txt(e, k, "period"), per))
                all += num(e, k, "output");
        long c = find_iv(iv, "411000", "tax", per);
        assert_true(c >= 0);
        in_range(t, 0, "the hundred's share of 规上工业总产值", out / all, 0.2, 0.6);
        in_range(t, 0, "the hundred's tax ÷ the city's 税收收入", tax / num(iv, (size_t)c, "value"), 0.05, 1);
    }
    table_unref(t);
    table_unref(h);
    table_unref(e);
    table_unref(iv);
}

/* 企业监测中心: thirty key enterprises of the hundred, 22 months each; a key
 * enterprise's 2024 months add up to its 1–N月 output in top_enterprises; the
 * 同比 follow from the rows a year before; power per output 50–3,000 万千瓦时
 * per 亿元 (industry uses about 0.04 kWh per 元 of output in China, 400 万千瓦时
 * per 亿元: hair products and electronics a third of it, metals and ceramics
 * four to five times). */
static void test_key_enterprises(void **state)
{
    struct table *k = get("key_enterprise_monthly"), *t = get("top_enterprises");
    assert_int_equal(k->nrows, 30 * 22);
    for (size_t r = 0; r < k->nrows; r++) {
        const char *id = txt(k, r, "enterprise_id"), *per = txt(k, r, "period");
        in_range(k, r, "power ÷ output (万千瓦时/亿元)", num(k, r, "power") / num(k, r, "output"), 50, 3000);
        if (atoi(per) == 2023)
            continue;
        const size_t year_ago = r - 12; /* an enterprise's 22 months in order */
        assert_string_equal(txt(k, year_ago, "enterprise_id"), id);
        if (fabs((num(k, r, "output") / num(k, year_ago, "output") - 1) * 100 - num(k, r, "output_yoy_pct")) > 0.051 ||
            fabs((num(k, r, "power") / num(k, year_ago, "power") - 1) * 100 - num(k, r, "power_yoy_pct")) > 0.051)
            fail_msg("key_enterprise_monthly %s %s: 同比 disagree with the year before", id, per);
        double cum = 0;
        for (size_t j = r - (size_t)(atoi(per + 5) - 1); j <= r; j++)
            cum += num(k, j, "output");
        long top = find_key(t, per, txt(k, r, "region_code"), "enterprise_id", id);
        if (top < 0 || fabs(cum - num(t, (size_t)top, "output")) > 0.06)
            fail_msg("key_enterprise_monthly %s %s: the months add up to %g, top_enterprises has %g", id,
                     per, cum, top < 0 ? NAN : num(t, (size_t)top, "output"));
    }
    table_unref(k);
    table_unref(t);
}

/* 经营异常: the monthly counts are counted from the records (new in the
 * month, new in the year to it, open at its end: found by then and not yet
 * cleared), the counties sum to the city, a record is cleared after it was
 * found and 已解除 exactly when cleared. At most 300 open at once (a city of
 * about 2,100 规上 firms keeps a few percent under watch). */
static void count_anomalies(const struct table *a, const char *code, const char *per, const char *type,
                            double got[3])
{
    char end[16];
    snprintf(end, sizeof end, "%s-31", per);
    got[0] = got[1] = got[2] = 0;
    for (size_t r = 0; r < a->nrows; r++) {
        if (strcmp(txt(a, r, "type"), type) || (strcmp(code, "411000") && !of_region(a, r, code)))
            continue;
        const char *p = txt(a, r, "period"), *cleared = txt(a, r, "cleared");
        got[0] += !strcmp(p, per);
        got[1] += !strncmp(p, per, 4) && strcmp(p, per) <= 0;
        got[2] += strcmp(txt(a, r, "date"), end) <= 0 && !(*cleared && strcmp(cleared, end) <= 0);
    }
}

static void test_anomalies(void **state)
{
    struct table *a = get("enterprise_anomalies"), *m = get("anomaly_monthly");
    for (size_t r = 0; r < a->nrows; r++) {
        const char *cleared = txt(a, r, "cleared");
        if ((*cleared != '\0') != !strcmp(txt(a, r, "status"), "已解除") ||
            (*cleared && strcmp(cleared, txt(a, r, "date")) <= 0) ||
            strncmp(txt(a, r, "date"), txt(a, r, "period"), 7))
            fail_msg("enterprise_anomalies %s: found %s, status %s, cleared %s", txt(a, r, "id"),
                     txt(a, r, "date"), txt(a, r, "status"), cleared);
    }
    static const char *const cols[] = {"new", "year_new", "open"};
    for (size_t r = 0; r < m->nrows; r++) {
        double got[3];
        count_anomalies(a, txt(m, r, "region_code"), txt(m, r, "period"), txt(m, r, "type"), got);
        for (size_t c = 0; c < ARRAY_LEN(cols); c++)
            if (got[c] != num(m, r, cols[c]))
                fail_msg("anomaly_monthly %s %s %s: %s %g, the records count %g", txt(m, r, "period"),
                         txt(m, r, "region_code"), txt(m, r, "type"), cols[c], num(m, r, cols[c]), got[c]);
        if (of_region(m, r, "411000"))
            in_range(m, r, "open records of a type", num(m, r, "open"), 0, 300);
    }
    assert_true(a->nrows >= 100);
    table_unref(a);
    table_unref(m);
}

/* 惠企政策与企业码: 累计 grows by the month's addition and the year's adds up
 * from January (like finance_summary); the counties sum to the city; pushes ≥
 * matches ≥ applications ≥ approvals; 码上诉求 are among the month's appeals
 * received (appeal_monthly). Ranges for the city at 2024-10: 赋码企业 10,000–
 * 150,000 (about 110,000 enterprises could have a code); 1–10月 funds 1–20 亿元
 * (the city spends about 410 亿元 a year; enterprise support is a few percent),
 * 1–50 万元 per approved application. */
static void check_policy_row(const struct table *t, size_t r, const struct table *am)
{
    const char *per = txt(t, r, "period"), *code = txt(t, r, "region_code"), *item = txt(t, r, "item");
    double month = num(t, r, "month"), year = num(t, r, "year"), total = num(t, r, "total");
    int m = atoi(per + 5);
    char prev[8];
    snprintf(prev, sizeof prev, "2024-%02d", m - 1);
    long p = m > 1 ? find_fs(t, prev, code, item) : -1;
    double year_before = p >= 0 ? num(t, (size_t)p, "year") : 0;
    if ((m > 1 && (p < 0 || fabs(num(t, (size_t)p, "total") + month - total) > 0.051)) ||
        fabs(year_before + month - year) > 0.051 || month < 0 || year > total + 1e-9)
        fail_msg("policy_summary %s %s %s: 累计 %g, 当年 %g, 当月 %g do not add up", per, code, item,
                 total, year, month);
    static const char *const order[][2] = {{"matches", "pushes"}, {"applications", "matches"},
                                           {"approved", "applications"}};
    for (size_t i = 0; i < ARRAY_LEN(order); i++) {
        long hi = strcmp(item, order[i][0]) ? -1 : find_fs(t, per, code, order[i][1]);
        if (hi >= 0 && (month > num(t, (size_t)hi, "month") || year > num(t, (size_t)hi, "year")))
            fail_msg("policy_summary %s %s: %s exceed %s", per, code, item, order[i][1]);
    }
    long k = strcmp(item, "code_appeals") ? -1 : find_key(am, per, code, "kind", "受理诉求");
    if (k >= 0 && month > num(am, (size_t)k, "count"))
        fail_msg("policy_summary %s %s: %g 码上诉求 of %g appeals received", per, code, month,
                 num(am, (size_t)k, "count"));
}

static void test_policy_summary(void **state)
{
    struct table *t = get("policy_summary"), *am = get("appeal_monthly");
    for (size_t r = 0; r < t->nrows; r++) {
        check_policy_row(t, r, am);
        if (!of_region(t, r, "411000"))
            continue;
        double sum = 0;
        for (size_t k = 0; k < t->nrows; k++)
            if (!of_region(t, k, "411000") && !strcmp(txt(t, k, "period"), txt(t, r, "period")) &&
                !strcmp(txt(t, k, "item"), txt(t, r, "item")))
                sum += num(t, k, "total");
        if (fabs(sum - num(t, r, "total")) > 0.051)
            fail_msg("policy_summary %s %s: the counties' 累计 %g, the city's %g", txt(t, r, "period"),
                     txt(t, r, "item"), sum, num(t, r, "total"));
    }
    long coded = find_fs(t, "2024-10", "411000", "coded"), funds = find_fs(t, "2024-10", "411000", "funds"),
         ok = find_fs(t, "2024-10", "411000", "approved");
    assert_true(coded >= 0 && funds >= 0 && ok >= 0);
    in_range(t, (size_t)coded, "赋码企业", num(t, (size_t)coded, "total"), 10000, 150000);
    in_range(t, (size_t)funds, "1–10月 funds (亿元)", num(t, (size_t)funds, "year") / 1e4, 1, 20);
    in_range(t, (size_t)funds, "funds per approval (万元)",
             num(t, (size_t)funds, "year") / num(t, (size_t)ok, "year"), 1, 50);
    table_unref(t);
    table_unref(am);
}

/* By 政策类别 and by 主管部门, each split sums to the summary's month and
 * year (applications, approvals, funds), for the city and each county. */
static void test_policy_breakdown(void **state)
{
    struct table *b = get("policy_breakdown"), *t = get("policy_summary");
    static const char *const dims[] = {"政策类别", "主管部门"};
    static const char *const pairs[][2] = {{"applications", "applications"}, {"funds", "funds"},
                                           {"applications_year", "applications"},
                                           {"approved_year", "approved"}, {"funds_year", "funds"}};
    size_t checked = 0;
    for (size_t s = 0; s < t->nrows; s++) {
        if (strcmp(txt(t, s, "item"), "applications"))
            continue;
        const char *per = txt(t, s, "period"), *code = txt(t, s, "region_code");
        for (size_t d = 0; d < ARRAY_LEN(dims); d++)
            for (size_t i = 0; i < ARRAY_LEN(pairs); i++) {
                double sum = 0;
                for (size_t r = 0; r < b->nrows; r++)
                    if (!strcmp(txt(b, r, "period"), per) && of_region(b, r, code) &&
                        !strcmp(txt(b, r, "dim"), dims[d]))
                        sum += num(b, r, pairs[i][0]);
                long row = find_fs(t, per, code, pairs[i][1]);
                assert_true(row >= 0);
                double want = num(t, (size_t)row, strstr(pairs[i][0], "_year") ? "year" : "month");
                if (fabs(sum - want) > 0.051)
                    fail_msg("policy_breakdown %s %s %s: %s sums to %g, the summary has %g", per, code,
                             dims[d], pairs[i][0], sum, want);
                checked++;
            }
    }
    assert_int_equal(checked, 8 * 10 * 2 * 5);
    table_unref(b);
    table_unref(t);
}

/* The appeals by sector: per region and month, the sectors sum to the
 * appeals received and closed up to the month's end (appeal_monthly's months
 * added up). */
static void test_appeal_sectors(void **state)
{
    struct table *s = get("appeal_sectors"), *am = get("appeal_monthly");
    size_t checked = 0;
    for (size_t r = 0; r < am->nrows; r++) {
        const char *per = txt(am, r, "period"), *code = txt(am, r, "region_code"), *kind = txt(am, r, "kind");
        double want = 0, got = 0;
        for (size_t k = 0; k < am->nrows; k++)
            if (of_region(am, k, code) && !strcmp(txt(am, k, "kind"), kind) &&
                strcmp(txt(am, k, "period"), per) <= 0)
                want += num(am, k, "count");
        for (size_t k = 0; k < s->nrows; k++)
            if (of_region(s, k, code) && !strcmp(txt(s, k, "period"), per))
                got += num(s, k, strcmp(kind, "受理诉求") ? "closed" : "appeals");
        if (got != want)
            fail_msg("appeal_sectors %s %s: %s %g by sector, %g by month", per, code, kind, got, want);
        checked++;
    }
    assert_true(checked >= 8 * 13 * 2);
    table_unref(s);
    table_unref(am);
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
        cmocka_unit_test(test_appeal_ratings),
        cmocka_unit_test(test_appeal_profile),
        cmocka_unit_test(test_appeal_flow),
        cmocka_unit_test(test_evaluation_scores),
        cmocka_unit_test(test_evaluation_groups),
        cmocka_unit_test(test_finance_summary),
        cmocka_unit_test(test_finance_breakdown),
        cmocka_unit_test(test_tax_revenue),
        cmocka_unit_test(test_enterprise_months),
        cmocka_unit_test(test_top_enterprises),
        cmocka_unit_test(test_key_enterprises),
        cmocka_unit_test(test_anomalies),
        cmocka_unit_test(test_policy_summary),
        cmocka_unit_test(test_policy_breakdown),
        cmocka_unit_test(test_appeal_sectors),
    };
    return cmocka_run_group_tests(tests, test_app_setup, test_app_teardown);
}
