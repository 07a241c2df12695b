#include "output/compose.h"
#include "data/names.h"
#include "util/util.h"
#include "util/pool.h"
#include "widgets/widget.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum compose_state compose_panel_state(const struct query *q, const struct table *src,
                                       struct store *store, int64_t now)
{
    if (!src)
        return COMPOSE_FRESH;
    if (store_is_offline(store, q->source))
        return COMPOSE_OFFLINE;
    int interval = q->refresh_s > 0 ? q->refresh_s : src->refresh_s;
    return interval > 0 && now - src->fetched_at > 2 * (int64_t)interval ? COMPOSE_STALE
                                                                          : COMPOSE_FRESH;
}

struct table *compose_query(const struct query *q, const struct table *src, struct store *store,
                            struct err *err)
{
    struct table *regions = query_wants_regions(q) ? store_get(store, "regions") : NULL;
    struct table *out = query_run_regions(q, src, regions, err);
    table_unref(regions);
    return out;
}

/* The newest period the panel shows: its "period" role, else its "x" role
 * when that holds periods, else the "period" column of the rows its filters
 * keep. Empty when there is none. */
static void data_period(char *out, size_t len, const struct panel *p, const struct table *src,
                        const struct table *data, struct store *store)
{
    out[0] = '\0';
    const struct table *t = data;
    int c = data ? table_col(data, "period") : -1;
    if (c < 0 && data && (c = table_col(data, "x")) >= 0 && data->cols[c].type != COL_PERIOD)
        c = -1;
    struct table *own = NULL;
    if (c < 0 && src && table_col(src, "period") >= 0) {
        struct query_field f = {(char *)"period", (char *)"period"};
        struct query q = p->query;
        q.fields = &f, q.nfields = 1, q.group_by = NULL, q.sort_by = NULL, q.limit = 0;
        struct err err;
        t = own = compose_query(&q, src, store, &err);
        c = own ? 0 : -1;
    }
    const char *best = NULL;
    for (size_t r = 0; c >= 0 && r < t->nrows; r++) {
        const char *s = table_text(t, r, (size_t)c);
        if (s && (!best || strcmp(s, best) > 0))
            best = s;
    }
    if (best)
        snprintf(out, len, "%s", best);
    table_unref(own);
}

/* What the placeholders of titles, subtitles, notes and footnotes stand
 * for: the period of the data shown, the scene's parameters, and the name
 * of the item a parameter holds (data/names.h). */
struct vars {
    const struct scene *s; /* NULL: the period placeholders only */
    struct store *store;
    const char *period;    /* "" when the data has none */
    const struct panel *p; /* for {source}; NULL in scene texts */
};

/* {period} 2024年10月, {period_cum} 1–10月, {period_cumulative}
 * 2024年1–10月累计, {period_year} 2024年 ("—" without a period); {NAME} a parameter's value;
 * {NAME_name} the name of the item a parameter holds: a region, a project, a
 * warning, an enterprise (names_lookup; the value itself when unknown). */
static bool lookup_var(const char *name, char *buf, size_t len, void *arg)
{
    static const struct {
        const char *name;
        enum period_style style;
    } periods[] = {{"period", PERIOD_YM},
                   {"period_cum", PERIOD_CUM_SHORT},
                   {"period_cumulative", PERIOD_CUMULATIVE}};
    const struct vars *v = arg;
    if (strcmp(name, "source") == 0) {
        snprintf(buf, len, "%s", v->p && v->p->provenance ? v->p->provenance : "—");
        return true;
    }
    if (strcmp(name, "period_year") == 0) {
        snprintf(buf, len, *v->period ? "%.4s年" : "—", v->period);
        return true;
    }
    for (size_t i = 0; i < ARRAY_LEN(periods); i++) {
        if (strcmp(name, periods[i].name) != 0)
            continue;
        if (*v->period)
            fmt_period(buf, len, v->period, periods[i].style);
        else
            snprintf(buf, len, "—");
        return true;
    }
    size_t n = strlen(name);
    bool wants_name = n > 5 && strcmp(name + n - 5, "_name") == 0;
    for (size_t i = 0; v->s && i < v->s->nparams; i++) {
        const struct scene_param *sp = &v->s->params[i];
        if (strcmp(name, sp->name) == 0 ||
            (wants_name && strlen(sp->name) == n - 5 && strncmp(name, sp->name, n - 5) == 0)) {
            if (strcmp(name, sp->name) == 0 || !names_lookup(v->store, sp->name, sp->value, buf, len))
                snprintf(buf, len, "%s", sp->value);
            return true;
        }
    }
    return false;
}

/* Appends part to the text in out, after " · " when out is not empty. */
static void append_part(char *out, size_t len, const char *part)
{
    size_t n = strlen(out);
    snprintf(out + n, len - n, "%s%s", n ? " · " : "", part);
}

static void expand(char *out, size_t len, const char *tmpl, const struct vars *v)
{
    fmt_template(out, len, tmpl, lookup_var, (void *)v);
}

/* The numbers of `to` moved a fraction t of the way from `from` (eased),
 * when both have the same shape; NULL otherwise. Text comes from `to`. */
static struct table *blend(const struct table *from, const struct table *to, double t)
{
    if (!from || !to || from->nrows != to->nrows || from->ncols != to->ncols)
        return NULL;
    for (size_t c = 0; c < to->ncols; c++) {
        if (from->cols[c].type != to->cols[c].type || strcmp(from->cols[c].name, to->cols[c].name))
            return NULL;
        /* the same rows in the same order: labels must match, or the bars of
         * one district would grow out of another's */
        for (size_t r = 0; to->cols[c].type != COL_NUMBER && r < to->nrows; r++) {
            const char *a = from->cols[c].text[r], *b = to->cols[c].text[r];
            if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
                return NULL;
        }
    }
    double e = t < 0 ? 0 : t > 1 ? 1 : 1 - (1 - t) * (1 - t) * (1 - t); /* ease out */
    struct table *out = table_clone(to);
    for (size_t c = 0; c < out->ncols; c++) {
        if (out->cols[c].type != COL_NUMBER)
            continue;
        for (size_t r = 0; r < out->nrows; r++) {
            double a = table_num(from, r, c), b = table_num(to, r, c);
            if (isfinite(a) && isfinite(b))
                out->cols[c].num[r] = a + (b - a) * e;
        }
    }
    return out;
}

/* The panel's rows: a new reference in *data (NULL when there is a
 * problem, which is then named) and its source in *src. */
static const char *panel_data(const struct panel *p, struct store *store, struct table **src,
                              struct table **data, char *detail, size_t len)
{
    *src = *data = NULL;
    if (!p->has_query)
        return NULL;
    struct err err = {{0}};
    *src = store_get(store, p->query.source);
    if (!*src) {
        snprintf(detail, len, "source %s", p->query.source);
        return "数据源不可用";
    }
    if (!(*data = compose_query(&p->query, *src, store, &err))) {
        snprintf(detail, len, "%s", err.msg);
        return "数据结构异常";
    }
    return (*data)->nrows > 0 ? NULL : p->empty ? p->empty : "暂无数据";
}

void compose_panel_note(char *out, size_t len, const struct panel *p, struct store *store)
{
    out[0] = '\0';
    if (!p->note)
        return;
    struct table *src, *data;
    char detail[8], period[64];
    panel_data(p, store, &src, &data, detail, sizeof detail);
    data_period(period, sizeof period, p, src, data, store);
    struct vars v = {NULL, store, period, p};
    expand(out, len, p->note, &v);
    table_unref(data);
    table_unref(src);
}

void compose_panel_badge(char *out, size_t len, const struct panel *p, const struct table *src,
                         struct store *store, int64_t now, double box_w)
{
    out[0] = '\0';
    if (!p->has_query || compose_panel_state(&p->query, src, store, now) == COMPOSE_FRESH)
        return;
    char when[32];
    /* narrow panels get the short form, so the title keeps more room */
    bool narrow = box_w < 480;
    fmt_time(when, sizeof when, src->fetched_at, narrow ? "%H:%M" : "%m-%d %H:%M");
    snprintf(out, len, narrow ? "延迟 · %s" : "数据延迟 · 更新于 %s", when);
}

/* True when the panel has a title strip: its badge is drawn in it, with
 * the frame (the title is shortened before it), else over the content. */
static bool has_strip(const struct panel *p)
{
    return p->frame && p->title && *p->title;
}

/* The room a footnote takes under the widget: none in a low panel. */
static double footnote_h(const struct panel *p, struct rect content)
{
    return p->footnote && content.h > 60 ? 24 : 0;
}

void compose_panel(cairo_t *cr, const struct scene *s, const struct panel *p, struct rect box,
                   struct store *store, struct render *r, int64_t data_time,
                   struct compose_tween *tw, unsigned parts)
{
    const struct theme *t = r->theme;
    cairo_save(cr);
    struct table *src, *data;
    char detail[sizeof((struct err *)0)->msg + 64] = "";
    const char *problem = panel_data(p, store, &src, &data, detail, sizeof detail);

    char period[64] = "", note[SCENE_MAX_STRING + 64] = "", title[SCENE_MAX_STRING + 64] = "";
    if (p->footnote || (p->note && (parts & COMPOSE_FRAME)) || (p->title && strchr(p->title, '{')))
        data_period(period, sizeof period, p, src, data, store);
    struct vars v = {s, store, period, p};
    if (p->note && (parts & COMPOSE_FRAME))
        expand(note, sizeof note, p->note, &v);
    if (p->title)
        expand(title, sizeof title, p->title, &v);
    const char *shown_title = p->title ? title : NULL;
    char badge[96];
    compose_panel_badge(badge, sizeof badge, p, src, store, r->now, box.w);
    struct rect content = !p->frame ? box
                          : parts & COMPOSE_FRAME
                              ? draw_panel_frame(cr, r, box, shown_title, note, badge)
                              : draw_panel_content(box, shown_title);
    if (!(parts & COMPOSE_CONTENT))
        goto done;

    if (footnote_h(p, content) > 0) {
        char foot[SCENE_MAX_STRING + 64];
        expand(foot, sizeof foot, p->footnote, &v);
        if (store_is_demo(store)) /* the mark the data gives, not the scene */
            append_part(foot, sizeof foot, COMPOSE_DEMO_MARK);
        struct text_style fs = text_style_make(r, false, 14, 400, t->muted);
        fs.max_width = content.w;
        text_draw(r->text, cr, content.x, content.y + content.h, ANCHOR_LEFT | ANCHOR_BOTTOM, foot,
                  &fs);
        content.h -= footnote_h(p, content);
    }

    struct table *shown = NULL;
    if (tw) {
        tw->data = data ? table_ref(data) : NULL;
        if (!problem && tw->t < 1)
            shown = blend(tw->from, data, tw->t);
    }
    if (problem) {
        draw_placeholder(cr, r, content, problem, *detail ? detail : NULL);
    } else {
        char stitle[SCENE_MAX_STRING + 64] = "", ssub[SCENE_MAX_STRING + 64] = "";
        if (strcmp(p->widget->name, "title") == 0) /* the one widget that shows them */
            compose_scene_texts(stitle, ssub, sizeof stitle, s, store);
        struct widget_ctx ctx = {
            .cr = cr, .r = r, .theme = t, .scene = s, .panel = p,
            .data = shown ? shown : data, .box = content, .data_time = data_time,
            .title = stitle, .subtitle = ssub,
        };
        cairo_save(cr);
        cairo_rectangle(cr, box.x, box.y, box.w, box.h);
        cairo_clip(cr);
        widget_class_of(p->widget)->draw(&ctx);
        cairo_restore(cr);
    }

    if (*badge && !has_strip(p))
        draw_badge(cr, r, box.x + box.w - 10, box.y + 16, badge, t->badge_bg, t->badge_text);
    table_unref(shown);
done:
    table_unref(data);
    table_unref(src);
    cairo_restore(cr);
}

void compose_scene_period(char *out, size_t len, const struct scene *s, struct store *store)
{
    uint64_t stamp = store_stamp(store);
    struct scene_memo *m = s->memo;
    if (m && m->valid && m->stamp == stamp) {
        snprintf(out, len, "%s", m->period);
        return;
    }
    out[0] = '\0';
    for (size_t i = 0; i < s->npanels; i++) {
        struct table *src, *data;
        char detail[8], period[64];
        panel_data(&s->panels[i], store, &src, &data, detail, sizeof detail);
        data_period(period, sizeof period, &s->panels[i], src, data, store);
        if (strcmp(period, out) > 0)
            snprintf(out, len, "%s", period);
        table_unref(data);
        table_unref(src);
    }
    if (m) {
        *m = (struct scene_memo){.valid = true, .stamp = stamp};
        snprintf(m->period, sizeof m->period, "%s", out);
    }
}

void compose_text(char *out, size_t len, const char *tmpl, const struct scene *s,
                  struct store *store, const char *period)
{
    struct vars v = {s, store, period ? period : "", NULL};
    expand(out, len, tmpl, &v);
}

/* Appends to out (a subtitle) what the data is: the demo mark, or the
 * provenance (数据来源) of the scene's sources from the catalog, each once. */
static void append_data_mark(char *out, size_t len, const struct scene *s, struct store *store)
{
    if (store_is_demo(store)) {
        append_part(out, len, COMPOSE_DEMO_MARK);
        return;
    }
    size_t n = strlen(out);
    const char *sep = n ? " · 数据来源：" : "数据来源：";
    for (size_t i = 0; i < s->npanels; i++) {
        const char *src = s->panels[i].provenance;
        bool seen = !src;
        for (size_t k = 0; k < i && !seen; k++)
            seen = s->panels[k].provenance && strcmp(s->panels[k].provenance, src) == 0;
        if (seen)
            continue;
        n = strlen(out);
        snprintf(out + n, len - n, "%s%s", sep, src);
        sep = "、";
    }
}

void compose_scene_texts(char *title, char *subtitle, size_t len, const struct scene *s,
                         struct store *store)
{
    char period[64] = "";
    if (strchr(s->title, '{') || (s->subtitle && strchr(s->subtitle, '{')))
        compose_scene_period(period, sizeof period, s, store);
    compose_text(title, len, s->title, s, store, period);
    compose_text(subtitle, len, s->subtitle ? s->subtitle : "", s, store, period);
    append_data_mark(subtitle, len, s, store);
}

int64_t compose_data_time(const struct scene *s, struct store *store)
{
    int64_t newest = 0;
    for (size_t i = 0; i < s->npanels; i++) {
        if (!s->panels[i].has_query)
            continue;
        struct table *t = store_get(store, s->panels[i].query.source);
        if (t && t->fetched_at > newest)
            newest = t->fetched_at;
        table_unref(t);
    }
    return newest;
}

/* ---- a whole scene, its panels on the render's pool ------------------------
 * Panels are independent: each is drawn through a cairo surface of its own
 * over its piece of the page's pixels (its rectangle, a margin for the
 * frame's stroke), so no two threads share a cairo or Pango object. Panels
 * whose pieces overlap form a group drawn by one worker in panel order;
 * groups share no pixel. The pieces do not depend on the number of
 * threads, so neither does the picture. */
struct scene_draw {
    const struct scene *s;
    const struct scene_layout *L;
    struct viewport vp;
    struct store *store;
    struct render *r;
    int64_t data_time;
    cairo_surface_t *target;
    int (*pieces)[4];       /* per panel: compose_piece_rect */
    size_t *order;          /* panel indices, group by group, each in panel order */
    size_t *group_start;    /* ngroups + 1 offsets into order */
    size_t ngroups;
    size_t *by_size;        /* the groups, the largest area first */
};

void compose_piece_rect(const struct viewport *vp, struct rect box, int w, int h, int rc[4])
{
    /* the frame's stroke lies half outside its box (a design unit at most) */
    double m = ceil(vp->sx) + 2;
    int x0 = (int)floor(vp->ox + box.x * vp->sx - m), y0 = (int)floor(vp->oy + box.y * vp->sy - m);
    int x1 = (int)ceil(vp->ox + (box.x + box.w) * vp->sx + m);
    int y1 = (int)ceil(vp->oy + (box.y + box.h) * vp->sy + m);
    x0 = x0 < 0 ? 0 : x0, y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > w ? w : x1, y1 = y1 > h ? h : y1;
    rc[0] = x0, rc[1] = y0, rc[2] = x1 > x0 ? x1 - x0 : 0, rc[3] = y1 > y0 ? y1 - y0 : 0;
}

void compose_panel_piece(cairo_surface_t *target, const int rc[4], const struct viewport *vp,
                         const struct scene *s, const struct panel *p, struct rect box,
                         struct store *store, struct render *r, int64_t data_time,
                         struct compose_tween *tw, unsigned parts)
{
    if (rc[2] <= 0 || rc[3] <= 0)
        return;
    int stride = cairo_image_surface_get_stride(target);
    unsigned char *at = cairo_image_surface_get_data(target) + (size_t)rc[1] * (size_t)stride +
                        (size_t)rc[0] * 4;
    cairo_surface_t *sub = cairo_image_surface_create_for_data(
        at, cairo_image_surface_get_format(target), rc[2], rc[3], stride);
    cairo_t *cr = cairo_create(sub);
    cairo_translate(cr, -rc[0], -rc[1]);
    if (parts & COMPOSE_UNDER) {
        color_set(cr, r->theme->bg_bottom);
        cairo_paint(cr);
    }
    viewport_apply(cr, vp);
    if (parts & COMPOSE_UNDER)
        draw_background(cr, r, vp->w, vp->h);
    if (parts & COMPOSE_ALL)
        compose_panel(cr, s, p, box, store, r, data_time, tw, parts & COMPOSE_ALL);
    cairo_destroy(cr);
    cairo_surface_finish(sub);
    cairo_surface_destroy(sub);
}

bool compose_pieces_overlap(const int a[4], const int b[4])
{
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

static size_t group_root(size_t *parent, size_t i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

/* Groups of panels whose pieces overlap (union-find; the root of a group
 * is its first panel), listed in the order of their first panels. */
static void group_panels(struct scene_draw *d, size_t n)
{
    size_t *parent = xcalloc(n, sizeof *parent);
    for (size_t i = 0; i < n; i++)
        parent[i] = i;
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++)
            if (compose_pieces_overlap(d->pieces[i], d->pieces[k])) {
                size_t a = group_root(parent, i), b = group_root(parent, k);
                parent[a > b ? a : b] = a < b ? a : b;
            }
    d->order = xcalloc(n, sizeof *d->order);
    d->group_start = xcalloc(n + 1, sizeof *d->group_start);
    size_t at = 0;
    for (size_t g = 0; g < n; g++) {
        if (group_root(parent, g) != g)
            continue;
        d->group_start[d->ngroups++] = at;
        for (size_t i = g; i < n; i++)
            if (group_root(parent, i) == g)
                d->order[at++] = i;
    }
    d->group_start[d->ngroups] = at;
    free(parent);
    /* the largest first, so that no worker is left with a big panel while
     * the others have nothing: the picture is the same in any order */
    double *area = xcalloc(d->ngroups + 1, sizeof *area);
    d->by_size = xcalloc(d->ngroups + 1, sizeof *d->by_size);
    for (size_t g = 0; g < d->ngroups; g++) {
        for (size_t k = d->group_start[g]; k < d->group_start[g + 1]; k++)
            area[g] += (double)d->pieces[d->order[k]][2] * d->pieces[d->order[k]][3];
        size_t at_g = g; /* insertion, stable: equal areas keep panel order */
        while (at_g > 0 && area[d->by_size[at_g - 1]] < area[g]) {
            d->by_size[at_g] = d->by_size[at_g - 1];
            at_g--;
        }
        d->by_size[at_g] = g;
    }
    free(area);
}

static void draw_piece(const struct scene_draw *d, size_t i, struct render *r)
{
    double t0 = log_threshold >= LOG_DEBUG ? now_ms() : 0;
    struct rect box = scene_panel_rect(d->s, d->L, i, d->vp.w, d->vp.h);
    compose_panel_piece(d->target, d->pieces[i], &d->vp, d->s, &d->s->panels[i], box, d->store, r,
                        d->data_time, NULL, COMPOSE_ALL);
    if (log_threshold >= LOG_DEBUG)
        LOG(DEBUG, "panel %s (%s): %.1f ms", d->s->panels[i].id, d->s->panels[i].widget->name,
            now_ms() - t0);
}

static void draw_group(void *arg, size_t nth, unsigned worker)
{
    const struct scene_draw *d = arg;
    size_t g = d->by_size[nth];
    struct render r = render_worker(d->r, worker);
    for (size_t k = d->group_start[g]; k < d->group_start[g + 1]; k++)
        draw_piece(d, d->order[k], &r);
}

/* An image surface drawn without a transform but a move by whole pixels
 * (the screen's check of one output of a wall): the panels can go to the
 * pool; *dx, *dy get the move. */
static bool by_pieces(cairo_t *cr, double *dx, double *dy)
{
    cairo_surface_t *t = cairo_get_target(cr);
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    cairo_format_t f = cairo_surface_get_type(t) == CAIRO_SURFACE_TYPE_IMAGE
                           ? cairo_image_surface_get_format(t) : CAIRO_FORMAT_INVALID;
    *dx = m.x0, *dy = m.y0;
    return (f == CAIRO_FORMAT_RGB24 || f == CAIRO_FORMAT_ARGB32) && m.xx == 1 && m.yy == 1 &&
           m.xy == 0 && m.yx == 0 && m.x0 == floor(m.x0) && m.y0 == floor(m.y0);
}

/* The page's colour and background gradient over a band of rows: the
 * bands are a sixteenth of the page each, whatever the pool. */
enum { BANDS = 16 };

struct bands {
    cairo_surface_t *target;
    const struct viewport *vp;
    struct render *r;
};

/* Row by row: the gradient is vertical, so a row is one colour (at its
 * pixel centre); left and right of the design area, the page colour. */
static void draw_band(void *arg, size_t i, unsigned worker)
{
    const struct bands *b = arg;
    int w = cairo_image_surface_get_width(b->target), h = cairo_image_surface_get_height(b->target);
    int stride = cairo_image_surface_get_stride(b->target);
    unsigned char *data = cairo_image_surface_get_data(b->target);
    int y0 = (int)((size_t)h * i / BANDS), y1 = (int)((size_t)h * (i + 1) / BANDS);
    const struct viewport *vp = b->vp;
    double left = floor(vp->ox + 0.5), right = floor(vp->ox + vp->w * vp->sx + 0.5);
    int x0 = left < 0 ? 0 : left > w ? w : (int)left;
    int x1 = right < x0 ? x0 : right > w ? w : (int)right;
    uint32_t page = draw_background_pixel(b->r->theme, -1);
    for (int y = y0; y < y1; y++) {
        uint32_t *row = (uint32_t *)(data + (size_t)y * (size_t)stride);
        uint32_t px = draw_background_pixel(b->r->theme, (y + 0.5 - vp->oy) / (vp->h * vp->sy));
        for (int x = 0; x < x0; x++)
            row[x] = page;
        for (int x = x0; x < x1; x++)
            row[x] = px;
        for (int x = x1; x < w; x++)
            row[x] = page;
    }
}

void compose_background(cairo_surface_t *target, const struct viewport *vp, struct render *r)
{
    struct bands b = {target, vp, r};
    cairo_surface_flush(target);
    render_workers_ready(r);
    pool_run(r->pool, BANDS, draw_band, &b);
    cairo_surface_mark_dirty(target);
}

static void draw_panels_pieces(cairo_t *cr, struct scene_draw *d)
{
    cairo_surface_t *t = d->target = cairo_get_target(cr);
    double t0 = log_threshold >= LOG_DEBUG ? now_ms() : 0;
    compose_background(t, &d->vp, d->r);
    if (log_threshold >= LOG_DEBUG)
        LOG(DEBUG, "background: %.1f ms", now_ms() - t0);
    cairo_surface_flush(t);
    int w = cairo_image_surface_get_width(t), h = cairo_image_surface_get_height(t);
    size_t n = d->s->npanels;
    d->pieces = xcalloc(n ? n : 1, sizeof *d->pieces);
    for (size_t i = 0; i < n; i++)
        compose_piece_rect(&d->vp, scene_panel_rect(d->s, d->L, i, d->vp.w, d->vp.h), w, h,
                           d->pieces[i]);
    group_panels(d, n);
    /* the scene's period is remembered in the scene (s->memo): work it out
     * here, before threads could both write it */
    char period[64];
    compose_scene_period(period, sizeof period, d->s, d->store);
    pool_run(d->r->pool, d->ngroups, draw_group, d);
    cairo_surface_mark_dirty(t);
    free(d->pieces);
    free(d->order);
    free(d->group_start);
    free(d->by_size);
}

void compose_scene(cairo_t *cr, int w, int h, const struct scene *s, struct store *store,
                   struct render *r)
{
    const struct scene_layout *L = scene_pick_layout(s, w, h);
    struct viewport vp = viewport_compute(s->fit, L ? L->design_w : s->design_w,
                                          L ? L->design_h : s->design_h, w, h);
    r->unit_px = vp.sx;
    struct scene_draw d = {.s = s, .L = L, .vp = vp, .store = store, .r = r,
                           .data_time = compose_data_time(s, store)};
    double dx, dy;
    bool pieces = by_pieces(cr, &dx, &dy);
    cairo_save(cr);
    if (pieces) { /* the background in bands, then the panels, on the pool */
        d.vp.ox += dx, d.vp.oy += dy;
        draw_panels_pieces(cr, &d);
        viewport_apply(cr, &vp);
    } else {
        /* letterbox bands and cropped edges get the page colour too */
        color_set(cr, r->theme->bg_bottom);
        cairo_paint(cr);
        viewport_apply(cr, &vp);
        draw_background(cr, r, vp.w, vp.h);
    }
    for (size_t i = 0; !pieces && i < s->npanels; i++) {
        struct rect box = scene_panel_rect(s, L, i, vp.w, vp.h);
        compose_panel(cr, s, &s->panels[i], box, store, r, d.data_time, NULL, COMPOSE_ALL);
    }
    if (r->watermark && *r->watermark)
        draw_watermark(cr, r, vp.w, vp.h, r->watermark);
    cairo_restore(cr);
}

/* The widget's box inside a panel's rectangle, as compose_panel lays it
 * out: inside the frame, above the footnote. */
static struct rect panel_content(const struct panel *p, struct rect box)
{
    struct rect content = p->frame ? draw_panel_content(box, p->title) : box;
    content.h -= footnote_h(p, content);
    return content;
}

/* The row of p's data under design point (x, y) of its content, or -1;
 * *keep gets the data when a row was hit. */
static long panel_hit(const struct scene *s, const struct panel *p, struct rect content,
                      struct store *store, struct render *r, double x, double y,
                      struct table **keep)
{
    const struct widget_class *wc = widget_class_of(p->widget);
    struct table *src = NULL, *data = NULL;
    char detail[8];
    long row = -1;
    if (!wc->hit || (p->has_query && (panel_data(p, store, &src, &data, detail, sizeof detail) ||
                                      !data)))
        goto done; /* a widget without a binding (the title's marks) is asked without rows */
    cairo_t *scratch = widget_scratch_cr();
    struct widget_ctx ctx = {
        .cr = scratch, .r = r, .theme = r->theme, .scene = s, .panel = p, .data = data,
        .box = content, .data_time = compose_data_time(s, store),
    };
    row = wc->hit(&ctx, x, y);
    cairo_destroy(scratch);
    if (row >= 0 && data)
        *keep = table_ref(data);
done:
    table_unref(data);
    table_unref(src);
    return row;
}

bool compose_hit(const struct scene *s, struct store *store, struct render *r, int w, int h,
                 double x, double y, struct compose_hit *out)
{
    const struct scene_layout *L = scene_pick_layout(s, w, h);
    struct viewport vp = viewport_compute(s->fit, L ? L->design_w : s->design_w,
                                          L ? L->design_h : s->design_h, w, h);
    r->unit_px = vp.sx;
    double dx = (x - vp.ox) / vp.sx, dy = (y - vp.oy) / vp.sy;
    *out = (struct compose_hit){.panel = 0, .row = -1, .x = dx, .y = dy, .data = NULL};
    /* the last panel drawn is the one on top */
    for (size_t i = s->npanels; i-- > 0;) {
        struct rect box = scene_panel_rect(s, L, i, vp.w, vp.h);
        if (!rect_contains(box, dx, dy))
            continue;
        out->panel = i;
        struct rect content = panel_content(&s->panels[i], box);
        out->row = panel_hit(s, &s->panels[i], content, store, r, dx, dy, &out->data);
        return true;
    }
    return false;
}

void compose_hit_release(struct compose_hit *out)
{
    table_unref(out->data);
    out->data = NULL;
}

bool compose_drill(const struct scene *s, const struct compose_hit *hit,
                   struct scene_param **params, size_t *nparams, char **label)
{
    const struct panel_drill *d = hit->panel < s->npanels ? s->panels[hit->panel].drill : NULL;
    *params = NULL, *nparams = 0, *label = NULL;
    if (!d || hit->row < 0 || !hit->data || (size_t)hit->row >= hit->data->nrows)
        return false;
    char buf[64];
    size_t row = (size_t)hit->row;
    *params = xcalloc(d->nparams, sizeof **params);
    for (size_t i = 0; i < d->nparams; i++) {
        int c = table_col(hit->data, d->params[i].role);
        const char *v = c >= 0 && !table_is_null(hit->data, row, (size_t)c)
                            ? table_cell_str(hit->data, row, (size_t)c, buf, sizeof buf)
                            : NULL;
        if (!v || !*v) {
            compose_drill_free(*params, *nparams, NULL);
            *params = NULL, *nparams = 0;
            return false;
        }
        (*params)[(*nparams)++] = (struct scene_param){xstrdup(d->params[i].name), xstrdup(v)};
    }
    int lc = d->label ? table_col(hit->data, d->label) : -1;
    if (lc >= 0 && !table_is_null(hit->data, row, (size_t)lc))
        *label = xstrdup(table_cell_str(hit->data, row, (size_t)lc, buf, sizeof buf));
    return true;
}

void compose_drill_free(struct scene_param *params, size_t nparams, char *label)
{
    for (size_t i = 0; i < nparams; i++) {
        free(params[i].name);
        free(params[i].value);
    }
    free(params);
    free(label);
}

/* ---- the title bar's pickers --------------------------------------------- */

void compose_choices_free(struct compose_choices *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->values[i]);
        free(c->labels[i]);
    }
    free(c->values);
    free(c->labels);
    free(c->param);
    memset(c, 0, sizeof *c);
}

static void choice_add(struct compose_choices *c, const char *value, const char *label)
{
    c->values = xrealloc(c->values, (c->n + 1) * sizeof *c->values);
    c->labels = xrealloc(c->labels, (c->n + 1) * sizeof *c->labels);
    c->values[c->n] = xstrdup(value);
    c->labels[c->n++] = xstrdup(label);
}

void compose_choices(struct compose_choices *c, const struct scene *s, struct store *store,
                     const char *param)
{
    compose_choices_free(c);
    c->param = xstrdup(param);
    if (strcmp(param, "city") == 0) {
        struct table *t = store_get(store, "regions");
        int cc = t ? table_col(t, "code") : -1, cn = t ? table_col(t, "name") : -1;
        for (size_t r = 0; cc >= 0 && cn >= 0 && r < t->nrows; r++)
            if (table_text(t, r, (size_t)cc) && table_text(t, r, (size_t)cn))
                choice_add(c, table_text(t, r, (size_t)cc), table_text(t, r, (size_t)cn));
        table_unref(t);
    } else if (strcmp(param, SCENE_PARAM_PERIOD) == 0) {
        char newest[64], value[16], label[32];
        compose_scene_period(newest, sizeof newest, s, store);
        int y, m;
        choice_add(c, "", "最新");
        for (int k = 1; k < 12 && sscanf(newest, "%4d-%2d", &y, &m) == 2; k++) {
            int mm = (y * 12 + m - 1) - k;
            snprintf(value, sizeof value, "%04d-%02d", mm / 12, mm % 12 + 1);
            choice_add(c, value, fmt_period(label, sizeof label, value, PERIOD_YM));
        }
    }
}

void compose_choices_show(const struct compose_choices *c, const char *current, struct render *r)
{
    r->picker = strcmp(c->param, "city") == 0 ? "选择地区" : "选择时期";
    r->choices = (const char *const *)c->labels;
    r->nchoices = c->n;
    r->chosen = -1;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->values[i], current ? current : "") == 0)
            r->chosen = (long)i;
}
