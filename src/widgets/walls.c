/* Wall cards (大屏状态): one card per wall of the fleet, in a grid: what it
 * shows (its thumbnail), its name, its state as a pill, the scene, the age
 * of its heartbeat and of its data, its last error. A wall that is not in
 * its ok state gets a red frame and pill; one whose thumbnail is missing or
 * not a PNG gets a dark box that says so. */
#include "widgets/widget.h"
#include "render/fmt.h"
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct role_spec roles[] = {
    {"label", true, false, "the wall's name as shown, e.g. its region (禹州市)"},
    {"name", false, false, "its name in the fleet (--wall-name), drawn small"},
    {"image", false, false, "a thumbnail: PNG, base64 (up to 1 MB of text)"},
    {"state", false, false, "the state word in the pill (正常, 离线, 报错, 数据陈旧)"},
    {"caption", false, false, "what it shows (the scene's title)"},
    {"beat_age", false, true, "seconds since its last heartbeat"},
    {"data_age", false, true, "age of its data in seconds"},
    {"error", false, false, "its last error, drawn in red under the card's text"},
    WIDGET_CODE_ROLE,
    {0},
};

static const struct prop_spec props[] = {
    {"columns", PROP_NUMBER, "0", 0, 12, NULL, "cards per row; 0 chooses by the box's shape"},
    {"ok_state", PROP_STRING, "\"正常\"", 0, 0, NULL,
     "the state that is well: any other turns the card red"},
    WIDGET_HIGHLIGHT_PROP,
    {0},
};

#define MAX_IMAGE_TEXT (1 << 20)
#define GAP 16.0
#define TEXT_H 92.0 /* three lines under the thumbnail */

/* The grid: columns and rows for n cards of 16:9 thumbnails in box b. */
static void grid(const struct widget_ctx *ctx, size_t n, size_t *cols, size_t *rows)
{
    struct rect b = ctx->box;
    size_t want = (size_t)panel_opt_num(ctx->panel, "columns");
    if (want == 0) { /* the most columns whose cards' thumbnails still fit in height */
        want = 1;
        double best = 0;
        for (size_t c = 1; c <= n && c <= 12; c++) {
            size_t r = (n + c - 1) / c;
            double cw = (b.w - GAP * (double)(c - 1)) / (double)c;
            double ch = (b.h - GAP * (double)(r - 1)) / (double)r;
            double img = fmin(cw, (ch - TEXT_H) * 16 / 9); /* the thumbnail's width */
            if (img > best)
                best = img, want = c;
        }
    }
    *cols = want;
    *rows = (n + want - 1) / want;
}

/* Card i's rectangle: as tall as its thumbnail (16:9 of its width) and
 * text need, at most its cell; the rows centred in the box. */
static struct rect card(const struct widget_ctx *ctx, size_t n, size_t i)
{
    size_t cols, rows;
    grid(ctx, n, &cols, &rows);
    struct rect b = ctx->box;
    double cw = (b.w - GAP * (double)(cols - 1)) / (double)cols;
    double cell = (b.h - GAP * (double)(rows - 1)) / (double)rows;
    double ch = fmin(cell, (cw - 12) * 9 / 16 + TEXT_H + 14);
    double top = b.y + (b.h - (ch * (double)rows + GAP * (double)(rows - 1))) / 2;
    return (struct rect){b.x + (double)(i % cols) * (cw + GAP),
                         top + (double)(i / cols) * (ch + GAP), cw, ch};
}

struct png_reader {
    const guchar *data;
    gsize len, at;
};

static cairo_status_t png_read(void *cls, unsigned char *out, unsigned len)
{
    struct png_reader *r = cls;
    if (r->len - r->at < len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, r->data + r->at, len);
    r->at += len;
    return CAIRO_STATUS_SUCCESS;
}

/* The thumbnail, or NULL when there is none or it is no PNG. */
static cairo_surface_t *thumbnail(const char *b64)
{
    if (!b64 || !*b64 || strlen(b64) > MAX_IMAGE_TEXT)
        return NULL;
    gsize len = 0;
    guchar *data = g_base64_decode(b64, &len);
    struct png_reader r = {data, len, 0};
    cairo_surface_t *img = len > 8 ? cairo_image_surface_create_from_png_stream(png_read, &r)
                                   : NULL;
    g_free(data);
    if (img && cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        img = NULL;
    }
    return img;
}

/* The thumbnail scaled into box, or a dark box saying there is none. */
static void draw_image(const struct widget_ctx *ctx, struct rect box, size_t row, bool ok)
{
    cairo_t *cr = ctx->cr;
    char buf[32];
    cairo_surface_t *img = thumbnail(wtext(ctx, row, wcol(ctx, "image"), buf, sizeof buf));
    cairo_save(cr);
    cairo_rectangle(cr, box.x, box.y, box.w, box.h);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 0.02, 0.04, 0.08);
    cairo_paint(cr);
    if (img) {
        double iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
        double s = fmin(box.w / iw, box.h / ih);
        cairo_translate(cr, box.x + (box.w - iw * s) / 2, box.y + (box.h - ih * s) / 2);
        cairo_scale(cr, s, s);
        cairo_set_source_surface(cr, img, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
        cairo_paint_with_alpha(cr, ok ? 1.0 : 0.35);
        cairo_surface_destroy(img);
    } else {
        struct text_style ts = wstyle(ctx, false, 16, 400, ctx->theme->muted);
        snprintf(buf, sizeof buf, "无画面");
        text_draw(ctx->r->text, cr, box.x + box.w / 2, box.y + box.h / 2,
                  ANCHOR_CENTER | ANCHOR_MIDDLE, buf, &ts);
    }
    cairo_restore(cr);
}

/* The three lines under the thumbnail: name and pill, caption, ages or error. */
static void draw_text(const struct widget_ctx *ctx, struct rect c, double y, size_t row, bool ok)
{
    const struct theme *t = ctx->theme;
    char lb[128], nb[64], sb[32], cb[160], eb[256], ab[2][32], line[160];
    const char *state = wtext(ctx, row, wcol(ctx, "state"), sb, sizeof sb);
    double right = c.x + c.w - 8;
    if (*state)
        right -= draw_badge(ctx->cr, ctx->r, right, y + 14, state, ok ? t->ok : t->danger,
                            t->badge_text) + 8;
    struct text_style ls = wstyle(ctx, false, 20, 700, ok ? t->text : t->danger);
    ls.max_width = fmax(1, right - c.x - 10);
    double w = text_draw(ctx->r->text, ctx->cr, c.x + 10, y + 14, ANCHOR_LEFT | ANCHOR_MIDDLE,
                         wtext(ctx, row, wcol(ctx, "label"), lb, sizeof lb), &ls);
    struct text_style ns = wstyle(ctx, false, 14, 400, t->muted);
    ns.max_width = right - c.x - 10 - w - 8;
    if (ns.max_width > 24)
        text_draw(ctx->r->text, ctx->cr, c.x + 10 + w + 8, y + 14, ANCHOR_LEFT | ANCHOR_MIDDLE,
                  wtext(ctx, row, wcol(ctx, "name"), nb, sizeof nb), &ns);
    struct text_style cs = wstyle(ctx, false, 16, 400, t->text);
    cs.max_width = fmax(1, c.w - 20);
    text_draw(ctx->r->text, ctx->cr, c.x + 10, y + 42, ANCHOR_LEFT | ANCHOR_MIDDLE,
              wtext(ctx, row, wcol(ctx, "caption"), cb, sizeof cb), &cs);
    const char *error = wtext(ctx, row, wcol(ctx, "error"), eb, sizeof eb);
    int cb_ = wcol(ctx, "beat_age"), cd = wcol(ctx, "data_age");
    snprintf(line, sizeof line, "心跳 %s 前 · 数据 %s",
             fmt_age(ab[0], sizeof ab[0], cb_ >= 0 ? wnum(ctx, row, cb_) : NAN),
             fmt_age(ab[1], sizeof ab[1], cd >= 0 ? wnum(ctx, row, cd) : NAN));
    if (cb_ < 0 && cd < 0)
        line[0] = '\0'; /* neither age bound */
    struct text_style es = wstyle(ctx, false, 14, 400, *error ? t->danger : t->muted);
    es.max_width = fmax(1, c.w - 20);
    text_draw(ctx->r->text, ctx->cr, c.x + 10, y + 68, ANCHOR_LEFT | ANCHOR_MIDDLE,
              *error ? error : line, &es);
}

static void draw(const struct widget_ctx *ctx)
{
    const struct table *d = ctx->data;
    size_t n = d ? d->nrows : 0;
    const char *ok_state = panel_opt_str(ctx->panel, "ok_state");
    char sb[32];
    for (size_t i = 0; i < n; i++) {
        struct rect c = card(ctx, n, i);
        if (c.w < 40 || c.h < TEXT_H + 20)
            break; /* no room: the cards that fit */
        const char *state = wtext(ctx, i, wcol(ctx, "state"), sb, sizeof sb);
        bool ok = !*state || strcmp(state, ok_state) == 0;
        cairo_t *cr = ctx->cr;
        draw_rounded_rect(cr, c.x, c.y, c.w, c.h, 6);
        color_set(cr, ctx->theme->panel_bg);
        cairo_fill_preserve(cr);
        color_set(cr, ok ? ctx->theme->panel_border : ctx->theme->danger);
        cairo_set_line_width(cr, ok ? 1.5 : 3);
        cairo_stroke(cr);
        double img_h = fmin(c.h - TEXT_H - 8, (c.w - 12) * 9 / 16);
        struct rect img = {c.x + (c.w - img_h * 16 / 9) / 2, c.y + 6, img_h * 16 / 9, img_h};
        draw_image(ctx, img, i, ok);
        draw_text(ctx, c, img.y + img.h + 4, i, ok);
        if (whighlight(ctx, i, "label"))
            wdraw_highlight(ctx, c, 6, true);
    }
}

/* The card under a point. */
static int hit(const struct widget_ctx *ctx, double x, double y)
{
    size_t n = ctx->data ? ctx->data->nrows : 0;
    for (size_t i = 0; i < n; i++)
        if (rect_contains(card(ctx, n, i), x, y))
            return (int)i;
    return -1;
}

const struct widget_class widget_walls = {
    .spec = {
        .name = "walls",
        .title = "Wall cards (大屏状态)",
        .doc = "One card per row, in a grid: a thumbnail of what the wall shows, its name and "
               "state as a pill, the scene, the age of its heartbeat and of its data, or its "
               "last error in red. A state other than ok_state draws the card's frame and pill "
               "red and dims the thumbnail. For the fleet table (lotuswall.fleet).",
        .needs_data = true,
        .roles = roles,
        .props = props,
    },
    .draw = draw,
    .hit = hit,
};
