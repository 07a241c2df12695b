/* The show-state machine without a display: each case is a list of steps
 * {time, event, what is shown after it, what changed}, run from a fresh
 * show over one small configuration. The view is written as one line:
 * `scene{param=value,...} crumb›crumb` and flags (+alert +paused +blank +drive
 * +picker:NAME), so a failing step prints what it saw. */
#include "common.h"
#include "scene/show.h"
#include "util/util.h"
#include <stdio.h>
#include <string.h>

#define S 1000 /* ms */

static struct scene_param situation_params[] = {{"city", "4110"}, {"period", "latest"}};
static struct scene_param projects_params[] = {{"city", "4110"}};
static struct scene_param project_params[] = {{"city", "4110"}, {"project", ""}};
static struct scene_param warning_params[] = {{"id", ""}};
static struct scene_param yuzhou[] = {{"city", "411081"}};

/* 0 situation, 1 projects, 2 project (a drill target), 3 warnings (the
 * alert scene), 4 warning (its drill target) */
static const struct show_scene scenes[] = {
    {"situation", "许昌市", situation_params, 2},
    {"projects", "项目总览", projects_params, 1},
    {"project", "项目详情", project_params, 2},
    {"warnings", "预警", NULL, 0},
    {"warning", "预警详情", warning_params, 1},
};
static const struct show_entry entries[] = {
    {0, 30 * S, NULL, 0, NULL},
    {1, 30 * S, NULL, 0, NULL},
    {0, 30 * S, yuzhou, 1, "禹州市"},   /* the tour goes on to a county */
};
static const struct show_config config = {
    scenes, 5, entries, 3, true, 3, 120 * S, 30 * S,
};

/* After a reload: no project scene any more, and situation no longer
 * declares a period. */
static const struct show_scene scenes2[] = {
    {"warnings", "预警", NULL, 0},
    {"situation", "许昌市", situation_params, 1},
    {"projects", "项目总览", projects_params, 1},
};
static const struct show_entry entries2[] = {{1, 30 * S, NULL, 0, NULL}, {2, 30 * S, NULL, 0, NULL}};
static const struct show_config config2 = {scenes2, 3, entries2, 2, true, 0, 120 * S, 30 * S};

/* A reload without an alert scene. */
static const struct show_config config3 = {scenes2, 3, entries2, 2, false, 0, 120 * S, 30 * S};

#define TICK {.type = SHOW_TICK}
#define KEY(k) {.type = SHOW_KEY, .key = {SHOW_KEY_##k, 0}}
#define JUMP(n) {.type = SHOW_KEY, .key = {SHOW_KEY_JUMP, n}}
#define POINT {.type = SHOW_POINT}
#define DRILL(sc, label, ...)                                                                     \
    {.type = SHOW_DRILL,                                                                          \
     .drill = {sc, (struct scene_param[]){__VA_ARGS__},                                           \
               sizeof((struct scene_param[]){__VA_ARGS__}) / sizeof(struct scene_param), label}}
#define PICK_OPEN(p) {.type = SHOW_PICK_OPEN, .pick_open = {p}}
#define PICK(p, v, label) {.type = SHOW_PICK, .pick = {p, v, label}}
#define ALERTS(n) {.type = SHOW_ALERTS, .alerts = n}
#define RELOAD(c) {.type = SHOW_RELOAD, .reload = &c}

enum { ANY = -1 };

struct step {
    int64_t at;
    struct show_event ev;
    const char *want; /* the view, or "*": not checked */
    int changed;     /* SHOW_CHANGED_* expected, or ANY */
    int64_t next;    /* show_next_deadline() after the step, or ANY */
};

#define ROOT "situation{city=4110,period=latest} 许昌市"
#define PROJECT "project{city=4110,project=P7} 许昌市›项目详情 +drive"
#define PROJECT_PAUSED "project{city=4110,project=P7} 许昌市›项目详情 +paused +drive"
#define V SHOW_CHANGED_VIEW
#define ST SHOW_CHANGED_STATE
#define PK SHOW_CHANGED_PICKER

static const struct {
    const char *name;
    struct step steps[10];
} cases[] = {
    {"the rotation: dwells, the tour's own parameters, keys",
     {{0, TICK, ROOT, 0, 30 * S},
      {29999, TICK, ROOT, 0, ANY},
      {30 * S, TICK, "projects{city=4110} 项目总览", V | ST, 60 * S},
      {60 * S, TICK, "situation{city=411081,period=latest} 禹州市", V | ST, 90 * S},
      {61 * S, KEY(NEXT), ROOT, V | ST, 91 * S},
      {62 * S, KEY(PREV), "situation{city=411081,period=latest} 禹州市", V | ST, ANY},
      {63 * S, JUMP(1), "projects{city=4110} 项目总览", V | ST, ANY},
      {64 * S, JUMP(7), "projects{city=4110} 项目总览", 0, ANY}}},
    {"a drill pauses the rotation; parameters are inherited, then set",
     {{1 * S, DRILL("situation", "禹州市", {"city", "411081"}),
       "situation{city=411081,period=latest} 许昌市›禹州市 +drive", V | ST, 121 * S},
      {2 * S, DRILL("project", NULL, {"project", "P7"}, {"nonsense", "x"}),
       "project{city=411081,project=P7} 许昌市›禹州市›项目详情 +drive", V, 122 * S},
      {100 * S, TICK, "project{city=411081,project=P7} 许昌市›禹州市›项目详情 +drive", 0, ANY},
      {101 * S, DRILL("no-such-scene", NULL, {"a", "b"}),
       "project{city=411081,project=P7} 许昌市›禹州市›项目详情 +drive", 0, 221 * S}}},
    {"back goes up one step; back at the root does nothing",
     {{0, KEY(BACK), ROOT, 0, 30 * S},
      {1 * S, DRILL("situation", "禹州市", {"city", "411081"}), "*", V | ST, ANY},
      {2 * S, DRILL("project", NULL, {"project", "P7"}), "*", V, ANY},
      {3 * S, KEY(BACK), "situation{city=411081,period=latest} 许昌市›禹州市 +drive", V, ANY},
      {4 * S, KEY(BACK), ROOT, V | ST, 34 * S},
      {5 * S, KEY(BACK), ROOT, 0, 34 * S}}},
    {"home from deep down, and the dwell starts again there",
     {{20 * S, DRILL("projects", NULL, {"city", "411081"}), "*", V | ST, ANY},
      {21 * S, DRILL("project", NULL, {"project", "P7"}),
       "project{city=411081,project=P7} 许昌市›项目总览›项目详情 +drive", V, ANY},
      {50 * S, KEY(HOME), ROOT, V | ST, 80 * S},
      {79 * S, TICK, ROOT, 0, ANY},
      {80 * S, TICK, "projects{city=4110} 项目总览", V | ST, ANY}}},
    {"drill during an alert: back to the alert scene, the base untouched",
     {{5 * S, ALERTS(2), "warnings{} 预警 +alert", V | ST, INT64_MAX},
      {6 * S, KEY(NEXT), "warnings{} 预警 +alert", 0, INT64_MAX},
      {7 * S, DRILL("warning", NULL, {"id", "W1"}), "warning{id=W1} 预警›预警详情 +alert +drive",
       V | ST, 127 * S},
      {8 * S, KEY(BACK), "warnings{} 预警 +alert", V | ST, INT64_MAX},
      {9 * S, DRILL("warning", NULL, {"id", "W2"}), "warning{id=W2} 预警›预警详情 +alert +drive",
       V | ST, ANY},
      {10 * S, ALERTS(0), ROOT, V | ST, 40 * S}}},
    {"an alert during a drill; the acknowledgement returns to the drill",
     {{1 * S, DRILL("project", NULL, {"project", "P7"}), PROJECT, V | ST, 121 * S},
      {60 * S, ALERTS(1), "warnings{} 预警 +alert", V | ST, INT64_MAX},
      {200 * S, TICK, "warnings{} 预警 +alert", 0, INT64_MAX},
      {300 * S, KEY(OTHER), "warnings{} 预警 +alert", 0, INT64_MAX}, /* the ack key */
      {300 * S, ALERTS(0), PROJECT, V | ST, 420 * S},
      {419 * S, POINT, PROJECT, 0, 539 * S}}},
    {"an alert that ends with nobody there: the drill has timed out",
     {{1 * S, DRILL("project", NULL, {"project", "P7"}), PROJECT, V | ST, ANY},
      {60 * S, ALERTS(1), "warnings{} 预警 +alert", V | ST, ANY},
      {900 * S, ALERTS(0), ROOT, V | ST, 930 * S}}},
    {"blank: the screen darkens over what is shown, which goes on beneath",
     {{1 * S, KEY(BLANK), ROOT " +blank", V, 30 * S},
      {30 * S, TICK, "projects{city=4110} 项目总览 +blank", V | ST, 60 * S},
      {31 * S, DRILL("project", NULL, {"project", "P7"}),
       "project{city=4110,project=P7} 项目总览›项目详情 +blank +drive", V | ST, ANY},
      {32 * S, ALERTS(1), "warnings{} 预警 +alert +blank", V | ST, ANY},
      {33 * S, KEY(BLANK), "warnings{} 预警 +alert", V, ANY},
      {34 * S, KEY(BLANK), "warnings{} 预警 +alert +blank", V, ANY}}},
    {"idle return while paused: home, and still paused",
     {{1 * S, KEY(PAUSE), ROOT " +paused", ST, INT64_MAX},
      {2 * S, DRILL("project", NULL, {"project", "P7"}), PROJECT_PAUSED, V | ST, 122 * S},
      {121 * S, POINT, PROJECT_PAUSED, 0, 241 * S},
      {240999, TICK, PROJECT_PAUSED, 0, ANY},
      {241 * S, TICK, ROOT " +paused", V | ST, INT64_MAX},
      {900 * S, TICK, ROOT " +paused", 0, INT64_MAX},
      {901 * S, KEY(PAUSE), ROOT, ST, 931 * S}}},
    {"idle return with nobody paused: where it left off, a whole dwell",
     {{25 * S, DRILL("project", NULL, {"project", "P7"}), PROJECT, V | ST, 145 * S},
      {145 * S, TICK, ROOT, V | ST, 175 * S}}},
    {"a picker: a choice is a step back can undo",
     {{1 * S, PICK_OPEN("city"), ROOT " +drive +picker:city", PK | ST, 31 * S},
      {2 * S, PICK("city", "411081", "禹州市"),
       "situation{city=411081,period=latest} 许昌市›禹州市 +drive", V | PK, 122 * S},
      {3 * S, PICK_OPEN("period"),
       "situation{city=411081,period=latest} 许昌市›禹州市 +drive +picker:period", PK, 33 * S},
      {4 * S, PICK("period", "2024-06", NULL),
       "situation{city=411081,period=2024-06} 许昌市›禹州市›2024-06 +drive", V | PK, ANY},
      {5 * S, KEY(BACK), "situation{city=411081,period=latest} 许昌市›禹州市 +drive", V, ANY},
      {6 * S, PICK_OPEN("project"), "*", 0, ANY}, /* situation has no such parameter */
      {7 * S, PICK("city", "411002", NULL), "*", 0, ANY}}}, /* no picker is open */
    {"a picker timing out",
     {{1 * S, PICK_OPEN("city"), ROOT " +drive +picker:city", PK | ST, 31 * S},
      {30999, TICK, ROOT " +drive +picker:city", 0, ANY},
      {31 * S, TICK, ROOT, PK | ST, 61 * S},
      {32 * S, PICK("city", "411081", NULL), ROOT, 0, ANY},
      {33 * S, PICK_OPEN("city"), ROOT " +drive +picker:city", PK | ST, ANY},
      {34 * S, KEY(BACK), ROOT, PK | ST, ANY}}},
    {"a reload that removes the drilled scene: the deepest step left",
     {{1 * S, DRILL("projects", NULL, {"city", "411081"}), "*", V | ST, ANY},
      {2 * S, DRILL("project", NULL, {"project", "P7"}), "*", V, ANY},
      {3 * S, RELOAD(config2), "projects{city=411081} 许昌市›项目总览 +drive", V, 122 * S},
      {4 * S, KEY(BACK), "situation{city=4110} 许昌市", V | ST, 34 * S}}},
    {"a parameter that no longer exists after a reload",
     {{1 * S, PICK_OPEN("period"), "*", PK | ST, ANY},
      {2 * S, PICK("period", "2024-06", NULL),
       "situation{city=4110,period=2024-06} 许昌市›2024-06 +drive", V | PK, ANY},
      {3 * S, RELOAD(config2), "situation{city=4110} 许昌市›2024-06 +drive", V, ANY},
      {4 * S, PICK_OPEN("period"), "situation{city=4110} 许昌市›2024-06 +drive", 0, ANY}}},
    {"a reload under an alert: its entry gone, then its alert scene",
     {{1 * S, JUMP(2), "*", V | ST, ANY},
      {2 * S, ALERTS(1), "warnings{} 预警 +alert", V | ST, ANY},
      {3 * S, DRILL("warning", NULL, {"id", "W1"}), "*", V | ST, ANY},
      {4 * S, RELOAD(config2), "warnings{} 预警 +alert", V | ST, INT64_MAX},
      {5 * S, RELOAD(config3), "situation{city=4110} 许昌市", V | ST, 35 * S},
      {6 * S, ALERTS(1), "situation{city=4110} 许昌市", 0, 35 * S}}},
};

static const struct show_scene *test_scenes; /* the configuration in force */

/* The view as one line. */
static void describe(const struct show *s, char *buf, size_t len)
{
    const struct show_view *v = show_current(s);
    size_t n = (size_t)snprintf(buf, len, "%s{", test_scenes[v->scene].name);
    for (size_t i = 0; i < v->nparams && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s=%s", i ? "," : "", v->params[i].name,
                              v->params[i].value);
    n += (size_t)snprintf(buf + n, len - n, "} ");
    for (size_t i = 0; i < v->ncrumbs && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "›" : "", v->crumbs[i]);
    if (n < len)
        snprintf(buf + n, len - n, "%s%s%s%s%s%s", v->alert ? " +alert" : "",
                 v->paused ? " +paused" : "", v->blank ? " +blank" : "",
                 v->driving ? " +drive" : "",
                 v->picker ? " +picker:" : "", v->picker ? v->picker : "");
}

static void test_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t c = 0; c < ARRAY_LEN(cases); c++) {
        struct show *s = show_create(&config, 0);
        test_scenes = scenes;
        for (size_t i = 0; i < ARRAY_LEN(cases[c].steps) && cases[c].steps[i].want; i++) {
            const struct step *st = &cases[c].steps[i];
            unsigned changed = show_event(s, &st->ev, st->at);
            if (st->ev.type == SHOW_RELOAD)
                test_scenes = st->ev.reload->scenes;
            char got[512];
            describe(s, got, sizeof got);
            int64_t next = show_next_deadline(s);
            bool ok = (strcmp(st->want, "*") == 0 || strcmp(got, st->want) == 0) &&
                      (st->changed == ANY || (unsigned)st->changed == changed) &&
                      (st->next == ANY || st->next == next);
            if (!ok) {
                print_error("%s, step %zu (t=%lld):\n  want %s changed %d next %lld\n"
                            "  got  %s changed %u next %lld\n",
                            cases[c].name, i + 1, (long long)st->at, st->want, st->changed,
                            (long long)st->next, got, changed, (long long)next);
                failures++;
            }
        }
        show_destroy(s);
    }
    assert_int_equal(failures, 0);
}

/* A drill stack has a floor: past SHOW_MAX_DEPTH steps a drill changes
 * nothing, and one home empties it. */
static void test_depth(void **state)
{
    (void)state;
    struct show *s = show_create(&config, 0);
    struct show_event drill = DRILL("project", NULL, {"project", "P7"});
    for (int i = 0; i < SHOW_MAX_DEPTH; i++)
        assert_int_equal(show_event(s, &drill, i), i == 0 ? V | ST : V);
    assert_int_equal(show_event(s, &drill, 100), 0);
    assert_int_equal(show_current(s)->ncrumbs, SHOW_MAX_DEPTH + 1);
    struct show_event home = KEY(HOME);
    assert_int_equal(show_event(s, &home, 200), V | ST);
    assert_int_equal(show_current(s)->ncrumbs, 1);
    show_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
