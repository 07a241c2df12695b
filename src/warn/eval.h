/* Evaluating warning rules: a pure function of (rules, a snapshot of the
 * data, the previous states, now). No I/O, no clock of its own, no globals:
 * the engine thread calls it on every data change (and on a timer, for
 * pending periods and urge repeats), and tests call it with any clock.
 *
 * Per rule instance (one per distinct value of the rule's `instance` column,
 * or one per rule):
 *
 *   Normal ──cond──► Pending ──held `pending`──► Firing ──¬cond──► Recovering
 *     ▲  (pending 0: straight to Firing)           ▲ cond ◄──────────┘   │
 *     └───────────────── held ¬cond `keep_firing` (episode ends) ◄───────┘
 *   Normal ──cond within `hold_down` after an episode ended──► Firing (the same
 *     warning reopens: no pending, no new urge schedule)
 *   any ──no table / no row / NULL value──► NoData;  ──query error──► Error;
 *     when data returns the instance continues from the state it left.
 *
 * A firing episode carries handling (acknowledged → handling → resolved,
 * each a step with who, when and a note) and an urge schedule: step 0 when
 * it fires, step k at fired_at + k·repeat up to max_repeats, while nobody has
 * acknowledged; from step escalate_after on, the higher department is urged
 * too. Missed steps (engine down) are not sent in a burst: only the latest
 * due step is. The clock never goes back: an earlier `now` than the last
 * evaluation is taken as the last evaluation's time (and reported). */
#ifndef LW_WARN_EVAL_H
#define LW_WARN_EVAL_H
#include "data/store.h"
#include "data/table.h"
#include "warn/rules.h"
#include <stdint.h>

enum warn_state { WS_NORMAL, WS_PENDING, WS_FIRING, WS_RECOVERING, WS_NODATA, WS_ERROR };
enum warn_handling { WH_NONE, WH_ACKNOWLEDGED, WH_HANDLING, WH_RESOLVED };
enum warn_action { WA_ACK, WA_HANDLE, WA_RESOLVE, WA_URGE, WA_ESCALATE };

const char *warn_state_code(enum warn_state s);   /* "normal", "firing", … */
const char *warn_state_name(enum warn_state s);   /* "正常", "告警中", … */
const char *warn_handling_name(enum warn_handling h);
const char *warn_action_code(enum warn_action a); /* "acknowledged", "urge", … */
const char *warn_action_name(enum warn_action a); /* "已确认", "催办", … */
bool warn_action_parse(const char *s, enum warn_action *out); /* ack, handle, resolve */
/* The inverse of warn_state_code and warn_handling_name: false for NULL or
 * an unknown text (*out untouched). */
bool warn_state_parse(const char *code, enum warn_state *out);
bool warn_handling_parse(const char *name, enum warn_handling *out);
/* An open warning, the one definition the wall, the CLI and the engine use:
 * firing or recovering (an operator sees it and can act on it). */
bool warn_state_is_open(enum warn_state s);

/* One step of the audit trail: handling by an operator, or an urge sent. */
struct warn_step {
    enum warn_action action;
    char *by;         /* operator, or the urged department */
    char *note;       /* may be NULL */
    int64_t at;
    int urge_step;    /* WA_URGE, WA_ESCALATE: the schedule step */
};

struct warn_instance {
    char *rule;       /* rule id */
    char *instance;   /* value of the instance column; "" for a one-instance rule
                         (stored in the same allocation as `rule`) */
    enum warn_state state;
    enum warn_state resume;  /* NoData, Error: the state to continue from */
    int64_t since;           /* entered `state` */
    int64_t active_since;    /* the condition holds since (Pending) */
    int64_t cleared_at;      /* the condition cleared at (Recovering) */
    int64_t fired_at;        /* the current or last episode fired at; 0 = never */
    int64_t ended_at;        /* the last episode ended at; 0 = none ended */
    unsigned episode;        /* warnings this instance has raised; the current one */
    bool open;               /* an episode is open (Firing, Recovering, or NoData/Error after) */
    double value, ref;       /* last observed value and what it was compared with (NAN) */
    char *message;           /* Error: the query's message; else NULL */
    enum warn_handling handling;
    struct warn_step *steps; /* of the current (or last) episode, oldest first */
    size_t nsteps;
    int next_urge;           /* the next urge step of the schedule */
    int urges;               /* urges sent in this episode */
    bool escalated;
};

/* All instances, in rule order then instance order; owned. */
struct warn_states {
    struct warn_instance *v;
    size_t n;
    int64_t evaluated_at;    /* the engine's clock: never goes back */
    uint64_t generation;     /* bumps whenever anything published changes */
    size_t *index;           /* private: hash of (rule, instance) → position + 1 */
    size_t *rule_index;      /* private: hash of rule → its first position + 1 */
    size_t index_cap;
    /* What became of an urge step, as the 一键催办 log shows it (已发送 /
     * 已送达 / 失败 …), or NULL when unknown: the engine looks it up in the
     * delivery worker's receipts before publishing; NULL here: none known.
     * `nth` counts a department's manual urges (一键催办) of the warning from
     * 1 (0 for a scheduled step). */
    const char *(*receipt)(void *arg, const char *warning, const char *department, int step,
                           int nth);
    void *receipt_arg;
};

enum warn_event_kind {
    WE_STATE, /* from → to (reopened: a flap within hold_down) */
    WE_URGE,  /* urge due: rule, instance, department, step (escalation: the higher one) */
    WE_CLOCK, /* the clock went back by `jump_s`; timers hold until it catches up */
};

struct warn_event {
    enum warn_event_kind kind;
    const struct rule *rule; /* NULL for WE_CLOCK */
    char *instance;
    unsigned episode;
    enum warn_state from, to;
    bool reopened;
    char *department;        /* WE_URGE */
    int step;                /* WE_URGE */
    bool escalation;         /* WE_URGE to the higher department */
    char *key;               /* WE_URGE: idempotency key "rule:instance:episode:department:step" */
    double value;
    int64_t at;
    int64_t jump_s;          /* WE_CLOCK */
};

struct warn_events {
    struct warn_event *v;
    size_t n, cap;
};

/* The tables the rules read, each referenced once: take from the store on
 * the engine thread, evaluate, release. */
struct warn_snapshot {
    struct table **tables;
    size_t n;
};
void warn_snapshot_take(struct warn_snapshot *snap, struct store *store, const struct rules *rules);
void warn_snapshot_release(struct warn_snapshot *snap);

/* Evaluates every rule at `now`. prev may be NULL (first run). Returns the
 * new states (caller owns; warn_states_destroy) and appends what happened to
 * *events (caller frees with warn_events_finish). Pure: reads only its
 * arguments. */
struct warn_states *warn_eval(const struct rules *rules, const struct warn_snapshot *snap,
                              const struct warn_states *prev, int64_t now,
                              struct warn_events *events);
/* The same, keeping each binding's result in memo for the next call: a
 * binding whose source is the same table as last time is not run again.
 * A memo serves one rules object (warn_memo_new(rules)) and one caller at
 * a time; destroy it before the rules. */
struct warn_memo;
struct warn_memo *warn_memo_new(const struct rules *rules);
void warn_memo_destroy(struct warn_memo *m); /* NULL is a no-op */
struct warn_states *warn_eval_memo(const struct rules *rules, const struct warn_snapshot *snap,
                                   const struct warn_states *prev, int64_t now,
                                   struct warn_events *events, struct warn_memo *memo);
void warn_states_destroy(struct warn_states *st); /* NULL is a no-op */
void warn_events_finish(struct warn_events *ev);

struct warn_instance *warn_states_find(const struct warn_states *st, const char *rule,
                                       const char *instance);

/* Handling by an operator: WA_ACK, WA_HANDLE or WA_RESOLVE on the open
 * warning of (rule, instance), recorded as a step. Steps only go forward
 * (acknowledged → handling → resolved; skipping ahead is allowed);
 * acknowledging answers the urges, so urging stops. false + *err when there
 * is no open warning or the step goes back. */
bool warn_handle(struct warn_states *st, const char *rule, const char *instance,
                 enum warn_action action, const char *by, const char *note, int64_t now,
                 struct err *err);

/* "rule@instance#episode" ("rule#episode" for a one-instance rule). Caller frees. */
char *warn_instance_id(const struct warn_instance *wi);

/* An operator's action on the open warning `id` (as warn_instance_id makes
 * it): "ack", "handle" or "resolve" (warn_handle), or "urge" — 一键催办: the
 * rule's departments urged now, outside the schedule, one WA_URGE step each
 * noted with who asked. The engine (which also writes the urges to the
 * outbox) and the demo call this one function. On success *wi_out (may be
 * NULL) is the warning and *ok a short result ("已确认", "催办 2 个部门"). */
bool warn_apply_action(struct warn_states *st, const struct rules *rules, const char *id,
                       const char *action, const char *by, const char *note, int64_t now,
                       struct warn_instance **wi_out, char *ok, size_t len, struct err *err);

#endif
