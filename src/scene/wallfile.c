#include "scene/wallfile.h"
#include "util/json.h"
#include "util/util.h"
#include <stdlib.h>
#include <string.h>

static bool get_int(json_t *o, const char *key, int min, int max, int *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return false;
    *out = (int)json_integer_value(v);
    return true;
}

static bool load(struct wall_file *w, json_t *root, struct err *err)
{
    const char *path = w->path;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (key[0] != '_' && strcmp(key, "kind") && strcmp(key, "version") &&
            strcmp(key, "name") && strcmp(key, "outputs"))
            return err_set(err, "%s: %s: unknown key (known: kind, version, name, outputs)", path,
                           key);
    }
    const char *name = json_string_value(json_object_get(root, "name"));
    w->name = xstrdup(name ? name : "wall");
    json_t *outs = json_object_get(root, "outputs");
    if (!json_is_array(outs) || json_array_size(outs) == 0 ||
        json_array_size(outs) > WALL_MAX_OUTPUTS)
        return err_set(err, "%s: outputs: expected an array of 1 to %d outputs", path,
                       WALL_MAX_OUTPUTS);
    size_t i;
    json_t *o;
    json_array_foreach(outs, i, o) {
        struct jpath p;
        jpath_idx(&p, "outputs", i);
        if (!json_is_object(o))
            return err_set(err, "%s: %s: expected an object", path, p.s);
        json_object_foreach(o, key, v) {
            if (key[0] != '_' && strcmp(key, "name") && strcmp(key, "display") &&
                strcmp(key, "x") && strcmp(key, "y") && strcmp(key, "width") &&
                strcmp(key, "height") && strcmp(key, "position") && strcmp(key, "rotation") &&
                strcmp(key, "part"))
                return err_set(err, "%s: %s.%s: unknown key (known: name, part, display, x, y, "
                                    "width, height, rotation, position)",
                               path, p.s, key);
        }
        struct wall_output *wo = &w->outputs[w->noutputs++];
        const char *oname = json_string_value(json_object_get(o, "name"));
        wo->name = xasprintf("%s", oname ? oname : "output");
        json_t *part = json_object_get(o, "part");
        if (part && (!json_is_string(part) || !json_string_length(part) ||
                     json_string_length(part) > 63))
            return err_set(err, "%s: %s.part: expected the name of the PC that drives this output "
                                "(1 to 63 bytes)",
                           path, p.s);
        wo->part = part ? xstrdup(json_string_value(part)) : NULL;
        if (!get_int(o, "display", 0, 63, &wo->display))
            return err_set(err, "%s: %s.display: expected a display number from 0 to 63", path, p.s);
        if (!get_int(o, "x", 0, 65536, &wo->x) || !get_int(o, "y", 0, 65536, &wo->y))
            return err_set(err, "%s: %s: expected x and y, the output's place on the canvas in "
                                "pixels (0 to 65536)",
                           path, p.s);
        if (!get_int(o, "width", 64, 16384, &wo->w) || !get_int(o, "height", 64, 16384, &wo->h))
            return err_set(err, "%s: %s: expected width and height in pixels (64 to 16384)", path,
                           p.s);
        json_t *rot = json_object_get(o, "rotation");
        if (rot && (!get_int(o, "rotation", 0, 270, &wo->rotation) || wo->rotation % 90))
            return err_set(err, "%s: %s.rotation: expected 0, 90, 180 or 270 (degrees clockwise, "
                                "as the panel is mounted)",
                           path, p.s);
        json_t *pos = json_object_get(o, "position");
        if (pos) {
            if (!json_is_array(pos) || json_array_size(pos) != 2 ||
                !json_is_integer(json_array_get(pos, 0)) || !json_is_integer(json_array_get(pos, 1)))
                return err_set(err, "%s: %s.position: expected [x, y] on the display", path, p.s);
            wo->positioned = true;
            wo->pos_x = (int)json_integer_value(json_array_get(pos, 0));
            wo->pos_y = (int)json_integer_value(json_array_get(pos, 1));
        }
        for (size_t k = 0; k + 1 < w->noutputs; k++) {
            const struct wall_output *a = &w->outputs[k];
            if (a->x < wo->x + wo->w && wo->x < a->x + a->w && a->y < wo->y + wo->h &&
                wo->y < a->y + a->h)
                return err_set(err, "%s: %s: overlaps outputs[%zu] (%s)", path, p.s, k, a->name);
            bool same_pc = !a->part || !wo->part || strcmp(a->part, wo->part) == 0;
            if (same_pc && a->display == wo->display && !(a->positioned && wo->positioned))
                return err_set(err, "%s: %s.display: display %d is already used by outputs[%zu]",
                               path, p.s, wo->display, k);
        }
        if (wo->x + wo->w > w->canvas_w)
            w->canvas_w = wo->x + wo->w;
        if (wo->y + wo->h > w->canvas_h)
            w->canvas_h = wo->y + wo->h;
    }
    if (w->canvas_w > 65536 || w->canvas_h > 65536)
        return err_set(err, "%s: outputs: the canvas of %d×%d is too large", path, w->canvas_w,
                       w->canvas_h);
    return true;
}

/* Cuts the bezels along one axis: covered[i] says whether an output shows
 * canvas pixel i; each output's start moves back by the hidden pixels before
 * it. Returns the length without them. */
static int cut_bezels(struct wall_file *w, bool vertical)
{
    int len = vertical ? w->canvas_h : w->canvas_w;
    unsigned char *covered = xcalloc((size_t)len, 1);
    for (size_t k = 0; k < w->noutputs; k++) {
        const struct wall_output *o = &w->outputs[k];
        int a = vertical ? o->y : o->x, n = vertical ? o->h : o->w;
        memset(covered + a, 1, (size_t)n);
    }
    int *hidden_before = xcalloc((size_t)len + 1, sizeof *hidden_before);
    for (int i = 0; i < len; i++)
        hidden_before[i + 1] = hidden_before[i] + !covered[i];
    for (size_t k = 0; k < w->noutputs; k++) {
        struct wall_output *o = &w->outputs[k];
        if (vertical)
            o->seam_y = o->y - hidden_before[o->y];
        else
            o->seam_x = o->x - hidden_before[o->x];
    }
    int seamless = len - hidden_before[len];
    free(hidden_before);
    free(covered);
    return seamless;
}

struct wall_file *wall_file_load(const char *path, struct err *err)
{
    json_t *root = json_load_checked(path, "wall", err);
    if (!root)
        return NULL;
    struct wall_file *w = xcalloc(1, sizeof *w);
    w->path = xstrdup(path);
    bool ok = load(w, root, err);
    json_decref(root);
    if (ok) {
        w->seamless_w = cut_bezels(w, false);
        w->seamless_h = cut_bezels(w, true);
    }
    if (!ok) {
        wall_file_destroy(w);
        return NULL;
    }
    return w;
}

/* "a, b": the parts the outputs name, each once (for a message). */
static void list_parts(const struct wall_file *w, char *out, size_t size)
{
    *out = '\0';
    for (size_t i = 0; i < w->noutputs; i++) {
        const char *p = w->outputs[i].part;
        bool seen = !p;
        for (size_t k = 0; !seen && k < i; k++)
            seen = w->outputs[k].part && strcmp(w->outputs[k].part, p) == 0;
        if (!seen)
            snprintf(out + strlen(out), size - strlen(out), "%s%s", *out ? ", " : "", p);
    }
}

bool wall_file_keep_part(struct wall_file *w, const char *part, struct err *err)
{
    char parts[512];
    list_parts(w, parts, sizeof parts);
    size_t kept = 0;
    for (size_t i = 0; i < w->noutputs; i++) {
        struct wall_output *o = &w->outputs[i];
        if (o->part && strcmp(o->part, part) == 0)
            w->outputs[kept++] = *o;
        else
            free(o->name), free(o->part);
    }
    w->noutputs = kept;
    if (kept)
        return true;
    return *parts ? err_set(err, "%s: no output is driven by part \"%s\" (its parts: %s)", w->path,
                            part, parts)
                  : err_set(err, "%s: no output names a part: give each output the \"part\" (the "
                                 "PC) that drives it",
                            w->path);
}

void wall_file_destroy(struct wall_file *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->noutputs; i++)
        free(w->outputs[i].name), free(w->outputs[i].part);
    free(w->path);
    free(w->name);
    free(w);
}
