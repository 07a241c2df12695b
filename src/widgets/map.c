/* Map (地图): districts from a GeoJSON file, joined to the data by district
 * code; a choropleth of a bound value (or of the number of rows) with a
 * binned legend, district labels placed without overlap, points (clustered
 * once there are many), a heat layer, ripples on key items, and an extruded
 * 3D style. The geometry is parsed when the scene loads (spec->prepare).
 * Problems with the file or the join are written on the map in the warning
 * colour, never hidden: codes missing from the map, points outside every
 * district, skipped features. A schematic file (the shipped tile map) says
 * so on the map. */
#include "data/geojson.h"
#include "render/carto.h"
#include "render/heat.h"
#include "util/paths.h"
#include "util/util.h"
#include "widgets/widget.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#define NOTE_BAND 24.0     /* top line: schematic note and problems */
#define ATTR_BAND 22.0     /* bottom line: attribution (审图号) */
#define CLUSTER_CELL 56.0  /* design units */
#define MAX_PULSES 40
#define EXTRUDE_TILT 0.62
#define FILL_ALPHA 0.74   /* flat districts: the panel shows through a little */

static const struct role_spec roles[] = {
    {"code", false, false, "district code, joined to the GeoJSON's code_property"},
    {"value", false, true,
     "colours the district (summed per code); unbound: the number of rows per code"},
    {"lon", false, true, "longitude of a point (an enterprise, an appeal)"},
    {"lat", false, true, "latitude of a point"},
    {"weight", false, true, "weight of a point in the heat layer and clusters (default 1)"},
    {"key", false, true, "> 0 marks a key item: ripples at its point (or its district)"},
    {0},
};

static const struct prop_spec props[] = {
    {"geojson", PROP_STRING, "\"assets/xuchang-districts.geojson\"", 0, 0, NULL,
     "GeoJSON file of the districts (Polygon/MultiPolygon), relative to the working directory "
     "or the repository, or absolute; default: the schematic tile map"},
    {"code_property", PROP_STRING, "\"adcode\"", 0, 0, NULL,
     "feature property holding the district code (the join key)"},
    {"name_property", PROP_STRING, "\"name\"", 0, 0, NULL, "feature property holding the label"},
    {"style", PROP_ENUM, "\"flat\"", 0, 0, "flat|extrude",
     "flat map, or 3D: each district raised by its value"},
    {"fill", PROP_BOOL, "true", 0, 0, NULL, "colour districts by value (choropleth)"},
    {"bins", PROP_INT, "5", 2, 8, NULL, "number of colour classes (nice equal steps)"},
    {"labels", PROP_BOOL, "true", 0, 0, NULL,
     "district names with their values, placed without overlap (the largest values first)"},
    {"points", PROP_ENUM, "\"auto\"", 0, 0, "auto|dots|clusters|none",
     "how points are drawn; auto: dots, clusters from cluster_at points, none with the heat layer"},
    {"cluster_at", PROP_INT, "1000", 1, 10000000, NULL, "points from which auto clusters them"},
    {"heat", PROP_BOOL, "false", 0, 0, NULL, "a heat layer: kernel density of the points"},
    {"heat_radius", PROP_NUMBER, "26", 4, 200, NULL, "reach of the heat kernel in design units"},
    {"pulses", PROP_BOOL, "true", 0, 0, NULL,
     "ripples on key items (key > 0); the phase follows the clock, still in an export"},
    {"legend", PROP_BOOL, "true", 0, 0, NULL, "legend of the colour classes (or the heat ramp)"},
    {"legend_title", PROP_STRING, "\"\"", 0, 0, NULL,
     "title over the legend, e.g. 诉求数(件); default: the value's unit"},
    {"attribution", PROP_STRING, "\"\"", 0, 0, NULL,
     "line under the map: source and approval number, e.g. 审图号：豫S(2024)000号"},
    {"schematic_note", PROP_BOOL, "true", 0, 0, NULL,
     "say on the map that it is a schematic when the GeoJSON declares itself one"},
    WIDGET_HIGHLIGHT_PROP,
    {0},
};

struct pt {
    double x, y, w;
    long feature;   /* -1: outside every district */
    bool key;
    size_t row;     /* of the data */
};

struct map {
    const struct widget_ctx *ctx;
    const struct geo_map *geo;
    struct proj proj;
    bool extrude;
    double lift;        /* extrude: height of the largest value */
    double *val;        /* per feature: summed value, NAN without data */
    long *row;          /* per feature: its first data row, or -1 */
    double *height;     /* per feature: extrusion in design units */
    double vmin, vmax;
    struct bins bins;
    bool fill, has_values;
    struct pt *pts;
    size_t npts, outside, unmatched;
    char unmatched_first[64];
};

/* ---- geometry, parsed when the scene loads -------------------------------- */

struct geo_entry {
    struct geo_map *map;
    struct err err;   /* why map is NULL */
};

/* The widget's prepare (scene/spec.h): the panel's GeoJSON, read and
 * validated with the scene, so a frame's draw never parses a file. */
static void *prepare(const struct panel *p)
{
    struct geo_entry *e = xcalloc(1, sizeof *e);
    const char *file = panel_opt_str(p, "geojson");
    /* relative to the lotuswall home, never to the working directory */
    char *path = file[0] == '/' ? xstrdup(file) : paths_in_home(file);
    e->map = geo_load(path, panel_opt_str(p, "code_property"), panel_opt_str(p, "name_property"),
                      &e->err);
    if (e->map && e->map->nproblems)
        LOG(WARN, "%s (%zu problems in all)", e->map->problems[0], e->map->nproblems);
    else if (!e->map)
        LOG(WARN, "%s", e->err.msg);
    free(path);
    return e;
}

static void release(void *p)
{
    struct geo_entry *e = p;
    geo_destroy(e->map);
    free(e);
}

static const struct geo_map *geometry(const struct widget_ctx *ctx, const char **msg)
{
    const struct geo_entry *e = ctx->panel->asset;
    *msg = e ? e->err.msg : "the GeoJSON was not loaded with the scene";
    return e ? e->map : NULL;
}

/* ---- data: values per district, points ----------------------------------- */

static void join_data(struct map *m)
{
    const struct widget_ctx *ctx = m->ctx;
    const struct geo_map *g = m->geo;
    m->val = xmalloc(g->n * sizeof *m->val);
    m->row = xmalloc(g->n * sizeof *m->row);
    for (size_t i = 0; i < g->n; i++) {
        m->val[i] = NAN;
        m->row[i] = -1;
    }
    if (!ctx->data)
        return;
    int cc = wcol(ctx, "code"), cv = wcol(ctx, "value"), cx = wcol(ctx, "lon"),
        cy = wcol(ctx, "lat"), cw = wcol(ctx, "weight"), ck = wcol(ctx, "key");
    char buf[64];
    size_t cap = 0;
    for (size_t r = 0; r < ctx->data->nrows; r++) {
        long f = -1;
        if (cc >= 0) {
            const char *code = wtext(ctx, r, cc, buf, sizeof buf);
            f = *code ? geo_find(g, code) : -1;
            if (*code && f < 0 && m->unmatched++ == 0)
                snprintf(m->unmatched_first, sizeof m->unmatched_first, "%s", code);
            double v = cv >= 0 ? wnum(ctx, r, cv) : 1;
            if (f >= 0 && isfinite(v) && fabs(v) < 1e15)
                m->val[f] = isnan(m->val[f]) ? v : m->val[f] + v;
            if (f >= 0 && m->row[f] < 0)
                m->row[f] = (long)r;
        }
        double lon = cx >= 0 ? wnum(ctx, r, cx) : NAN, lat = cy >= 0 ? wnum(ctx, r, cy) : NAN;
        bool key = ck >= 0 && wnum(ctx, r, ck) > 0;
        bool located = fabs(lon) <= 180 && fabs(lat) <= 90;
        if (!located && !(key && f >= 0))
            continue;
        struct pt p = {.w = cw >= 0 ? wnum(ctx, r, cw) : 1, .feature = f, .key = key, .row = r};
        if (located) {
            p.feature = geo_locate(g, lon, lat);
            m->outside += p.feature < 0;
            proj_apply(&m->proj, lon, lat, &p.x, &p.y);
        } else { /* a key item without a position: ripples at its district */
            p.x = p.y = NAN;
        }
        VEC_PUSH(m->pts, m->npts, cap, p);
    }
}

static void value_range(struct map *m)
{
    m->vmin = INFINITY;
    m->vmax = -INFINITY;
    for (size_t i = 0; i < m->geo->n; i++)
        if (!isnan(m->val[i])) {
            m->vmin = fmin(m->vmin, m->val[i]);
            m->vmax = fmax(m->vmax, m->val[i]);
        }
    m->has_values = m->vmin <= m->vmax;
    if (m->has_values)
        bins_make(&m->bins, wcol(m->ctx, "value") < 0 ? fmin(0, m->vmin) : m->vmin, m->vmax,
                  (int)panel_opt_num(m->ctx->panel, "bins"));
}

/* ---- drawing -------------------------------------------------------------- */

static rgba_t district_color(const struct map *m, size_t i)
{
    const struct theme *t = m->ctx->theme;
    if (!m->fill)
        return color_mix(t->panel_bg | 0xff, t->header_bg, 0.45);
    if (isnan(m->val[i]))
        return color_mix(t->panel_bg | 0xff, t->muted, 0.25);
    return bins_color(&m->bins, &t->heat, bins_find(&m->bins, m->val[i]));
}

static void ring_path(const struct map *m, const struct geo_ring *g, double dy)
{
    cairo_t *cr = m->ctx->cr;
    for (size_t k = 0; k < g->n; k++) {
        double x, y;
        proj_apply(&m->proj, g->xy[2 * k], g->xy[2 * k + 1], &x, &y);
        if (k == 0)
            cairo_move_to(m->ctx->cr, x, y - dy);
        else
            cairo_line_to(m->ctx->cr, x, y - dy);
    }
    cairo_close_path(cr);
}

static void feature_path(const struct map *m, const struct geo_feature *f, double dy)
{
    cairo_new_path(m->ctx->cr);
    for (size_t p = 0; p < f->npolys; p++)
        for (size_t r = 0; r < f->polys[p].nrings; r++)
            ring_path(m, &f->polys[p].rings[r], dy);
}

/* True when the highlight names district i. */
static bool district_lit(const struct map *m, size_t i)
{
    return m->row[i] >= 0 && whighlight(m->ctx, (size_t)m->row[i], "code");
}

/* The highlight on district i: a rim inside its outline (raised by dy). */
static void draw_district_highlight(const struct map *m, size_t i, double dy)
{
    cairo_t *cr = m->ctx->cr;
    cairo_save(cr);
    feature_path(m, &m->geo->features[i], dy);
    cairo_clip_preserve(cr); /* a 6-unit line, half of it inside */
    cairo_set_line_width(cr, 6);
    color_set(cr, m->ctx->theme->highlight);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void draw_flat(const struct map *m)
{
    cairo_t *cr = m->ctx->cr;
    const struct theme *t = m->ctx->theme;
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t i = 0; i < m->geo->n; i++) {
        feature_path(m, &m->geo->features[i], 0);
        color_set_alpha(cr, district_color(m, i), FILL_ALPHA);
        cairo_fill_preserve(cr);
        cairo_set_line_width(cr, 4);
        color_set_alpha(cr, t->panel_glow, 0.18);
        cairo_stroke_preserve(cr);
        cairo_set_line_width(cr, 1.2);
        color_set_alpha(cr, t->header_accent, 0.85);
        cairo_stroke(cr);
    }
    for (size_t i = 0; i < m->geo->n; i++) /* above the neighbours' borders */
        if (district_lit(m, i))
            draw_district_highlight(m, i, 0);
}

struct wall {
    double x0, y0, x1, y1, depth;
};

static int cmp_wall(const void *a, const void *b)
{
    double da = ((const struct wall *)a)->depth, db = ((const struct wall *)b)->depth;
    return da < db ? -1 : da > db;
}

static double feature_base_y(const struct map *m, const struct geo_feature *f)
{
    double x, y;
    proj_apply(&m->proj, (f->bbox[0] + f->bbox[2]) / 2, f->bbox[1], &x, &y);
    return y;
}

static int cmp_depth(const void *a, const void *b, void *arg)
{
    const struct map *m = arg;
    double ya = feature_base_y(m, &m->geo->features[*(const size_t *)a]);
    double yb = feature_base_y(m, &m->geo->features[*(const size_t *)b]);
    return ya < yb ? -1 : ya > yb;
}

/* One raised district: its walls from the back to the front, then the top. */
static void draw_prism(const struct map *m, size_t i)
{
    cairo_t *cr = m->ctx->cr;
    const struct geo_feature *f = &m->geo->features[i];
    double h = m->height[i];
    rgba_t c = district_color(m, i);
    size_t nw = 0, cap = 0;
    struct wall *walls = NULL;
    for (size_t p = 0; p < f->npolys; p++) {
        const struct geo_ring *g = &f->polys[p].rings[0];
        for (size_t k = 0; k + 1 < g->n || (k + 1 == g->n && g->n > 2); k++) {
            size_t j = (k + 1) % g->n;
            struct wall w;
            proj_apply(&m->proj, g->xy[2 * k], g->xy[2 * k + 1], &w.x0, &w.y0);
            proj_apply(&m->proj, g->xy[2 * j], g->xy[2 * j + 1], &w.x1, &w.y1);
            w.depth = fmax(w.y0, w.y1);
            VEC_PUSH(walls, nw, cap, w);
        }
    }
    if (nw > 1)
        qsort(walls, nw, sizeof *walls, cmp_wall);
    cairo_set_line_width(cr, 0.8);
    for (size_t k = 0; k < nw; k++) {
        const struct wall *w = &walls[k];
        double len = hypot(w->x1 - w->x0, w->y1 - w->y0);
        if (len < 1e-9)
            continue;
        /* lit from the front left: walls facing the viewer are brighter */
        double shade = 0.42 + 0.3 * fabs(w->x1 - w->x0) / len;
        cairo_move_to(cr, w->x0, w->y0);
        cairo_line_to(cr, w->x1, w->y1);
        cairo_line_to(cr, w->x1, w->y1 - h);
        cairo_line_to(cr, w->x0, w->y0 - h);
        cairo_close_path(cr);
        color_set(cr, color_shade(c, shade));
        cairo_fill_preserve(cr);
        color_set_alpha(cr, color_shade(c, shade * 0.8), 0.9);
        cairo_stroke(cr);
    }
    free(walls);
    feature_path(m, f, h);
    color_set(cr, c);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, 1.2);
    color_set(cr, color_shade(c, 1.35));
    cairo_stroke(cr);
    if (district_lit(m, i))
        draw_district_highlight(m, i, h);
}

/* The districts in drawing order: back to front when extruded, else as
 * the file lists them. Caller frees. */
static size_t *prism_order(const struct map *m)
{
    size_t *order = xmalloc((m->geo->n + 1) * sizeof *order);
    for (size_t i = 0; i < m->geo->n; i++)
        order[i] = i;
    if (m->extrude)
        qsort_r(order, m->geo->n, sizeof *order, cmp_depth, (void *)m);
    return order;
}

static void draw_extruded(const struct map *m)
{
    cairo_t *cr = m->ctx->cr;
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    /* the floor: every district's footprint as a faint shadow */
    for (size_t i = 0; i < m->geo->n; i++) {
        feature_path(m, &m->geo->features[i], -2);
        color_set_alpha(cr, m->ctx->theme->bg_bottom, 0.5);
        cairo_fill(cr);
    }
    size_t *order = prism_order(m);
    for (size_t k = 0; k < m->geo->n; k++)
        draw_prism(m, order[k]);
    free(order);
}

/* Where a district's label goes: the centroid of its largest ring, or the
 * middle of its box when the centroid falls outside (a crescent). */
static void anchor_of(const struct map *m, size_t i, double *x, double *y)
{
    const struct geo_feature *f = &m->geo->features[i];
    double best = -1, cx = (f->bbox[0] + f->bbox[2]) / 2, cy = (f->bbox[1] + f->bbox[3]) / 2;
    for (size_t p = 0; p < f->npolys; p++) {
        const struct geo_ring *g = &f->polys[p].rings[0];
        double rx, ry, a = fabs(geo_ring_centroid(g->xy, g->n, &rx, &ry));
        if (a > best) {
            best = a;
            cx = rx;
            cy = ry;
        }
    }
    if (!geo_feature_contains(f, cx, cy)) {
        cx = (f->bbox[0] + f->bbox[2]) / 2;
        cy = (f->bbox[1] + f->bbox[3]) / 2;
    }
    proj_apply(&m->proj, cx, cy, x, y);
    *y -= m->height ? m->height[i] : 0;
}

static int cmp_label(const void *a, const void *b, void *arg)
{
    const struct map *m = arg;
    size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
    double va = m->val[ia], vb = m->val[ib];
    if (isnan(va) != isnan(vb))
        return isnan(va) ? 1 : -1;
    if (!isnan(va) && va != vb)
        return va > vb ? -1 : 1;
    const double *ba = m->geo->features[ia].bbox, *bb = m->geo->features[ib].bbox;
    double aa = (ba[2] - ba[0]) * (ba[3] - ba[1]), ab = (bb[2] - bb[0]) * (bb[3] - bb[1]);
    return aa > ab ? -1 : aa < ab;
}

static void draw_labels(const struct map *m, struct rect bounds)
{
    const struct widget_ctx *ctx = m->ctx;
    const struct theme *t = ctx->theme;
    size_t n = m->geo->n;
    size_t *order = xmalloc(n * sizeof *order);
    struct label_place *lp = xcalloc(n, sizeof *lp);
    struct text_style ns = wstyle(ctx, false, 15, 500, t->title);
    struct text_style vs = wstyle(ctx, true, 17, 700, t->value);
    ns.max_width = vs.max_width = 160;
    char buf[64];
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, cmp_label, (void *)m);
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        const char *name = m->geo->features[i].name ? m->geo->features[i].name : "";
        double wn = 0, hn = 0, wv = 0, hv = 0;
        text_measure(ctx->r->text, name, &ns, &wn, &hn);
        if (!isnan(m->val[i]))
            text_measure(ctx->r->text, wfmt(ctx, "value", m->val[i], buf, sizeof buf), &vs, &wv,
                         &hv);
        anchor_of(m, i, &lp[k].x, &lp[k].y);
        lp[k].w = fmax(wn, wv) + 12;
        lp[k].h = hn + hv + 6;
    }
    labels_place(lp, n, bounds, 2);
    for (size_t k = 0; k < n; k++) {
        if (!lp[k].placed)
            continue;
        size_t i = order[k];
        struct rect a = lp[k].at;
        draw_rounded_rect(ctx->cr, a.x, a.y, a.w, a.h, 4);
        color_set_alpha(ctx->cr, t->bg_bottom, 0.62);
        cairo_fill(ctx->cr);
        double wn, hn;
        const char *name = m->geo->features[i].name ? m->geo->features[i].name : "";
        text_measure(ctx->r->text, name, &ns, &wn, &hn);
        text_draw(ctx->r->text, ctx->cr, a.x + a.w / 2, a.y + 3, ANCHOR_CENTER | ANCHOR_TOP, name,
                  &ns);
        if (!isnan(m->val[i]))
            text_draw(ctx->r->text, ctx->cr, a.x + a.w / 2, a.y + 3 + hn,
                      ANCHOR_CENTER | ANCHOR_TOP, wfmt(ctx, "value", m->val[i], buf, sizeof buf),
                      &vs);
    }
    free(lp);
    free(order);
}

static void draw_dots(const struct map *m)
{
    cairo_t *cr = m->ctx->cr;
    const struct theme *t = m->ctx->theme;
    for (size_t i = 0; i < m->npts; i++) {
        const struct pt *p = &m->pts[i];
        if (!isfinite(p->x))
            continue;
        cairo_new_path(cr);
        cairo_arc(cr, p->x, p->y - (m->height && p->feature >= 0 ? m->height[p->feature] : 0), 2.4,
                  0, 2 * M_PI);
        if (p->feature < 0) { /* outside every district: hollow, muted */
            cairo_set_line_width(cr, 1);
            color_set(cr, t->muted);
            cairo_stroke(cr);
            continue;
        }
        color_set_alpha(cr, t->title, 0.9);
        cairo_fill_preserve(cr);
        cairo_set_line_width(cr, 0.6);
        color_set_alpha(cr, t->bg_bottom, 0.8);
        cairo_stroke(cr);
    }
}

/* Points gathered on a grid of CLUSTER_CELL: one bubble per cell at the
 * cell's centre of mass, sized by the count, the count written inside. */
static void draw_clusters(const struct map *m, struct rect area)
{
    const struct widget_ctx *ctx = m->ctx;
    const struct theme *t = ctx->theme;
    int gw = (int)ceil(area.w / CLUSTER_CELL) + 1, gh = (int)ceil(area.h / CLUSTER_CELL) + 1;
    if (gw < 1 || gh < 1 || (size_t)gw * (size_t)gh > 1000000)
        return;
    double *acc = xcalloc((size_t)gw * (size_t)gh * 3, sizeof *acc);
    for (size_t i = 0; i < m->npts; i++) {
        const struct pt *p = &m->pts[i];
        int cx = (int)floor((p->x - area.x) / CLUSTER_CELL), cy = (int)floor((p->y - area.y) / CLUSTER_CELL);
        if (!isfinite(p->x) || cx < 0 || cy < 0 || cx >= gw || cy >= gh)
            continue;
        double *a = acc + 3 * ((size_t)cy * (size_t)gw + (size_t)cx);
        a[0] += 1;
        a[1] += p->x;
        a[2] += p->y;
    }
    char buf[32];
    struct text_style st = wstyle(ctx, true, 14, 700, t->title);
    for (size_t c = 0; c < (size_t)gw * (size_t)gh; c++) {
        const double *a = acc + 3 * c;
        if (a[0] == 0)
            continue;
        double x = a[1] / a[0], y = a[2] / a[0];
        double r = fmin(22, 6 + 4.5 * log10(a[0]));
        cairo_new_path(ctx->cr);
        cairo_arc(ctx->cr, x, y, r + 3, 0, 2 * M_PI);
        color_set_alpha(ctx->cr, t->series[0], 0.22);
        cairo_fill(ctx->cr);
        cairo_arc(ctx->cr, x, y, r, 0, 2 * M_PI);
        color_set_alpha(ctx->cr, t->series[0], 0.85);
        cairo_fill(ctx->cr);
        if (r >= 11) {
            snprintf(buf, sizeof buf, "%.0f", a[0]);
            st.color = theme_text_on(t, t->series[0]);
            st.max_width = 2 * r + 6;
            text_draw(ctx->r->text, ctx->cr, x, y, ANCHOR_CENTER | ANCHOR_MIDDLE, buf, &st);
        }
    }
    free(acc);
}

static void draw_heat(const struct map *m, struct rect area)
{
    double *xy = xmalloc(2 * (m->npts + 1) * sizeof *xy), *w = xmalloc((m->npts + 1) * sizeof *w);
    for (size_t i = 0; i < m->npts; i++) {
        xy[2 * i] = m->pts[i].x;
        xy[2 * i + 1] = m->pts[i].y;
        w[i] = isfinite(m->pts[i].w) ? m->pts[i].w : 1;
    }
    /* a little beyond the map, so kernels at its edge are not cut square */
    double rad = panel_opt_num(m->ctx->panel, "heat_radius");
    struct rect b = {area.x - rad, area.y - rad, area.w + 2 * rad, area.h + 2 * rad};
    struct rect c = m->ctx->box;
    double x0 = fmax(b.x, c.x), y0 = fmax(b.y, c.y);
    b = (struct rect){x0, y0, fmin(b.x + b.w, c.x + c.w) - x0, fmin(b.y + b.h, c.y + c.h) - y0};
    heat_draw(m->ctx->cr, m->ctx->r, b, xy, w, m->npts, rad, &m->ctx->theme->heat, 0.85);
    free(xy);
    free(w);
}

/* Ripples on key items: three rings moving outwards over a 3 s cycle, the
 * phase from the render clock (an export shows them still). */
static void draw_pulses(const struct map *m)
{
    cairo_t *cr = m->ctx->cr;
    const struct theme *t = m->ctx->theme;
    double phase = (double)(((m->ctx->r->now % 3) + 3) % 3) / 3.0;
    size_t drawn = 0;
    for (size_t i = 0; i < m->npts && drawn < MAX_PULSES; i++) {
        const struct pt *p = &m->pts[i];
        if (!p->key)
            continue;
        double x = p->x, y = p->y;
        if (!isfinite(x)) {
            if (p->feature < 0)
                continue;
            anchor_of(m, (size_t)p->feature, &x, &y);
        } else if (m->height && p->feature >= 0) {
            y -= m->height[p->feature];
        }
        drawn++;
        cairo_set_line_width(cr, 1.6);
        for (int k = 0; k < 3; k++) {
            double f = fmod(phase + k / 3.0, 1.0);
            cairo_new_path(cr);
            cairo_arc(cr, x, y, 4 + 16 * f, 0, 2 * M_PI);
            color_set_alpha(cr, t->danger, 0.9 * (1 - f));
            cairo_stroke(cr);
        }
        cairo_new_path(cr);
        cairo_arc(cr, x, y, 3.5, 0, 2 * M_PI);
        color_set(cr, t->danger);
        cairo_fill(cr);
    }
}

struct legend {
    double w, h;
    int rows;
    bool nodata, heat;
    char title[128];
};

#define LEGEND_ROW 22.0

static void legend_measure(const struct map *m, struct legend *L)
{
    const struct widget_ctx *ctx = m->ctx;
    memset(L, 0, sizeof *L);
    if (!panel_opt_bool(ctx->panel, "legend"))
        return;
    L->heat = panel_opt_bool(ctx->panel, "heat") && m->npts > 0;
    const char *title = panel_opt_str(ctx->panel, "legend_title");
    snprintf(L->title, sizeof L->title, "%s", *title ? title : wunit(ctx, "value"));
    struct text_style st = wstyle(ctx, false, 14, 400, ctx->theme->text);
    double w = 0, tw, th;
    char a[48], b[48], s[100];
    if (m->fill && m->has_values) {
        L->rows = m->bins.n;
        for (int i = 0; i < m->bins.n; i++) {
            snprintf(s, sizeof s, "%s – %s", wfmt(ctx, "value", m->bins.edge[i], a, sizeof a),
                     wfmt(ctx, "value", m->bins.edge[i + 1], b, sizeof b));
            text_measure(ctx->r->text, s, &st, &tw, &th);
            w = fmax(w, tw);
        }
        for (size_t i = 0; i < m->geo->n; i++)
            L->nodata |= isnan(m->val[i]);
        L->rows += L->nodata;
    }
    if (L->heat) {
        L->rows += 1;
        w = fmax(w, 110);
    }
    if (L->rows == 0)
        return;
    L->w = w + 30; /* swatch, gap, label */
    if (*L->title) {
        text_measure(ctx->r->text, L->title, &st, &tw, &th);
        L->w = fmax(L->w, tw + 2);
    }
    L->w = fmin(L->w, 240);
    L->h = LEGEND_ROW * (L->rows + (*L->title != 0)) + 8;
}

static void legend_draw(const struct map *m, const struct legend *L, double x, double y)
{
    const struct widget_ctx *ctx = m->ctx;
    const struct theme *t = ctx->theme;
    cairo_t *cr = ctx->cr;
    struct text_style st = wstyle(ctx, false, 14, 400, t->text);
    st.max_width = L->w - 30;
    char a[48], b[48], s[100];
    double cy = y + LEGEND_ROW / 2;
    if (*L->title) {
        struct text_style ts = st;
        ts.color = t->muted;
        ts.max_width = L->w;
        text_draw(ctx->r->text, cr, x, cy, ANCHOR_LEFT | ANCHOR_MIDDLE, L->title, &ts);
        cy += LEGEND_ROW;
    }
    for (int i = m->fill && m->has_values ? m->bins.n - 1 : -1; i >= 0; i--, cy += LEGEND_ROW) {
        draw_rounded_rect(cr, x, cy - 6, 20, 12, 2);
        color_set_alpha(cr, bins_color(&m->bins, &t->heat, i), m->extrude ? 1 : FILL_ALPHA);
        cairo_fill(cr);
        snprintf(s, sizeof s, "%s – %s", wfmt(ctx, "value", m->bins.edge[i], a, sizeof a),
                 wfmt(ctx, "value", m->bins.edge[i + 1], b, sizeof b));
        text_draw(ctx->r->text, cr, x + 28, cy, ANCHOR_LEFT | ANCHOR_MIDDLE, s, &st);
    }
    if (L->nodata) {
        draw_rounded_rect(cr, x, cy - 6, 20, 12, 2);
        color_set(cr, color_mix(t->panel_bg | 0xff, t->muted, 0.25));
        cairo_fill(cr);
        text_draw(ctx->r->text, cr, x + 28, cy, ANCHOR_LEFT | ANCHOR_MIDDLE, "无数据", &st);
        cy += LEGEND_ROW;
    }
    if (L->heat) {
        cairo_pattern_t *g = cairo_pattern_create_linear(x, 0, x + 60, 0);
        for (int i = 0; i < t->heat.n && i < 8; i++)
            color_add_stop(g, t->heat.pos[i], t->heat.col[i]);
        draw_rounded_rect(cr, x, cy - 5, 60, 10, 3);
        cairo_set_source(cr, g);
        cairo_fill(cr);
        cairo_pattern_destroy(g);
        struct text_style hs = st;
        hs.max_width = L->w - 66;
        text_draw(ctx->r->text, cr, x + 66, cy, ANCHOR_LEFT | ANCHOR_MIDDLE, "密度 低→高", &hs);
    }
}

/* The top line: the schematic note on the left, problems on the right in
 * the warning colour (the left gives way when both are long). */
static void draw_notes(const struct map *m, struct rect band)
{
    const struct widget_ctx *ctx = m->ctx;
    const struct theme *t = ctx->theme;
    char prob[256] = "";
    size_t o = 0;
    if (m->unmatched)
        o += (size_t)snprintf(prob + o, sizeof prob - o, "%zu条数据的区划不在地图上(%s)",
                              m->unmatched, m->unmatched_first);
    if (m->outside && o < sizeof prob)
        o += (size_t)snprintf(prob + o, sizeof prob - o, "%s%zu个点不在任何区域内", o ? " · " : "",
                              m->outside);
    if (m->geo->nproblems && o < sizeof prob)
        snprintf(prob + o, sizeof prob - o, "%s地图文件有%zu处问题", o ? " · " : "",
                 m->geo->nproblems);
    double used = 0;
    if (*prob) {
        struct text_style ps = wstyle(ctx, false, 14, 500, t->warn);
        ps.max_width = band.w * 0.6;
        used = text_draw(ctx->r->text, ctx->cr, band.x + band.w, band.y + band.h / 2,
                         ANCHOR_RIGHT | ANCHOR_MIDDLE, prob, &ps) + 16;
    }
    if (m->geo->schematic && panel_opt_bool(ctx->panel, "schematic_note")) {
        struct text_style ns = wstyle(ctx, false, 14, 400, t->muted);
        ns.max_width = band.w - used;
        if (ns.max_width > 40) {
            double w = draw_badge(ctx->cr, ctx->r, band.x + 48, band.y + band.h / 2, "示意图",
                                  t->header_bg, t->title);
            ns.max_width -= w + 8;
            if (m->geo->note && ns.max_width > 40)
                text_draw(ctx->r->text, ctx->cr, band.x + w + 8, band.y + band.h / 2,
                          ANCHOR_LEFT | ANCHOR_MIDDLE, m->geo->note, &ns);
        }
    }
}

static bool has_key_points(const struct map *m)
{
    for (size_t i = 0; i < m->npts; i++)
        if (m->pts[i].key)
            return true;
    return false;
}

/* What draw lays out before it draws: the map's area, the projection,
 * the joined data, the legend and the extrusion. */
struct map_frame {
    struct rect area, fit;
    struct legend L;
    const char *attr; /* "" when there is no room for it */
    bool notes;
};

/* The layout for draw and hit alike: false when no map fits (the caller
 * frees m's arrays either way; *msg says why a map could not load). */
static bool map_layout(const struct widget_ctx *ctx, struct map *m, struct map_frame *fr,
                       const char **msg)
{
    struct rect b = ctx->box;
    *m = (struct map){.ctx = ctx};
    *msg = NULL;
    const char *why;
    if (b.w < 60 || b.h < 60)
        return false;
    if (!(m->geo = geometry(ctx, &why))) {
        *msg = why;
        return false;
    }
    m->extrude = strcmp(panel_opt_str(ctx->panel, "style"), "extrude") == 0;
    m->fill = panel_opt_bool(ctx->panel, "fill") && ctx->data && wcol(ctx, "code") >= 0;
    fr->attr = panel_opt_str(ctx->panel, "attribution");
    fr->area = b;
    fr->notes = b.h > 200;
    if (fr->notes) {
        fr->area.y += NOTE_BAND;
        fr->area.h -= NOTE_BAND;
    }
    if (*fr->attr && fr->area.h > 160)
        fr->area.h -= ATTR_BAND;
    else
        fr->attr = "";

    /* values first (the legend's size depends on them), points after the
     * projection is known */
    m->proj = proj_fit(m->geo->bbox, fr->area, 1);
    join_data(m);
    value_range(m);
    legend_measure(m, &fr->L);

    /* the legend takes a column on the left or a band at the bottom,
     * whichever leaves the map larger */
    double tilt = m->extrude ? EXTRUDE_TILT : 1;
    m->lift = m->extrude ? fmin(fr->area.h * 0.16, 140) : 0;
    struct rect fit = rect_inset(fr->area, 8, 8);
    fit.y += m->lift;
    fit.h -= m->lift;
    if (fr->L.rows > 0) {
        struct rect side = fit, below = fit;
        side.x += fr->L.w + 12;
        side.w -= fr->L.w + 12;
        below.h -= fr->L.h + 4;
        struct proj ps = proj_fit(m->geo->bbox, side, tilt);
        struct proj pb = proj_fit(m->geo->bbox, below, tilt);
        fit = ps.scale >= pb.scale ? side : below;
    }
    fr->fit = fit;
    if (fit.w < 20 || fit.h < 20)
        return false;
    m->proj = proj_fit(m->geo->bbox, fit, tilt);
    /* re-project the points with the final projection */
    free(m->pts);
    free(m->val);
    free(m->row);
    m->pts = NULL;
    m->npts = m->outside = m->unmatched = 0;
    join_data(m);
    if (m->extrude) {
        m->height = xmalloc(m->geo->n * sizeof *m->height);
        for (size_t i = 0; i < m->geo->n; i++) {
            double v = m->val[i];
            m->height[i] = 4 + (m->has_values && m->vmax > 0 && v > 0 ? m->lift * v / m->vmax : 0);
        }
    }
    return true;
}

static void map_free(struct map *m)
{
    free(m->val);
    free(m->row);
    free(m->height);
    free(m->pts);
}

/* How the points are drawn: dots, clusters or neither (the heat layer). */
enum map_points { POINTS_NONE, POINTS_DOTS, POINTS_CLUSTERS };

static enum map_points points_style(const struct map *m, size_t located)
{
    const struct widget_ctx *ctx = m->ctx;
    bool heat = panel_opt_bool(ctx->panel, "heat");
    const char *pm = panel_opt_str(ctx->panel, "points");
    if (located == 0)
        return POINTS_NONE;
    bool clusters = strcmp(pm, "clusters") == 0 ||
                    (strcmp(pm, "auto") == 0 &&
                     located >= (size_t)panel_opt_num(ctx->panel, "cluster_at"));
    if (strcmp(pm, "dots") == 0 || (strcmp(pm, "auto") == 0 && !heat && !clusters))
        return POINTS_DOTS;
    if (clusters && !(heat && strcmp(pm, "auto") == 0))
        return POINTS_CLUSTERS;
    return POINTS_NONE;
}

static size_t located_points(const struct map *m)
{
    size_t located = 0;
    for (size_t i = 0; i < m->npts; i++)
        located += isfinite(m->pts[i].x);
    return located;
}

static void draw(const struct widget_ctx *ctx)
{
    struct rect b = ctx->box;
    struct map m;
    struct map_frame fr;
    const char *msg;
    if (!map_layout(ctx, &m, &fr, &msg)) {
        if (msg)
            draw_placeholder(ctx->cr, ctx->r, b, "地图无法加载", msg);
        map_free(&m);
        return;
    }
    if (m.extrude)
        draw_extruded(&m);
    else
        draw_flat(&m);

    size_t located = located_points(&m);
    if (panel_opt_bool(ctx->panel, "heat") && located > 0)
        draw_heat(&m, fr.fit);
    enum map_points ps = points_style(&m, located);
    if (ps == POINTS_DOTS)
        draw_dots(&m);
    else if (ps == POINTS_CLUSTERS)
        draw_clusters(&m, b);
    if (panel_opt_bool(ctx->panel, "pulses") && has_key_points(&m))
        draw_pulses(&m);
    if (panel_opt_bool(ctx->panel, "labels"))
        draw_labels(&m, b);
    if (fr.L.rows > 0)
        legend_draw(&m, &fr.L, fr.area.x + 4, fr.area.y + fr.area.h - fr.L.h);
    if (fr.notes)
        draw_notes(&m, (struct rect){b.x, b.y, b.w, NOTE_BAND - 4});
    if (*fr.attr) {
        struct text_style as = wstyle(ctx, false, 14, 400, ctx->theme->muted);
        as.max_width = b.w;
        text_draw(ctx->r->text, ctx->cr, b.x + b.w, b.y + b.h, ANCHOR_RIGHT | ANCHOR_BOTTOM,
                  fr.attr, &as);
    }
    map_free(&m);
}

/* True when district i, raised to its prism (height 0 when flat), covers
 * the point: its top face, or its footprint anywhere below that. */
static bool district_holds(const struct map *m, size_t i, double x, double y)
{
    cairo_t *cr = m->ctx->cr;
    double h = m->height ? m->height[i] : 0;
    for (double dy = 0;; dy = fmin(dy + 2, h)) { /* the walls: footprints up to the top */
        feature_path(m, &m->geo->features[i], dy);
        if (cairo_in_fill(cr, x, y))
            return true;
        if (dy >= h)
            return false;
    }
}

/* The dot within touch reach of the point, the nearest; -1 for none. */
static long dot_at(const struct map *m, double x, double y)
{
    const double reach = 12; /* a finger, not the dot's 2.4 units */
    long best = -1;
    double best_d = reach;
    for (size_t i = 0; i < m->npts; i++) {
        const struct pt *p = &m->pts[i];
        double py = p->y - (m->height && p->feature >= 0 ? m->height[p->feature] : 0);
        double d = hypot(p->x - x, py - y);
        if (isfinite(d) && d <= best_d) {
            best = (long)p->row;
            best_d = d;
        }
    }
    return best;
}

/* A dot's row when dots are drawn and one is within reach, else the row of
 * the district on top at the point (clusters and the heat layer are no
 * rows: they stand for many). */
static int hit(const struct widget_ctx *ctx, double x, double y)
{
    struct map m;
    struct map_frame fr;
    const char *msg;
    long row = -1;
    if (map_layout(ctx, &m, &fr, &msg) && rect_contains(ctx->box, x, y)) {
        if (points_style(&m, located_points(&m)) == POINTS_DOTS)
            row = dot_at(&m, x, y);
        cairo_set_fill_rule(ctx->cr, CAIRO_FILL_RULE_EVEN_ODD);
        size_t *order = prism_order(&m); /* front last: search from the front */
        for (size_t k = m.geo->n; row < 0 && k-- > 0;)
            if (district_holds(&m, order[k], x, y))
                row = m.row[order[k]];
        free(order);
    }
    map_free(&m);
    return (int)row;
}

const struct widget_class widget_map = {
    .spec = {
        .name = "map",
        .title = "Map (地图)",
        .doc = "Districts from a GeoJSON file (Polygon/MultiPolygon, holes included) joined to the "
               "data by district code: coloured by the summed value, or by the number of rows, "
               "in nice classes with a legend; names and values placed without overlap; points "
               "as dots or, when many, clusters; a heat layer (kernel density); ripples on key "
               "items; a flat or an extruded 3D style. Join problems (codes not on the map, "
               "points outside every district, bad features) are written on the map; a "
               "schematic file says so; an attribution line (审图号) goes under the map.",
        .needs_data = false,
        .roles = roles,
        .props = props,
        .animated_by = "pulses",
        .animated_role = "key",
        .prepare = prepare,
        .release = release,
    },
    .draw = draw,
    .hit = hit,
};
