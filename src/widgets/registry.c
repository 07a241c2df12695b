/* The widget registry: adding a widget is adding its file and one row here. */
#include "widgets/widget.h"

extern const struct widget_class widget_title, widget_kpi;

const struct widget_class *const widget_classes[] = {
    &widget_title,
    &widget_kpi,
    NULL,
};
