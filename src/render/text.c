/* Layout cache. Shaping CJK text costs far more than drawing it, so each
 * distinct (style, text) is shaped once and kept while it is used. Hinting is
 * off and metrics are unhinted, so a layout scales linearly with the cairo
 * transform: one layout serves 1080p, 4K and an 8K wall, and every output
 * rasterises the glyphs at its own native resolution. */
#include "render/text.h"
#include "util/hash.h"
#include "util/util.h"
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *key; /* NULL = empty slot */
    uint64_t hash;
    PangoLayout *layout;
    unsigned last_used;
};

struct text_cache {
    PangoFontMap *fontmap;
    PangoContext *ctx;
    struct entry *slots;
    size_t cap, count;
    unsigned frame;
};

/* One lock over drawing text and over making and dropping font maps and
 * layouts, for every cache. Each thread has its own font map, but cairo
 * shares one scaled font among all of them for a given face, size and
 * transform, and cairo 1.16 (Debian 12) can destroy a scaled font that
 * another thread has frozen to draw with ("cairo_scaled_font_destroy:
 * Assertion `! scaled_font->cache_frozen' failed"): the wall crashed in 6 of
 * about 100 300-frame 4K fast-forwards of the warnings scene on two threads,
 * 0 of 60 with the lock. Shaping and measuring, the costly part, stay
 * parallel; exports and frames measured no slower within the noise. */
static pthread_mutex_t fonts_lock = PTHREAD_MUTEX_INITIALIZER;

struct text_cache *text_cache_new(void)
{
    pthread_mutex_lock(&fonts_lock);
    struct text_cache *tc = xcalloc(1, sizeof *tc);
    tc->fontmap = pango_cairo_font_map_new();
    tc->ctx = pango_font_map_create_context(tc->fontmap);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(tc->ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(tc->ctx, FALSE);
    tc->cap = 1024;
    tc->slots = xcalloc(tc->cap, sizeof *tc->slots);
    pthread_mutex_unlock(&fonts_lock);
    return tc;
}

static void clear_slot(struct entry *e)
{
    free(e->key);
    if (e->layout)
        g_object_unref(e->layout);
    memset(e, 0, sizeof *e);
}

void text_cache_destroy(struct text_cache *tc)
{
    if (!tc)
        return;
    pthread_mutex_lock(&fonts_lock);
    for (size_t i = 0; i < tc->cap; i++)
        clear_slot(&tc->slots[i]);
    free(tc->slots);
    g_object_unref(tc->ctx);
    g_object_unref(tc->fontmap);
    free(tc);
    pthread_mutex_unlock(&fonts_lock);
}

size_t text_cache_size(const struct text_cache *tc)
{
    return tc->count;
}

static void insert(struct entry *slots, size_t cap, struct entry e)
{
    size_t i = e.hash & (cap - 1);
    while (slots[i].key)
        i = (i + 1) & (cap - 1);
    slots[i] = e;
}

static void rehash(struct text_cache *tc, size_t cap, unsigned min_frame)
{
    struct entry *old = tc->slots;
    size_t oldcap = tc->cap;
    tc->slots = xcalloc(cap, sizeof *tc->slots);
    tc->cap = cap;
    tc->count = 0;
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].key)
            continue;
        if (old[i].last_used + 0u < min_frame) {
            clear_slot(&old[i]);
            continue;
        }
        insert(tc->slots, cap, old[i]);
        tc->count++;
    }
    free(old);
}

void text_cache_frame(struct text_cache *tc, unsigned frames)
{
    tc->frame++;
    if (tc->frame > frames && tc->count > 256) {
        pthread_mutex_lock(&fonts_lock);
        rehash(tc, tc->cap, tc->frame - frames);
        pthread_mutex_unlock(&fonts_lock);
    }
}

static PangoLayout *get_layout(struct text_cache *tc, const char *s, const struct text_style *st)
{
    char head[160];
    snprintf(head, sizeof head, "%s|%.3f|%d|%.2f|%d|%d|", st->font, st->size, st->weight,
             st->max_width, st->wrap, st->align);
    size_t hl = strlen(head), sl = strlen(s);
    char *key = xmalloc(hl + sl + 1);
    memcpy(key, head, hl);
    memcpy(key + hl, s, sl + 1);
    uint64_t h = hash_str(HASH_FNV_BASIS, key);
    for (size_t i = h & (tc->cap - 1); tc->slots[i].key; i = (i + 1) & (tc->cap - 1)) {
        struct entry *e = &tc->slots[i];
        if (e->hash == h && strcmp(e->key, key) == 0) {
            free(key);
            e->last_used = tc->frame;
            return e->layout;
        }
    }
    if ((tc->count + 1) * 2 > tc->cap)
        rehash(tc, tc->cap * 2, 0);

    PangoLayout *l = pango_layout_new(tc->ctx);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, st->font);
    pango_font_description_set_absolute_size(fd, st->size * PANGO_SCALE);
    pango_font_description_set_weight(fd, st->weight ? st->weight : 400);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_font_features_new("tnum 1"));
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);
    if (st->max_width > 0) {
        pango_layout_set_width(l, (int)(st->max_width * PANGO_SCALE));
        if (st->wrap) {
            pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
            pango_layout_set_alignment(l, st->align == ANCHOR_CENTER  ? PANGO_ALIGN_CENTER
                                          : st->align == ANCHOR_RIGHT ? PANGO_ALIGN_RIGHT
                                                                      : PANGO_ALIGN_LEFT);
        } else {
            pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        }
    }
    /* invalid UTF-8 must not reach Pango: it would warn and drop the text */
    if (g_utf8_validate(s, -1, NULL)) {
        pango_layout_set_text(l, s, -1);
    } else {
        char *fixed = g_utf8_make_valid(s, -1);
        pango_layout_set_text(l, fixed, -1);
        g_free(fixed);
    }
    struct entry e = {.key = key, .hash = h, .layout = l, .last_used = tc->frame};
    insert(tc->slots, tc->cap, e);
    tc->count++;
    return l;
}

void text_measure(struct text_cache *tc, const char *s, const struct text_style *st, double *w,
                  double *h)
{
    PangoRectangle logical;
    pango_layout_get_extents(get_layout(tc, s, st), NULL, &logical);
    if (w)
        *w = (double)logical.width / PANGO_SCALE;
    if (h)
        *h = (double)logical.height / PANGO_SCALE;
}

double text_baseline(struct text_cache *tc, const char *s, const struct text_style *st)
{
    int b = pango_layout_get_baseline(get_layout(tc, s, st));
    return (double)b / PANGO_SCALE;
}

double text_draw(struct text_cache *tc, cairo_t *cr, double x, double y, int anchor, const char *s,
                 const struct text_style *st)
{
    if (!s || !*s)
        return 0;
    PangoLayout *l = get_layout(tc, s, st);
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    double w = (double)logical.width / PANGO_SCALE, h = (double)logical.height / PANGO_SCALE;
    double lx = (double)logical.x / PANGO_SCALE;
    int ha = anchor & 3, va = anchor & 12;
    double dx = ha == ANCHOR_CENTER ? -w / 2 : ha == ANCHOR_RIGHT ? -w : 0;
    double dy = 0;
    if (va == ANCHOR_MIDDLE)
        dy = -h / 2;
    else if (va == ANCHOR_BOTTOM)
        dy = -h;
    else if (va == ANCHOR_BASELINE)
        dy = -(double)pango_layout_get_baseline(l) / PANGO_SCALE;
    color_set(cr, st->color);
    cairo_move_to(cr, x + dx - lx, y + dy);
    pthread_mutex_lock(&fonts_lock);
    pango_cairo_show_layout(cr, l);
    pthread_mutex_unlock(&fonts_lock);
    return w;
}
