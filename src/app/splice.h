/* One splice wall driven by several PCs, in step, through PostgreSQL (issue
 * 15 part 4; docs/operations.md, "Splice walls").
 *
 * Every part runs `lotuswall run --db --wall-name WALL --part PART --wall
 * FILE`, and this thread of its own with its own connection to the primary
 * (the coordination session). The part whose session holds the wall's
 * advisory lock (lotuswall_data.splice_try_lead) leads; the others try
 * again every second, so a dead leader, whose session ends and frees the
 * lock, is replaced within about a second. The leader writes the wall's
 * row of lotuswall.splice_state — the view, the data version to show, and
 * the wall-clock times at which both change on every part — and the
 * database's trigger accepts the write only from the session holding the
 * lock, with a term that never falls (the fence). Each write sends NOTIFY
 * lotuswall_splice; followers read the row then, and every second anyway.
 * Any error on the session drops the part to follower at once: it leads
 * only while its lock session lives.
 *
 * The render thread reads the role and the latest announcement and hands
 * the leader's announcements over; it never waits for the database. */
#ifndef LW_SPLICE_H
#define LW_SPLICE_H
#include <stdbool.h>
#include <stdint.h>

/* How far ahead the leader announces a change: every part hears of it
 * (write, NOTIFY, read: a few ms on a LAN) before it happens, so all start
 * it at the same wall-clock time. */
#define SPLICE_LEAD_MS 250

enum splice_role { SPLICE_FOLLOWER, SPLICE_LEADER };

/* An announcement: a row of lotuswall.splice_state. */
struct splice_state {
    int64_t term;               /* the leader's term; 0: none seen yet */
    char leader[64];            /* its part */
    char view[2048];            /* JSON: scene, params, entry, driving, alert, blank, cut */
    int64_t view_at_ms;         /* Unix ms: when the view changes on every part */
    char data[24];              /* the data version to show (store_content_hash, hex) */
    int64_t data_at_ms;         /* Unix ms: when it is shown */
};

struct splice_opts {
    const char *conninfo;       /* the primary (app_primary_db); borrowed */
    const char *wall, *part;    /* --wall-name, --part; borrowed */
    void (*wake)(void *arg);    /* from the thread: the role or the announcement changed */
    void *wake_arg;
};

/* Starts the thread (it connects on its own, and again while the database
 * is away). Free with splice_stop(). NULL when no thread can start. */
struct splice *splice_start(const struct splice_opts *o);
void splice_stop(struct splice *sp); /* joins the thread; NULL is a no-op */

/* Any thread: the role now, its term (a follower's: the highest announced),
 * and since when (Unix ms). */
enum splice_role splice_role(struct splice *sp, int64_t *term, int64_t *since_ms);
/* Whether this part leads now (fleet.h: only the leader beats and steers). */
bool splice_leads(struct splice *sp);
/* The leader's render thread: st is what to announce (copied; the thread
 * writes it under its term). Ignored once the part no longer leads. */
void splice_announce(struct splice *sp, const struct splice_state *st);
/* The latest announcement read; true (and *out, *seq moved) when it is
 * newer than *seq. Announcements of a lower term than one seen are ignored. */
bool splice_latest(struct splice *sp, unsigned *seq, struct splice_state *out);
/* What this part shows, for its row of lotuswall.splice_parts. */
void splice_report(struct splice *sp, const char *scene, int64_t scene_since_ms,
                   const char *data);

#endif
