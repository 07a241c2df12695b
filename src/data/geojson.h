/* GeoJSON districts: the map widget's geometry. A FeatureCollection (or one
 * Feature) of Polygon and MultiPolygon features, holes included, with the
 * district code in a configurable property as the join key to the data.
 * Knows no screen: coordinates stay in lon/lat degrees.
 *
 * The loader is strict about the file and lenient about features: bad JSON,
 * a root that is no FeatureCollection or no drawable feature at all fail
 * with a message; a feature with an empty or unsupported geometry or
 * coordinates out of range is skipped, and a feature without a code or with
 * a ring that crosses itself is kept. Each of these is recorded as a
 * problem ("file: features[3].geometry: empty geometry") that the widget
 * can show. */
#ifndef LW_GEOJSON_H
#define LW_GEOJSON_H
#include "util/err.h"
#include <stdbool.h>
#include <stddef.h>

#define GEO_MAX_PROBLEMS 8

struct geo_ring {
    double *xy;       /* n lon/lat pairs; closed implicitly (the last may repeat the first) */
    size_t n;
};

struct geo_polygon {
    struct geo_ring *rings; /* rings[0] is the outer ring, the others holes */
    size_t nrings;
};

struct geo_feature {
    char *code;       /* the code property as text; NULL when the feature has none */
    char *name;       /* the name property, else the code, else NULL */
    struct geo_polygon *polys;
    size_t npolys;
    double bbox[4];   /* lon min, lat min, lon max, lat max */
    bool self_intersecting;
};

struct geo_map {
    struct geo_feature *features;
    size_t n;
    double bbox[4];
    bool schematic;   /* the file says it is a schematic, not a map ("lotuswall": {"schematic": true}) */
    char *note;       /* the file's note ("lotuswall": {"note": …}), or NULL */
    char problems[GEO_MAX_PROBLEMS][256]; /* the first problems, "file: json.path: what" */
    size_t nproblems; /* all problems, also those not kept */
};

/* Parses len bytes. code_prop names the property with the district code
 * (strings and integers are accepted), name_prop the label. NULL + *err
 * ("file:line:col: …" or "file: json.path: …") on failure; free with
 * geo_destroy(). */
struct geo_map *geo_parse(const char *path, const char *data, size_t len, const char *code_prop,
                          const char *name_prop, struct err *err);
struct geo_map *geo_load(const char *path, const char *code_prop, const char *name_prop,
                         struct err *err);
void geo_destroy(struct geo_map *m); /* NULL is a no-op */

/* Index of the first feature with this code, or -1. */
long geo_find(const struct geo_map *m, const char *code);
/* Index of the first feature whose area contains the point (even-odd: holes
 * are outside), or -1. */
long geo_locate(const struct geo_map *m, double lon, double lat);
bool geo_feature_contains(const struct geo_feature *f, double lon, double lat);
/* Edge comparisons the self-crossing checks of one file may make (about a
 * second): real maps need a few per position, a hostile ring that puts
 * every edge over the same longitudes would need n². */
#define GEO_SELF_CHECK_BUDGET 100000000

enum geo_ring_check { GEO_RING_SIMPLE, GEO_RING_CROSSES, GEO_RING_UNCHECKED };
/* Whether two non-adjacent edges of the ring cross or touch, by a sweep
 * over longitude: O(n log n) for the rings of real maps. Each edge
 * comparison takes one from *budget; UNCHECKED when it runs out. */
enum geo_ring_check geo_ring_check(const double *xy, size_t n, size_t *budget);
/* geo_ring_check with a budget of GEO_SELF_CHECK_BUDGET: true when it crosses. */
bool geo_ring_self_intersects(const double *xy, size_t n);
/* Signed area (shoelace, in square degrees) and centroid of a ring. */
double geo_ring_centroid(const double *xy, size_t n, double *cx, double *cy);

#endif
