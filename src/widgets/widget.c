#include "widgets/widget.h"
#include "render/rows.h"
#include "util/util.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const struct widget_spec *const *widget_specs(void)
{
    /* widget_class starts with its spec, so the class table is the spec table */
    static const struct widget_spec *specs[64];
    if (!specs[0]) {
        for (size_t i = 0; widget_classes[i] && i + 1 < ARRAY_LEN(specs); i++)
            specs[i] = &widget_classes[i]->spec;
    }
    return specs;
}

const struct widget_class *widget_class_of(const struct widget_spec *spec)
{
    return (const struct widget_class *)spec;
}

int wcol(const struct widget_ctx *ctx, const char *role)
{
    return ctx->data ? table_col(ctx->data, role) : -1;
}

double wnum(const struct widget_ctx *ctx, size_t row, int col)
{
    if (col < 0 || !ctx->data || row >= ctx->data->nrows)
        return NAN;
    return table_num(ctx->data, row, (size_t)col);
}

const char *wtext(const struct widget_ctx *ctx, size_t row, int col, char *buf, size_t len)
{
    if (col < 0 || !ctx->data || row >= ctx->data->nrows)
        return "";
    return table_cell_str(ctx->data, row, (size_t)col, buf, len);
}

const char *wtime(const struct widget_ctx *ctx, const char *role, const char *text, char *buf,
                  size_t len)
{
    const char *pat = panel_time_format(ctx->panel, role);
    struct tm tm = {0};
    int n = pat ? sscanf(text, "%4d-%2d-%2d%*1[ T]%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
                         &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) : 0;
    if (n < 3 || n == 4) /* not a date, or a date and an hour without minutes */
        return text;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return strftime(buf, len, pat, &tm) > 0 ? buf : text;
}

const char *wfmt(const struct widget_ctx *ctx, const char *role, double v, char *buf, size_t len)
{
    return fmt_number(buf, len, v, panel_format(ctx->panel, role));
}

const char *wunit(const struct widget_ctx *ctx, const char *role)
{
    const struct numfmt *f = panel_format(ctx->panel, role);
    if (f->unit)
        return f->unit;
    int c = wcol(ctx, "unit");
    if (c >= 0 && ctx->data->nrows > 0) {
        const char *u = table_text(ctx->data, 0, (size_t)c);
        return u ? u : "";
    }
    return "";
}

struct text_style wstyle(const struct widget_ctx *ctx, bool numeric, double size, int weight,
                         rgba_t color)
{
    return text_style_make(ctx->r, numeric, size, weight, color);
}

rgba_t wseries(const struct widget_ctx *ctx, size_t i)
{
    return ctx->theme->series[i % ARRAY_LEN(ctx->theme->series)];
}

const char **wdistinct(const struct widget_ctx *ctx, int col, size_t *n)
{
    *n = 0;
    if (col < 0 || !ctx->data)
        return NULL;
    const char **out = xcalloc(ctx->data->nrows + 1, sizeof *out);
    for (size_t r = 0; r < ctx->data->nrows; r++) {
        const char *s = table_text(ctx->data, r, (size_t)col);
        if (!s)
            continue;
        bool seen = false;
        for (size_t k = 0; k < *n && !seen; k++)
            seen = strcmp(out[k], s) == 0;
        if (!seen)
            out[(*n)++] = s;
    }
    return out;
}

void wnice_axis(double lo, double hi, int ticks, double *nlo, double *nhi, double *step)
{
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (hi - lo < 1e-9) {
        double pad = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1;
        lo -= pad;
        hi += pad;
    }
    double raw = (hi - lo) / (ticks > 0 ? ticks : 5);
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double s = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    *step = s * mag;
    *nlo = floor(lo / *step) * *step;
    *nhi = ceil(hi / *step) * *step;
}

int whit_first_row(const struct widget_ctx *ctx, double x, double y)
{
    return ctx->data && ctx->data->nrows > 0 && rect_contains(ctx->box, x, y) ? 0 : -1;
}

cairo_t *widget_scratch_cr(void)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(s);
    cairo_surface_destroy(s); /* the context keeps its reference */
    return cr;
}

/* The highlight option with a {name} parameter replaced; NULL when there
 * is none, or it names a parameter the scene does not have. */
static const char *highlight_value(const struct widget_ctx *ctx)
{
    const char *v = panel_opt_str(ctx->panel, "highlight");
    size_t n = strlen(v);
    if (n < 3 || v[0] != '{' || v[n - 1] != '}')
        return *v ? v : NULL;
    for (size_t i = 0; ctx->scene && i < ctx->scene->nparams; i++) {
        const struct scene_param *sp = &ctx->scene->params[i];
        if (strlen(sp->name) == n - 2 && strncmp(sp->name, v + 1, n - 2) == 0)
            return sp->value;
    }
    return NULL;
}

bool whighlight(const struct widget_ctx *ctx, size_t row, const char *label_role)
{
    const char *want = highlight_value(ctx);
    if (!want)
        return false;
    int c = wcol(ctx, "code");
    char buf[256];
    return strcmp(wtext(ctx, row, c >= 0 ? c : wcol(ctx, label_role), buf, sizeof buf), want) == 0;
}

void wdraw_highlight(const struct widget_ctx *ctx, struct rect b, double radius, bool wash)
{
    cairo_t *cr = ctx->cr;
    /* on the pixel grid of the design: a 2-unit line centred 1 unit inside */
    double x0 = round(b.x), y0 = round(b.y), x1 = round(b.x + b.w), y1 = round(b.y + b.h);
    rgba_t c = ctx->theme->highlight;
    cairo_save(cr);
    draw_rounded_rect(cr, x0 + 1, y0 + 1, x1 - x0 - 2, y1 - y0 - 2, radius);
    if (wash) {
        color_set_alpha(cr, c, 0.14);
        cairo_fill_preserve(cr);
    }
    color_set_alpha(cr, c, 0.95);
    cairo_set_line_width(cr, 2);
    cairo_stroke(cr);
    cairo_restore(cr);
}

uint64_t wscroll_phase(const struct panel *p, int64_t now)
{
    return (uint64_t)rows_scroll_step(now, (int)panel_opt_num(p, "scroll_seconds"));
}
