/* Themes: the dark big-screen look and a light one for printed reports.
 * Widgets take every colour and font from here. */
#ifndef LW_THEME_H
#define LW_THEME_H
#include "render/color.h"

struct theme {
    const char *name;
    rgba_t bg_top, bg_bottom;         /* page background gradient */
    rgba_t panel_bg, panel_border, panel_glow;
    rgba_t header_bg, header_accent;  /* panel title strip */
    rgba_t title, text, muted, grid, axis;
    rgba_t value;                     /* big numbers */
    rgba_t up, down, flat;            /* growth colours (Chinese convention: red up) */
    rgba_t warn, danger, ok;
    rgba_t badge_bg, badge_text;
    rgba_t highlight;                 /* the item a county view is about; none of the series */
    rgba_t series[8];
    struct color_scale heat;
    const char *font;                 /* Chinese text */
    const char *font_num;             /* numerals */
};

/* "dark" (default) or "light"; NULL when unknown. */
const struct theme *theme_find(const char *name);
const char *theme_names(void); /* "dark, light" */
/* Swaps up/down colours (for users who want green-up). */
void theme_growth_colors(const struct theme *t, bool red_up, rgba_t *up, rgba_t *down);
/* Of the theme's light and dark text colours (title and page bottom), the
 * one that stands out more on a fill: values in heat cells, map labels. */
rgba_t theme_text_on(const struct theme *t, rgba_t fill);

#endif
