/* A heat layer: kernel density of points on a coarse grid (about 4 device
 * pixels a cell), blurred by three box passes (close to a Gaussian), mapped
 * through a smooth colour ramp with transparency at the cold end and drawn
 * as one smoothly scaled image. Cost grows with the points and the grid,
 * not with the kernel: 100,000 points on a 4K panel take a few ms. Render
 * thread only. On vector surfaces (PDF, SVG) the layer is an embedded image. */
#ifndef LW_HEAT_H
#define LW_HEAT_H
#include "render/render.h"
#include <stddef.h>

/* xy: n points in design units (x0, y0, x1, y1, …), w: weights or NULL (1
 * each); non-finite points and weights are skipped. radius: the kernel's
 * reach in design units. The scale's stops give the ramp; alpha the
 * opacity of the hottest cells. Returns false when there was nothing to
 * draw. */
bool heat_draw(cairo_t *cr, const struct render *r, struct rect box, const double *xy,
               const double *w, size_t n, double radius, const struct color_scale *scale,
               double alpha);

#endif
