/* Cartography for the map widget, knowing nothing of GeoJSON: a projection
 * that fits a lon/lat box into a panel, binned colours for choropleths, and
 * label placement without overlap. Everything in design units; pure
 * functions, so the tests check them without drawing. */
#ifndef LW_CARTO_H
#define LW_CARTO_H
#include "render/color.h"
#include "render/layout.h"
#include <stdbool.h>
#include <stddef.h>

/* Equirectangular with the cos(latitude) correction of the box's middle
 * latitude (true shapes for a city or a province), scaled uniformly to fit
 * and centred. tilt < 1 squashes y for the extruded (3D) view. */
struct proj {
    double lon0, lat0, kx; /* centre of the bbox; kx = cos(lat0) */
    double scale;          /* design units per corrected degree */
    double cx, cy;         /* where (lon0, lat0) lands */
    double tilt;           /* y factor, 1 = flat */
};

/* Fits bbox {lon min, lat min, lon max, lat max} into box. A degenerate or
 * non-finite bbox gives a usable projection (a point in the middle). */
struct proj proj_fit(const double bbox[4], struct rect box, double tilt);
void proj_apply(const struct proj *p, double lon, double lat, double *x, double *y);

/* Choropleth classes: n bins of equal, "nice" width (1, 2, 2.5 or 5 × 10^k)
 * that cover lo..hi. */
#define BINS_MAX 8
struct bins {
    int n;
    double edge[BINS_MAX + 1]; /* bin i holds edge[i] <= v < edge[i + 1] (the last is closed) */
};
/* About `want` bins (2..8) over [lo, hi]; NaN or infinite ends give 1 bin
 * 0..1. */
void bins_make(struct bins *b, double lo, double hi, int want);
/* Bin of v, clamped to 0..n-1; -1 for NaN. */
int bins_find(const struct bins *b, double v);
/* Colour of bin i: the scale sampled at the bin's middle. */
rgba_t bins_color(const struct bins *b, const struct color_scale *s, int i);

/* Label placement: greedy, in the order given (put the most important
 * first). Each label tries its anchor, then positions around it (above,
 * below, right, left, at growing distance); it is placed where it overlaps
 * no placed label, no obstacle and stays inside bounds, else left out. */
struct label_place {
    double x, y;          /* the anchor: where the label's centre wants to be */
    double w, h;          /* size */
    bool placed;          /* out: */
    struct rect at;       /* out: the label's rectangle when placed */
};
/* Returns how many were placed. `gap` keeps labels apart. */
size_t labels_place(struct label_place *labels, size_t n, struct rect bounds, double gap);

#endif
