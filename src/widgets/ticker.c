/* Ticker (滚动公告): the latest warnings and notices — a level pill (严重 in
 * the danger colour, 一般 in warn, 提示 in ok, anything else neutral), the
 * time and the text. One line is a marquee that moves left at `speed` design
 * px/s as a pure function of the clock and wraps seamlessly; more lines are
 * a still list of the first N rows (sort the binding newest first). */
#include "render/rows.h"
#include "widgets/widget.h"
#include <math.h>

static const struct role_spec roles[] = {
    {"text", true, false, "the notice"},
    {"time", false, false, "when; text as given, or unix seconds drawn as MM-DD HH:MM"},
    {"level", false, false, "severity: 严重 / 一般 / 提示 (others draw a neutral pill)"},
    {0},
};

static const struct prop_spec props[] = {
    {"speed", PROP_NUMBER, "80", 0, 2000, NULL, "marquee speed in design px per second; 0 = still"},
    {"lines", PROP_INT, "1", 1, 50, NULL, "1 = one-line marquee; more = a list of that many rows"},
    {"separator", PROP_STRING, "\"◆\"", 0, 0, NULL, "drawn between notices in the marquee"},
    {0},
};

#define MAX_ITEMS 50 /* notices in one marquee cycle: "latest" means few */
#define ITEM_GAP 10  /* between pill, time and text */
#define FADE 28      /* marquee edges fade out over this width */
#define MAX_TEXT 2400 /* a marquee notice longer than this is ellipsized */

struct ticker {
    const struct widget_ctx *ctx;
    int ct, ctime, cl;
    double size;
};

static const char *time_text(const struct ticker *tk, size_t row, char *buf, size_t len)
{
    double v = wnum(tk->ctx, row, tk->ctime);
    if (isfinite(v) && v > 1e9 && v < 1e11) /* unix seconds from a live source */
        return fmt_time(buf, len, (int64_t)v, "%m-%d %H:%M");
    return wtext(tk->ctx, row, tk->ctime, buf, len);
}

/* Draws (or with draw = false only measures) one notice starting at x: the
 * pill and the time take pill_w and time_w when those are > 0 (list
 * columns), else their natural widths; the text is cut at text_max (> 0),
 * else at MAX_TEXT.
 * Returns the width. */
static double item(const struct ticker *tk, bool draw, double x, double y, size_t row,
                   double pill_w, double time_w, double text_max)
{
    const struct widget_ctx *ctx = tk->ctx;
    const struct theme *t = ctx->theme;
    char buf[512];
    double x0 = x;
    const char *level = wtext(ctx, row, tk->cl, buf, sizeof buf);
    if (*level || pill_w > 0) {
        double pw = pill_w > 0 ? pill_w : rows_pill_width(ctx->r, level, tk->size);
        if (draw && *level)
            rows_draw_pill(ctx->cr, ctx->r, x, y, ANCHOR_LEFT, level,
                           rows_status_color(t, rows_status_of(level)), tk->size, pw);
        x += pw + ITEM_GAP;
    }
    const char *when = time_text(tk, row, buf, sizeof buf);
    if (*when || time_w > 0) {
        struct text_style ts = wstyle(ctx, true, tk->size, 400, t->muted);
        if (draw)
            text_draw(ctx->r->text, ctx->cr, x, y, ANCHOR_LEFT | ANCHOR_MIDDLE, when, &ts);
        x += (time_w > 0 ? time_w : rows_text_width(ctx->r, when, &ts)) + ITEM_GAP;
    }
    struct text_style xs = wstyle(ctx, false, tk->size, 400, t->text);
    xs.max_width = text_max > 0 ? fmax(text_max - (x - x0), 1) : MAX_TEXT;
    const char *text = wtext(ctx, row, tk->ct, buf, sizeof buf);
    if (draw && (text_max <= 0 || xs.max_width >= tk->size))
        text_draw(ctx->r->text, ctx->cr, x, y, ANCHOR_LEFT | ANCHOR_MIDDLE, text, &xs);
    return x + rows_text_width(ctx->r, text, &xs) - x0;
}

/* ---- one line: the marquee ------------------------------------------------ */

struct marquee {
    size_t n;
    double w[MAX_ITEMS]; /* each notice with its separator */
    double cycle;        /* all of them once */
    double gap;          /* the separator with room either side */
};

static void measure_marquee(const struct ticker *tk, struct marquee *mq, const char *sep)
{
    struct text_style ss = wstyle(tk->ctx, false, tk->size, 400, 0);
    mq->gap = rows_text_width(tk->ctx->r, sep, &ss) + 2 * tk->size * 1.5;
    mq->n = tk->ctx->data->nrows < MAX_ITEMS ? tk->ctx->data->nrows : MAX_ITEMS;
    mq->cycle = 0;
    for (size_t i = 0; i < mq->n; i++) {
        mq->w[i] = item(tk, false, 0, 0, i, 0, 0, 0) + mq->gap;
        mq->cycle += mq->w[i];
    }
}

/* Soft edges: the strip is drawn into a group and masked by a gradient. */
static void fade_edges(cairo_t *cr, struct rect b)
{
    double f = fmin(FADE / b.w, 0.25);
    cairo_pattern_t *m = cairo_pattern_create_linear(b.x, 0, b.x + b.w, 0);
    cairo_pattern_add_color_stop_rgba(m, 0, 0, 0, 0, 0);
    cairo_pattern_add_color_stop_rgba(m, f, 0, 0, 0, 1);
    cairo_pattern_add_color_stop_rgba(m, 1 - f, 0, 0, 0, 1);
    cairo_pattern_add_color_stop_rgba(m, 1, 0, 0, 0, 0);
    cairo_pop_group_to_source(cr);
    cairo_mask(cr, m);
    cairo_pattern_destroy(m);
}

#define MAX_PLACES (4 * MAX_ITEMS + 8) /* notices on the strip at once, a bound */

/* The notices on the strip now, for draw and hit alike: the left edge and
 * row of each, in drawing order; returns how many. */
static size_t marquee_place(const struct ticker *tk, const struct marquee *mq, bool *moving,
                            double *xs, size_t *rows)
{
    const struct widget_ctx *ctx = tk->ctx;
    struct rect b = ctx->box;
    double x = b.x;
    *moving = mq->cycle - mq->gap > b.w; /* else it all fits: stand still */
    double speed = panel_opt_num(ctx->panel, "speed");
    if (*moving && speed > 0) /* the same second always gives the same frame */
        x -= fmod((double)ctx->r->now * speed, mq->cycle);
    if (x < b.x - mq->cycle) /* fmod of a negative clock */
        x += mq->cycle;
    /* walk the cycle from the offset until the strip is full: the wrap is a
     * second copy of the same cycle, so it joins seamlessly */
    size_t n = 0;
    for (size_t k = 0; x < b.x + b.w && k < MAX_PLACES; k++) {
        size_t i = k % mq->n;
        if (x + mq->w[i] > b.x) {
            xs[n] = x;
            rows[n++] = i;
        }
        x += mq->w[i];
        if (!*moving && i + 1 == mq->n)
            break;
    }
    return n;
}

static void draw_marquee(const struct ticker *tk)
{
    const struct widget_ctx *ctx = tk->ctx;
    struct rect b = ctx->box;
    const char *sep = panel_opt_str(ctx->panel, "separator");
    struct marquee mq;
    measure_marquee(tk, &mq, sep);
    if (!(mq.cycle > 0))
        return;
    double y = b.y + b.h / 2, xs[MAX_PLACES];
    size_t rows[MAX_PLACES];
    bool moving;
    size_t n = marquee_place(tk, &mq, &moving, xs, rows);

    cairo_save(ctx->cr);
    cairo_rectangle(ctx->cr, b.x, b.y, b.w, b.h);
    cairo_clip(ctx->cr);
    cairo_push_group(ctx->cr);
    struct text_style ss = wstyle(ctx, false, tk->size, 400, ctx->theme->header_accent);
    for (size_t j = 0; j < n; j++) {
        size_t i = rows[j];
        double iw = item(tk, true, xs[j], y, i, 0, 0, 0);
        if (moving || i + 1 < mq.n)
            text_draw(ctx->r->text, ctx->cr, xs[j] + iw + (mq.w[i] - iw) / 2, y,
                      ANCHOR_CENTER | ANCHOR_MIDDLE, sep, &ss);
    }
    if (moving)
        fade_edges(ctx->cr, b);
    else
        cairo_pop_group_to_source(ctx->cr), cairo_paint(ctx->cr);
    cairo_restore(ctx->cr);
}

/* ---- several lines: a still list ----------------------------------------- */

static bool list_rows(const struct ticker *tk, size_t lines, struct rows *rl)
{
    rows_layout(rl, tk->ctx->box, tk->ctx->data->nrows, lines, 26, 56, tk->ctx->r->now, 0);
    return rl->slots > 0;
}

static void draw_list(const struct ticker *tk, size_t lines)
{
    const struct widget_ctx *ctx = tk->ctx;
    struct rows rl;
    if (!list_rows(tk, lines, &rl))
        return;
    /* pill and time columns as wide as their widest, so the texts align */
    double pill_w = 0, time_w = 0;
    char buf[256];
    struct text_style ts = wstyle(ctx, true, tk->size, 400, 0);
    for (size_t s = 0; s < rl.slots; s++) {
        size_t row = rows_row(&rl, s);
        if (row == ROWS_MORE)
            break;
        const char *level = wtext(ctx, row, tk->cl, buf, sizeof buf);
        if (*level)
            pill_w = fmax(pill_w, rows_pill_width(ctx->r, level, tk->size));
        time_w = fmax(time_w, rows_text_width(ctx->r, time_text(tk, row, buf, sizeof buf), &ts));
    }
    pill_w = fmin(pill_w, ctx->box.w * 0.25);
    time_w = fmin(time_w, ctx->box.w * 0.25);
    for (size_t s = 0; s < rl.slots; s++) {
        size_t row = rows_row(&rl, s);
        if (row == ROWS_MORE)
            break;
        struct rect sl = rows_slot(&rl, s);
        if (s > 0) { /* a hairline between notices */
            color_set(ctx->cr, ctx->theme->grid);
            cairo_rectangle(ctx->cr, sl.x, sl.y, sl.w, 1);
            cairo_fill(ctx->cr);
        }
        item(tk, true, sl.x, sl.y + sl.h / 2, row, pill_w, time_w, sl.w);
    }
    rows_draw_more(ctx->cr, ctx->r, &rl);
}

/* The columns and text size for draw and hit; false when the box is too
 * small. */
static bool ticker_init(const struct widget_ctx *ctx, struct ticker *tk, size_t *lines)
{
    *tk = (struct ticker){.ctx = ctx, .ct = wcol(ctx, "text"), .ctime = wcol(ctx, "time"),
                          .cl = wcol(ctx, "level")};
    *lines = (size_t)panel_opt_num(ctx->panel, "lines");
    if (ctx->box.w < 60 || ctx->box.h < 20)
        return false;
    tk->size = rows_text_size(fmin(ctx->box.h / (double)(*lines > 1 ? *lines : 1), 48));
    return true;
}

static void draw(const struct widget_ctx *ctx)
{
    struct ticker tk;
    size_t lines;
    if (!ticker_init(ctx, &tk, &lines))
        return;
    if (lines <= 1)
        draw_marquee(&tk);
    else
        draw_list(&tk, lines);
}

/* A notice's row under the point; the separators between them are gaps. */
static int hit(const struct widget_ctx *ctx, double x, double y)
{
    struct ticker tk;
    size_t lines;
    struct rows rl;
    if (!ticker_init(ctx, &tk, &lines))
        return -1;
    if (lines > 1)
        return list_rows(&tk, lines, &rl) ? (int)rows_hit(&rl, x, y) : -1;
    struct rect b = ctx->box;
    struct marquee mq;
    measure_marquee(&tk, &mq, panel_opt_str(ctx->panel, "separator"));
    if (!(mq.cycle > 0) || !rect_contains(b, x, y))
        return -1;
    double xs[MAX_PLACES];
    size_t rows[MAX_PLACES];
    bool moving;
    size_t n = marquee_place(&tk, &mq, &moving, xs, rows);
    for (size_t j = 0; j < n; j++)
        if (x >= xs[j] && x < xs[j] + mq.w[rows[j]] - mq.gap)
            return (int)rows[j];
    return -1;
}

const struct widget_class widget_ticker = {
    .spec = {
        .name = "ticker",
        .title = "Ticker of warnings and notices (滚动公告)",
        .doc = "Latest warnings or notices: a level pill (严重 danger, 一般 warn, 提示 ok, others "
               "neutral), the time and the text. lines = 1 is a marquee moving left at speed "
               "design px/s, computed from the clock so an export is deterministic, wrapping "
               "seamlessly (still when everything fits); lines > 1 lists the first rows — sort "
               "the binding newest first.",
        .needs_data = true,
        .roles = roles,
        .props = props,
        .animated_by = "*",
    },
    .draw = draw,
    .hit = hit,
};
