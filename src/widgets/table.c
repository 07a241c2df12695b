/* Table / list (滚动表格): a header row over zebra rows, up to eight columns
 * and an optional status column drawn as coloured pills (进度滞后 in the
 * danger colour, 在建 in warn, 已竣工 in ok). On a wall a long table scrolls
 * one row every scroll_seconds, a pure function of the clock. */
#include "render/rows.h"
#include "util/util.h"
#include "widgets/widget.h"
#include <math.h>
#include <string.h>

#define MAX_COLS 9      /* col1..col8 and the status */
#define CELL_PAD 10     /* left and right of a cell's text */

static const char *const col_roles[] = {"col1", "col2", "col3", "col4",
                                        "col5", "col6", "col7", "col8"};

static const struct role_spec roles[] = {
    {"col1", true, false, "first column (any type)"},
    {"col2", false, false, "column 2"},
    {"col3", false, false, "column 3"},
    {"col4", false, false, "column 4"},
    {"col5", false, false, "column 5"},
    {"col6", false, false, "column 6"},
    {"col7", false, false, "column 7"},
    {"col8", false, false, "column 8"},
    {"status", false, false,
     "status text, the last column, drawn as a pill coloured by its words (滞后/超期/预警/严重 "
     "danger, 在建/处理中 warn, 已竣工/已办结/正常 ok)"},
    {"key", false, false,
     "identifies the row, not drawn: on a wall, the row whose key the operator selected (a "
     "warning id, keys ↑/↓) is outlined, and a scrolling table holds still with it on top"},
    {0},
};

static const struct prop_spec props[] = {
    {"headers", PROP_STRINGS, "[]", 0, 0, NULL,
     "header of each drawn column in order (col1.., then status); default: the source column"},
    {"widths", PROP_NUMBERS, "[]", 0, 1000, NULL,
     "relative column widths in the same order; default: by content"},
    {"align", PROP_STRINGS, "[]", 0, 0, NULL,
     "left|center|right per column; default: numbers right, text left, status centre"},
    {"rows", PROP_INT, "0", 0, 100, NULL, "visible rows, filling the height; 0 = as many as fit"},
    {"scroll", PROP_BOOL, "false", 0, 0, NULL,
     "when there are more rows than fit, advance one row every scroll_seconds, wrapping around"},
    {"scroll_seconds", PROP_INT, "3", 1, 3600, NULL, "seconds per scroll step"},
    WIDGET_HIGHLIGHT_PROP,
    {0},
};

struct tcol {
    int c;              /* column in ctx->data */
    const char *role;
    bool numeric, status;
    int align;          /* ANCHOR_LEFT/CENTER/RIGHT */
    double x, w;        /* position and width in the content box */
};

struct cols {
    struct tcol col[MAX_COLS];
    size_t n;
    double size;        /* text size of the cells */
    double head_size;   /* of the header: a little smaller, it is read once */
};

/* The drawn text of a cell: formatted numbers, "—" for missing ones. */
static const char *cell_text(const struct widget_ctx *ctx, const struct tcol *tc, size_t row,
                             char *buf, size_t len)
{
    if (tc->numeric)
        return wfmt(ctx, tc->role, wnum(ctx, row, tc->c), buf, len);
    char raw[64]; /* a number in a text column is written here */
    const char *s = wtime(ctx, tc->role, wtext(ctx, row, tc->c, raw, sizeof raw), buf, len);
    if (s != raw)
        return s;
    snprintf(buf, len, "%s", raw);
    return buf;
}

/* The option's i-th header, else the source column bound to the role. */
static const char *header_text(const struct widget_ctx *ctx, const struct tcol *tc, size_t i)
{
    const char *h = json_string_value(json_array_get(panel_opt_json(ctx->panel, "headers"), i));
    if (h)
        return h;
    const struct query *q = &ctx->panel->query;
    for (size_t k = 0; k < q->nfields; k++)
        if (strcmp(q->fields[k].role, tc->role) == 0)
            return q->fields[k].column;
    return tc->role;
}

static int parse_align(const char *s, int def)
{
    if (!s)
        return def;
    if (strcmp(s, "left") == 0)
        return ANCHOR_LEFT;
    if (strcmp(s, "center") == 0)
        return ANCHOR_CENTER;
    if (strcmp(s, "right") == 0)
        return ANCHOR_RIGHT;
    return def;
}

/* The bound columns in order, the status last, with their alignment. */
static void collect_columns(const struct widget_ctx *ctx, struct cols *g)
{
    json_t *align = panel_opt_json(ctx->panel, "align");
    for (size_t i = 0; i <= ARRAY_LEN(col_roles); i++) {
        bool status = i == ARRAY_LEN(col_roles);
        const char *role = status ? "status" : col_roles[i];
        int c = wcol(ctx, role);
        if (c < 0)
            continue;
        struct tcol *tc = &g->col[g->n];
        *tc = (struct tcol){.c = c, .role = role, .status = status};
        tc->numeric = !status && ctx->data->cols[c].type == COL_NUMBER;
        int def = status ? ANCHOR_CENTER : tc->numeric ? ANCHOR_RIGHT : ANCHOR_LEFT;
        tc->align = parse_align(json_string_value(json_array_get(align, g->n)), def);
        g->n++;
    }
}

/* The widest of the header and the first rows' cells, padding included. */
static double natural_width(const struct widget_ctx *ctx, const struct cols *g,
                            const struct tcol *tc, size_t i)
{
    struct text_style hs = wstyle(ctx, false, g->head_size, 700, 0);
    struct text_style cs = wstyle(ctx, tc->numeric, g->size, 400, 0);
    double best = rows_text_width(ctx->r, header_text(ctx, tc, i), &hs);
    size_t n = ctx->data->nrows < ROWS_MEASURE ? ctx->data->nrows : ROWS_MEASURE;
    char buf[256];
    for (size_t r = 0; r < n; r++) {
        const char *s = cell_text(ctx, tc, r, buf, sizeof buf);
        best = fmax(best, tc->status ? rows_pill_width(ctx->r, s, g->size)
                                     : rows_text_width(ctx->r, s, &cs));
    }
    return best + 2 * CELL_PAD;
}

/* The widest a text column may be so that all columns fit in `room`: the
 * widest text columns give way first, short ones (dates, codes) keep their
 * natural width. Returns 0 when even that is not enough. */
static double text_cap(const struct cols *g, const double *nat, double room)
{
    double lo = 0, hi = room;
    for (int it = 0; it < 40; it++) {
        double cap = (lo + hi) / 2, sum = 0;
        for (size_t i = 0; i < g->n; i++)
            sum += g->col[i].numeric || g->col[i].status ? nat[i] : fmin(nat[i], cap);
        if (sum > room)
            hi = cap;
        else
            lo = cap;
    }
    return lo >= 3 * g->size ? lo : 0;
}

/* Column widths: the `widths` option as relative weights, else the natural
 * widths — spread over the box when they fit, else with the widest text
 * columns ellipsized, else all scaled down alike. */
static void layout_columns(const struct widget_ctx *ctx, struct cols *g, struct rect box)
{
    json_t *widths = panel_opt_json(ctx->panel, "widths");
    double nat[MAX_COLS], total = 0;
    bool weighted = json_array_size(widths) >= g->n;
    for (size_t i = 0; i < g->n && weighted; i++) {
        nat[i] = json_number_value(json_array_get(widths, i));
        total += nat[i];
    }
    if (!(total > 0)) { /* no usable weights (all 0): by content, but one
                           * runaway cell may not claim the whole table */
        weighted = false;
        total = 0;
        for (size_t i = 0; i < g->n; i++)
            total += nat[i] = fmin(natural_width(ctx, g, &g->col[i], i), box.w * 0.4);
    }
    double cap = !weighted && total > box.w ? text_cap(g, nat, box.w) : 0;
    double x = box.x;
    for (size_t i = 0; i < g->n; i++) {
        struct tcol *tc = &g->col[i];
        if (cap > 0)
            tc->w = tc->numeric || tc->status ? nat[i] : fmin(nat[i], cap);
        else
            tc->w = nat[i] / total * box.w;
        tc->x = x;
        x += tc->w;
    }
}

static double anchor_x(const struct tcol *tc)
{
    switch (tc->align) {
    case ANCHOR_CENTER: return tc->x + tc->w / 2;
    case ANCHOR_RIGHT: return tc->x + tc->w - CELL_PAD;
    default: return tc->x + CELL_PAD;
    }
}

static void draw_header(const struct widget_ctx *ctx, const struct cols *g, struct rect hb)
{
    const struct theme *t = ctx->theme;
    cairo_t *cr = ctx->cr;
    color_set_alpha(cr, t->header_bg, 0.75);
    cairo_rectangle(cr, hb.x, hb.y, hb.w, hb.h);
    cairo_fill(cr);
    color_set(cr, t->header_accent);
    cairo_rectangle(cr, hb.x, hb.y + hb.h - 1.5, hb.w, 1.5);
    cairo_fill(cr);
    for (size_t i = 0; i < g->n; i++) {
        const struct tcol *tc = &g->col[i];
        struct text_style hs = wstyle(ctx, false, g->head_size, 700, t->title);
        hs.max_width = fmax(0, tc->w - 2 * CELL_PAD);
        if (hs.max_width >= 14)
            text_draw(ctx->r->text, cr, anchor_x(tc), hb.y + hb.h / 2,
                      tc->align | ANCHOR_MIDDLE, header_text(ctx, tc, i), &hs);
    }
}

static void draw_row(const struct widget_ctx *ctx, const struct cols *g, struct rect sl,
                     size_t row, bool selected)
{
    const struct theme *t = ctx->theme;
    if (row % 2) { /* zebra by data row, so the stripes travel with the rows */
        color_set_alpha(ctx->cr, t->header_bg, 0.28);
        cairo_rectangle(ctx->cr, sl.x, sl.y, sl.w, sl.h);
        cairo_fill(ctx->cr);
    }
    if (selected) { /* the operator's selection: tinted and outlined in the accent colour */
        draw_rounded_rect(ctx->cr, sl.x + 1, sl.y + 1, sl.w - 2, sl.h - 2, 4);
        color_set_alpha(ctx->cr, t->header_accent, 0.16);
        cairo_fill_preserve(ctx->cr);
        color_set(ctx->cr, t->header_accent);
        cairo_set_line_width(ctx->cr, 2);
        cairo_stroke(ctx->cr);
    }
    char buf[512];
    double y = sl.y + sl.h / 2;
    for (size_t i = 0; i < g->n; i++) {
        const struct tcol *tc = &g->col[i];
        const char *s = cell_text(ctx, tc, row, buf, sizeof buf);
        double room = tc->w - 2 * CELL_PAD;
        if (tc->status) {
            rgba_t c = rows_status_color(t, rows_status_of(s));
            rows_draw_pill(ctx->cr, ctx->r, anchor_x(tc), y, tc->align, s, c, g->size,
                           tc->w - 8);
            continue;
        }
        struct text_style cs = wstyle(ctx, tc->numeric, g->size, i == 0 ? 500 : 400,
                                      i == 0 ? t->title : tc->numeric ? t->value : t->text);
        if (tc->numeric && rows_text_width(ctx->r, s, &cs) > room) /* "12…" would read as 12 */
            s = "…";
        cs.max_width = room;
        if (room >= 14)
            text_draw(ctx->r->text, ctx->cr, anchor_x(tc), y, tc->align | ANCHOR_MIDDLE, s, &cs);
    }
}

/* The header's height and the rows under it, for draw and hit alike; a
 * scrolling list holds still with the operator's selection on top. False
 * when nothing fits. */
static bool table_rows(const struct widget_ctx *ctx, double *head_h, struct rows *rl)
{
    const struct panel *p = ctx->panel;
    struct rect b = ctx->box;
    size_t want = (size_t)panel_opt_num(p, "rows");
    /* rows given: they share the height with the header; else ~40 px rows */
    double pitch = want ? b.h / (double)(want + 1) : 40;
    *head_h = fmax(26, fmin(44, pitch));
    if (b.h < *head_h + 24 || b.w < 60)
        return false;
    struct rect body = {b.x, b.y + *head_h, b.w, b.h - *head_h};
    if (!want)
        want = (size_t)fmax(1, floor(body.h / 40));
    rows_layout(rl, body, ctx->data->nrows, want, 24, b.h, ctx->r->now,
                panel_opt_bool(p, "scroll") ? (int)panel_opt_num(p, "scroll_seconds") : 0);
    int key = ctx->r->selected ? wcol(ctx, "key") : -1;
    for (size_t row = 0; key >= 0 && rl->scrolling && row < ctx->data->nrows; row++) {
        const char *k = table_text(ctx->data, row, (size_t)key);
        if (k && strcmp(k, ctx->r->selected) == 0)
            rl->first = row; /* the selection holds the list still, its row on top */
    }
    return rl->slots > 0;
}

static void draw(const struct widget_ctx *ctx)
{
    struct rect b = ctx->box;
    double head_h;
    struct rows rl;
    if (!table_rows(ctx, &head_h, &rl))
        return;

    struct cols g = {.size = rows_text_size(fmin(rl.pitch, 48))};
    g.head_size = fmin(g.size, rows_text_size(head_h) * 0.9);
    collect_columns(ctx, &g);
    layout_columns(ctx, &g, b);
    draw_header(ctx, &g, (struct rect){b.x, b.y, b.w, head_h});
    int key = ctx->r->selected ? wcol(ctx, "key") : -1;
    const char *label = wcol(ctx, "key") >= 0 ? "key" : "col1";
    for (size_t s = 0; s < rl.slots; s++) {
        size_t row = rows_row(&rl, s);
        if (row == ROWS_MORE)
            break;
        const char *k = key >= 0 ? table_text(ctx->data, row, (size_t)key) : NULL;
        draw_row(ctx, &g, rows_slot(&rl, s), row, k && strcmp(k, ctx->r->selected) == 0);
        if (whighlight(ctx, row, label))
            wdraw_highlight(ctx, rows_slot(&rl, s), 4, true);
        rows_draw_wrap(ctx->cr, ctx->r, &rl, s);
    }
    rows_draw_more(ctx->cr, ctx->r, &rl);
    rows_draw_scrollbar(ctx->cr, ctx->r, &rl);
}

static int hit(const struct widget_ctx *ctx, double x, double y)
{
    double head_h;
    struct rows rl;
    return table_rows(ctx, &head_h, &rl) ? (int)rows_hit(&rl, x, y) : -1;
}

const struct widget_class widget_table = {
    .spec = {
        .name = "table",
        .title = "Table / scrolling list (滚动表格)",
        .doc = "A header row over zebra rows: columns col1..col8 in order (numbers formatted with "
               "the column's format and right-aligned), and a status column drawn as coloured "
               "pills. A long table shows \"… 另有 N 项\", or with scroll advances one row every "
               "scroll_seconds, wrapping around.",
        .needs_data = true,
        .roles = roles,
        .props = props,
        .animated_by = "scroll",
        .clock_phase = wscroll_phase,
    },
    .draw = draw,
    .hit = hit,
};
