#include "warn/list.h"
#include "util/texttable.h"
#include "util/util.h"
#include "warn/eval.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Which state speaks for a rule of several instances: the one an operator
 * must see first. An error hides what the rule watches, so it leads. */
static int urgency(enum warn_state s)
{
    static const int rank[] = {[WS_ERROR] = 5, [WS_FIRING] = 4, [WS_RECOVERING] = 3,
                               [WS_PENDING] = 2, [WS_NODATA] = 1, [WS_NORMAL] = 0};
    return rank[s];
}

static json_t *cell_json(const struct table *t, size_t r, int c)
{
    if (c < 0 || table_is_null(t, r, (size_t)c))
        return json_null();
    if (t->cols[c].type == COL_NUMBER) {
        double v = table_num(t, r, (size_t)c);
        return isfinite(v) ? json_real(v) : json_null();
    }
    char buf[64];
    return json_string(table_cell_str(t, r, (size_t)c, buf, sizeof buf));
}

static const char *cell_text(const struct table *t, size_t r, int c)
{
    const char *s = c >= 0 && t->cols[c].type != COL_NUMBER ? table_text(t, r, (size_t)c) : NULL;
    return s ? s : "";
}

/* "市工信局、市统计局" (the table's joined form) → ["市工信局", "市统计局"] */
static json_t *departments_json(const char *joined)
{
    static const char sep[] = "、";
    json_t *a = json_array();
    while (*joined) {
        const char *end = strstr(joined, sep);
        size_t n = end ? (size_t)(end - joined) : strlen(joined);
        if (n > 0)
            json_array_append_new(a, json_stringn(joined, n));
        joined += n + (end ? strlen(sep) : 0);
    }
    return a;
}

enum { C_RULE, C_NAME, C_SEVERITY, C_DEPTS, C_INSTANCE, C_STATE, C_STATE_NAME, C_VALUE, C_REF,
       C_SINCE, C_MESSAGE, C_N };
static const char *const colnames[C_N] = {"rule",  "name",       "severity", "departments",
                                          "instance", "state",   "state_name", "value",
                                          "reference", "since",  "message"};

/* The rule object for row r's rule, found among the last one (rows of a
 * rule are together) or appended. */
static json_t *rule_for(json_t *rules, const struct table *t, size_t r, const int *col)
{
    const char *id = cell_text(t, r, col[C_RULE]);
    json_t *last = json_array_get(rules, json_array_size(rules) - 1);
    if (last && strcmp(json_string_value(json_object_get(last, "rule")), id) == 0)
        return last;
    for (size_t i = 0; i < json_array_size(rules); i++) /* not together: still one rule */
        if (strcmp(json_string_value(json_object_get(json_array_get(rules, i), "rule")), id) == 0)
            return json_array_get(rules, i);
    json_t *o = json_pack("{s:s, s:o, s:o, s:s, s:o, s:[]}", "rule", id, "name",
                          cell_json(t, r, col[C_NAME]), "severity",
                          cell_json(t, r, col[C_SEVERITY]), "state", "normal", "departments",
                          departments_json(cell_text(t, r, col[C_DEPTS])), "instances");
    json_array_append_new(rules, o);
    return o;
}

json_t *warn_rules_json(const struct table *t)
{
    json_t *rules = json_array();
    int col[C_N];
    for (int k = 0; k < C_N; k++)
        col[k] = t ? table_col(t, colnames[k]) : -1;
    if (col[C_RULE] < 0 || col[C_STATE] < 0)
        return rules;
    for (size_t r = 0; r < t->nrows; r++) {
        enum warn_state s;
        if (!warn_state_parse(table_text(t, r, (size_t)col[C_STATE]), &s))
            continue; /* not a state the engine writes: nothing to say about it */
        json_t *rule = rule_for(rules, t, r, col);
        enum warn_state was;
        warn_state_parse(json_string_value(json_object_get(rule, "state")), &was);
        if (urgency(s) > urgency(was))
            json_object_set_new(rule, "state", json_string(warn_state_code(s)));
        json_array_append_new(
            json_object_get(rule, "instances"),
            json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "instance",
                      cell_text(t, r, col[C_INSTANCE]), "state", warn_state_code(s),
                      "state_name", warn_state_name(s), "value", cell_json(t, r, col[C_VALUE]),
                      "reference", cell_json(t, r, col[C_REF]), "since",
                      cell_json(t, r, col[C_SINCE]), "message", cell_json(t, r, col[C_MESSAGE])));
    }
    return rules;
}

static void number_text(char *buf, size_t len, const json_t *v)
{
    snprintf(buf, len, json_is_number(v) ? "%.1f" : "—", json_number_value(v));
}

/* What broke each rule in error: the query's message, which the table has
 * no room for. */
static void print_errors(FILE *f, const json_t *rules)
{
    for (size_t i = 0; i < json_array_size(rules); i++) {
        const json_t *rule = json_array_get(rules, i), *inst = json_object_get(rule, "instances");
        for (size_t k = 0; k < json_array_size(inst); k++) {
            const json_t *x = json_array_get(inst, k), *m = json_object_get(x, "message");
            const char *in = json_string_value(json_object_get(x, "instance"));
            if (json_is_string(m))
                fprintf(f, "%s%s%s: %s\n", json_string_value(json_object_get(rule, "rule")),
                        *in ? "@" : "", in, json_string_value(m));
        }
    }
}

void warn_rules_print(FILE *f, const json_t *rules)
{
    enum { NCOL = 7 };
    static const char *const head[NCOL] = {"rule", "name", "instance", "state",
                                           "value", "reference", "departments"};
    static const bool right[NCOL] = {[4] = true, [5] = true};
    size_t n = 0, counts[WS_ERROR + 1] = {0};
    for (size_t i = 0; i < json_array_size(rules); i++)
        n += json_array_size(json_object_get(json_array_get(rules, i), "instances"));
    const char **cell = xcalloc((n + 1) * NCOL, sizeof *cell);
    char (*num)[2][32] = xcalloc(n + 1, sizeof *num);
    char **depts = xcalloc(json_array_size(rules) + 1, sizeof *depts);
    memcpy(cell, head, sizeof head);
    size_t row = 1;
    for (size_t i = 0; i < json_array_size(rules); i++) {
        const json_t *rule = json_array_get(rules, i), *d = json_object_get(rule, "departments");
        for (size_t k = 0; k < json_array_size(d); k++)
            str_list_add(&depts[i], "、", json_string_value(json_array_get(d, k)));
        const json_t *inst = json_object_get(rule, "instances");
        for (size_t k = 0; k < json_array_size(inst); k++, row++) {
            const json_t *x = json_array_get(inst, k);
            const char **c = &cell[row * NCOL];
            enum warn_state s = WS_NORMAL;
            warn_state_parse(json_string_value(json_object_get(x, "state")), &s);
            counts[s]++;
            if (k == 0) {
                c[0] = json_string_value(json_object_get(rule, "rule"));
                c[1] = json_string_value(json_object_get(rule, "name"));
                c[6] = depts[i];
            }
            c[2] = *json_string_value(json_object_get(x, "instance"))
                       ? json_string_value(json_object_get(x, "instance"))
                       : "—";
            c[3] = warn_state_code(s);
            number_text(num[row][0], sizeof num[row][0], json_object_get(x, "value"));
            number_text(num[row][1], sizeof num[row][1], json_object_get(x, "reference"));
            c[4] = num[row][0], c[5] = num[row][1];
        }
    }
    text_table_print(f, cell, n + 1, NCOL, right);
    fprintf(f, "%zu rule(s), %zu instance(s):", json_array_size(rules), n);
    static const enum warn_state order[] = {WS_FIRING, WS_RECOVERING, WS_PENDING,
                                            WS_NORMAL, WS_NODATA, WS_ERROR};
    bool first = true;
    for (size_t k = 0; k < ARRAY_LEN(order); k++) {
        if (counts[order[k]])
            fprintf(f, "%s%zu %s", first ? " " : ", ", counts[order[k]],
                    warn_state_code(order[k]));
        first &= !counts[order[k]];
    }
    fputc('\n', f);
    print_errors(f, rules);
    for (size_t i = 0; i < json_array_size(rules); i++)
        free(depts[i]);
    free(depts);
    free(num);
    free(cell);
}
