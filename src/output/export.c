#include "output/export.h"
#include "output/compose.h"
#include "output/exchange.h"
#include "util/file.h"
#include "util/util.h"
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <isa-l.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <zlib.h>

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

/* An RGB24 image in memory of our own, on huge pages where the kernel
 * has them: a 4K frame is 33 MB, 8,100 page faults in 4 KB pages (13,200
 * faults and 300 ms of CPU for a 4K export before, 4,200 and 213 ms after,
 * with the PNG changes of the same commit). Not cleared: a scene drawn by
 * pieces paints every pixel (compose_background's bands). */
static const cairo_user_data_key_t pixels_key;

static cairo_surface_t *image_new(int w, int h)
{
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w);
    size_t huge = 2u << 20, size = ((size_t)stride * (size_t)h + huge - 1) / huge * huge;
    void *px = aligned_alloc(huge, size);
    if (!px)
        return cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    madvise(px, size, MADV_HUGEPAGE);
    cairo_surface_t *img = cairo_image_surface_create_for_data(px, CAIRO_FORMAT_RGB24, w, h, stride);
    cairo_surface_set_user_data(img, &pixels_key, px, free);
    return img;
}

/* The text caches a file is drawn with: those export_run keeps from file
 * to file, else *own, made here (job_render_done drops it). */
static struct render *job_render(const struct export_job *job, const struct scene *s,
                                 struct render *own)
{
    if (job->render)
        return job->render;
    render_init(own, job_theme(job, s), job->now);
    own->pool = job->pool;
    return own;
}

static void job_render_done(struct render *r, struct render *own)
{
    if (r == own)
        render_finish(own);
}

cairo_surface_t *export_render_image(const struct export_job *job, const struct scene *s)
{
    cairo_surface_t *img = image_new(job->width, job->height);
    cairo_t *cr = cairo_create(img);
    struct render own, *r = job_render(job, s, &own);
    draw_scene(job, s, cr, r);
    job_render_done(r, &own);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    return img;
}

/* ---- splice walls --------------------------------------------------------
 * A wall's canvas has the bezels in it: the pixels hidden behind each seam.
 * What a viewer sees, and what a report wants, is each output's rectangle of
 * the canvas placed edge to edge. The canvas is drawn once (an image, or a
 * recording for the vector formats) and painted through each output's
 * rectangle at its seamless place: integer offsets, so a PNG's pixels are
 * the canvas's own. */
static void page_size(const struct export_job *job, int *w, int *h)
{
    *w = job->wall ? job->wall->seamless_w : job->width;
    *h = job->wall ? job->wall->seamless_h : job->height;
}

static void paint_seamless(const struct wall_file *w, cairo_t *cr, cairo_surface_t *canvas)
{
    for (size_t k = 0; k < w->noutputs; k++) {
        const struct wall_output *o = &w->outputs[k];
        cairo_set_source_surface(cr, canvas, o->seam_x - o->x, o->seam_y - o->y);
        cairo_rectangle(cr, o->seam_x, o->seam_y, o->w, o->h);
        cairo_fill(cr);
    }
}

static cairo_surface_t *cut_bezels(const struct export_job *job, cairo_surface_t *canvas)
{
    int w, h;
    page_size(job, &w, &h);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(img);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    paint_seamless(job->wall, cr, canvas);
    cairo_destroy(cr);
    cairo_surface_destroy(canvas);
    cairo_surface_flush(img);
    return img;
}

/* One page of a vector format: the scene, or a wall's canvas recorded once. */
static void draw_page(const struct export_job *job, const struct scene *s, cairo_t *cr,
                      struct render *r)
{
    if (!job->wall) {
        draw_scene(job, s, cr, r);
        return;
    }
    cairo_rectangle_t all = {0, 0, job->width, job->height};
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, &all);
    cairo_t *rc = cairo_create(rec);
    draw_scene(job, s, rc, r);
    cairo_destroy(rc);
    paint_seamless(job->wall, cr, rec);
    cairo_surface_destroy(rec);
}

/* ---- PNG in parallel stripes ---------------------------------------------
 * The rows are cut into stripes of a fixed height (whatever the number of
 * threads, so the file is the same for every N), each converted to RGB and
 * compressed as a raw DEFLATE stream of its own: every stripe but the last
 * ends with a sync flush (byte-aligned, not final), so the streams joined
 * are one valid stream; the zlib header goes before them and the Adler-32
 * of the whole image data, combined from the stripes', after. Rows are
 * unfiltered: with the flat areas of a dashboard that is the fastest and
 * also smaller than SUB or UP (docs/performance.md).
 * Level 1 (exports, screenshots) is ISA-L's igzip at its level 1: a 4K
 * dashboard in 18 ms on one core against zlib's 127–185 ms at its level 1,
 * 2.7 % larger. Levels 2–9 are zlib's (the golden references, kept small in
 * git). libdeflate cannot end a stream without making it the last, so its
 * stripes could not be joined. */
enum { PNG_STRIPE_ROWS = 128 };

struct png_stripe {
    unsigned char *z;     /* compressed bytes */
    size_t zlen;
    uLong adler;          /* of the stripe's raw (filtered) rows */
    size_t rawlen;
    bool ok;
};

struct png_job {
    const unsigned char *px;
    int w, h, stride, level;
    struct png_stripe *stripes;
    size_t nstripes;
    /* per worker, made on its first stripe: the rows of a stripe (one byte
     * more: png_rows stores 4 bytes a pixel) and igzip's level buffer */
    unsigned char **raw, **lvl_buf;
};

/* cairo RGB24 is native-endian 0xXXRRGGBB; PNG wants R, G, B after a filter
 * byte (0: none) per row. Each pixel is stored as 4 bytes R, G, B, 0 (one
 * store instead of three, 3× faster) and the next overwrites the 0. */
static void png_rows(const struct png_job *j, int y0, int y1, unsigned char *raw)
{
    for (int y = y0; y < y1; y++) {
        const uint32_t *row = (const uint32_t *)(j->px + (size_t)y * (size_t)j->stride);
        *raw++ = 0;
        for (int x = 0; x < j->w; x++) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            uint32_t rgb0 = __builtin_bswap32(row[x] << 8);
            memcpy(raw, &rgb0, 4);
#else
            uint32_t v = row[x];
            raw[0] = (unsigned char)(v >> 16), raw[1] = (unsigned char)(v >> 8);
            raw[2] = (unsigned char)v;
#endif
            raw += 3;
        }
    }
}

/* Deflates raw into st->z: ISA-L at level 1 (lvl_buf: its level buffer),
 * else zlib; the last stripe ends the stream, the others with a sync flush. */
static bool deflate_stripe(struct png_stripe *st, unsigned char *raw, int level,
                           unsigned char *lvl_buf, bool last)
{
    size_t cap = compressBound((uLong)st->rawlen) + 1024;
    st->z = xmalloc(cap);
    if (level <= 1) {
        struct isal_zstream z;
        isal_deflate_init(&z);
        z.level = 1, z.level_buf = lvl_buf, z.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
        z.next_in = raw, z.avail_in = (uint32_t)st->rawlen;
        z.next_out = st->z, z.avail_out = (uint32_t)cap;
        z.end_of_stream = last, z.flush = SYNC_FLUSH;
        bool ok = isal_deflate(&z) == COMP_OK && z.avail_in == 0 && z.avail_out > 0;
        st->zlen = cap - z.avail_out;
        return ok;
    }
    z_stream z = {0};
    if (deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    z.next_in = raw, z.avail_in = (uInt)st->rawlen;
    z.next_out = st->z, z.avail_out = (uInt)cap;
    int rc = deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH);
    st->zlen = cap - z.avail_out;
    deflateEnd(&z);
    return (rc == Z_STREAM_END || rc == Z_OK) && z.avail_in == 0 && z.avail_out > 0;
}

static void png_stripe(void *arg, size_t i, unsigned worker)
{
    const struct png_job *j = arg;
    struct png_stripe *st = &j->stripes[i];
    int y0 = (int)i * PNG_STRIPE_ROWS;
    int y1 = y0 + PNG_STRIPE_ROWS > j->h ? j->h : y0 + PNG_STRIPE_ROWS;
    st->rawlen = (size_t)(y1 - y0) * (1 + 3 * (size_t)j->w);
    if (!j->raw[worker]) {
        j->raw[worker] = xmalloc((size_t)PNG_STRIPE_ROWS * (1 + 3 * (size_t)j->w) + 1);
        j->lvl_buf[worker] = j->level <= 1 ? xmalloc(ISAL_DEF_LVL1_DEFAULT) : NULL;
    }
    unsigned char *raw = j->raw[worker];
    png_rows(j, y0, y1, raw);
    st->adler = isal_adler32(1, raw, (uint64_t)st->rawlen);
    st->ok = deflate_stripe(st, raw, j->level, j->lvl_buf[worker], i + 1 == j->nstripes);
}

static void put_be32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)(v >> 24), b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8), b[3] = (unsigned char)v;
}

/* One chunk: length, type, data (head then body, either may be empty), CRC. */
static bool png_chunk(FILE *f, const char *type, const unsigned char *head, size_t hlen,
                      const unsigned char *body, size_t blen)
{
    unsigned char b[8];
    put_be32(b, (uint32_t)(hlen + blen));
    memcpy(b + 4, type, 4);
    uLong crc = crc32(crc32(0, Z_NULL, 0), b + 4, 4);
    if (hlen) /* (crc32 of NULL is its initial value, not a no-op) */
        crc = crc32(crc, head, (uInt)hlen);
    if (blen)
        crc = crc32(crc, body, (uInt)blen);
    unsigned char c[4];
    put_be32(c, (uint32_t)crc);
    return fwrite(b, 1, 8, f) == 8 && (!hlen || fwrite(head, 1, hlen, f) == hlen) &&
           (!blen || fwrite(body, 1, blen, f) == blen) && fwrite(c, 1, 4, f) == 4;
}

static bool png_file(FILE *f, const struct png_job *j)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char ihdr[13] = {0}, zhead[2] = {0x78, 0x01}, tail[4];
    put_be32(ihdr, (uint32_t)j->w);
    put_be32(ihdr + 4, (uint32_t)j->h);
    ihdr[8] = 8, ihdr[9] = 2; /* 8 bits, RGB; deflate, no filter choice, no interlace */
    zhead[1] = j->level <= 1 ? 0x01 : j->level >= 7 ? 0xda : 0x5e; /* FLEVEL, FCHECK */
    bool ok = fwrite(sig, 1, 8, f) == 8 && png_chunk(f, "IHDR", ihdr, 13, NULL, 0);
    uLong adler = adler32(0, Z_NULL, 0);
    for (size_t i = 0; ok && i < j->nstripes; i++) {
        const struct png_stripe *st = &j->stripes[i];
        adler = adler32_combine(adler, st->adler, (z_off_t)st->rawlen);
        ok = st->ok && png_chunk(f, "IDAT", zhead, i == 0 ? 2 : 0, st->z, st->zlen);
    }
    put_be32(tail, (uint32_t)adler);
    return ok && png_chunk(f, "IDAT", NULL, 0, tail, 4) && png_chunk(f, "IEND", NULL, 0, NULL, 0);
}

bool export_png_write(cairo_surface_t *img, const char *path, int level, struct pool *pool,
                      struct err *err)
{
    cairo_surface_flush(img);
    struct png_job j = {
        .px = cairo_image_surface_get_data(img),
        .w = cairo_image_surface_get_width(img),
        .h = cairo_image_surface_get_height(img),
        .stride = cairo_image_surface_get_stride(img),
        .level = level < 1 ? 1 : level > 9 ? 9 : level,
    };
    j.nstripes = ((size_t)j.h + PNG_STRIPE_ROWS - 1) / PNG_STRIPE_ROWS;
    j.stripes = xcalloc(j.nstripes, sizeof *j.stripes);
    j.raw = xcalloc(pool_size(pool), sizeof *j.raw);
    j.lvl_buf = xcalloc(pool_size(pool), sizeof *j.lvl_buf);
    pool_run(pool, j.nstripes, png_stripe, &j);
    for (unsigned k = 0; k < pool_size(pool); k++)
        free(j.raw[k]), free(j.lvl_buf[k]);
    free(j.raw);
    free(j.lvl_buf);
    struct file_out out;
    bool ok = file_out_open(&out, path, FILE_SYNC, err);
    if (ok && !png_file(out.f, &j)) {
        file_out_abort(&out);
        ok = err_set(err, "%s: PNG encoding failed: %s", path, strerror(errno ? errno : EIO));
    } else if (ok) {
        ok = file_out_commit(&out, err);
    }
    for (size_t i = 0; i < j.nstripes; i++)
        free(j.stripes[i].z);
    free(j.stripes);
    return ok;
}

static bool write_png(const struct export_job *job, struct err *err)
{
    double t0 = now_ms();
    cairo_surface_t *img = export_render_image(job, job->scenes[0]);
    if (job->wall)
        img = cut_bezels(job, img);
    double t1 = now_ms();
    bool ok = export_png_write(img, job->path, 1, job->pool, err);
    LOG(DEBUG, "%s: drawn in %.1f ms, PNG encoded in %.1f ms", job->path, t1 - t0, now_ms() - t1);
    cairo_surface_destroy(img);
    return ok;
}

cairo_status_t export_stream_write(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

bool export_vector_finish(cairo_surface_t *surf, struct file_out *out, struct err *err)
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
    int w, h;
    page_size(job, &w, &h);
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(export_stream_write, out.f, w, h);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        return export_vector_finish(surf, &out, err);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "lotuswall");
    char title[SCENE_MAX_STRING + 64], sub[SCENE_MAX_STRING + 64];
    compose_scene_texts(title, sub, sizeof title, job->scenes[0], job->store);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_t *cr = cairo_create(surf);
    struct render r;
    render_init(&r, job_theme(job, job->scenes[0]), job->now);
    for (size_t i = 0; i < job->nscenes; i++) {
        double t0 = now_ms();
        cairo_pdf_surface_set_size(surf, w, h);
        draw_page(job, job->scenes[i], cr, &r);
        cairo_show_page(cr);
        LOG(DEBUG, "%s: page %zu (%s) in %.1f ms", job->path, i + 1, job->scenes[i]->name,
            now_ms() - t0);
    }
    render_finish(&r);
    cairo_destroy(cr);
    double t0 = now_ms();
    bool ok = export_vector_finish(surf, &out, err);
    LOG(DEBUG, "%s: fonts and the file written in %.1f ms", job->path, now_ms() - t0);
    return ok;
}

static bool write_svg(const struct export_job *job, struct err *err)
{
    struct file_out out;
    if (!file_out_open(&out, job->path, FILE_SYNC, err))
        return false;
    int w, h;
    page_size(job, &w, &h);
    cairo_surface_t *surf = cairo_svg_surface_create_for_stream(export_stream_write, out.f, w, h);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        return export_vector_finish(surf, &out, err);
    cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PX);
    cairo_t *cr = cairo_create(surf);
    struct render own, *r = job_render(job, job->scenes[0], &own);
    draw_page(job, job->scenes[0], cr, r);
    job_render_done(r, &own);
    cairo_destroy(cr);
    return export_vector_finish(surf, &out, err);
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
    /* one set of font maps and shaped text for all the files (PNG, SVG), as
     * for a PDF's pages: each scene's own set cost 15 ms a thread */
    struct render r;
    render_init(&r, job_theme(job, job->scenes[0]), job->now);
    r.pool = job->pool;
    bool ok = true;
    for (size_t i = 0; ok && i < job->nscenes; i++) {
        struct export_job one = *job;
        char *path = per_scene_path(job->path, job->scenes[i]->name);
        one.path = path;
        one.scenes = &job->scenes[i];
        one.nscenes = 1;
        one.render = &r;
        ok = d->write(&one, err);
        free(path);
    }
    render_finish(&r);
    return ok;
}

struct png_buf {
    unsigned char *data;
    size_t len, cap;
};

static cairo_status_t png_append(void *cls, const unsigned char *data, unsigned len)
{
    struct png_buf *b = cls;
    if (b->len + len > b->cap) {
        b->cap = (b->len + len) * 2;
        b->data = xrealloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return CAIRO_STATUS_SUCCESS;
}

unsigned char *export_png_bytes(cairo_surface_t *img, size_t *len, struct err *err)
{
    struct png_buf png = {0};
    cairo_status_t st = cairo_surface_write_to_png_stream(img, png_append, &png);
    if (st != CAIRO_STATUS_SUCCESS) {
        free(png.data);
        err_set(err, "the thumbnail could not be encoded: %s", cairo_status_to_string(st));
        return NULL;
    }
    *len = png.len;
    return png.data;
}
