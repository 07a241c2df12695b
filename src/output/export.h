/* Export drivers: PNG, PDF, SVG and JSON (the data exchange document of what
 * every panel shows), chosen by the file extension, each a row in a table.
 * The picture formats draw through compose_scene(), like the screen. */
#ifndef LW_EXPORT_H
#define LW_EXPORT_H
#include "data/catalog.h"
#include "data/store.h"
#include "render/render.h"
#include "scene/scene.h"
#include "scene/wallfile.h"
#include "util/err.h"
#include "util/pool.h"

struct export_job {
    const char *path;              /* output file; see export_run for several scenes */
    struct scene *const *scenes;
    size_t nscenes;
    int width, height;             /* output pixels (PDF/SVG: points) */
    struct store *store;
    const char *theme;             /* NULL: each scene's own theme */
    int64_t now;
    const char *watermark;         /* NULL for none */
    bool red_up;
    const struct catalog *catalog; /* units and titles for the data exchange; may be NULL */
    const char *db;                /* non-NULL when the data comes from PostgreSQL */
    struct pool *pool;             /* threads for drawing and encoding; NULL: this one */
    const struct wall_file *wall;  /* non-NULL: width × height is its canvas, and the
                                      picture is its outputs edge to edge (seamless_w ×
                                      seamless_h, the bezels cut out) */
    struct render *render;         /* NULL, or text caches (font maps, shaped text)
                                      kept from scene to scene by export_run */
};

struct export_driver {
    const char *ext;               /* ".png" */
    const char *name;
    bool multi_page;               /* several scenes go into one file */
    bool (*write)(const struct export_job *job, struct err *err);
};

/* Picks the driver by extension; NULL + *err listing the known formats. */
const struct export_driver *export_find(const char *path, struct err *err);
/* Exports all scenes of the job. A single-page format with several scenes
 * writes one file per scene: "{scene}" in the path is replaced by the scene
 * name, or "-NAME" is inserted before the extension. */
bool export_run(const struct export_job *job, struct err *err);

/* PNG encoding of an RGB24 surface at a chosen zlib level (1 fastest … 9),
 * in stripes on the pool's threads (NULL: this one); the file is the same
 * for every pool size. */
bool export_png_write(cairo_surface_t *img, const char *path, int level, struct pool *pool,
                      struct err *err);
/* Cairo's vector surfaces (PDF, SVG) write through export_stream_write
 * into a file_out (closure: its FILE *); export_vector_finish finishes
 * and destroys the surface and commits the file, or aborts it with a
 * message naming out->path. */
struct file_out;
cairo_status_t export_stream_write(void *closure, const unsigned char *data, unsigned int len);
bool export_vector_finish(cairo_surface_t *surf, struct file_out *out, struct err *err);
/* img as a PNG in memory (cairo's encoder: for thumbnails, not pages).
 * Caller frees; NULL + *err when cairo cannot encode it. */
unsigned char *export_png_bytes(cairo_surface_t *img, size_t *len, struct err *err);
/* Renders one scene into a new image surface. */
cairo_surface_t *export_render_image(const struct export_job *job, const struct scene *s);

#endif
