#include "widgets/widget.h"
#include "util/util.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

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
