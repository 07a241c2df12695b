/* The warning state machine, table-driven with an injected clock:
 * {rule, values over time, expected states and events}. Every transition,
 * flapping, NoData, Error, keep-firing, handling and urge repeat/escalation.
 * The last test times 10,000 rules over the demo data (printed, not asserted). */
#include "common.h"
#include "util/util.h"
#include "warn/eval.h"
#include "warn/publish.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A rule over the synthetic source "m" (inst, period, value, ref). */
#define RULE(ind, cond, extra)                                                                  \
    "{\"kind\":\"rules\",\"version\":1,\"rules\":[{\"id\":\"r\",\"name\":\"R\","               \
    "\"indicator\":{\"source\":\"m\",\"field\":\"value\"" ind "},\"condition\":" cond ","     \
    "\"severity\":\"一般\",\"departments\":[\"A\"]" extra "}]}"
#define ABOVE10 "{\"type\":\"threshold\",\"above\":10}"
#define NO_URGE ",\"urge\":{\"on_firing\":false}"

/* data: NULL = no table; "ERR" = the column "value" is gone; else groups
 * "inst=v,v/r,…;inst=…" (no "inst=": one group), "n" = NULL. Each value
 * is a period p01, p02, … in order. action: "ack:who" etc. before the eval. */
struct tick {
    int64_t t;
    const char *data, *action, *states, *events;
};

static const struct {
    const char *name, *rule;
    struct tick ticks[10];
} cases[] = {
    {"pending then firing, then normal", RULE("", ABOVE10, ",\"pending\":60"),
     {{0, "5", NULL, "normal", ""},
      {10, "12", NULL, "pending", "normal>pending"},
      {40, "12", NULL, "pending", ""},
      {70, "12", NULL, "firing", "pending>firing urge:A:0"},
      {80, "5", NULL, "normal", "firing>normal"}}},
    {"pending cancelled", RULE("", ABOVE10, ",\"pending\":60"),
     {{0, "12", NULL, "pending", "normal>pending"},
      {30, "5", NULL, "normal", "pending>normal"},
      {100, "5", NULL, "normal", ""}}},
    {"pending 0 fires at once", RULE("", ABOVE10, ""),
     {{0, "12", NULL, "firing", "normal>firing urge:A:0"}, {1, "12", NULL, "firing", ""}}},
    {"keep-firing: recovering, back to firing, then normal",
     RULE("", ABOVE10, ",\"keep_firing\":100" NO_URGE),
     {{0, "12", NULL, "firing", "normal>firing"},
      {10, "5", NULL, "recovering", "firing>recovering"},
      {50, "12", NULL, "firing", "recovering>firing"},
      {60, "5", NULL, "recovering", "firing>recovering"},
      {150, "5", NULL, "recovering", ""},
      {160, "5", NULL, "normal", "recovering>normal"}}},
    {"flap within hold-down reopens the same warning, later a new one",
     RULE("", ABOVE10, ",\"hold_down\":300"),
     {{0, "12", NULL, "firing#1", "normal>firing urge:A:0"},
      {10, "5", NULL, "normal#1", "firing>normal"},
      {20, "12", NULL, "firing#1", "normal>firing(reopened)"},
      {30, "5", NULL, "normal#1", "firing>normal"},
      {400, "12", NULL, "firing#2", "normal>firing urge:A:0"}}},
    {"NoData: no table, no row, NULL value; firing resumes without a new urge",
     RULE("", ABOVE10, ""),
     {{0, "12", NULL, "firing#1", "normal>firing urge:A:0"},
      {10, NULL, NULL, "nodata#1", "firing>nodata"},
      {20, "", NULL, "nodata#1", ""},
      {30, "n", NULL, "nodata#1", ""},
      {40, "12", NULL, "firing#1", "nodata>firing"},
      {50, "5", NULL, "normal#1", "firing>normal"}}},
    {"NoData from the start", RULE("", ABOVE10, ""),
     {{0, NULL, NULL, "nodata", "normal>nodata"}, {10, "5", NULL, "normal", "nodata>normal"}}},
    {"Error when a column vanished, then back", RULE("", ABOVE10, ",\"pending\":60"),
     {{0, "12", NULL, "pending", "normal>pending"},
      {10, "ERR", NULL, "error", "pending>error"},
      {70, "12", NULL, "firing", "error>firing urge:A:0"}}},
    {"urge repeat and escalation after 2 unanswered urges",
     RULE("", ABOVE10,
          ",\"urge\":{\"repeat\":100,\"max_repeats\":3,\"escalate_after\":2,\"escalate_to\":\"B\"}"),
     {{0, "12", NULL, "firing", "normal>firing urge:A:0"},
      {50, "12", NULL, "firing", ""},
      {100, "12", NULL, "firing", "urge:A:1"},
      {150, "12", NULL, "firing", ""},
      {200, "12", NULL, "firing", "urge:A:2 escalate:B:2"},
      {300, "12", NULL, "firing", "urge:A:3 escalate:B:3"},
      {900, "12", NULL, "firing", ""}}},
    {"missed steps are not sent in a burst",
     RULE("", ABOVE10, ",\"urge\":{\"repeat\":100,\"max_repeats\":5}"),
     {{0, "12", NULL, "firing", "normal>firing urge:A:0"},
      {350, "12", NULL, "firing", "urge:A:3"},
      {360, "12", NULL, "firing", ""},
      {400, "12", NULL, "firing", "urge:A:4"}}},
    {"acknowledging answers the urges: no repeat, no escalation",
     RULE("", ABOVE10,
          ",\"urge\":{\"repeat\":100,\"max_repeats\":3,\"escalate_after\":1,\"escalate_to\":\"B\"}"),
     {{0, "12", NULL, "firing", "normal>firing urge:A:0"},
      {50, "12", "ack:alice", "firing/已确认", ""},
      {100, "12", NULL, "firing/已确认", ""},
      {150, "12", "handle:bob", "firing/处理中", ""},
      {160, "12", "resolve:bob", "firing/已办结", ""},
      {170, "5", NULL, "normal/已办结", "firing>normal"}}},
    {"urging continues while recovering, pauses without data",
     RULE("", ABOVE10, ",\"keep_firing\":1000,\"urge\":{\"repeat\":100,\"max_repeats\":3}"),
     {{0, "12", NULL, "firing", "normal>firing urge:A:0"},
      {100, "5", NULL, "recovering", "firing>recovering urge:A:1"},
      {200, NULL, NULL, "nodata", "recovering>nodata"},
      {210, "5", NULL, "recovering", "nodata>recovering urge:A:2"}}},
    {"the clock goes back: no spurious firing, timers hold",
     RULE("", ABOVE10, ",\"pending\":60"),
     {{100, "12", NULL, "pending", "normal>pending"},
      {50, "12", NULL, "pending", "clock-50"},
      {155, "12", NULL, "pending", ""},
      {160, "12", NULL, "firing", "pending>firing urge:A:0"},
      {0, "12", NULL, "firing", "clock-160"}}},
    {"behind schedule (序时进度) with a margin",
     RULE("", "{\"type\":\"behind_schedule\",\"schedule\":\"ref\",\"margin\":2}", NO_URGE),
     {{0, "74/75", NULL, "normal", ""},
      {10, "72/75", NULL, "firing", "normal>firing"},
      {20, "72/n", NULL, "nodata", "firing>nodata"}}},
    {"behind target and below average",
     RULE("", "{\"type\":\"behind_target\",\"target\":\"ref\"}", NO_URGE),
     {{0, "100/100", NULL, "normal", ""}, {10, "99/100", NULL, "firing", "normal>firing"}}},
    {"below the province average", RULE("", "{\"type\":\"below_average\",\"average\":\"ref\"}", NO_URGE),
     {{0, "6.2/6.0", NULL, "normal", ""}, {10, "5.1/6.0", NULL, "firing", "normal>firing"}}},
    {"threshold below and above (a band)",
     RULE("", "{\"type\":\"threshold\",\"below\":5,\"above\":10}", NO_URGE),
     {{0, "7", NULL, "normal", ""},
      {10, "4", NULL, "firing", "normal>firing"},
      {20, "7", NULL, "normal", "firing>normal"},
      {30, "11", NULL, "firing", "normal>firing"}}},
    {"rank worse than 5 or dropped by 2",
     RULE(",\"period\":\"period\"", "{\"type\":\"rank\",\"worse_than\":5,\"drop\":2}", NO_URGE),
     {{0, "3,4", NULL, "normal", ""},
      {10, "3,5", NULL, "firing", "normal>firing"},
      {20, "5,5", NULL, "normal", "firing>normal"},
      {30, "5,6", NULL, "firing", "normal>firing"}}},
    {"rank drop needs a previous period",
     RULE(",\"period\":\"period\"", "{\"type\":\"rank\",\"drop\":2}", NO_URGE),
     {{0, "3", NULL, "nodata", "normal>nodata"}, {10, "3,6", NULL, "firing", "nodata>firing"}}},
    {"n consecutive declines",
     RULE(",\"period\":\"period\"", "{\"type\":\"declines\",\"count\":2}", NO_URGE),
     {{0, "5,4", NULL, "nodata", "normal>nodata"},
      {10, "5,4,4", NULL, "normal", "nodata>normal"},
      {20, "5,4,3", NULL, "firing", "normal>firing"},
      {30, "9,5,4,n", NULL, "nodata", "firing>nodata"},
      {40, "6,4,3", NULL, "firing", "nodata>firing"}}},
    {"appeals overdue: rows over their limit",
     RULE("", "{\"type\":\"overdue\",\"limit\":\"ref\",\"max_count\":1}", NO_URGE),
     {{0, "30/20,10/20", NULL, "normal", ""},
      {10, "30/20,25/20,10/20", NULL, "firing", "normal>firing"},
      {20, "", NULL, "normal", "firing>normal"},
      {30, NULL, NULL, "nodata", "normal>nodata"}}},
    {"overdue with a fixed limit", RULE("", "{\"type\":\"overdue\",\"limit\":15}", NO_URGE),
     {{0, "10,15", NULL, "normal", ""}, {10, "16", NULL, "firing", "normal>firing"}}},
    {"instances: one warning per district; a vanished one has no data",
     RULE(",\"instance\":\"inst\"", ABOVE10, ""),
     {{0, "a=5;b=12", NULL, "a=normal b=firing", "b:normal>firing b:urge:A:0"},
      {10, "a=12;b=12", NULL, "a=firing b=firing", "a:normal>firing a:urge:A:0"},
      {20, "a=5", NULL, "a=normal b=nodata", "a:firing>normal b:firing>nodata"}}},
    {"instances with several rows each: the latest period counts",
     RULE(",\"instance\":\"inst\",\"period\":\"period\"", "{\"type\":\"threshold\",\"above\":3}",
          NO_URGE),
     {{0, "a=1,2;b=3,4", NULL, "a=normal b=firing", "b:normal>firing"},
      {10, "a=5,2;b=3,4", NULL, "a=normal b=firing", ""},
      {20, "a=1,5;b=3,4", NULL, "a=firing b=firing", "a:normal>firing"}}},
    {"instances: a placeholder until the first rows arrive",
     RULE(",\"instance\":\"inst\"", ABOVE10, NO_URGE),
     {{0, NULL, NULL, "=nodata", "normal>nodata"},
      {10, "x=12", NULL, "x=firing", "x:normal>firing"},
      {20, "ERR", NULL, "x=error", "x:firing>error"}}},
};

static struct table *make_table(const char *spec)
{
    bool err = strcmp(spec, "ERR") == 0;
    const char *names[] = {"inst", "period", err ? "val" : "value", "ref"};
    enum col_type types[] = {COL_TEXT, COL_PERIOD, COL_NUMBER, COL_NUMBER};
    struct table *t = table_new("m", 4, names, types);
    t->version = 1;
    if (err)
        return t;
    char *copy = xstrdup(spec), *save = NULL;
    for (char *g = strtok_r(copy, ";", &save); g; g = strtok_r(NULL, ";", &save)) {
        const char *inst = NULL;
        char *eq = strchr(g, '=');
        if (eq) {
            *eq = '\0';
            inst = g;
            g = eq + 1;
        }
        char *save2 = NULL;
        int p = 0;
        for (char *item = strtok_r(g, ",", &save2); item; item = strtok_r(NULL, ",", &save2)) {
            size_t r = table_add_row(t);
            char period[16];
            snprintf(period, sizeof period, "p%02d", ++p);
            table_set_text(t, r, 0, inst);
            table_set_text(t, r, 1, period);
            char *slash = strchr(item, '/');
            if (slash)
                *slash = '\0';
            if (strcmp(item, "n") != 0)
                table_set_num(t, r, 2, atof(item));
            if (slash && strcmp(slash + 1, "n") != 0)
                table_set_num(t, r, 3, atof(slash + 1));
        }
    }
    free(copy);
    return t;
}

static void format_events(const struct warn_events *ev, char *out, size_t len)
{
    out[0] = '\0';
    for (size_t i = 0; i < ev->n; i++) {
        const struct warn_event *e = &ev->v[i];
        char one[128], inst[40] = "";
        if (e->instance && *e->instance)
            snprintf(inst, sizeof inst, "%s:", e->instance);
        if (e->kind == WE_STATE)
            snprintf(one, sizeof one, "%s%s>%s%s", inst, warn_state_code(e->from),
                     warn_state_code(e->to), e->reopened ? "(reopened)" : "");
        else if (e->kind == WE_URGE)
            snprintf(one, sizeof one, "%s%s:%s:%d", inst, e->escalation ? "escalate" : "urge",
                     e->department, e->step);
        else
            snprintf(one, sizeof one, "clock-%lld", (long long)e->jump_s);
        if (*out)
            strncat(out, " ", len - strlen(out) - 1);
        strncat(out, one, len - strlen(out) - 1);
    }
}

/* "state", with "#episode" when the expectation asks, "/handling" likewise;
 * several instances: "inst=state …". */
static void format_states(const struct warn_states *st, const char *want, char *out, size_t len)
{
    bool ep = strchr(want, '#') != NULL, hd = strchr(want, '/') != NULL;
    bool multi = strchr(want, '=') != NULL;
    out[0] = '\0';
    for (size_t i = 0; i < st->n; i++) {
        const struct warn_instance *w = &st->v[i];
        char one[128];
        int k = snprintf(one, sizeof one, "%s%s%s", multi ? w->instance : "", multi ? "=" : "",
                         warn_state_code(w->state));
        if (ep)
            k += snprintf(one + k, sizeof one - (size_t)k, "#%u", w->episode);
        if (hd)
            snprintf(one + k, sizeof one - (size_t)k, "/%s", warn_handling_name(w->handling));
        if (*out)
            strncat(out, " ", len - strlen(out) - 1);
        strncat(out, one, len - strlen(out) - 1);
    }
}

static void apply_action(struct warn_states *st, const char *action, int64_t t)
{
    char verb[32];
    const char *colon = strchr(action, ':');
    snprintf(verb, sizeof verb, "%.*s", (int)(colon - action), action);
    enum warn_action a;
    assert_true(warn_action_parse(verb, &a));
    struct err err;
    if (!warn_handle(st, "r", "", a, colon + 1, "备注", t, &err))
        fail_msg("%s", err.msg);
}

/* Every case, without and with a memo of the query results (warn_eval_memo).
 * With the memo, a tick whose data is the previous tick's keeps the same
 * table object, so its results come from the memo; a new table (new values)
 * must be run again: a stale result would show as a wrong state. */
static void run_cases(bool with_memo)
{
    for (size_t c = 0; c < ARRAY_LEN(cases); c++) {
        struct err err = {{0}};
        struct rules *rs = rules_parse("t.json", cases[c].rule, strlen(cases[c].rule), NULL, &err);
        if (!rs)
            fail_msg("case %zu (%s): %s", c, cases[c].name, err.msg);
        struct warn_memo *memo = with_memo ? warn_memo_new(rs) : NULL;
        struct warn_states *st = NULL;
        struct table *t = NULL;
        for (size_t k = 0; k < ARRAY_LEN(cases[c].ticks) && cases[c].ticks[k].states; k++) {
            const struct tick *tk = &cases[c].ticks[k];
            const char *before = k > 0 ? cases[c].ticks[k - 1].data : NULL;
            bool same = with_memo && k > 0 && tk->data && before && !strcmp(tk->data, before);
            if (!same) {
                table_unref(t);
                t = tk->data ? make_table(tk->data) : NULL;
            }
            struct warn_snapshot snap = {&t, t != NULL};
            if (tk->action)
                apply_action(st, tk->action, tk->t);
            struct warn_events ev = {0};
            struct warn_states *next = warn_eval_memo(rs, &snap, st, tk->t, &ev, memo);
            char got_ev[512], got_st[256];
            format_events(&ev, got_ev, sizeof got_ev);
            format_states(next, tk->states, got_st, sizeof got_st);
            if (strcmp(got_ev, tk->events) || strcmp(got_st, tk->states))
                fail_msg("case %zu (%s), tick %zu (t=%lld)%s:\n  expected: %s | %s\n  got:      "
                         "%s | %s",
                         c, cases[c].name, k, (long long)tk->t, with_memo ? ", with a memo" : "",
                         tk->states, tk->events, got_st, got_ev);
            warn_events_finish(&ev);
            warn_states_destroy(st);
            st = next;
        }
        table_unref(t);
        warn_states_destroy(st);
        warn_memo_destroy(memo);
        rules_destroy(rs);
    }
}

static void test_state_machine(void **state)
{
    run_cases(false);
}

static void test_state_machine_memo(void **state)
{
    run_cases(true);
}

/* Idempotency keys are deterministic, and the evaluation is pure: the same
 * inputs give the same states and events. */
static void test_keys_and_purity(void **state)
{
    const char *text = RULE(",\"instance\":\"inst\"", ABOVE10,
                            ",\"urge\":{\"repeat\":10,\"max_repeats\":2,\"escalate_after\":1,"
                            "\"escalate_to\":\"B\"}");
    struct err err;
    struct rules *rs = rules_parse("t.json", text, strlen(text), NULL, &err);
    assert_non_null(rs);
    struct table *t = make_table("411002=12");
    struct warn_snapshot snap = {&t, 1};
    struct warn_events e1 = {0}, e2 = {0}, e3 = {0};
    struct warn_states *s1 = warn_eval(rs, &snap, NULL, 1000, &e1);
    struct warn_states *s2 = warn_eval(rs, &snap, s1, 1010, &e2);
    struct warn_states *s2b = warn_eval(rs, &snap, s1, 1010, &e3);
    assert_int_equal(e1.n, 2);
    assert_string_equal(e1.v[1].key, "r:411002:1:A:0");
    assert_int_equal(e2.n, 2);
    assert_string_equal(e2.v[0].key, "r:411002:1:A:1");
    assert_string_equal(e2.v[1].key, "r:411002:1:B:1");
    assert_true(e2.v[1].escalation);
    assert_int_equal(e3.n, e2.n);
    for (size_t i = 0; i < e2.n; i++)
        assert_string_equal(e2.v[i].key, e3.v[i].key);
    assert_int_equal(s2->v[0].nsteps, s2b->v[0].nsteps);
    /* prev is untouched */
    assert_int_equal(s1->v[0].nsteps, 1);
    assert_int_equal(s1->generation + 1, s2->generation);
    /* nothing changes: the generation stays */
    struct warn_events e4 = {0};
    struct warn_states *s3 = warn_eval(rs, &snap, s2, 1011, &e4);
    assert_int_equal(e4.n, 0);
    assert_int_equal(s3->generation, s2->generation);
    struct warn_events *all[] = {&e1, &e2, &e3, &e4};
    for (size_t i = 0; i < ARRAY_LEN(all); i++)
        warn_events_finish(all[i]);
    warn_states_destroy(s1);
    warn_states_destroy(s2);
    warn_states_destroy(s2b);
    warn_states_destroy(s3);
    table_unref(t);
    rules_destroy(rs);
}

static void test_handling_errors(void **state)
{
    const char *text = RULE("", ABOVE10, "");
    struct err err;
    struct rules *rs = rules_parse("t.json", text, strlen(text), NULL, &err);
    struct table *t = make_table("5");
    struct warn_snapshot snap = {&t, 1};
    struct warn_events ev = {0};
    struct warn_states *st = warn_eval(rs, &snap, NULL, 0, &ev);
    assert_false(warn_handle(st, "r", "", WA_ACK, "alice", NULL, 1, &err));
    assert_string_equal(err.msg, "r, instance (the rule's one instance): no open warning (state "
                                 "normal)");
    assert_false(warn_handle(st, "nope", "x", WA_ACK, "alice", NULL, 1, &err));
    assert_string_equal(err.msg, "no warning for rule nope, instance x");
    table_unref(t);
    t = make_table("12");
    struct warn_states *st2 = warn_eval(rs, &snap, st, 10, &ev);
    assert_false(warn_handle(st2, "r", "", WA_ACK, "", NULL, 11, &err));
    assert_string_equal(err.msg, "acknowledged: who did it is required");
    assert_true(warn_handle(st2, "r", "", WA_HANDLE, "bob", "在办", 11, &err));
    assert_false(warn_handle(st2, "r", "", WA_ACK, "alice", NULL, 12, &err));
    assert_string_equal(err.msg, "r, instance (the rule's one instance): already handling; steps "
                                 "go acknowledged → handling → resolved");
    assert_false(warn_handle(st2, "r", "", WA_URGE, "alice", NULL, 12, &err));
    assert_true(warn_handle(st2, "r", "", WA_RESOLVE, "bob", "已协调解决", 13, &err));
    /* the audit trail: urge, handling, resolved */
    assert_int_equal(st2->v[0].nsteps, 3);
    assert_int_equal(st2->v[0].steps[0].action, WA_URGE);
    assert_string_equal(st2->v[0].steps[2].note, "已协调解决");
    assert_int_equal(st2->v[0].steps[2].at, 13);
    warn_events_finish(&ev);
    warn_states_destroy(st);
    warn_states_destroy(st2);
    table_unref(t);
    rules_destroy(rs);
}

/* 10,000 rules over the demo data: the target is <= 10 ms. `mixed`:
 * every kind of condition, many with one instance per district or unit;
 * else one instance per rule (a threshold on one district's indicator). */
/* The one definition of an open warning, read back from the published
 * `warnings` table as the wall and the CLI read it: every state's code and
 * every handling's name parse back to their enum, and a row is open exactly
 * while its warning fires or recovers. */
static void test_open_rows(void **state)
{
    for (int s = WS_NORMAL; s <= WS_ERROR; s++) {
        enum warn_state got;
        assert_true(warn_state_parse(warn_state_code((enum warn_state)s), &got));
        assert_int_equal(got, s);
    }
    for (int h = WH_NONE; h <= WH_RESOLVED; h++) {
        enum warn_handling got;
        assert_true(warn_handling_parse(warn_handling_name((enum warn_handling)h), &got));
        assert_int_equal(got, h);
    }
    enum warn_state ws;
    assert_false(warn_state_parse("告警中", &ws) || warn_state_parse(NULL, &ws));
    struct warn_reader none;
    assert_false(warn_reader_init(&none, NULL));
    static const struct {
        int64_t t;
        const char *value, *action;
        enum warn_state state;
        enum warn_handling handling;
        bool open;
    } ticks[] = {
        {0, "5", NULL, WS_NORMAL, WH_NONE, false},
        {10, "12", NULL, WS_FIRING, WH_NONE, true},
        {20, "5", "ack:甲", WS_RECOVERING, WH_ACKNOWLEDGED, true},
        {30, "12", "resolve:甲", WS_FIRING, WH_RESOLVED, true},
        {40, NULL, NULL, WS_NODATA, WH_RESOLVED, false},
        {500, "5", NULL, WS_RECOVERING, WH_RESOLVED, true}, /* data back: it continues */
        {700, "5", NULL, WS_NORMAL, WH_RESOLVED, false},
    };
    const char *text = RULE("", ABOVE10, ",\"keep_firing\":100" NO_URGE);
    struct err err;
    struct rules *rs = rules_parse("t.json", text, strlen(text), NULL, &err);
    assert_non_null(rs);
    struct warn_states *st = NULL;
    for (size_t k = 0; k < ARRAY_LEN(ticks); k++) {
        struct table *t = ticks[k].value ? make_table(ticks[k].value) : NULL;
        struct warn_snapshot snap = {&t, t != NULL};
        if (ticks[k].action)
            apply_action(st, ticks[k].action, ticks[k].t);
        struct warn_events ev = {0};
        struct warn_states *next = warn_eval(rs, &snap, st, ticks[k].t, &ev);
        warn_events_finish(&ev);
        warn_states_destroy(st);
        st = next;
        table_unref(t);
        struct table *w, *steps;
        assert_true(warn_tables(test_app.catalog, rs, st, &w, &steps, &err));
        enum warn_handling wh;
        struct warn_reader rd;
        assert_true(warn_reader_init(&rd, w));
        assert_true(warn_row_status(&rd, 0, &ws, &wh));
        if (ws != ticks[k].state || wh != ticks[k].handling || warn_row_is_open(&rd, 0) != ticks[k].open)
            fail_msg("tick %zu: state %s handling %s open %d", k, warn_state_code(ws),
                     warn_handling_name(wh), warn_row_is_open(&rd, 0));
        assert_false(warn_row_status(&rd, 1, &ws, &wh)); /* no such row */
        table_unref(w);
        table_unref(steps);
    }
    warn_states_destroy(st);
    rules_destroy(rs);
}

static void bench(bool mixed)
{
    static const char *const inds[] = {"gdp", "industry_va", "fai", "retail", "export", "import",
                                       "trade", "budget_rev", "budget_exp", "income"};
    static const char *const regions[] = {"411000", "411002", "411003", "411024",
                                          "411025", "411081", "411082", "411071"};
    size_t cap = 10000 * 400, len = 0;
    char *text = xmalloc(cap);
    len += (size_t)snprintf(text, cap, "{\"kind\":\"rules\",\"version\":1,\"rules\":[");
    for (int i = 0; i < 10000; i++) {
        const char *ind = inds[i % 10], *reg = regions[(i / 10) % 8];
        char body[512];
        switch (mixed ? i % 5 : 1) {
        case 0:
            snprintf(body, sizeof body,
                     "\"indicator\":{\"source\":\"target_progress\",\"filter\":{\"indicator\":"
                     "\"%s\",\"period\":\"$latest\"},\"field\":\"completion_pct\",\"instance\":"
                     "\"region_code\"},\"condition\":{\"type\":\"behind_schedule\",\"schedule\":"
                     "\"schedule_pct\",\"margin\":%d}",
                     ind, i % 7);
            break;
        case 1:
            snprintf(body, sizeof body,
                     "\"indicator\":{\"source\":\"indicator_values\",\"filter\":{\"indicator\":"
                     "\"%s\",\"region_code\":\"%s\",\"period\":\"$latest\"},\"field\":\"yoy_pct\"},"
                     "\"condition\":{\"type\":\"threshold\",\"below\":%d}",
                     ind, reg, i % 9);
            break;
        case 2:
            snprintf(body, sizeof body,
                     "\"indicator\":{\"source\":\"indicator_values\",\"filter\":{\"indicator\":"
                     "\"%s\",\"region_code\":\"%s\"},\"field\":\"yoy_pct\",\"period\":\"period\"},"
                     "\"condition\":{\"type\":\"declines\",\"count\":%d}",
                     ind, reg, 1 + i % 3);
            break;
        case 3:
            snprintf(body, sizeof body,
                     "\"indicator\":{\"source\":\"indicator_values\",\"filter\":{\"indicator\":"
                     "\"%s\",\"region_code\":\"%s\"},\"field\":\"province_rank\",\"period\":"
                     "\"period\"},\"condition\":{\"type\":\"rank\",\"worse_than\":%d,\"drop\":1}",
                     ind, reg, 1 + i % 9);
            break;
        default:
            snprintf(body, sizeof body,
                     "\"indicator\":{\"source\":\"appeals\",\"filter\":{\"status\":[\"处理中\","
                     "\"超期\"]},\"field\":\"days_open\",\"instance\":\"unit\"},\"condition\":{"
                     "\"type\":\"overdue\",\"limit\":\"limit_days\",\"max_count\":%d}",
                     i % 3);
        }
        len += (size_t)snprintf(text + len, cap - len,
                                "%s{\"id\":\"r%d\",\"name\":\"规则%d\",%s,\"severity\":\"一般\","
                                "\"pending\":%d,\"departments\":[\"市发改委\"],\"urge\":{\"repeat\":"
                                "\"1d\",\"max_repeats\":3}}",
                                i ? "," : "", i, i, body, (i % 4) * 60);
    }
    snprintf(text + len, cap - len, "]}");
    struct err err;
    double t0 = now_ms();
    struct rules *rs = rules_parse("bench.json", text, strlen(text), test_app.catalog, &err);
    double load_ms = now_ms() - t0;
    free(text);
    if (!rs)
        fail_msg("%s", err.msg);
    struct warn_snapshot snap;
    warn_snapshot_take(&snap, test_app.store, rs);
    struct warn_states *st = NULL;
    double best = 1e9, first = 0;
    size_t firing = 0, nevents = 0;
    for (int round = 0; round < 8; round++) {
        struct warn_events ev = {0};
        double t1 = now_ms();
        struct warn_states *next = warn_eval(rs, &snap, st, TEST_NOW + round * 3600, &ev);
        double ms = now_ms() - t1;
        if (round == 0)
            first = ms, nevents = ev.n;
        best = fmin(best, ms);
        warn_events_finish(&ev);
        warn_states_destroy(st);
        st = next;
    }
    for (size_t i = 0; i < st->n; i++)
        firing += st->v[i].state == WS_FIRING;
    struct table *w, *s;
    double t2 = now_ms();
    assert_true(warn_tables(test_app.catalog, rs, st, &w, &s, &err));
    double pub_ms = now_ms() - t2;
    double t3 = now_ms();
    size_t open = 0;
    struct warn_reader rd;
    assert_true(warn_reader_init(&rd, w));
    for (size_t r = 0; r < w->nrows; r++)
        open += warn_row_is_open(&rd, r);
    double read_ms = now_ms() - t3;
    assert_int_equal(open, firing); /* no recovering after 8 rounds of the same data */
    printf("%s: 10,000 rules (%zu distinct queries, %zu instances, %zu firing): load %.1f ms; "
           "eval first %.2f ms (%zu events), steady best of 8 %.2f ms; publish %.2f ms "
           "(%zu + %zu rows); open rows read back %.2f ms\n",
           mixed ? "mixed" : "one instance each", rs->nbindings, st->n, firing, load_ms, first, nevents, best, pub_ms, w->nrows,
           s->nrows, read_ms);
    table_unref(w);
    table_unref(s);
    warn_states_destroy(st);
    warn_snapshot_release(&snap);
    rules_destroy(rs);
}

static void test_bench_10000_rules(void **state)
{
    bench(false);
    bench(true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_machine),
        cmocka_unit_test(test_state_machine_memo),
        cmocka_unit_test(test_keys_and_purity),
        cmocka_unit_test(test_handling_errors),
        cmocka_unit_test(test_open_rows),
        cmocka_unit_test(test_bench_10000_rules),
    };
    return cmocka_run_group_tests(tests, test_app_setup, test_app_teardown);
}
