/* The scene loader refuses bad files with the file, the place and what was
 * expected. Table-driven: {scene text, exact message}. */
#include "common.h"
#include "util/util.h"
#include "widgets/widget.h"
#include <stdio.h>
#include <string.h>


#define HEAD "{\"kind\":\"scene\",\"version\":1,\"title\":\"T\",\"design\":[1920,1080],"
#define GRID "\"grid\":{\"cols\":4,\"rows\":4},"
#define KPI(area, binding)                                                                       \
    "{\"id\":\"k\",\"widget\":\"kpi\",\"area\":" area ",\"binding\":" binding "}"
#define GOOD_BINDING                                                                              \
    "{\"source\":\"indicator_values\",\"filter\":{\"indicator\":\"gdp\"},\"fields\":{\"value\":"  \
    "\"value\"}}"

static const struct {
    const char *text, *msg;
} cases[] = {
    {"{\"kind\":\"scene\",\n \"version\": 1,\n \"title\": \"x\" ,,}",
     "t.json:3:16: string or '}' expected near ','"},
    {"[1, 2]", "t.json: expected a JSON object at the top level"},
    {"{\"kind\":\"playlist\",\"version\":1}", "t.json: kind: expected \"scene\", found \"playlist\""},
    {"{\"kind\":\"scene\",\"version\":2}",
     "t.json: version: expected 1 (this lotuswall reads format version 1)"},
    {HEAD GRID "\"titel\":1,\"panels\":[]}",
     "t.json: titel: unknown key (known: kind, version, name, title, subtitle, design, fit, "
     "theme, grid, params, panels, layouts)"},
    {HEAD GRID "\"panels\":[]}", "t.json: panels: expected a non-empty array of panels"},
    {"{\"kind\":\"scene\",\"version\":1,\"title\":\"T\",\"design\":[0,-5]," GRID "\"panels\":[]}",
     "t.json: design: 0×-5 is out of range (320×240 to 16384×16384)"},
    {"{\"kind\":\"scene\",\"version\":1,\"title\":\"T\",\"design\":[20000,1080]," GRID "\"panels\":[]}",
     "t.json: design: 20000×1080 is out of range (320×240 to 16384×16384)"},
    {HEAD "\"fit\":\"zoom\"," GRID "\"panels\":[]}",
     "t.json: fit: expected one of fit, fill, stretch, extend"},
    {HEAD "\"theme\":\"neon\"," GRID "\"panels\":[]}",
     "t.json: theme: unknown theme \"neon\" (known: dark, light)"},
    {HEAD "\"grid\":{\"cols\":0,\"rows\":4},\"panels\":[]}",
     "t.json: grid.cols: 0 is out of range (1 to 96)"},
    {HEAD GRID "\"panels\":[{\"id\":\"a\",\"widget\":\"pie3d\",\"area\":[0,0,1,1]}]}",
     "t.json: panels[0].widget: unknown widget type \"pie3d\" (known: "},
    {HEAD GRID "\"panels\":[" KPI("[3,0,2,1]", GOOD_BINDING) "]}",
     "t.json: panels[0].area: [3, 0, 2, 1] lies outside the 4×4 grid"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,2,\"1\"]", GOOD_BINDING) "]}",
     "t.json: panels[0].area[3]: expected an integer >= 1"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,2,2]", GOOD_BINDING) "," KPI("[1,1,2,2]", GOOD_BINDING) "]}",
     "t.json: panels[1].id: \"k\" is already used by panels[0]"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,2,2]", GOOD_BINDING)
     ",{\"id\":\"k2\",\"widget\":\"kpi\",\"area\":[1,1,2,2],\"binding\":" GOOD_BINDING "}]}",
     "t.json: panels[1].area: overlaps panels[0] (k)"},
    {HEAD GRID "\"panels\":[{\"id\":\"k\",\"widget\":\"kpi\",\"area\":[0,0,1,1]}]}",
     "t.json: panels[0].binding: missing; widget kpi needs a data binding"},
    {HEAD GRID "\"panels\":[{\"id\":\"k\",\"widget\":\"kpi\",\"area\":[0,0,1,1],\"empty\":0,"
     "\"binding\":" GOOD_BINDING "}]}",
     "t.json: panels[0].empty: expected a string"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", "{\"source\":\"gdp_table\",\"fields\":{}}") "]}",
     "t.json: panels[0].binding.source: unknown source \"gdp_table\" (known sources: regions, "
     "indicators, indicator_values, indicator_trend, target_progress, industry_sectors, "
     "enterprises, projects, project_progress, project_monthly, economic_index, district_assessment, "
     "help_enterprises, appeals, appeal_steps, appeal_monthly, appeal_closure, help_district, help_teams, "
     "warnings, warning_steps, warning_series, appeal_ratings, appeal_flow, appeal_profile, "
     "eval_enterprises, eval_scores, eval_groups, finance_summary, finance_breakdown, top_enterprises, "
     "enterprise_anomalies, anomaly_monthly, key_enterprise_monthly, policy_summary, "
     "policy_breakdown, appeal_sectors, sms_templates, sms_channels, operators, reports, fleet, delivery_health)"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]",
                                  "{\"source\":\"projects\",\"fields\":{\"value\":\"budget\"}}") "]}",
     "t.json: panels[0].binding.fields.value: source projects has no column \"budget\" (its "
     "columns: id, name, region_code, region, category, status, total_invest, plan_year, "
     "done_year, progress_pct, start_date, finish_date)"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]",
                                  "{\"source\":\"projects\",\"fields\":{\"value\":\"name\"}}") "]}",
     "t.json: panels[0].binding.fields.value: role value needs a number column; projects.name is text"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]",
                                  "{\"source\":\"projects\",\"fields\":{\"growth\":\"progress_pct\"}}") "]}",
     "t.json: panels[0].binding.fields: missing role \"value\" (the number shown large) for widget kpi"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]",
                                  "{\"source\":\"projects\",\"fields\":{\"size\":\"progress_pct\"}}") "]}",
     "t.json: panels[0].binding.fields.size: unknown role for widget kpi (roles: value, unit, "
     "growth, rank, rank_scope, period, label)"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", "{\"source\":\"indicator_values\",\"filter\":{"
                                  "\"region_code\":\"$district\"},\"fields\":{\"value\":\"value\"}}") "]}",
     "t.json: panels[0].binding.filter.region_code: unknown parameter $district (scene "
     "parameters: none)"},
    {HEAD GRID "\"panels\":[{\"id\":\"k\",\"widget\":\"kpi\",\"area\":[0,0,1,1],\"binding\":"
     GOOD_BINDING ",\"options\":{\"value_size\":500}}]}",
     "t.json: panels[0].options.value_size: 500 is out of range (20 to 200)"},
    {HEAD GRID "\"panels\":[{\"id\":\"k\",\"widget\":\"kpi\",\"area\":[0,0,1,1],\"binding\":"
     GOOD_BINDING ",\"options\":{\"colour\":\"red\"}}]}",
     "t.json: panels[0].options.colour: unknown option for widget kpi (known: growth_label, "
     "rank_label, period_style, value_size)"},
    {HEAD GRID "\"panels\":[{\"id\":\"k\",\"widget\":\"kpi\",\"area\":[0,0,1,1],\"binding\":"
     GOOD_BINDING ",\"thresholds\":[{\"value\":5,\"color\":\"red\"}]}]}",
     "t.json: panels[0].thresholds[0].color: expected a colour \"#rrggbb\""},
    {HEAD GRID "\"panels\":[{\"id\":\"k\",\"widget\":\"kpi\",\"area\":[0,0,1,1],\"binding\":"
     GOOD_BINDING ",\"format\":{\"value\":{\"decimals\":9}}}]}",
     "t.json: panels[0].format.value.decimals: 9 is out of range (0 to 6)"},
    {HEAD GRID "\"panels\":[{\"id\":\"k\",\"widget\":\"kpi\",\"area\":[0,0,1,1],\"binding\":"
     GOOD_BINDING ",\"format\":{\"value\":{\"time\":\"%m-%d %c\"}}}]}",
     "t.json: panels[0].format.value.time: expected a pattern of %Y %m %d %H %M %S and plain "
     "text, got \"%m-%d %c\""},
#define WIDE(body) ",\"layouts\":[{\"name\":\"wide\",\"min_aspect\":2.5," body "}]}"
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) "]" WIDE("\"grid\":{\"cols\":8,\"rows\":4},\"areas\":{}"),
     "t.json: layouts[0].areas: missing an area for panel \"k\""},
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) "]"
     WIDE("\"grid\":{\"cols\":8,\"rows\":4},\"areas\":{\"k\":[0,0,1,1],\"kk\":[1,0,1,1]}"),
     "t.json: layouts[0].areas.kk: no panel has this id"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) "]"
     WIDE("\"grid\":{\"cols\":8,\"rows\":4},\"areas\":{\"k\":[6,0,4,1]}"),
     "t.json: layouts[0].areas.k: [6, 0, 4, 1] lies outside the 8×4 grid"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) "]"
     WIDE("\"grid\":{\"cols\":8},\"areas\":{\"k\":[6,0,1,1]}"),
     "t.json: layouts[0].grid: expected cols and rows"},
/* levels: a panel for the city's view only, and the one drawn in its place for a county's */
#define CITY_ONLY(alt) "{\"id\":\"rank\",\"widget\":\"kpi\",\"area\":[0,0,1,1],\"level\":\"city\"," \
    alt "\"binding\":" GOOD_BINDING "}"
#define ALT(extra) ",{\"id\":\"own\",\"widget\":\"kpi\"," extra "\"binding\":" GOOD_BINDING "}"
    {HEAD GRID "\"panels\":[" CITY_ONLY("") "]}",
     "t.json: panels[0].alternate: missing; a panel restricted to level \"city\" names the panel "
     "drawn in its place in county views (the layout must have no hole)"},
    {HEAD GRID "\"panels\":[" CITY_ONLY("\"alternate\":\"mine\",") ALT("\"level\":\"county\",") "]}",
     "t.json: panels[0].alternate: no panel has the id \"mine\""},
    {HEAD GRID "\"panels\":[" CITY_ONLY("\"alternate\":\"rank\",") "]}",
     "t.json: panels[0].alternate: a panel cannot stand in for itself: \"rank\""},
    {HEAD GRID "\"panels\":[" CITY_ONLY("\"alternate\":\"own\",") ALT("") "]}",
     "t.json: panels[1].area: expected [col, row, colspan, rowspan]"},
    {HEAD GRID "\"panels\":[{\"id\":\"own\",\"widget\":\"kpi\",\"area\":[1,0,1,1],\"binding\":"
     GOOD_BINDING "}," CITY_ONLY("\"alternate\":\"own\",") "]}",
     "t.json: panels[0].level: missing; expected \"county\": panels[1] (rank), restricted to "
     "\"city\", names this panel its alternate"},
    {HEAD GRID "\"panels\":[" CITY_ONLY("\"alternate\":\"own\",") ALT("\"level\":\"city\",") "]}",
     "t.json: panels[1].level: wrong level; expected \"county\": panels[0] (rank), restricted to "
     "\"city\", names this panel its alternate"},
    {HEAD GRID "\"panels\":[" CITY_ONLY("\"alternate\":\"own\",")
     ALT("\"level\":\"county\",\"area\":[1,0,1,1],") "]}",
     "t.json: panels[1].area: an alternate takes the area of panels[0] (rank); it has none of its own"},
    {HEAD GRID "\"panels\":[" CITY_ONLY("\"alternate\":\"own\",")
     ALT("\"level\":\"county\",\"alternate\":\"rank\",") "]}",
     "t.json: panels[1].alternate: panels[0] (rank) names this panel its alternate; an alternate "
     "names none"},
    {HEAD GRID "\"panels\":[" CITY_ONLY("\"alternate\":\"own\",") ALT("\"level\":\"county\",")
     ",{\"id\":\"two\",\"widget\":\"kpi\",\"area\":[1,0,1,1],\"level\":\"city\","
     "\"alternate\":\"own\",\"binding\":" GOOD_BINDING "}]}",
     "t.json: panels[2].alternate: \"own\" is already the alternate of panels[0]"},
    {HEAD GRID "\"panels\":[" CITY_ONLY("\"alternate\":\"own\",") ALT("\"level\":\"town\",") "]}",
     "t.json: panels[1].level: expected \"city\" (the city's own view) or \"county\" (a county's)"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) ",{\"id\":\"x\",\"widget\":\"kpi\","
     "\"area\":[1,0,1,1],\"alternate\":\"k\",\"binding\":" GOOD_BINDING "}]}",
     "t.json: panels[1].alternate: only a panel restricted to a level (\"level\") has an alternate"},
    {HEAD GRID "\"panels\":[" CITY_ONLY("\"alternate\":\"own\",") ALT("\"level\":\"county\",") "]"
     ",\"layouts\":[{\"name\":\"p\",\"max_aspect\":0.7,\"grid\":{\"cols\":2,\"rows\":2},"
     "\"areas\":{\"rank\":[0,0,1,1],\"own\":[1,0,1,1]}}]}",
     "t.json: layouts[0].areas.own: panel \"own\" is an alternate: it takes the area of the panel "
     "it stands in for"},
    {HEAD GRID "\"panels\":[" CITY_ONLY("\"alternate\":\"own\",")
     ALT("\"level\":\"county\",\"area\":[1,0,1,1],\"alternate\":\"rank\",") "]}",
     "t.json: panels[1].area: an alternate takes the area of panels[0] (rank); it has none of its own"},
#define LAYOUT(aspects) ",\"layouts\":[{\"name\":\"tall\"," aspects \
    "\"grid\":{\"cols\":2,\"rows\":8},\"areas\":{\"k\":[0,0,2,1]}}]}"
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) "]" LAYOUT(""),
     "t.json: layouts[0]: expected min_aspect (for wider outputs) or max_aspect (for taller "
     "outputs), width ÷ height"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) "]"
     LAYOUT("\"min_aspect\":0.8,\"max_aspect\":0.6,"),
     "t.json: layouts[0].max_aspect: 0.6 is not above min_aspect 0.8"},
    {HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) "]" LAYOUT("\"max_aspect\":30,"),
     "t.json: layouts[0].max_aspect: 30 is out of range (0.1 to 20)"},
    {HEAD GRID "\"panels\":[{\"id\":\"a\",\"widget\":\"title\",\"area\":[0,0,1,1],\"title\":\"\xff\"}]}",
     "t.json:1:"},
    /* scene names become file names: they stay in their folder */
    {HEAD GRID "\"name\":\"../../x\",\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) "]}",
     "t.json: name: \"../../x\" is not a safe scene name (1 to 128 letters, digits, '_', '-' and "
     "'.', not starting with '.')"},
    {HEAD GRID "\"name\":\".hidden\",\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) "]}",
     "t.json: name: \".hidden\" is not a safe scene name"},
    {HEAD GRID "\"name\":\"a b\",\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) "]}",
     "t.json: name: \"a b\" is not a safe scene name"},
    /* drills: a target, parameters from the panel's roles, a label that is one */
#define DRILL(d)                                                                                  \
    HEAD GRID "\"panels\":[{\"id\":\"k\",\"widget\":\"kpi\",\"area\":[0,0,1,1],\"binding\":"        \
    GOOD_BINDING ",\"drill\":" d "}]}"
    {DRILL("\"situation\""), "t.json: panels[0].drill: expected an object {\"scene\": ..., "
     "\"params\": {...}}"},
    {DRILL("{\"params\":{\"city\":\"value\"}}"), "t.json: panels[0].drill.scene: missing; "
     "expected a string"},
    {DRILL("{\"scene\":\"../etc\",\"params\":{\"city\":\"value\"}}"),
     "t.json: panels[0].drill.scene: \"../etc\" is not a scene name"},
    {DRILL("{\"scene\":\"situation\"}"),
     "t.json: panels[0].drill.params: missing; expected an object of parameter: role"},
    {DRILL("{\"scene\":\"situation\",\"params\":{\"city\":\"code\"}}"),
     "t.json: panels[0].drill.params.city: \"code\" is not one of this panel's roles (value)"},
    {DRILL("{\"scene\":\"situation\",\"params\":{\"city\":\"value\"},\"label\":\"name\"}"),
     "t.json: panels[0].drill.label: \"name\" is not one of this panel's roles (value)"},
    {HEAD GRID "\"panels\":[{\"id\":\"t\",\"widget\":\"title\",\"area\":[0,0,1,1],\"drill\":"
     "{\"scene\":\"situation\",\"params\":{\"city\":\"value\"}}}]}",
     "t.json: panels[0].drill: a drill takes its parameters from the panel's rows: the panel has "
     "no binding"},
};

static void test_messages(void **state)
{
    struct scene_env env = app_scene_env(&test_app);
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct err err = {{0}};
        struct scene *s = scene_parse("t.json", cases[i].text, strlen(cases[i].text), &env, &err);
        if (s)
            fail_msg("case %zu loaded but should fail with: %s", i, cases[i].msg);
        if (strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
            fail_msg("case %zu:\n  expected: %s\n  got:      %s", i, cases[i].msg, err.msg);
    }
}

/* A scene without a name is named after its file: that name is checked too. */
static void test_name_from_path(void **state)
{
    struct scene_env env = app_scene_env(&test_app);
    const char *text = HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) "]}";
    struct err err = {{0}};
    assert_null(scene_parse("scenes/my scene.json", text, strlen(text), &env, &err));
    assert_string_equal(err.msg, "scenes/my scene.json: name: \"my scene\" (from the file name) is "
                                 "not a safe scene name (1 to 128 letters, digits, '_', '-' and '.', "
                                 "not starting with '.')");
    struct scene *s = scene_parse("scenes/gdp.v2.json", text, strlen(text), &env, &err);
    assert_non_null(s);
    assert_string_equal(s->name, "gdp.v2");
    scene_destroy(s);
}

static void test_megabyte_string(void **state)
{
    struct scene_env env = app_scene_env(&test_app);
    size_t n = 1 << 20;
    char *text = xmalloc(n + 256);
    int k = snprintf(text, n + 256, HEAD GRID "\"panels\":[{\"id\":\"a\",\"widget\":\"title\","
                                          "\"area\":[0,0,1,1],\"title\":\"");
    memset(text + k, 'x', n);
    strcpy(text + k + n, "\"}]}");
    struct err err = {{0}};
    assert_null(scene_parse("t.json", text, strlen(text), &env, &err));
    assert_string_equal(err.msg,
                        "t.json: panels[0].title: string of 1048576 bytes is too long (at most 4096)");
    free(text);
}

static void test_shipped_scenes_load(void **state)
{
    static const char *const names[] = {"situation", "gdp", "industry", "demand",
                                        "sectors", "enterprise", "projects", "economy"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        struct err err = {{0}};
        struct scene *s = app_load_scene(&test_app, names[i], &err);
        if (!s)
            fail_msg("%s", err.msg);
        scene_destroy(s);
    }
}

static void test_param_override(void **state)
{
    test_app.params[0] = (struct scene_param){"city", "411002"};
    test_app.nparams = 1;
    struct err err = {{0}};
    struct scene *s = app_load_scene(&test_app, "situation", &err);
    assert_non_null(s);
    bool found = false;
    for (size_t i = 0; i < s->npanels; i++)
        for (size_t f = 0; f < s->panels[i].query.nfilters; f++)
            if (!strcmp(s->panels[i].query.filters[f].column, "region_code") &&
                !strcmp(s->panels[i].query.filters[f].values[0], "411002"))
                found = true;
    assert_true(found);
    scene_destroy(s);
    test_app.nparams = 0;
}

/* Option accessors: the panel's value, else the widget's default; strings
 * live as long as the panel (two defaults read one after the other once
 * shared one thread-local buffer, so the first turned into the second). */
static void test_option_defaults(void **state)
{
    (void)state;
    const char *text = HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) ","
                       "{\"id\":\"g\",\"widget\":\"kpi\",\"area\":[1,0,1,1],\"binding\":"
                       GOOD_BINDING ",\"options\":{\"growth_label\":\"环比\"}}]}";
    struct scene_env env = app_scene_env(&test_app);
    struct err err = {{0}};
    struct scene *s = scene_parse("t.json", text, strlen(text), &env, &err);
    if (!s)
        fail_msg("%s", err.msg);
    const char *growth = panel_opt_str(&s->panels[0], "growth_label");
    const char *rank = panel_opt_str(&s->panels[0], "rank_label");
    assert_string_equal(growth, "同比");
    assert_string_equal(rank, "居全省第%d位");
    assert_string_equal(panel_opt_str(&s->panels[1], "growth_label"), "环比");
    assert_string_equal(panel_opt_str(&s->panels[1], "rank_label"), "居全省第%d位");
    assert_string_equal(panel_opt_str(&s->panels[0], "no_such_option"), "");
    scene_destroy(s);
}

/* An output takes the tightest layout that admits its aspect: a 9:16
 * portrait screen the portrait one, a 32:9 wall the wide one, 16:9 the base
 * (min_aspect and max_aspect both bound it). */
static void test_pick_layout(void **state)
{
    (void)state;
    const char *text =
        HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) "],\"layouts\":["
        "{\"name\":\"wide\",\"min_aspect\":2.5,\"grid\":{\"cols\":8,\"rows\":2},"
        "\"areas\":{\"k\":[0,0,1,1]}},"
        "{\"name\":\"portrait\",\"max_aspect\":0.75,\"design\":[1080,1920],"
        "\"grid\":{\"cols\":2,\"rows\":8},\"areas\":{\"k\":[0,0,2,1]}},"
        "{\"name\":\"tall\",\"max_aspect\":0.4,\"grid\":{\"cols\":1,\"rows\":8},"
        "\"areas\":{\"k\":[0,0,1,1]}},"
        "{\"name\":\"square\",\"min_aspect\":0.9,\"max_aspect\":1.2,"
        "\"grid\":{\"cols\":4,\"rows\":4},\"areas\":{\"k\":[0,0,1,1]}}]}";
    static const struct {
        int w, h;
        const char *want; /* NULL: the base layout */
    } picks[] = {
        {1920, 1080, NULL},     {3840, 1080, "wide"},   {1080, 1920, "portrait"},
        {2160, 3840, "portrait"}, {768, 1024, "portrait"}, {1080, 3840, "tall"},
        {1000, 1000, "square"}, {1200, 1000, "square"}, {1300, 1000, NULL},
    };
    struct scene_env env = app_scene_env(&test_app);
    struct err err = {{0}};
    struct scene *s = scene_parse("t.json", text, strlen(text), &env, &err);
    if (!s)
        fail_msg("%s", err.msg);
    for (size_t i = 0; i < ARRAY_LEN(picks); i++) {
        const struct scene_layout *L = scene_pick_layout(s, picks[i].w, picks[i].h);
        const char *got = L ? L->name : NULL;
        if ((got == NULL) != (picks[i].want == NULL) || (got && strcmp(got, picks[i].want)))
            fail_msg("%dx%d: layout %s, expected %s", picks[i].w, picks[i].h,
                     got ? got : "(base)", picks[i].want ? picks[i].want : "(base)");
    }
    scene_destroy(s);
}

/* What changes with the clock on a live wall: the title always, a KPI
 * never, the map only with ripples on and a column for them to mark (an
 * 8K map redrawn every second for ripples without rows cost 50 ms a
 * frame). */
static void test_animates(void **state)
{
    (void)state;
#define MAP(id, area, fields, options)                                                             \
    "{\"id\":\"" id "\",\"widget\":\"map\",\"area\":" area ",\"binding\":{\"source\":"          \
    "\"help_enterprises\",\"fields\":{\"code\":\"region_code\",\"lon\":\"lon\",\"lat\":\"lat\""       \
    fields "}}" options "}"
    const char *text =
        HEAD GRID "\"panels\":[" KPI("[0,0,1,1]", GOOD_BINDING) ","
        "{\"id\":\"t\",\"widget\":\"title\",\"area\":[1,0,1,1]},"
        MAP("plain", "[2,0,1,1]", "", "") ","
        MAP("keyed", "[3,0,1,1]", ",\"key\":\"lat\"", "") ","
        MAP("still", "[0,1,1,1]", ",\"key\":\"lat\"", ",\"options\":{\"pulses\":false}") "]}";
#undef MAP
    static const bool want[] = {false, true, false, true, false};
    struct scene_env env = app_scene_env(&test_app);
    struct err err = {{0}};
    struct scene *s = scene_parse("t.json", text, strlen(text), &env, &err);
    if (!s)
        fail_msg("%s", err.msg);
    assert_int_equal(s->npanels, ARRAY_LEN(want));
    for (size_t i = 0; i < ARRAY_LEN(want); i++)
        if (panel_animates(&s->panels[i]) != want[i])
            fail_msg("panel %s: animates %d, expected %d", s->panels[i].id, !want[i], want[i]);
    scene_destroy(s);
}

/* The step of the clock an animated panel shows: a scrolling list its row
 * (one every scroll_seconds), a clock its second, or its minute when it
 * shows no seconds; a title without a clock none. */
static void test_clock_phase(void **state)
{
    (void)state;
    const char *text =
        HEAD GRID "\"panels\":["
        "{\"id\":\"t\",\"widget\":\"title\",\"area\":[0,0,1,1]},"
        "{\"id\":\"hm\",\"widget\":\"title\",\"area\":[1,0,1,1],"
        "\"options\":{\"clock_format\":\"%H:%M\"}},"
        "{\"id\":\"off\",\"widget\":\"title\",\"area\":[2,0,1,1],\"options\":{\"clock\":false}},"
        "{\"id\":\"list\",\"widget\":\"table\",\"area\":[3,0,1,1],\"binding\":"
        "{\"source\":\"indicator_values\",\"fields\":{\"col1\":\"indicator\"}}"
        ",\"options\":{\"scroll\":true,\"scroll_seconds\":5}}]}";
    struct scene_env env = app_scene_env(&test_app);
    struct err err = {{0}};
    struct scene *s = scene_parse("t.json", text, strlen(text), &env, &err);
    if (!s)
        fail_msg("%s", err.msg);
    const struct panel *t = &s->panels[0], *hm = &s->panels[1], *off = &s->panels[2],
                       *list = &s->panels[3];
    int64_t now = 1731634200; /* 2024-11-15 01:30:00 UTC: a whole minute, a multiple of 5 */
    assert_true(panel_clock_phase(t, now) != panel_clock_phase(t, now + 1));
    assert_true(panel_clock_phase(hm, now) == panel_clock_phase(hm, now + 59));
    assert_true(panel_clock_phase(hm, now + 59) != panel_clock_phase(hm, now + 60));
    assert_true(panel_clock_phase(hm, now - 1) != panel_clock_phase(hm, now));
    assert_true(panel_clock_phase(off, now) == panel_clock_phase(off, now + 86400));
    assert_true(panel_clock_phase(list, now) == panel_clock_phase(list, now + 4));
    assert_true(panel_clock_phase(list, now + 4) != panel_clock_phase(list, now + 5));
    assert_true(panel_animates(list) && panel_animates(off));
    scene_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_name_from_path),
        cmocka_unit_test(test_megabyte_string),
        cmocka_unit_test(test_shipped_scenes_load),
        cmocka_unit_test(test_param_override),
        cmocka_unit_test(test_option_defaults),
        cmocka_unit_test(test_pick_layout),
        cmocka_unit_test(test_animates),
        cmocka_unit_test(test_clock_phase),
    };
    return cmocka_run_group_tests(tests, test_app_setup, test_app_teardown);
}
