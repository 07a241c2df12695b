#include "data/geojson.h"
#include "util/file.h"
#include "util/json.h"
#include "util/util.h"
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds that keep a hostile file from taking the memory of a wall: a
 * million positions are about 25 MB of GeoJSON and 250 MB while jansson
 * holds the parsed file; a city's detailed districts need a tenth of it. */
#define MAX_FEATURES 100000
#define MAX_POSITIONS 1000000

struct parse {
    const char *path;
    struct geo_map *m;
    size_t positions;
    size_t budget;          /* edge comparisons left for the self-crossing checks */
};

static void problem(struct parse *p, const char *jp, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(struct parse *p, const char *jp, const char *fmt, ...)
{
    struct geo_map *m = p->m;
    if (m->nproblems < GEO_MAX_PROBLEMS) {
        char what[200];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(what, sizeof what, fmt, ap);
        va_end(ap);
        snprintf(m->problems[m->nproblems], sizeof m->problems[0], "%s: %s: %s", p->path, jp, what);
    }
    m->nproblems++;
}

static void ring_free(struct geo_ring *r)
{
    free(r->xy);
}

static void poly_free(struct geo_polygon *g)
{
    for (size_t i = 0; i < g->nrings; i++)
        ring_free(&g->rings[i]);
    free(g->rings);
}

static void feature_free(struct geo_feature *f)
{
    for (size_t i = 0; i < f->npolys; i++)
        poly_free(&f->polys[i]);
    free(f->polys);
    free(f->code);
    free(f->name);
}

void geo_destroy(struct geo_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        feature_free(&m->features[i]);
    free(m->features);
    free(m->note);
    free(m);
}

static void bbox_add(double b[4], double x, double y)
{
    b[0] = fmin(b[0], x);
    b[1] = fmin(b[1], y);
    b[2] = fmax(b[2], x);
    b[3] = fmax(b[3], y);
}

/* A ring: at least 4 positions of [lon, lat(, …)] within the globe. False
 * with a problem recorded when it is not. */
static bool parse_ring(struct parse *p, json_t *a, const char *jp, struct geo_ring *out,
                       double bbox[4])
{
    if (!json_is_array(a))
        return problem(p, jp, "expected an array of positions"), false;
    size_t n = json_array_size(a);
    if (n < 4)
        return problem(p, jp, "a ring needs at least 4 positions, found %zu", n), false;
    if (p->positions + n > MAX_POSITIONS)
        return problem(p, jp, "more than %d positions in the file", MAX_POSITIONS), false;
    double *xy = xmalloc(2 * n * sizeof *xy);
    for (size_t i = 0; i < n; i++) {
        json_t *pos = json_array_get(a, i);
        json_t *x = json_array_get(pos, 0), *y = json_array_get(pos, 1);
        struct jpath pp;
        if (!json_is_array(pos) || !json_is_number(x) || !json_is_number(y)) {
            problem(p, jpath_idx(&pp, jp, i), "expected a position [lon, lat]");
            free(xy);
            return false;
        }
        double lon = json_number_value(x), lat = json_number_value(y);
        if (!(fabs(lon) <= 180) || !(fabs(lat) <= 90)) {
            problem(p, jpath_idx(&pp, jp, i), "coordinate out of range: [%g, %g] (lon -180..180, lat -90..90)",
                    lon, lat);
            free(xy);
            return false;
        }
        xy[2 * i] = lon;
        xy[2 * i + 1] = lat;
        bbox_add(bbox, lon, lat);
    }
    p->positions += n;
    *out = (struct geo_ring){xy, n};
    return true;
}

/* Polygon coordinates: rings, the first the outer one. */
static bool parse_polygon(struct parse *p, json_t *a, const char *jp, struct geo_feature *f)
{
    if (!json_is_array(a))
        return problem(p, jp, "expected an array of rings"), false;
    if (json_array_size(a) == 0)
        return problem(p, jp, "empty polygon"), false;
    struct geo_polygon g = {xcalloc(json_array_size(a), sizeof *g.rings), 0};
    size_t i;
    json_t *r;
    json_array_foreach(a, i, r) {
        struct jpath rp;
        jpath_idx(&rp, jp, i);
        if (!parse_ring(p, r, rp.s, &g.rings[g.nrings], f->bbox)) {
            poly_free(&g);
            return false;
        }
        struct geo_ring *ring = &g.rings[g.nrings++];
        bool spent = p->budget == 0;
        enum geo_ring_check c =
            f->self_intersecting ? GEO_RING_SIMPLE : geo_ring_check(ring->xy, ring->n, &p->budget);
        if (c == GEO_RING_CROSSES) {
            f->self_intersecting = true;
            problem(p, rp.s, "ring crosses itself (drawn with the even-odd rule)");
        } else if (c == GEO_RING_UNCHECKED && !spent) { /* said once */
            problem(p, rp.s, "not checked for self-crossings from here on: the file's budget of "
                    "%d edge comparisons is spent", GEO_SELF_CHECK_BUDGET);
        }
    }
    f->polys = xrealloc(f->polys, (f->npolys + 1) * sizeof *f->polys);
    f->polys[f->npolys++] = g;
    return true;
}

static bool parse_geometry(struct parse *p, json_t *geom, const char *jp, struct geo_feature *f)
{
    struct jpath tp, cp;
    json_t *type = json_object_get(geom, "type");
    json_t *coords = json_object_get(geom, "coordinates");
    if (!geom || json_is_null(geom))
        return problem(p, jp, "empty geometry (null)"), false;
    if (!json_is_object(geom) || !json_is_string(type))
        return problem(p, jp, "expected a geometry object with a type"), false;
    const char *t = json_string_value(type);
    bool multi = strcmp(t, "MultiPolygon") == 0;
    if (!multi && strcmp(t, "Polygon") != 0)
        return problem(p, jpath_key(&tp, jp, "type"),
                       "unsupported geometry type \"%.40s\" (Polygon or MultiPolygon)", t),
               false;
    jpath_key(&cp, jp, "coordinates");
    if (!json_is_array(coords) || json_array_size(coords) == 0)
        return problem(p, cp.s, "empty geometry (no coordinates)"), false;
    if (!multi)
        return parse_polygon(p, coords, cp.s, f);
    size_t i;
    json_t *poly;
    json_array_foreach(coords, i, poly) {
        struct jpath pp;
        if (!parse_polygon(p, poly, jpath_idx(&pp, cp.s, i), f))
            return false;
    }
    return true;
}

/* The property as text: strings as they are, integers in decimal; NULL
 * when missing, null or of another type. */
static char *prop_text(json_t *props, const char *name)
{
    json_t *v = json_object_get(props, name);
    if (json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) < 256 &&
        utf8_valid(json_string_value(v), json_string_length(v)))
        return xstrdup(json_string_value(v));
    if (json_is_integer(v))
        return xasprintf("%lld", (long long)json_integer_value(v));
    return NULL;
}

static void parse_feature(struct parse *p, json_t *feat, const char *jp, const char *code_prop,
                          const char *name_prop)
{
    struct jpath gp, pp;
    json_t *type = json_object_get(feat, "type");
    if (!json_is_object(feat) || !json_is_string(type) ||
        strcmp(json_string_value(type), "Feature") != 0) {
        problem(p, jp, "expected a Feature object");
        return;
    }
    struct geo_feature f = {.bbox = {INFINITY, INFINITY, -INFINITY, -INFINITY}};
    if (!parse_geometry(p, json_object_get(feat, "geometry"), jpath_key(&gp, jp, "geometry"), &f)) {
        feature_free(&f);
        return;
    }
    json_t *props = json_object_get(feat, "properties");
    f.code = prop_text(props, code_prop);
    f.name = prop_text(props, name_prop);
    if (!f.name && f.code)
        f.name = xstrdup(f.code);
    if (!f.code)
        problem(p, jpath_key(&pp, jp, "properties"),
                "no district code \"%.40s\": drawn without data", code_prop);
    struct geo_map *m = p->m;
    m->features = xrealloc(m->features, (m->n + 1) * sizeof *m->features);
    m->features[m->n++] = f;
    bbox_add(m->bbox, f.bbox[0], f.bbox[1]);
    bbox_add(m->bbox, f.bbox[2], f.bbox[3]);
}

struct geo_map *geo_parse(const char *path, const char *data, size_t len, const char *code_prop,
                          const char *name_prop, struct err *err)
{
    json_t *root = json_parse_checked(path, data, len, NULL, err);
    if (!root)
        return NULL;
    struct geo_map *m = xcalloc(1, sizeof *m);
    m->bbox[0] = m->bbox[1] = INFINITY;
    m->bbox[2] = m->bbox[3] = -INFINITY;
    struct parse p = {.path = path, .m = m, .budget = GEO_SELF_CHECK_BUDGET};
    json_t *type = json_object_get(root, "type");
    const char *t = json_is_string(type) ? json_string_value(type) : "";
    if (!json_is_object(root) || (strcmp(t, "FeatureCollection") && strcmp(t, "Feature"))) {
        err_set(err, "%s: expected a GeoJSON FeatureCollection or Feature", path);
        goto fail;
    }
    if (strcmp(t, "Feature") == 0) {
        parse_feature(&p, root, "(root)", code_prop, name_prop);
    } else {
        json_t *features = json_object_get(root, "features");
        if (!json_is_array(features)) {
            err_set(err, "%s: features: expected an array", path);
            goto fail;
        }
        if (json_array_size(features) > MAX_FEATURES) {
            err_set(err, "%s: features: more than %d features", path, MAX_FEATURES);
            goto fail;
        }
        size_t i;
        json_t *feat;
        json_array_foreach(features, i, feat) {
            struct jpath fp;
            parse_feature(&p, feat, jpath_idx(&fp, "features", i), code_prop, name_prop);
        }
    }
    if (m->n == 0) {
        if (m->nproblems)
            err_set(err, "%s: no drawable feature (%s)", path, m->problems[0]);
        else
            err_set(err, "%s: no drawable feature", path);
        goto fail;
    }
    json_t *lw = json_object_get(root, "lotuswall");
    m->schematic = json_is_true(json_object_get(lw, "schematic"));
    m->note = prop_text(lw, "note");
    json_decref(root);
    return m;
fail:
    json_decref(root);
    geo_destroy(m);
    return NULL;
}

struct geo_map *geo_load(const char *path, const char *code_prop, const char *name_prop,
                         struct err *err)
{
    size_t len;
    char *data = file_read(path, FILE_MAX_DATA, &len, err);
    if (!data)
        return NULL;
    struct geo_map *m = geo_parse(path, data, len, code_prop, name_prop, err);
    free(data);
    return m;
}

long geo_find(const struct geo_map *m, const char *code)
{
    for (size_t i = 0; code && i < m->n; i++)
        if (m->features[i].code && strcmp(m->features[i].code, code) == 0)
            return (long)i;
    return -1;
}

/* Even-odd crossing test over every ring of the feature. */
bool geo_feature_contains(const struct geo_feature *f, double lon, double lat)
{
    if (!(lon >= f->bbox[0] && lon <= f->bbox[2] && lat >= f->bbox[1] && lat <= f->bbox[3]))
        return false;
    bool in = false;
    for (size_t p = 0; p < f->npolys; p++)
        for (size_t r = 0; r < f->polys[p].nrings; r++) {
            const struct geo_ring *g = &f->polys[p].rings[r];
            for (size_t i = 0, j = g->n - 1; i < g->n; j = i++) {
                double xi = g->xy[2 * i], yi = g->xy[2 * i + 1];
                double xj = g->xy[2 * j], yj = g->xy[2 * j + 1];
                if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
                    in = !in;
            }
        }
    return in;
}

long geo_locate(const struct geo_map *m, double lon, double lat)
{
    for (size_t i = 0; i < m->n; i++)
        if (geo_feature_contains(&m->features[i], lon, lat))
            return (long)i;
    return -1;
}

static double cross(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

static bool segments_meet(const double *a, const double *b, const double *c, const double *d)
{
    double d1 = cross(c[0], c[1], d[0], d[1], a[0], a[1]);
    double d2 = cross(c[0], c[1], d[0], d[1], b[0], b[1]);
    double d3 = cross(a[0], a[1], b[0], b[1], c[0], c[1]);
    double d4 = cross(a[0], a[1], b[0], b[1], d[0], d[1]);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
        return true;
    /* touching: an end point on the other segment */
    return (d1 == 0 && fmin(c[0], d[0]) <= a[0] && a[0] <= fmax(c[0], d[0]) &&
            fmin(c[1], d[1]) <= a[1] && a[1] <= fmax(c[1], d[1])) ||
           (d3 == 0 && fmin(a[0], b[0]) <= c[0] && c[0] <= fmax(a[0], b[0]) &&
            fmin(a[1], b[1]) <= c[1] && c[1] <= fmax(a[1], b[1]));
}

struct edge {
    double x0, x1, y0, y1; /* the edge's bounding box */
    size_t i;              /* from position i to i + 1 (mod n) */
};

static int by_x0(const void *a, const void *b)
{
    double x = ((const struct edge *)a)->x0, y = ((const struct edge *)b)->x0;
    return (x > y) - (x < y);
}

/* Sweeps a vertical line from west to east: the edges sorted by their
 * western end, each compared only with the edges still "active" (whose
 * eastern end the line has not passed) and whose latitudes overlap. A map's
 * rings have few edges over any longitude, so this is O(n log n) where
 * comparing every pair was O(n²) (4096 positions a ring took 8 million
 * comparisons; 1,200 such rings, 54 s). Pathological rings (every edge
 * over the same longitudes) are what the budget is for. */
enum geo_ring_check geo_ring_check(const double *xy, size_t n, size_t *budget)
{
    if (n > 1 && xy[0] == xy[2 * (n - 1)] && xy[1] == xy[2 * (n - 1) + 1])
        n--; /* the closing position repeats the first */
    if (n < 4)
        return GEO_RING_SIMPLE;
    if (*budget == 0)
        return GEO_RING_UNCHECKED;
    struct edge *e = xmalloc(n * sizeof *e);
    size_t *active = xmalloc(n * sizeof *active), nactive = 0;
    for (size_t i = 0; i < n; i++) {
        const double *a = xy + 2 * i, *b = xy + 2 * ((i + 1) % n);
        e[i] = (struct edge){fmin(a[0], b[0]), fmax(a[0], b[0]), fmin(a[1], b[1]),
                             fmax(a[1], b[1]), i};
    }
    qsort(e, n, sizeof *e, by_x0);
    enum geo_ring_check res = GEO_RING_SIMPLE;
    for (size_t k = 0; k < n && res == GEO_RING_SIMPLE; k++) {
        size_t keep = 0;
        for (size_t a = 0; a < nactive && res == GEO_RING_SIMPLE; a++) {
            const struct edge *o = &e[active[a]];
            if (*budget == 0) {
                res = GEO_RING_UNCHECKED;
                break;
            }
            --*budget;
            if (o->x1 < e[k].x0)
                continue; /* passed: drops out of the active list */
            active[keep++] = active[a];
            size_t i = e[k].i, j = o->i, d = i > j ? i - j : j - i;
            if (d == 1 || d == n - 1 || o->y1 < e[k].y0 || e[k].y1 < o->y0)
                continue; /* neighbours share a position; latitudes apart */
            if (segments_meet(xy + 2 * i, xy + 2 * ((i + 1) % n), xy + 2 * j,
                              xy + 2 * ((j + 1) % n)))
                res = GEO_RING_CROSSES;
        }
        nactive = keep;
        active[nactive++] = k;
    }
    free(e);
    free(active);
    return res;
}

bool geo_ring_self_intersects(const double *xy, size_t n)
{
    size_t budget = GEO_SELF_CHECK_BUDGET;
    return geo_ring_check(xy, n, &budget) == GEO_RING_CROSSES;
}

double geo_ring_centroid(const double *xy, size_t n, double *cx, double *cy)
{
    double a = 0, x = 0, y = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double c = xy[2 * j] * xy[2 * i + 1] - xy[2 * i] * xy[2 * j + 1];
        a += c;
        x += (xy[2 * j] + xy[2 * i]) * c;
        y += (xy[2 * j + 1] + xy[2 * i + 1]) * c;
    }
    a /= 2;
    if (fabs(a) < 1e-15) { /* degenerate: the mean of the positions */
        x = y = 0;
        for (size_t i = 0; i < n; i++) {
            x += xy[2 * i];
            y += xy[2 * i + 1];
        }
        *cx = n ? x / (double)n : 0;
        *cy = n ? y / (double)n : 0;
        return 0;
    }
    *cx = x / (6 * a);
    *cy = y / (6 * a);
    return a;
}
