#include "output/export.h"
#include "output/compose.h"
#include "output/exchange.h"
#include "util/file.h"
#include "util/util.h"
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct theme *job_theme(const struct export_job *job, const struct scene *s)
{
    const struct theme *t = theme_find(job->theme ? job->theme : s->theme);
    return t ? t : theme_find("dark");
}

static void draw_scene(const struct export_job *job, const struct scene *s, cairo_t *cr,
                       struct render *r)
{
    r->theme = job_theme(job, s);
    r->now = job->now;
    r->red_up = job->red_up;
    r->watermark = job->watermark;
    compose_scene(cr, job->width, job->height, s, job->store, r);
}

cairo_surface_t *export_render_image(const struct export_job *job, const struct scene *s)
{
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, job->width, job->height);
    cairo_t *cr = cairo_create(img);
    struct render r;
    render_init(&r, job_theme(job, s), job->now);
    draw_scene(job, s, cr, &r);
    render_finish(&r);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    return img;
}

bool export_png_write(cairo_surface_t *img, const char *path, int level, struct err *err)
{
    struct file_out out;
    if (!file_out_open(&out, path, FILE_SYNC, err))
        return false;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        file_out_abort(&out);
        return err_set(err, "%s: PNG encoding failed", path);
    }
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    int stride = cairo_image_surface_get_stride(img);
    unsigned char *px = cairo_image_surface_get_data(img);
    png_init_io(png, out.f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    /* Measured on a 4K dashboard (docs/performance.md): zlib level 1 with
     * no row filter is the fastest and, with the flat areas of a dashboard,
     * also smaller than SUB or UP (1.3 MB vs 1.6 MB). Cairo's own writer,
     * zlib's default level with adaptive filters, takes ten times longer. */
    png_set_compression_level(png, level);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, level <= 3 ? PNG_FILTER_NONE : PNG_ALL_FILTERS);
    png_write_info(png, info);
    /* cairo RGB24 is native-endian 0xXXRRGGBB: B, G, R, X in memory here */
    png_set_bgr(png);
    png_set_filler(png, 0, PNG_FILLER_AFTER);
    for (int y = 0; y < h; y++)
        png_write_row(png, px + (size_t)y * (size_t)stride);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return file_out_commit(&out, err);
}

static bool write_png(const struct export_job *job, struct err *err)
{
    double t0 = now_ms();
    cairo_surface_t *img = export_render_image(job, job->scenes[0]);
    double t1 = now_ms();
    bool ok = export_png_write(img, job->path, 1, err);
    LOG(DEBUG, "%s: drawn in %.1f ms, PNG encoded in %.1f ms", job->path, t1 - t0, now_ms() - t1);
    cairo_surface_destroy(img);
    return ok;
}

/* Cairo's vector surfaces write through this into a file_out. */
static cairo_status_t stream_write(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static bool finish_vector(cairo_surface_t *surf, struct file_out *out, struct err *err)
{
    cairo_surface_finish(surf);
    cairo_status_t st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        err_set(err, "%s: %s", out->path, cairo_status_to_string(st));
        file_out_abort(out);
        return false;
    }
    return file_out_commit(out, err);
}

static bool write_pdf(const struct export_job *job, struct err *err)
{
    struct file_out out;
    if (!file_out_open(&out, job->path, FILE_SYNC, err))
        return false;
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(stream_write, out.f, job->width,
                                                                job->height);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        return finish_vector(surf, &out, err);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "lotuswall");
    char title[SCENE_MAX_STRING + 64], sub[SCENE_MAX_STRING + 64];
    compose_scene_texts(title, sub, sizeof title, job->scenes[0], job->store);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_t *cr = cairo_create(surf);
    struct render r;
    render_init(&r, job_theme(job, job->scenes[0]), job->now);
    for (size_t i = 0; i < job->nscenes; i++) {
        cairo_pdf_surface_set_size(surf, job->width, job->height);
        draw_scene(job, job->scenes[i], cr, &r);
        cairo_show_page(cr);
    }
    render_finish(&r);
    cairo_destroy(cr);
    return finish_vector(surf, &out, err);
}

static bool write_svg(const struct export_job *job, struct err *err)
{
    struct file_out out;
    if (!file_out_open(&out, job->path, FILE_SYNC, err))
        return false;
    cairo_surface_t *surf = cairo_svg_surface_create_for_stream(stream_write, out.f, job->width,
                                                                job->height);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        return finish_vector(surf, &out, err);
    cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PX);
    cairo_t *cr = cairo_create(surf);
    struct render r;
    render_init(&r, job_theme(job, job->scenes[0]), job->now);
    draw_scene(job, job->scenes[0], cr, &r);
    render_finish(&r);
    cairo_destroy(cr);
    return finish_vector(surf, &out, err);
}

static const struct export_driver drivers[] = {
    {".png", "PNG image", false, write_png},
    {".pdf", "PDF document (vector, one page per scene)", true, write_pdf},
    {".svg", "SVG image (vector)", false, write_svg},
    {".json", "data exchange document (what every panel shows)", true, exchange_write},
};

const struct export_driver *export_find(const char *path, struct err *err)
{
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < ARRAY_LEN(drivers); i++)
        if (strcasecmp(dot, drivers[i].ext) == 0)
            return &drivers[i];
    return err_set(err, "%s: unknown output format (known: .png, .pdf, .svg, .json)", path), NULL;
}

static char *per_scene_path(const char *path, const char *name)
{
    const char *at = strstr(path, "{scene}");
    if (at)
        return xasprintf("%.*s%s%s", (int)(at - path), path, name, at + 7);
    const char *dot = strrchr(path, '.');
    return xasprintf("%.*s-%s%s", (int)(dot - path), path, name, dot);
}

bool export_run(const struct export_job *job, struct err *err)
{
    const struct export_driver *d = export_find(job->path, err);
    if (!d)
        return false;
    if (job->width < 16 || job->height < 16 || job->width > 16384 || job->height > 16384)
        return err_set(err, "size %d×%d is out of range (16×16 to 16384×16384)", job->width,
                       job->height);
    bool templated = strstr(job->path, "{scene}") != NULL;
    if (d->multi_page || (job->nscenes == 1 && !templated))
        return d->write(job, err);
    for (size_t i = 0; i < job->nscenes; i++) {
        struct export_job one = *job;
        char *path = per_scene_path(job->path, job->scenes[i]->name);
        one.path = path;
        one.scenes = &job->scenes[i];
        one.nscenes = 1;
        bool ok = d->write(&one, err);
        free(path);
        if (!ok)
            return false;
    }
    return true;
}
