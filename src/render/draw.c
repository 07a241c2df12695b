#include "render/render.h"
#include "util/pool.h"
#include "util/util.h"
#include <math.h>
#include <stdlib.h>

void render_init(struct render *r, const struct theme *theme, int64_t now)
{
    /* every field: callers keep struct render on the stack (selected was left unset) */
    *r = (struct render){.text = text_cache_new(), .theme = theme, .now = now, .red_up = true,
                         .unit_px = 1};
}

void render_finish(struct render *r)
{
    text_cache_destroy(r->text);
    r->text = NULL;
    for (unsigned i = 0; i < r->nworker_text; i++)
        text_cache_destroy(r->worker_text[i]);
    free(r->worker_text);
    r->worker_text = NULL;
    r->nworker_text = 0;
}

/* A font map per thread, not one shared under a lock: Pango's objects are
 * not thread-safe, and a lock around shaping and drawing text would
 * serialise most of a panel's work (docs/performance.md has the measure). */
void render_workers_ready(struct render *r)
{
    unsigned need = pool_size(r->pool) - 1;
    if (r->nworker_text >= need)
        return;
    r->worker_text = xrealloc(r->worker_text, need * sizeof *r->worker_text);
    while (r->nworker_text < need)
        r->worker_text[r->nworker_text++] = text_cache_new();
}

struct render render_worker(const struct render *r, unsigned worker)
{
    struct render w = *r;
    if (worker > 0 && worker <= r->nworker_text)
        w.text = r->worker_text[worker - 1];
    w.worker_text = NULL, w.nworker_text = 0, w.pool = NULL;
    return w;
}

void render_text_frame(struct render *r, unsigned frames)
{
    text_cache_frame(r->text, frames);
    for (unsigned i = 0; i < r->nworker_text; i++)
        text_cache_frame(r->worker_text[i], frames);
}

struct text_style text_style_make(const struct render *r, bool numeric, double size, int weight,
                                  rgba_t color)
{
    struct text_style st = {
        .font = numeric ? r->theme->font_num : r->theme->font,
        .size = size < 14 ? 14 : size, /* nothing smaller than 14 px at 1080p */
        .weight = weight,
        .color = color,
    };
    return st;
}

void draw_rounded_rect(cairo_t *cr, double x, double y, double w, double h, double radius)
{
    double rr = fmin(radius, fmin(w, h) / 2);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - rr, y + rr, rr, -M_PI / 2, 0);
    cairo_arc(cr, x + w - rr, y + h - rr, rr, 0, M_PI / 2);
    cairo_arc(cr, x + rr, y + h - rr, rr, M_PI / 2, M_PI);
    cairo_arc(cr, x + rr, y + rr, rr, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

/* The page's gradient, lit from the top: one linear gradient. A radial
 * "spotlight" looked a little richer but cost 85 ms per 4K frame in pixman:
 * not worth it. Its stops serve the cairo gradient and the rows. */
enum { BG_STOPS = 3 };

static void bg_stops(const struct theme *t, double off[BG_STOPS], rgba_t col[BG_STOPS])
{
    off[0] = 0, col[0] = color_mix(t->bg_top, t->panel_glow, 0.08);
    off[1] = 0.35, col[1] = t->bg_top;
    off[2] = 1, col[2] = t->bg_bottom;
}

void draw_background(cairo_t *cr, const struct render *r, double w, double h)
{
    double off[BG_STOPS];
    rgba_t col[BG_STOPS];
    bg_stops(r->theme, off, col);
    cairo_pattern_t *g = cairo_pattern_create_linear(0, 0, 0, h);
    for (int i = 0; i < BG_STOPS; i++)
        color_add_stop(g, off[i], col[i]);
    cairo_set_source(cr, g);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
}

static uint32_t pixel_of(rgba_t c)
{
    return 0xff000000u | (c >> 8);
}

uint32_t draw_background_pixel(const struct theme *t, double f)
{
    double off[BG_STOPS];
    rgba_t col[BG_STOPS];
    bg_stops(t, off, col);
    if (!(f >= 0 && f <= 1))
        return pixel_of(t->bg_bottom);
    int i = 0;
    while (i + 2 < BG_STOPS && f > off[i + 1])
        i++;
    return pixel_of(color_mix(col[i], col[i + 1], (f - off[i]) / (off[i + 1] - off[i])));
}

#define HEADER_H 40.0 /* the title strip */

struct rect draw_panel_content(struct rect b, const char *title)
{
    if (!title || !*title)
        return rect_inset(b, 14, 12);
    struct rect c = {b.x + 14, b.y + HEADER_H + 10, b.w - 28, b.h - HEADER_H - 20};
    if (c.w < 0)
        c.w = 0;
    if (c.h < 0)
        c.h = 0;
    return c;
}

/* The title strip's texts: the badge (the data's state) at the right end
 * always; the note left of it when the whole title still fits; the title
 * in what is left, shortened with an ellipsis before them. */
static void draw_strip_texts(cairo_t *cr, struct render *r, struct rect b, const char *title,
                             const char *note, const char *badge)
{
    const struct theme *t = r->theme;
    double mid = b.y + 1 + HEADER_H / 2, right = b.x + b.w - 12;
    if (badge && *badge)
        right = b.x + b.w - 10 -
                draw_badge(cr, r, b.x + b.w - 10, mid, badge, t->badge_bg, t->badge_text) - 4;
    double avail = right - (b.x + 16) - 12; /* the title's room, before the note */
    struct text_style st = text_style_make(r, false, 20, 700, t->title);
    double title_w, note_w = 0, h;
    text_measure(r->text, title, &st, &title_w, &h);
    if (note && *note) {
        struct text_style ns = text_style_make(r, false, 14, 400, t->muted);
        text_measure(r->text, note, &ns, &note_w, &h);
        bool fits = note_w <= avail - title_w - 16;
        if (fits)
            text_draw(r->text, cr, right, mid, ANCHOR_RIGHT | ANCHOR_MIDDLE, note, &ns);
        note_w = fits ? note_w + 16 : 0;
    }
    st.max_width = fmax(avail - note_w, 1);
    text_draw(r->text, cr, b.x + 16, mid, ANCHOR_LEFT | ANCHOR_MIDDLE, title, &st);
}

struct rect draw_panel_frame(cairo_t *cr, struct render *r, struct rect b, const char *title,
                             const char *note, const char *badge)
{
    const struct theme *t = r->theme;
    double lw = fmax(1.0 / r->unit_px, 1.0);
    /* body */
    draw_rounded_rect(cr, b.x, b.y, b.w, b.h, 4);
    color_set(cr, t->panel_bg);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, lw);
    color_set(cr, t->panel_border);
    cairo_stroke(cr);
    /* corner accents */
    double k = fmin(16, fmin(b.w, b.h) / 4);
    color_set(cr, t->header_accent);
    cairo_set_line_width(cr, 2 * lw);
    double cx[4] = {b.x, b.x + b.w, b.x, b.x + b.w}, cy[4] = {b.y, b.y, b.y + b.h, b.y + b.h};
    for (int i = 0; i < 4; i++) {
        double sx = i % 2 ? -1 : 1, sy = i / 2 ? -1 : 1;
        cairo_move_to(cr, cx[i], cy[i] + sy * k);
        cairo_line_to(cr, cx[i], cy[i]);
        cairo_line_to(cr, cx[i] + sx * k, cy[i]);
    }
    cairo_stroke(cr);
    if (!title || !*title)
        return draw_panel_content(b, title);

    double hh = HEADER_H;
    cairo_pattern_t *g = cairo_pattern_create_linear(b.x, 0, b.x + b.w, 0);
    color_add_stop(g, 0, t->header_bg);
    color_add_stop(g, 0.7, t->header_bg & 0xffffff00);
    cairo_set_source(cr, g);
    cairo_rectangle(cr, b.x + 1, b.y + 1, b.w - 2, hh);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
    color_set(cr, t->header_accent);
    cairo_rectangle(cr, b.x + 1, b.y + 8, 4, hh - 16);
    cairo_fill(cr);
    draw_strip_texts(cr, r, b, title, note, badge);
    return draw_panel_content(b, title);
}

double draw_badge(cairo_t *cr, struct render *r, double x_right, double y_mid, const char *text,
                  rgba_t bg, rgba_t fg)
{
    struct text_style st = text_style_make(r, false, 14, 700, fg);
    double w, h;
    text_measure(r->text, text, &st, &w, &h);
    double bw = w + 20, bh = 24;
    draw_rounded_rect(cr, x_right - bw, y_mid - bh / 2, bw, bh, bh / 2);
    color_set(cr, bg);
    cairo_fill(cr);
    text_draw(r->text, cr, x_right - bw / 2, y_mid, ANCHOR_CENTER | ANCHOR_MIDDLE, text, &st);
    return bw;
}

void draw_placeholder(cairo_t *cr, struct render *r, struct rect b, const char *headline,
                      const char *detail)
{
    const struct theme *t = r->theme;
    if (b.w < 40 || b.h < 30)
        return;
    struct rect in = rect_inset(b, fmin(20, b.w / 10), fmin(16, b.h / 10));
    draw_rounded_rect(cr, in.x, in.y, in.w, in.h, 6);
    double dash[] = {6, 6};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 1.5);
    color_set_alpha(cr, t->muted, 0.6);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    struct text_style st = text_style_make(r, false, 20, 700, t->muted);
    st.max_width = in.w - 20;
    double cy = in.y + in.h / 2;
    text_draw(r->text, cr, in.x + in.w / 2, detail ? cy - 4 : cy,
              ANCHOR_CENTER | (detail ? ANCHOR_BOTTOM : ANCHOR_MIDDLE), headline, &st);
    if (detail && in.h > 70) {
        struct text_style sd = text_style_make(r, false, 14, 400, t->muted);
        sd.max_width = in.w - 20;
        text_draw(r->text, cr, in.x + in.w / 2, cy + 4, ANCHOR_CENTER | ANCHOR_TOP, detail, &sd);
    }
}

void draw_watermark(cairo_t *cr, struct render *r, double w, double h, const char *text)
{
    struct text_style st = text_style_make(r, false, 40, 700, (r->theme->muted & 0xffffff00) | 0x30);
    double tw, th;
    text_measure(r->text, text, &st, &tw, &th);
    double step_x = tw + 260, step_y = th + 220;
    for (double y = -h * 0.2; y < h * 1.2; y += step_y) {
        for (double x = -w * 0.2 + fmod(y, step_x / 2); x < w * 1.2; x += step_x) {
            cairo_save(cr);
            cairo_translate(cr, x, y);
            cairo_rotate(cr, -M_PI / 8);
            text_draw(r->text, cr, 0, 0, ANCHOR_CENTER | ANCHOR_MIDDLE, text, &st);
            cairo_restore(cr);
        }
    }
}

void draw_arrow(cairo_t *cr, double x, double y, double h, bool up)
{
    double w = h * 0.9;
    if (up) {
        cairo_move_to(cr, x, y - h / 2);
        cairo_line_to(cr, x + w / 2, y + h / 2);
        cairo_line_to(cr, x - w / 2, y + h / 2);
    } else {
        cairo_move_to(cr, x, y + h / 2);
        cairo_line_to(cr, x + w / 2, y - h / 2);
        cairo_line_to(cr, x - w / 2, y - h / 2);
    }
    cairo_close_path(cr);
    cairo_fill(cr);
}

size_t image_count_diff(cairo_surface_t *a, cairo_surface_t *b, int levels, cairo_surface_t *diff)
{
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b))
        return (size_t)w * (size_t)h;
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    const unsigned char *pa = cairo_image_surface_get_data(a), *pb = cairo_image_surface_get_data(b);
    unsigned char *pd = diff ? cairo_image_surface_get_data(diff) : NULL;
    int sd = diff ? cairo_image_surface_get_stride(diff) : 0;
    size_t n = 0;
    for (int y = 0; y < h; y++) {
        const uint32_t *ra = (const uint32_t *)(pa + (size_t)y * (size_t)sa);
        const uint32_t *rb = (const uint32_t *)(pb + (size_t)y * (size_t)sb);
        uint32_t *rd = pd ? (uint32_t *)(pd + (size_t)y * (size_t)sd) : NULL;
        for (int x = 0; x < w; x++) {
            bool off = false;
            for (int sh = 0; sh < 24; sh += 8) {
                int d = (int)((ra[x] >> sh) & 0xff) - (int)((rb[x] >> sh) & 0xff);
                off |= d > levels || d < -levels;
            }
            n += off;
            if (rd) {
                uint32_t g = (((rb[x] >> 16) & 0xff) + ((rb[x] >> 8) & 0xff) + (rb[x] & 0xff)) / 9;
                rd[x] = off ? 0xffff2020u : 0xff000000u | g << 16 | g << 8 | g;
            }
        }
    }
    if (diff)
        cairo_surface_mark_dirty(diff);
    return n;
}
