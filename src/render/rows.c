#include "render/rows.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- layout --------------------------------------------------------------- */

int64_t rows_scroll_step(int64_t now, int scroll_s)
{
    return now / scroll_s;
}

void rows_layout(struct rows *rl, struct rect box, size_t total, size_t want, double min_h,
                 double max_h, int64_t now, int scroll_s)
{
    memset(rl, 0, sizeof *rl);
    rl->box = box;
    rl->total = total;
    if (total == 0 || !(box.h >= min_h) || box.w <= 0 || min_h <= 0)
        return;
    size_t fit = (size_t)fmin(box.h / min_h, 10000);
    size_t n = want ? want : total;
    if (n > fit)
        n = fit;
    if (total <= n) {
        n = total;
    } else if (scroll_s > 0) {
        /* whole steps of the clock: the same `now` always shows the same rows */
        int64_t step = rows_scroll_step(now, scroll_s);
        int64_t m = step % (int64_t)total;
        rl->first = (size_t)(m < 0 ? m + (int64_t)total : m);
        rl->scrolling = true;
    } else if (n >= 3) {
        rl->hidden = total - (n - 1); /* the last slot says so */
    }
    rl->slots = n;
    /* a requested row count keeps its pitch even when fewer rows are present,
     * so a short list does not stretch into giant rows */
    double share = box.h / (double)(want && want < fit ? want : n);
    rl->pitch = fmin(share, max_h > 0 ? max_h : share);
    rl->box.h = rl->pitch * (double)n;
}

struct rect rows_slot(const struct rows *rl, size_t slot)
{
    return (struct rect){rl->box.x, rl->box.y + (double)slot * rl->pitch, rl->box.w, rl->pitch};
}

size_t rows_row(const struct rows *rl, size_t slot)
{
    if (rl->hidden && slot + 1 == rl->slots)
        return ROWS_MORE;
    return rl->total ? (rl->first + slot) % rl->total : 0;
}

long rows_hit(const struct rows *rl, double x, double y)
{
    if (!rl->slots || !(rl->pitch > 0) || !rect_contains(rl->box, x, y))
        return -1;
    size_t slot = (size_t)((y - rl->box.y) / rl->pitch);
    if (slot >= rl->slots)
        return -1;
    size_t row = rows_row(rl, slot);
    return row == ROWS_MORE ? -1 : (long)row;
}

void rows_draw_scrollbar(cairo_t *cr, struct render *r, const struct rows *rl)
{
    if (!rl->scrolling)
        return;
    /* in the panel's padding, right of the content box */
    struct rect tr = {rl->box.x + rl->box.w + 5, rl->box.y, 3, rl->box.h};
    rows_draw_track(cr, r->theme, tr);
    double len = fmax(tr.h * (double)rl->slots / (double)rl->total, 8);
    double y = tr.y + (tr.h - len) * (double)rl->first / (double)(rl->total - 1);
    draw_rounded_rect(cr, tr.x, y, tr.w, len, tr.w / 2);
    color_set_alpha(cr, r->theme->header_accent, 0.8);
    cairo_fill(cr);
}

double rows_text_size(double pitch)
{
    return fmax(14, fmin(22, pitch * 0.42));
}

double rows_text_width(struct render *r, const char *s, const struct text_style *st)
{
    double w, h;
    text_measure(r->text, s, st, &w, &h);
    return w;
}

void rows_draw_more(cairo_t *cr, struct render *r, const struct rows *rl)
{
    if (!rl->hidden || !rl->slots)
        return;
    struct rect s = rows_slot(rl, rl->slots - 1);
    char buf[64];
    snprintf(buf, sizeof buf, "… 另有 %zu 项", rl->hidden);
    struct text_style st = text_style_make(r, false, 14, 400, r->theme->muted);
    st.max_width = s.w;
    text_draw(r->text, cr, s.x + s.w / 2, s.y + s.h / 2, ANCHOR_CENTER | ANCHOR_MIDDLE, buf, &st);
}

void rows_draw_wrap(cairo_t *cr, struct render *r, const struct rows *rl, size_t slot)
{
    if (!rl->scrolling || slot == 0 || rl->first == 0 || rows_row(rl, slot) != 0)
        return;
    struct rect s = rows_slot(rl, slot);
    double dash[] = {4, 4};
    cairo_save(cr);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 1);
    color_set(cr, r->theme->axis);
    cairo_move_to(cr, s.x, s.y);
    cairo_line_to(cr, s.x + s.w, s.y);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* ---- status pills ---------------------------------------------------------- */

static bool has_any(const char *text, const char *const *words)
{
    for (; *words; words++)
        if (strstr(text, *words))
            return true;
    return false;
}

enum rows_status rows_status_of(const char *text)
{
    /* danger first: "进度滞后" must not be taken for progress, "异常" not for "正常" */
    static const char *const danger[] = {"滞后", "超期", "预警", "告警", "严重", "异常", "逾期",
                                         "升级", "离线", "报错", "陈旧", NULL};
    static const char *const warn[] = {"在建", "处理中", "办理中", "一般", "关注", "错误", NULL};
    static const char *const ok[] = {"已竣工", "已办结", "正常", "完成", "提示", "已发布", NULL};
    if (!text || !*text)
        return STATUS_NEUTRAL;
    if (has_any(text, danger))
        return STATUS_DANGER;
    if (has_any(text, warn))
        return STATUS_WARN;
    if (has_any(text, ok))
        return STATUS_OK;
    return STATUS_NEUTRAL;
}

rgba_t rows_status_color(const struct theme *t, enum rows_status s)
{
    switch (s) {
    case STATUS_DANGER: return t->danger;
    case STATUS_WARN: return t->warn;
    case STATUS_OK: return t->ok;
    case STATUS_NEUTRAL: break;
    }
    return t->muted;
}

static struct text_style pill_style(struct render *r, double size, rgba_t c)
{
    return text_style_make(r, false, fmin(size, 18), 500, c);
}

double rows_pill_width(struct render *r, const char *text, double size)
{
    struct text_style st = pill_style(r, size, 0);
    double w, h;
    text_measure(r->text, text, &st, &w, &h);
    return w + st.size * 1.1;
}

double rows_draw_pill(cairo_t *cr, struct render *r, double x, double y_mid, int anchor,
                      const char *text, rgba_t c, double size, double max_w)
{
    struct text_style st = pill_style(r, size, c);
    double pad = st.size * 0.55;
    if (!text || !*text || max_w < st.size + 2 * pad)
        return 0;
    double w, h;
    st.max_width = max_w - 2 * pad;
    text_measure(r->text, text, &st, &w, &h);
    double pw = w + 2 * pad, ph = st.size * 1.5;
    int h_anchor = anchor & 3;
    double left = h_anchor == ANCHOR_RIGHT ? x - pw : h_anchor == ANCHOR_CENTER ? x - pw / 2 : x;
    draw_rounded_rect(cr, left, y_mid - ph / 2, pw, ph, ph / 2);
    color_set_alpha(cr, c, 0.18);
    cairo_fill_preserve(cr);
    color_set_alpha(cr, c, 0.75);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    text_draw(r->text, cr, left + pad, y_mid, ANCHOR_LEFT | ANCHOR_MIDDLE, text, &st);
    return pw;
}

/* ---- rank badges and bars ------------------------------------------------- */

/* Red-to-gold for the podium, the header tint for everyone else. */
static rgba_t rank_color(const struct theme *t, size_t rank)
{
    switch (rank) {
    case 1: return color_mix(t->warn, t->danger, 0.7);
    case 2: return color_mix(t->warn, t->danger, 0.35);
    case 3: return t->warn;
    default: return t->header_bg;
    }
}

double rows_draw_rank(cairo_t *cr, struct render *r, double x, double y_mid, double h,
                      size_t rank)
{
    const struct theme *t = r->theme;
    bool podium = rank >= 1 && rank <= 3;
    char num[24];
    snprintf(num, sizeof num, "%zu", rank);
    struct text_style st = text_style_make(r, true, h * 0.7, 700, podium ? t->badge_text : t->text);
    double w, th;
    text_measure(r->text, num, &st, &w, &th);
    double bw = fmax(h, w + h * 0.4);
    draw_rounded_rect(cr, x, y_mid - h / 2, bw, h, fmin(4, h / 4));
    color_set(cr, rank_color(t, rank));
    cairo_fill(cr);
    if (!podium) { /* an outline keeps plain badges visible on any panel */
        draw_rounded_rect(cr, x + 0.5, y_mid - h / 2 + 0.5, bw - 1, h - 1, fmin(4, h / 4));
        color_set_alpha(cr, t->header_accent, 0.5);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
    }
    text_draw(r->text, cr, x + bw / 2, y_mid, ANCHOR_CENTER | ANCHOR_MIDDLE, num, &st);
    return bw;
}

void rows_draw_track(cairo_t *cr, const struct theme *t, struct rect b)
{
    if (b.w <= 0 || b.h <= 0)
        return;
    draw_rounded_rect(cr, b.x, b.y, b.w, b.h, b.h / 2);
    color_set(cr, t->grid);
    cairo_fill(cr);
}

void rows_draw_bar(cairo_t *cr, struct rect b, rgba_t c, bool leftward)
{
    if (!(b.w > 0.5) || !(b.h > 0))
        return;
    double base = leftward ? b.x + b.w : b.x, tip = leftward ? b.x : b.x + b.w;
    cairo_pattern_t *g = cairo_pattern_create_linear(base, 0, tip, 0);
    /* a translucent base: dim on dark panels, pale on light ones, any hue */
    color_add_stop(g, 0, (c & 0xffffff00) | 0x48);
    color_add_stop(g, 1, c);
    draw_rounded_rect(cr, b.x, b.y, b.w, b.h, b.h / 2);
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
    /* a bright cap at the value end, as the lit edge of a glowing bar */
    double cap = fmin(b.h * 0.5, b.w / 2);
    double cx = leftward ? b.x + cap : b.x + b.w - cap;
    cairo_arc(cr, cx, b.y + b.h / 2, cap * 0.55, 0, 2 * M_PI);
    color_set_alpha(cr, color_shade(c, 1.6), 0.9);
    cairo_fill(cr);
}
