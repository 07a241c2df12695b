/* Parsed files that drawing needs and the scene does not carry (e.g. a
 * map's GeoJSON), cached per render context by a key such as the path, so
 * a file is read and parsed once, not every frame. The cache owns the
 * objects and frees them with their destroy function in render_finish().
 * Render thread only. */
#ifndef LW_ASSETS_H
#define LW_ASSETS_H
#include "render/render.h"

/* The object stored under key, or NULL. A stored NULL (a file that failed
 * to load) is returned as found with *found true, so failures are not
 * retried every frame. */
void *assets_get(struct render *r, const char *key, bool *found);
/* Stores obj (may be NULL) under key; the cache frees it with destroy. */
void assets_put(struct render *r, const char *key, void *obj, void (*destroy)(void *));
void assets_destroy(struct assets *a); /* NULL is a no-op */

#endif
