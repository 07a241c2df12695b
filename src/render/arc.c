#include "render/arc.h"
#include <math.h>
#include <stdlib.h>

#define MAX_PATCH (M_PI / 12) /* 15°: small enough that Bézier arcs stay exact */
/* 5° at most: a wedge's outer chord stays near the circle it covers */
#define WEDGE (M_PI / 36)

static void polar(double cx, double cy, double radius, double a, double *x, double *y)
{
    *x = cx + radius * cos(a);
    *y = cy + radius * sin(a);
}

/* Adds the Bézier quarter-or-less arc from angle a to b (either direction)
 * to the current patch, starting at the current point. */
static void mesh_arc(cairo_pattern_t *p, double cx, double cy, double radius, double a, double b)
{
    double k = 4.0 / 3.0 * tan((b - a) / 4) * radius;
    double x0, y0, x3, y3;
    polar(cx, cy, radius, a, &x0, &y0);
    polar(cx, cy, radius, b, &x3, &y3);
    cairo_mesh_pattern_curve_to(p, x0 - k * sin(a), y0 + k * cos(a), x3 + k * sin(b),
                                y3 - k * cos(b), x3, y3);
}

static void corner(cairo_pattern_t *p, unsigned i, rgba_t c)
{
    cairo_mesh_pattern_set_corner_color_rgba(p, i, ((c >> 24) & 0xff) / 255.0,
                                             ((c >> 16) & 0xff) / 255.0,
                                             ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0);
}

/* One annular sector [a, b] × [r0, r1] whose colour goes ca → cb. */
static void mesh_sector(cairo_pattern_t *p, double cx, double cy, double r0, double r1, double a,
                        double b, rgba_t ca, rgba_t cb)
{
    double x, y;
    cairo_mesh_pattern_begin_patch(p);
    polar(cx, cy, r0, a, &x, &y);
    cairo_mesh_pattern_move_to(p, x, y);
    polar(cx, cy, r1, a, &x, &y);
    cairo_mesh_pattern_line_to(p, x, y);
    mesh_arc(p, cx, cy, r1, a, b);
    polar(cx, cy, r0, b, &x, &y);
    cairo_mesh_pattern_line_to(p, x, y);
    mesh_arc(p, cx, cy, r0, b, a);
    corner(p, 0, ca);
    corner(p, 1, ca);
    corner(p, 2, cb);
    corner(p, 3, cb);
    cairo_mesh_pattern_end_patch(p);
}

/* The outline of the stroke of the arc a0 → a1 of this radius and width,
 * as a path to fill (non-zero): what cairo_stroke would cover. */
static void stroke_outline(cairo_t *cr, double cx, double cy, double radius, double a0, double a1,
                           double width, bool full, bool round)
{
    double hw = width / 2, ri = fmax(0, radius - hw), x, y;
    cairo_new_path(cr);
    if (full) {
        cairo_arc(cr, cx, cy, radius + hw, 0, 2 * M_PI);
        cairo_close_path(cr);
        if (ri > 0) {
            cairo_new_sub_path(cr);
            cairo_arc_negative(cr, cx, cy, ri, 2 * M_PI, 0);
            cairo_close_path(cr);
        }
        return;
    }
    cairo_arc(cr, cx, cy, radius + hw, a0, a1);
    polar(cx, cy, radius, a1, &x, &y);
    if (round)
        cairo_arc(cr, x, y, hw, a1, a1 + M_PI);
    if (ri > 0)
        cairo_arc_negative(cr, cx, cy, ri, a1, a0);
    else
        cairo_line_to(cr, cx, cy);
    polar(cx, cy, radius, a0, &x, &y);
    if (round)
        cairo_arc(cr, x, y, hw, a0 + M_PI, a0 + 2 * M_PI);
    cairo_close_path(cr);
}

/* The most two colours differ in one channel, in levels. */
static int levels_apart(rgba_t c0, rgba_t c1)
{
    int most = 0;
    for (int shift = 0; shift < 32; shift += 8) {
        int d = abs((int)((c0 >> shift) & 0xff) - (int)((c1 >> shift) & 0xff));
        most = d > most ? d : most;
    }
    return most;
}

/* The wedges a → b between radii r0 and r1 (r1 past the arc's bulge), each
 * solid, at most WEDGE wide and a level of colour from the next, running
 * ca → cb: a gradient as 8 bits can show it, without a gradient's cost.
 * Without antialiasing: wedges sharing an edge (its ends worked out by the
 * same expression) tile the plane without a seam, and the outline gives
 * the stroke its smooth edge. */
static void fill_wedges(cairo_t *cr, double cx, double cy, double r0, double r1, double a,
                        double b, rgba_t ca, rgba_t cb)
{
    int n = (int)ceil((b - a) / WEDGE), steps = levels_apart(ca, cb);
    n = n > steps ? n : steps;
    double xs, ys, xe, ye;
    polar(cx, cy, r1, a, &xs, &ys);
    for (int i = 0; i < n; i++) {
        double e = i + 1 < n ? a + (b - a) * (i + 1) / n : b, x, y;
        cairo_new_path(cr);
        polar(cx, cy, r0, a + (b - a) * i / n, &x, &y);
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, xs, ys);
        polar(cx, cy, r1, e, &xe, &ye);
        cairo_line_to(cr, xe, ye);
        polar(cx, cy, r0, e, &x, &y);
        cairo_line_to(cr, x, y);
        cairo_close_path(cr);
        color_set(cr, color_mix(ca, cb, (i + 0.5) / n));
        cairo_fill(cr);
        xs = xe, ys = ye;
    }
}

/* The box of the stroke of the arc a0 → a1 (a1 - a0 ≤ 2π) with its caps:
 * the outer circle at the ends and at each quarter turn between them,
 * and each end's cap disc. As {x0, y0, x1, y1}. */
static void arc_box(double cx, double cy, double radius, double a0, double a1, double hw,
                    double box[4])
{
    box[0] = box[1] = INFINITY, box[2] = box[3] = -INFINITY;
    double x, y;
    for (int end = 0; end < 2; end++) {
        polar(cx, cy, radius, end ? a1 : a0, &x, &y);
        box[0] = fmin(box[0], x - hw), box[1] = fmin(box[1], y - hw);
        box[2] = fmax(box[2], x + hw), box[3] = fmax(box[3], y + hw);
    }
    for (double q = ceil(a0 / (M_PI / 2)) * (M_PI / 2); q <= a1; q += M_PI / 2) {
        polar(cx, cy, radius + hw, q, &x, &y);
        box[0] = fmin(box[0], x), box[1] = fmin(box[1], y);
        box[2] = fmax(box[2], x), box[3] = fmax(box[3], y);
    }
}

/* arc_gradient on pixels: coloured wedges into a group the size of the
 * arc's box, then the stroke's outline filled with it. cairo 1.16
 * rasterises a mesh pattern patch by patch, pixel by pixel: half of an 8K
 * frame of the projects scene went there. (Under the outline as a clip
 * instead, cairo makes a mask of the clip for every wedge.) */
static void raster_arc(cairo_t *cr, double cx, double cy, double radius, double a0, double a1,
                       double width, rgba_t c0, rgba_t c1, bool full, bool round)
{
    double hw = width / 2;
    double r0 = fmax(0, radius - hw - 1), r1 = (radius + hw + 1) / cos(WEDGE / 2);
    double box[4];
    arc_box(cx, cy, radius, a0, a1, hw, box);
    cairo_save(cr);
    cairo_rectangle(cr, box[0] - 2, box[1] - 2, box[2] - box[0] + 4, box[3] - box[1] + 4);
    cairo_clip(cr); /* the group: the arc's box, not the whole ring's */
    cairo_push_group(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    fill_wedges(cr, cx, cy, r0, r1, a0, a1, c0, c1);
    if (round && !full) {
        /* the caps: a disc of radius hw at each end, in the end's colour */
        double cap = hw >= radius ? M_PI : asin(hw / radius) + 0.02;
        cap = fmin(cap, (2 * M_PI - (a1 - a0)) / 2);
        fill_wedges(cr, cx, cy, r0, r1, a0 - cap, a0, c0, c0);
        fill_wedges(cr, cx, cy, r0, r1, a1, a1 + cap, c1, c1);
    }
    cairo_pop_group_to_source(cr);
    stroke_outline(cr, cx, cy, radius, a0, a1, width, full, round);
    cairo_fill(cr);
    cairo_restore(cr);
}

void arc_gradient(cairo_t *cr, double cx, double cy, double radius, double a0, double a1,
                  double width, rgba_t c0, rgba_t c1, bool round)
{
    if (!(a1 > a0) || !(radius > 0) || !(width > 0) || !isfinite(a1 - a0))
        return;
    bool full = a1 - a0 >= 2 * M_PI - 1e-6;
    if (full)
        a1 = a0 + 2 * M_PI;
    /* the pattern covers the stroke and its caps: the caps reach half the
     * width beyond each end, in the end's own colour */
    double cap = round && !full ? width / 2 / radius + 0.02 : 0;
    double r0 = fmax(0, radius - width), r1 = radius + width;
    cairo_surface_type_t target = cairo_surface_get_type(cairo_get_target(cr));
    if (target == CAIRO_SURFACE_TYPE_SVG) {
        /* SVG has no mesh gradients: cairo would rasterise the whole page.
         * Solid segments, each overlapping the next a little, keep it vector. */
        int n = (int)ceil((a1 - a0) / (M_PI / 90));
        cairo_save(cr);
        cairo_set_line_width(cr, width);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        for (int i = 0; i < n; i++) {
            double a = a0 + (a1 - a0) * i / n, b = a0 + (a1 - a0) * (i + 1) / n;
            color_set(cr, color_mix(c0, c1, (i + 0.5) / n));
            cairo_new_path(cr);
            cairo_arc(cr, cx, cy, radius, a, i + 1 < n ? b + 0.004 : b);
            cairo_stroke(cr);
        }
        for (int end = 0; cap > 0 && end < 2; end++) {
            double x, y;
            polar(cx, cy, radius, end ? a1 : a0, &x, &y);
            color_set(cr, end ? c1 : c0);
            cairo_new_path(cr);
            cairo_arc(cr, x, y, width / 2, 0, 2 * M_PI); /* a whole disc: no seam at the cap */
            cairo_fill(cr);
        }
        cairo_restore(cr);
        return;
    }
    if (target == CAIRO_SURFACE_TYPE_IMAGE) {
        raster_arc(cr, cx, cy, radius, a0, a1, width, c0, c1, full, round);
        return;
    }
    cairo_pattern_t *p = cairo_pattern_create_mesh();
    if (cap > 0) {
        mesh_sector(p, cx, cy, r0, r1, a0 - cap, a0, c0, c0);
        mesh_sector(p, cx, cy, r0, r1, a1, a1 + cap, c1, c1);
    }
    int n = (int)ceil((a1 - a0) / MAX_PATCH);
    for (int i = 0; i < n; i++) {
        double a = a0 + (a1 - a0) * i / n, b = a0 + (a1 - a0) * (i + 1) / n;
        mesh_sector(p, cx, cy, r0, r1, a, b, color_mix(c0, c1, (double)i / n),
                    color_mix(c0, c1, (double)(i + 1) / n));
    }
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_arc(cr, cx, cy, radius, a0, a1);
    cairo_set_line_width(cr, width);
    cairo_set_line_cap(cr, cap > 0 ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
    cairo_set_source(cr, p);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_pattern_destroy(p);
}

void arc_center_text(cairo_t *cr, struct render *r, double cx, double cy, double max_w,
                     const char *value, double value_size, rgba_t value_color,
                     const char *caption, rgba_t caption_color)
{
    if (max_w < 20)
        return;
    struct text_style vs = text_style_make(r, true, value_size, 700, value_color);
    double w, h;
    text_measure(r->text, value, &vs, &w, &h);
    /* shrink the number rather than cut it: a clipped figure misleads */
    if (w > max_w) /* 0.95: glyph widths do not scale exactly with the size */
        vs = text_style_make(r, true, value_size * max_w / w * 0.95, 700, value_color);
    text_measure(r->text, value, &vs, &w, &h);
    if (w > max_w) /* even the smallest size is too wide: better nothing than "38…" */
        return;
    bool cap = caption && *caption;
    struct text_style cs = text_style_make(r, false, fmax(14, fmin(18, vs.size * 0.42)), 400,
                                           caption_color);
    cs.max_width = max_w;
    double ch = 0, cw;
    if (cap)
        text_measure(r->text, caption, &cs, &cw, &ch);
    double top = cy - (h + ch) / 2;
    text_draw(r->text, cr, cx, top, ANCHOR_CENTER | ANCHOR_TOP, value, &vs);
    if (cap)
        text_draw(r->text, cr, cx, top + h, ANCHOR_CENTER | ANCHOR_TOP, caption, &cs);
}
