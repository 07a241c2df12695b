/* Polar chart furniture shared by the ring and gauge widgets: arcs whose
 * colour runs along them, and the value-over-caption stack drawn in their
 * centre. Angles are in radians in cairo's convention (0 = 3 o'clock,
 * growing clockwise on screen). Render thread only. */
#ifndef LW_ARC_H
#define LW_ARC_H
#include "render/render.h"
#include <stdbool.h>

/* Strokes the arc a0 → a1 (a1 > a0) of the given width, its colour
 * running from c0 at a0 to c1 at a1 (a conic gradient: cairo has none; on
 * pixels it is coloured wedges under the stroke's outline as a clip, in a
 * PDF mesh patches, in an SVG short solid arcs). round: round caps,
 * coloured like the end they sit on. Spans of 2π or more draw a full ring without caps. */
void arc_gradient(cairo_t *cr, double cx, double cy, double radius, double a0, double a1,
                  double width, rgba_t c0, rgba_t c1, bool round);

/* A big number with a caption under it, the pair centred on (cx, cy) and
 * shrunk until it fits max_w; nothing when even 14 px is too wide (a cut
 * number misleads). The caption is skipped when empty or ellipsized. */
void arc_center_text(cairo_t *cr, struct render *r, double cx, double cy, double max_w,
                     const char *value, double value_size, rgba_t value_color,
                     const char *caption, rgba_t caption_color);

#endif
