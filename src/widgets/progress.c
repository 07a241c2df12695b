/* Progress bars (进度条), e.g. key projects' annual investment completion:
 * a name, a track with the completed part, the percentage right-aligned,
 * and optionally a status pill and a note. Tall rows put the name and pill
 * above the bar; short rows put everything on one line. */
#include "render/rows.h"
#include "widgets/widget.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct role_spec roles[] = {
    {"label", true, false, "name of the item"},
    {"value", true, true, "progress; value / max is the filled fraction"},
    {"max", false, true, "the 100% mark per row; default: the max option"},
    {"status", false, false, "status text, drawn as a pill coloured by its words"},
    {"extra", false, false, "a short note beside the status (two-line rows only)"},
    WIDGET_CODE_ROLE,
    {0},
};

static const struct prop_spec props[] = {
    {"max", PROP_NUMBER, "100", 1e-9, 1e15, NULL, "the 100% mark when no max role is bound"},
    {"rows", PROP_INT, "0", 0, 100, NULL, "bars shown; 0 = as many as fit"},
    {"unit", PROP_STRING, "\"%\"", 0, 0, NULL,
     "\"%\": show value / max as a percentage; anything else: the value with this unit"},
    {"show_values", PROP_BOOL, "false", 0, 0, NULL,
     "also show \"value/max\" before the percentage"},
    WIDGET_HIGHLIGHT_PROP,
    {0},
};

#define TWO_LINE_PITCH 50 /* rows at least this tall get the name above the bar */
#define DANGER_FRACTION 0.6

struct bars {
    const struct widget_ctx *ctx;
    int cl, cv, cm, cs, ce;
    double max;              /* the max option */
    const char *unit;
    bool percent, show_values;
    double size;             /* text size */
    double label_w;          /* the widest name */
    double num_w, pill_w;    /* right columns: the number, the status pill */
};

/* The row's 100% mark: the max role when bound, else the option. A bad or
 * zero max gives NaN — no fraction — rather than a made-up one. */
static double row_max(const struct bars *pb, size_t row)
{
    if (pb->cm < 0)
        return pb->max;
    double m = wnum(pb->ctx, row, pb->cm);
    return isfinite(m) && m > 0 ? m : NAN;
}

/* "112.0%", or the value with its unit; with show_values "24.7/22.6" first. */
static const char *number_text(const struct bars *pb, size_t row, char *buf, size_t len)
{
    const struct widget_ctx *ctx = pb->ctx;
    double v = wnum(ctx, row, pb->cv), m = row_max(pb, row);
    char num[64], pair[160] = "";
    if (pb->show_values && isfinite(v)) {
        char a[64], b[64];
        snprintf(pair, sizeof pair, "%s/%s  ", wfmt(ctx, "value", v, a, sizeof a),
                 wfmt(ctx, "max", m, b, sizeof b));
    }
    /* a share computed here gets one decimal; a value that is already the
     * percentage keeps its own format */
    bool computed = pb->percent && (pb->cm >= 0 || pb->max != 100);
    double shown = computed ? v / m * 100 : v;
    struct numfmt share = NUMFMT_INIT;
    fmt_number(num, sizeof num, shown, computed ? &share : panel_format(ctx->panel, "value"));
    snprintf(buf, len, "%s%s%s", pair, num, isfinite(shown) ? pb->unit : "");
    return buf;
}

static void measure(struct bars *pb)
{
    const struct widget_ctx *ctx = pb->ctx;
    struct text_style ns = wstyle(ctx, true, pb->size, 700, 0);
    struct text_style ls = wstyle(ctx, false, pb->size, 400, 0);
    char buf[256];
    size_t n = ctx->data->nrows < ROWS_MEASURE ? ctx->data->nrows : ROWS_MEASURE;
    struct render *r = ctx->r;
    for (size_t i = 0; i < n; i++) {
        pb->num_w = fmax(pb->num_w, rows_text_width(r, number_text(pb, i, buf, sizeof buf), &ns));
        pb->label_w = fmax(pb->label_w, rows_text_width(r, wtext(ctx, i, pb->cl, buf, sizeof buf),
                                                        &ls));
        if (pb->cs >= 0)
            pb->pill_w = fmax(pb->pill_w, rows_pill_width(r, wtext(ctx, i, pb->cs, buf, sizeof buf),
                                                          pb->size));
    }
}

/* Thresholds compare what is shown: the percentage, or the value itself when
 * the unit is not "%"; without them, below 60% of max is the danger colour. */
static rgba_t bar_color(const struct bars *pb, double v, double frac)
{
    const struct theme *t = pb->ctx->theme;
    rgba_t base = frac < DANGER_FRACTION ? t->danger : t->value;
    return panel_threshold_color(pb->ctx->panel, pb->percent ? frac * 100 : v, base);
}

/* Track and fill over `tr`; overshoot fills the whole track. */
static void draw_fill(const struct bars *pb, struct rect tr, size_t row)
{
    const struct widget_ctx *ctx = pb->ctx;
    rows_draw_track(ctx->cr, ctx->theme, tr);
    double v = wnum(ctx, row, pb->cv);
    double frac = v / row_max(pb, row);
    if (!isfinite(frac) || frac <= 0)
        return;
    struct rect fill = tr;
    fill.w = tr.w * fmin(frac, 1);
    rows_draw_bar(ctx->cr, fill, bar_color(pb, v, frac), false);
}

/* Status pill right-aligned at `right`; returns the x left of it. */
static double draw_status(const struct bars *pb, double right, double y, size_t row, double room)
{
    if (pb->cs < 0)
        return right;
    char buf[256];
    const char *s = wtext(pb->ctx, row, pb->cs, buf, sizeof buf);
    rgba_t c = rows_status_color(pb->ctx->theme, rows_status_of(s));
    double w = rows_draw_pill(pb->ctx->cr, pb->ctx->r, right, y, ANCHOR_RIGHT, s, c, pb->size,
                              room);
    return w > 0 ? right - w - 10 : right;
}

static void draw_label(const struct bars *pb, double x, double y, double room, size_t row)
{
    char buf[512];
    struct text_style ls = wstyle(pb->ctx, false, pb->size, 400, pb->ctx->theme->text);
    ls.max_width = room;
    if (room >= pb->size)
        text_draw(pb->ctx->r->text, pb->ctx->cr, x, y, ANCHOR_LEFT | ANCHOR_MIDDLE,
                  wtext(pb->ctx, row, pb->cl, buf, sizeof buf), &ls);
}

static void draw_number(const struct bars *pb, double right, double y, size_t row)
{
    char buf[256];
    double v = wnum(pb->ctx, row, pb->cv);
    rgba_t c = isfinite(v) ? bar_color(pb, v, v / row_max(pb, row)) : pb->ctx->theme->muted;
    struct text_style ns = wstyle(pb->ctx, true, pb->size, 700, c);
    text_draw(pb->ctx->r->text, pb->ctx->cr, right, y, ANCHOR_RIGHT | ANCHOR_MIDDLE,
              number_text(pb, row, buf, sizeof buf), &ns);
}

/* Name, note and pill on top; the bar and the number below. */
static void draw_two_line(const struct bars *pb, struct rect sl, size_t row)
{
    double right = sl.x + sl.w;
    double y1 = sl.y + sl.h * 0.32, y2 = sl.y + sl.h * 0.72;
    double x = draw_status(pb, right, y1, row, sl.w * 0.4);
    char buf[256];
    const char *extra = wtext(pb->ctx, row, pb->ce, buf, sizeof buf);
    if (*extra) {
        struct text_style es = wstyle(pb->ctx, false, 14, 400, pb->ctx->theme->muted);
        es.max_width = (x - sl.x) * 0.4;
        if (es.max_width > 30)
            x -= text_draw(pb->ctx->r->text, pb->ctx->cr, x, y1, ANCHOR_RIGHT | ANCHOR_MIDDLE,
                           extra, &es) + 12;
    }
    draw_label(pb, sl.x, y1, x - sl.x, row);
    double bar_h = fmax(6, fmin(12, sl.h * 0.16));
    double track_w = sl.w - pb->num_w - 14;
    if (track_w > 30)
        draw_fill(pb, (struct rect){sl.x, y2 - bar_h / 2, track_w, bar_h}, row);
    draw_number(pb, right, y2, row);
}

/* Name | bar | number | pill, in columns. */
static void draw_one_line(const struct bars *pb, struct rect sl, size_t row, double label_w)
{
    double y = sl.y + sl.h / 2, right = sl.x + sl.w;
    double pill_room = fmin(pb->pill_w, sl.w * 0.25);
    if (pb->cs >= 0)
        draw_status(pb, right, y, row, pill_room);
    double num_right = right - (pb->cs >= 0 ? pill_room + 12 : 0);
    draw_number(pb, num_right, y, row);
    label_w = fmin(label_w, num_right - pb->num_w - 12 - sl.x); /* never under the number */
    draw_label(pb, sl.x, y, label_w, row);
    double bar_x = sl.x + label_w + 12, bar_w = num_right - pb->num_w - 12 - bar_x;
    double bar_h = fmax(6, fmin(12, sl.h * 0.3));
    if (bar_w > 30)
        draw_fill(pb, (struct rect){bar_x, y - bar_h / 2, bar_w, bar_h}, row);
}

/* The rows, for draw and hit alike. False when none fits. */
static bool progress_rows(const struct widget_ctx *ctx, struct rows *rl)
{
    size_t want = (size_t)panel_opt_num(ctx->panel, "rows");
    /* fill: every row when each gets a comfortable one-liner, else as many as do */
    if (!want && (double)ctx->data->nrows * 36 > ctx->box.h)
        want = (size_t)fmax(1, floor(ctx->box.h / 36));
    rows_layout(rl, ctx->box, ctx->data->nrows, want, 26, 80, ctx->r->now, 0);
    return rl->slots > 0;
}

static void draw(const struct widget_ctx *ctx)
{
    const struct panel *p = ctx->panel;
    struct bars pb = {
        .ctx = ctx, .cl = wcol(ctx, "label"), .cv = wcol(ctx, "value"), .cm = wcol(ctx, "max"),
        .cs = wcol(ctx, "status"), .ce = wcol(ctx, "extra"), .max = panel_opt_num(p, "max"),
        .unit = panel_opt_str(p, "unit"), .show_values = panel_opt_bool(p, "show_values"),
    };
    pb.percent = strcmp(pb.unit, "%") == 0;
    if (!(pb.max > 0))
        pb.max = 100;
    struct rows rl;
    if (!progress_rows(ctx, &rl))
        return;
    bool two_line = rl.pitch >= TWO_LINE_PITCH;
    pb.size = two_line ? fmax(14, fmin(20, rl.pitch * 0.3)) : rows_text_size(rl.pitch);
    measure(&pb);
    double label_w = fmin(pb.label_w, ctx->box.w * 0.4);
    for (size_t s = 0; s < rl.slots; s++) {
        size_t row = rows_row(&rl, s);
        if (row == ROWS_MORE)
            break;
        struct rect sl = rows_slot(&rl, s);
        if (whighlight(ctx, row, "label"))
            wdraw_highlight(ctx, sl, 4, true);
        if (two_line)
            draw_two_line(&pb, sl, row);
        else
            draw_one_line(&pb, sl, row, label_w);
    }
    rows_draw_more(ctx->cr, ctx->r, &rl);
}

static int hit(const struct widget_ctx *ctx, double x, double y)
{
    struct rows rl;
    return progress_rows(ctx, &rl) ? (int)rows_hit(&rl, x, y) : -1;
}

const struct widget_class widget_progress = {
    .spec = {
        .name = "progress",
        .title = "Progress bars (进度条)",
        .doc = "One bar per row: name, a track filled to value / max (the danger colour below "
               "60% unless thresholds, which compare the shown percentage, say otherwise), the "
               "percentage right-aligned — values "
               "over max fill the bar and show the real number, e.g. 112.0% — and optional "
               "status pill and note. Tall rows put the name above the bar.",
        .needs_data = true,
        .roles = roles,
        .props = props,
    },
    .draw = draw,
    .hit = hit,
};
