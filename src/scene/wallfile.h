/* Wall files (kind "wall"): the outputs of a splice wall as one canvas.
 * Each output shows its rectangle of the canvas at its native resolution;
 * the gaps between rectangles are the bezels (the pixels hidden behind each
 * seam), so lines and text stay continuous across panels. */
#ifndef LW_WALLFILE_H
#define LW_WALLFILE_H
#include "util/err.h"
#include <stdbool.h>
#include <stddef.h>

#define WALL_MAX_OUTPUTS 16

struct wall_output {
    char *name;
    char *part;           /* the PC that drives it (`run --part`), or NULL: every PC */
    int display;          /* SDL display index */
    int x, y, w, h;       /* its rectangle on the canvas, in pixels (as seen) */
    int rotation;         /* 0, 90, 180, 270: the panel is mounted turned this far
                             clockwise (a portrait panel: 90 or 270), so its own
                             mode is h × w */
    bool positioned;      /* "position": a borderless window at pos on the display, so that */
    int pos_x, pos_y;     /* one display can hold several outputs (desks, tests) */
    int seam_x, seam_y;   /* its place once the bezels are cut out (see seamless_w) */
};

struct wall_file {
    char *path, *name;
    int canvas_w, canvas_h; /* the bounding box of all outputs */
    int seamless_w, seamless_h; /* the canvas without the columns and rows that no
                                   output shows (the bezels): what a viewer sees,
                                   the outputs edge to edge; `export --wall` */
    struct wall_output outputs[WALL_MAX_OUTPUTS];
    size_t noutputs;
};

/* NULL + *err naming the file and the JSON path. */
struct wall_file *wall_file_load(const char *path, struct err *err);
/* One PC of a wall driven by several: keeps only the outputs of `part`, the
 * canvas staying the whole wall's (so every part lays the scene out alike).
 * false + *err naming the parts the file has. */
bool wall_file_keep_part(struct wall_file *w, const char *part, struct err *err);
void wall_file_destroy(struct wall_file *w);

#endif
