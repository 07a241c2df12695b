/* Warning rules (kind "rules", version 1; docs/rules.md): what indicator a
 * rule watches, when it is wrong, how grave that is, how long to wait, who
 * is responsible and how to urge them.
 *
 * A rule set is loaded once, validated against the catalog, then immutable:
 * the engine's thread evaluates it (warn/eval.h) while any thread may read
 * it. The warn module knows no screen; it uses data/ and util/ only. */
#ifndef LW_WARN_RULES_H
#define LW_WARN_RULES_H
#include "data/catalog.h"
#include "data/query.h"
#include "util/err.h"
#include "util/severity.h"
#include <stdbool.h>
#include <stddef.h>

#define RULES_MAX 100000
#define RULES_MAX_PERIOD_S (366 * 86400) /* any period: at most a year */
#define RULES_MAX_REPEATS 100
#define RULES_MAX_DECLINES 60

enum cond_type {
    COND_THRESHOLD,       /* value > above, or value < below */
    COND_BEHIND_TARGET,   /* value < ref - margin (ref: a target/plan column) */
    COND_BEHIND_SCHEDULE, /* completion < 序时进度 - margin */
    COND_BELOW_AVERAGE,   /* value < province average - margin */
    COND_RANK,            /* rank > worse_than, or rank rose by >= drop since the previous period */
    COND_DECLINES,        /* the last `count` changes of the series are all falls */
    COND_OVERDUE,         /* more than max_count rows have value > limit */
};

struct cond {
    enum cond_type type;
    bool has_above, has_below;
    double above, below;   /* threshold */
    char *ref;             /* behind_*, below_average: the column compared with;
                              overdue: the limit column, or NULL with limit_value */
    double margin;         /* behind_*, below_average: >= 0 */
    int worse_than;        /* rank: 0 = not checked */
    int drop;              /* rank: 0 = not checked */
    int count;             /* declines */
    double limit_value;    /* overdue with a fixed limit */
    int max_count;         /* overdue: fires when the count exceeds it */
};

struct urge_policy {
    bool on_firing;        /* urge the departments when the warning fires */
    int repeat_s;          /* repeat while unanswered; 0 = once */
    int max_repeats;       /* repeats after the first urge */
    int escalate_after;    /* 0 = never; else after this many unanswered urges */
    char *escalate_to;     /* the higher department, with escalate_after */
    char *template_code;   /* an sms_templates code, or NULL: the built-in wording */
};

struct rule {
    char *id, *name;
    /* The indicator, bound like a panel: source + filter + field. The query
     * maps roles "value" (field), "instance" (one warning per distinct value;
     * NULL = one for the rule), "period" (orders a series) and "ref" (the
     * condition's column). */
    struct query query;
    char *field, *instance, *period;
    struct cond cond;
    enum severity severity;
    int pending_s;         /* the condition must hold this long before firing */
    int keep_firing_s;     /* stays firing (recovering) this long after it clears */
    int hold_down_s;       /* a warning that fires again this soon after it ended
                              reopens (same warning, no new urge): flapping */
    char **departments;    /* 预警关联部门, at least one */
    size_t ndepartments;
    struct urge_policy urge;
    size_t binding;        /* index into rules->bindings: rules with the same query share it */
};

struct rules {
    char *path, *name;
    struct rule *rules;
    size_t nrules;
    char **departments;    /* the known departments, or NULL = any */
    size_t ndepartments;
    const struct query **bindings; /* distinct queries, each run once per evaluation */
    size_t nbindings;
    const struct rule **by_id;     /* sorted by id, for rules_find */
};

/* Loads a rules file. With a catalog, sources and columns are checked
 * against it (and unknown ones listed). NULL + *err naming the file, the
 * JSON path and what was expected. Free with rules_destroy(). */
struct rules *rules_load(const char *path, const struct catalog *cat, struct err *err);
struct rules *rules_parse(const char *path, const char *text, size_t len,
                          const struct catalog *cat, struct err *err);
void rules_destroy(struct rules *r); /* NULL is a no-op */

const char *cond_type_name(enum cond_type t);
/* By id (binary search), or NULL. */
const struct rule *rules_find(const struct rules *r, const char *id);

#endif
