/* The widget registry: adding a widget is adding its file and one row here. */
#include "widgets/widget.h"

extern const struct widget_class widget_title, widget_kpi;
extern const struct widget_class widget_bar3d;
extern const struct widget_class widget_heatmap;
extern const struct widget_class widget_ranking;
extern const struct widget_class widget_table;
extern const struct widget_class widget_line, widget_bar, widget_ring, widget_gauge;
extern const struct widget_class widget_progress;
extern const struct widget_class widget_ticker;
extern const struct widget_class widget_map;
extern const struct widget_class widget_funnel, widget_rose, widget_radar, widget_counter;
extern const struct widget_class widget_walls;

const struct widget_class *const widget_classes[] = {
    &widget_title,
    &widget_kpi,
    &widget_ranking,
    &widget_bar3d,
    &widget_heatmap,
    &widget_table,
    &widget_line,
    &widget_bar,
    &widget_ring,
    &widget_gauge,
    &widget_progress,
    &widget_ticker,
    &widget_map,
    &widget_funnel,
    &widget_counter,
    &widget_radar,
    &widget_rose,
    &widget_walls,
    NULL,
};
