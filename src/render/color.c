#include "render/color.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double ch(rgba_t c, int shift)
{
    return ((c >> shift) & 0xff) / 255.0;
}

void color_set(cairo_t *cr, rgba_t c)
{
    cairo_set_source_rgba(cr, ch(c, 24), ch(c, 16), ch(c, 8), ch(c, 0));
}

void color_set_alpha(cairo_t *cr, rgba_t c, double alpha)
{
    cairo_set_source_rgba(cr, ch(c, 24), ch(c, 16), ch(c, 8), ch(c, 0) * alpha);
}

void color_add_stop(cairo_pattern_t *p, double offset, rgba_t c)
{
    cairo_pattern_add_color_stop_rgba(p, offset, ch(c, 24), ch(c, 16), ch(c, 8), ch(c, 0));
}

bool color_parse(const char *s, rgba_t *out)
{
    size_t n = s ? strlen(s) : 0;
    if ((n != 7 && n != 9) || s[0] != '#')
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    unsigned long v = strtoul(s + 1, NULL, 16);
    *out = n == 7 ? (rgba_t)((v << 8) | 0xff) : (rgba_t)v;
    return true;
}

rgba_t color_mix(rgba_t a, rgba_t b, double t)
{
    if (t <= 0)
        return a;
    if (t >= 1)
        return b;
    rgba_t out = 0;
    for (int shift = 0; shift < 32; shift += 8) {
        double x = ((a >> shift) & 0xff) * (1 - t) + ((b >> shift) & 0xff) * t;
        out |= (rgba_t)lround(x) << shift;
    }
    return out;
}

rgba_t color_shade(rgba_t c, double k)
{
    rgba_t out = c & 0xff;
    for (int shift = 8; shift < 32; shift += 8) {
        double x = ((c >> shift) & 0xff) * k;
        out |= (rgba_t)lround(x > 255 ? 255 : x) << shift;
    }
    return out;
}

rgba_t color_scale_eval(const struct color_scale *s, double t)
{
    if (isnan(t) || s->n == 0)
        return s->n ? s->col[0] : 0;
    if (t <= s->pos[0])
        return s->col[0];
    for (int i = 1; i < s->n; i++) {
        if (t <= s->pos[i]) {
            double span = s->pos[i] - s->pos[i - 1];
            return color_mix(s->col[i - 1], s->col[i], span > 0 ? (t - s->pos[i - 1]) / span : 1);
        }
    }
    return s->col[s->n - 1];
}
