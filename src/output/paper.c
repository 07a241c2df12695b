/* The report's pages. Sizes are PDF points; the body text is 12 pt with a
 * line height of 1.5, as printed 经济运行分析 are set, so a leader reads it
 * at arm's length. Single lines (cover, running heads) go through the text
 * cache like every other text; the analysis is laid out here with Pango
 * line by line, so a paragraph can continue on the next page. */
#include "output/paper.h"
#include "output/compose.h"
#include "util/file.h"
#include "util/util.h"
#include <cairo-pdf.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

enum {
    MARGIN_X = 56,   /* left and right margins of the text pages */
    HEAD_Y = 30,     /* the running head's baseline */
    BODY_TOP = 64,   /* where text and scenes start */
    BODY_BOTTOM = 540,
    FOOT_Y = 566,    /* the page number's baseline */
};

static const rgba_t MARK_RED = RGBA(0xc8, 0x10, 0x1c, 0xff); /* the 内部资料 mark and the rule */

struct pages {
    const struct paper *p;
    cairo_t *cr;
    struct render r;
    int page;        /* the page being drawn, from 1 (the cover) */
    char data_note[160]; /* the footer's left: 数据截至 2024年10月 · 演示数据 */
};

static struct text_style style(const struct pages *pg, double size, int weight, rgba_t color)
{
    struct text_style st = {.font = pg->r.theme->font, .size = size, .weight = weight,
                            .color = color};
    return st;
}

static void text_at(struct pages *pg, double x, double y, int anchor, const char *s, double size,
                    int weight, rgba_t color)
{
    struct text_style st = style(pg, size, weight, color);
    text_draw(pg->r.text, pg->cr, x, y, anchor, s, &st);
}

static void rule(cairo_t *cr, double x0, double x1, double y, double width, rgba_t color)
{
    color_set(cr, color);
    cairo_set_line_width(cr, width);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
}

static void new_page(struct pages *pg)
{
    if (pg->page > 0)
        cairo_show_page(pg->cr);
    pg->page++;
    color_set(pg->cr, RGBA(0xff, 0xff, 0xff, 0xff)); /* paper: white whatever the theme */
    cairo_paint(pg->cr);
}

/* The running head (the report's name, the mark) and the foot (the data's
 * period and mark, the page number) of every page but the cover. */
static void head_and_foot(struct pages *pg)
{
    const struct theme *t = pg->r.theme;
    text_at(pg, MARGIN_X, HEAD_Y, ANCHOR_LEFT | ANCHOR_BASELINE, pg->p->name, 10, 400, t->muted);
    text_at(pg, PAPER_W - MARGIN_X, HEAD_Y, ANCHOR_RIGHT | ANCHOR_BASELINE, "内部资料", 10, 700,
            MARK_RED);
    rule(pg->cr, MARGIN_X, PAPER_W - MARGIN_X, HEAD_Y + 8, 0.6, t->panel_border);
    rule(pg->cr, MARGIN_X, PAPER_W - MARGIN_X, FOOT_Y - 16, 0.6, t->panel_border);
    text_at(pg, MARGIN_X, FOOT_Y, ANCHOR_LEFT | ANCHOR_BASELINE, pg->data_note, 9, 400, t->muted);
    char num[32];
    snprintf(num, sizeof num, "第 %d 页", pg->page);
    text_at(pg, PAPER_W - MARGIN_X, FOOT_Y, ANCHOR_RIGHT | ANCHOR_BASELINE, num, 9, 400, t->muted);
}

/* ---- the cover ----------------------------------------------------------- */

static void cover_line(struct pages *pg, double y, const char *label, const char *value)
{
    const struct theme *t = pg->r.theme;
    text_at(pg, PAPER_W / 2 - 150, y, ANCHOR_LEFT | ANCHOR_BASELINE, label, 14, 400, t->muted);
    struct text_style st = style(pg, 14, 400, t->title);
    st.max_width = 300 + 150 - 84;
    st.wrap = true; /* a long 包含专题 goes on below, not cut */
    text_draw(pg->r.text, pg->cr, PAPER_W / 2 - 150 + 84, y, ANCHOR_LEFT | ANCHOR_BASELINE, value,
              &st);
}

static void cover(struct pages *pg, const char *topics)
{
    const struct paper *p = pg->p;
    const struct theme *t = pg->r.theme;
    cairo_t *cr = pg->cr;
    new_page(pg);
    /* the mark: top left, in a red box, as on printed internal papers */
    double mw, mh;
    struct text_style st = style(pg, 16, 700, MARK_RED);
    text_measure(pg->r.text, "内部资料", &st, &mw, &mh);
    color_set(cr, MARK_RED);
    cairo_set_line_width(cr, 1.2);
    cairo_rectangle(cr, 64, 52, mw + 20, mh + 10);
    cairo_stroke(cr);
    text_draw(pg->r.text, cr, 74, 57, ANCHOR_LEFT | ANCHOR_TOP, "内部资料", &st);
    if (store_is_demo(p->job->store))
        text_at(pg, PAPER_W - 64, 70, ANCHOR_RIGHT | ANCHOR_BASELINE, COMPOSE_DEMO_MARK, 12, 400,
                t->muted);
    struct text_style big = style(pg, 34, 700, t->title);
    big.max_width = PAPER_W - 2 * 80;
    text_draw(pg->r.text, cr, PAPER_W / 2, 212, ANCHOR_CENTER | ANCHOR_BASELINE, p->name, &big);
    rule(cr, 120, PAPER_W - 120, 240, 2.4, MARK_RED);
    rule(cr, 120, PAPER_W - 120, 245, 0.8, MARK_RED);
    text_at(pg, PAPER_W / 2, 282, ANCHOR_CENTER | ANCHOR_BASELINE, p->period, 18, 400, t->text);
    char date[64];
    fmt_time(date, sizeof date, p->job->now, "%Y年%-m月%-d日");
    cover_line(pg, 350, "区　　域", p->region);
    cover_line(pg, 378, "数据截至", p->period);
    cover_line(pg, 406, "生成日期", date);
    cover_line(pg, 434, "包含专题", topics);
    text_at(pg, PAPER_W / 2, 530, ANCHOR_CENTER | ANCHOR_BASELINE, "经济运行监测平台 编制", 13,
            400, t->muted);
}

/* ---- the analysis: paragraphs flowing over pages --------------------------- */

static PangoLayout *paragraph(cairo_t *cr, const struct theme *t, const char *text, double size,
                              int weight, double width, bool indent)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(t->font);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, (PangoWeight)weight);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_justify(l, TRUE);
    pango_layout_set_line_spacing(l, 1.5f);
    if (indent)
        pango_layout_set_indent(l, (int)(2 * size * PANGO_SCALE)); /* 首行缩进两字 */
    pango_layout_set_text(l, text, -1);
    return l;
}

/* Draws layout l's lines from *y down, starting a new page (with its head
 * and foot) where a line would pass the bottom; `keep` lines of room are
 * wanted before the first (a heading is not left alone at a page's end). */
static void flow(struct pages *pg, PangoLayout *l, double *y, int keep, rgba_t color)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double top = *y;
    bool first = true;
    do {
        PangoRectangle ink, logical;
        pango_layout_iter_get_line_extents(it, &ink, &logical);
        double ly = logical.y / (double)PANGO_SCALE, lh = logical.height / (double)PANGO_SCALE;
        if (top + ly + lh * (first ? keep : 1) > BODY_BOTTOM) {
            new_page(pg);
            head_and_foot(pg);
            top = BODY_TOP - ly;
        }
        first = false;
        color_set(pg->cr, color);
        cairo_move_to(pg->cr, MARGIN_X + logical.x / (double)PANGO_SCALE,
                      top + pango_layout_iter_get_baseline(it) / (double)PANGO_SCALE);
        pango_cairo_show_layout_line(pg->cr, pango_layout_iter_get_line_readonly(it));
        *y = top + ly + lh;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

static void analysis_pages(struct pages *pg)
{
    const struct analysis_text *a = pg->p->analysis;
    const struct theme *t = pg->r.theme;
    double width = PAPER_W - 2 * MARGIN_X, y = BODY_TOP + 30;
    new_page(pg);
    head_and_foot(pg);
    text_at(pg, PAPER_W / 2, BODY_TOP + 12, ANCHOR_CENTER | ANCHOR_BASELINE, a->title, 20, 700,
            t->title);
    for (size_t i = 0; i < a->nsections; i++) {
        PangoLayout *h = paragraph(pg->cr, t, a->sections[i].heading, 14, 700, width, false);
        PangoLayout *b = paragraph(pg->cr, t, a->sections[i].text, 12, 400, width, true);
        y += 10;
        flow(pg, h, &y, 3, t->title); /* the heading and two lines of its text, or a new page */
        flow(pg, b, &y, 1, t->text);
        g_object_unref(h);
        g_object_unref(b);
    }
}

/* ---- the scenes -------------------------------------------------------------- */

/* Scene i on a page of its own: drawn at its design size (the layout
 * and sizes the wall has) and scaled into the page's box, under a caption. */
static void scene_page(struct pages *pg, size_t i, int figure)
{
    const struct export_job *job = pg->p->job;
    const struct scene *s = job->scenes[i];
    const struct theme *t = pg->r.theme;
    double dw = s->design_w, dh = s->design_h;
    /* the box between the head's rule and the foot's, with the caption */
    double top = HEAD_Y + 8, bottom = FOOT_Y - 16, caption_h = 26;
    double bw = PAPER_W - 2 * 28, bh = bottom - top - caption_h - 24;
    double k = fmin(bw / dw, bh / dh), x = (PAPER_W - dw * k) / 2;
    double y = top + (bottom - top - dh * k - caption_h) / 2;
    new_page(pg);
    head_and_foot(pg);
    cairo_t *cr = pg->cr;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rectangle(cr, 0, 0, dw * k, dh * k);
    cairo_clip(cr);
    cairo_scale(cr, k, k);
    pg->r.watermark = job->watermark;
    compose_scene(cr, (int)dw, (int)dh, s, job->store, &pg->r);
    pg->r.watermark = NULL;
    cairo_restore(cr);
    color_set(cr, t->panel_border);
    cairo_set_line_width(cr, 0.6);
    cairo_rectangle(cr, x, y, dw * k, dh * k);
    cairo_stroke(cr);
    char title[SCENE_MAX_STRING + 64], sub[SCENE_MAX_STRING + 64], caption[2 * SCENE_MAX_STRING + 160];
    compose_scene_texts(title, sub, sizeof title, s, job->store);
    snprintf(caption, sizeof caption, "图%d　%s", figure, title);
    text_at(pg, PAPER_W / 2, y + dh * k + 20, ANCHOR_CENTER | ANCHOR_BASELINE, caption, 11, 700,
            t->text);
}

bool paper_write(const struct paper *p, struct err *err)
{
    struct file_out out;
    if (!file_out_open(&out, p->job->path, FILE_SYNC, err))
        return false;
    cairo_surface_t *surf =
        cairo_pdf_surface_create_for_stream(export_stream_write, out.f, PAPER_W, PAPER_H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        return export_vector_finish(surf, &out, err);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "lotuswall");
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, p->name);
    const struct theme *t = theme_find(p->job->theme ? p->job->theme : "light");
    struct pages pg = {.p = p, .cr = cairo_create(surf)};
    render_init(&pg.r, t ? t : theme_find("light"), p->job->now);
    pg.r.red_up = p->job->red_up;
    snprintf(pg.data_note, sizeof pg.data_note, "数据截至%s%s%s", p->period,
             store_is_demo(p->job->store) ? " · " : "",
             store_is_demo(p->job->store) ? COMPOSE_DEMO_MARK : "");
    cover(&pg, p->topics);
    if (p->analysis)
        analysis_pages(&pg);
    for (size_t i = 0; i < p->job->nscenes; i++)
        scene_page(&pg, i, (int)i + 1);
    cairo_show_page(pg.cr);
    render_finish(&pg.r);
    cairo_destroy(pg.cr);
    return export_vector_finish(surf, &out, err);
}
