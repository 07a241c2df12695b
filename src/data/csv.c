#include "data/csv.h"
#include "data/table.h"
#include "util/file.h"
#include "util/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csv_init(struct csv *c, const char *path, const char *data, size_t len)
{
    memset(c, 0, sizeof *c);
    c->path = path;
    c->p = data;
    c->end = data + len;
    c->pos_line = 1;
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        c->p += 3;
}

void csv_finish(struct csv *c)
{
    free(c->fields);
    free(c->buf);
}

static void put(struct csv *c, char ch)
{
    if (c->buflen == c->bufcap) {
        c->bufcap = c->bufcap ? c->bufcap * 2 : 256;
        c->buf = xrealloc(c->buf, c->bufcap);
    }
    c->buf[c->buflen++] = ch;
}

static int fail(struct csv *c, size_t line, const char *at, const char *line_start,
                const char *what, size_t *offs, struct err *err)
{
    free(offs);
    err_set(err, "%s:%zu:%zu: %s", c->path, line, (size_t)(at - line_start) + 1, what);
    return -1;
}

int csv_next(struct csv *c, struct err *err)
{
    /* skip blank lines between records */
    while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
        if (*c->p == '\n')
            c->pos_line++;
        c->p++;
    }
    if (c->p >= c->end)
        return 0;

    c->line = c->pos_line;
    const char *line_start = c->p;
    c->buflen = 0;
    size_t *offs = NULL, noffs = 0, offcap = 0;
    VEC_PUSH(offs, noffs, offcap, (size_t)0);
    for (;;) {
        if (c->p < c->end && *c->p == '"') {
            const char *quote_at = c->p++;
            size_t quote_line = c->pos_line;
            const char *quote_line_start = line_start;
            for (;;) {
                if (c->p >= c->end)
                    return fail(c, quote_line, quote_at, quote_line_start,
                                "unterminated quoted field", offs, err);
                if (*c->p == '"') {
                    if (c->p + 1 < c->end && c->p[1] == '"') {
                        put(c, '"');
                        c->p += 2;
                        continue;
                    }
                    c->p++;
                    break;
                }
                if (*c->p == '\n') {
                    c->pos_line++;
                    line_start = c->p + 1;
                }
                put(c, *c->p++);
            }
            if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
                return fail(c, c->pos_line, c->p, line_start,
                            "unexpected character after closing quote", offs, err);
        } else {
            while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
                if (*c->p == '"')
                    return fail(c, c->pos_line, c->p, line_start,
                                "quote inside an unquoted field", offs, err);
                put(c, *c->p++);
            }
        }
        put(c, '\0');
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            VEC_PUSH(offs, noffs, offcap, c->buflen);
            continue;
        }
        if (c->p < c->end && *c->p == '\r')
            c->p++;
        if (c->p < c->end && *c->p == '\n') {
            c->p++;
            c->pos_line++;
        }
        break;
    }
    if (noffs > c->cap) {
        c->cap = noffs;
        c->fields = xrealloc(c->fields, c->cap * sizeof *c->fields);
    }
    for (size_t i = 0; i < noffs; i++)
        c->fields[i] = c->buf + offs[i];
    c->nfields = noffs;
    free(offs);
    return 1;
}

static void write_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

bool csv_write_table(const struct table *t, const char *path, struct err *err)
{
    struct file_out out;
    if (!file_out_open(&out, path, FILE_SYNC, err))
        return false;
    FILE *f = out.f;
    for (size_t c = 0; c < t->ncols; c++) {
        if (c)
            fputc(',', f);
        write_field(f, t->cols[c].name);
    }
    fputc('\n', f);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            if (c)
                fputc(',', f);
            if (table_is_null(t, r, c))
                continue;
            if (t->cols[c].type == COL_NUMBER) {
                char buf[64];
                double v = t->cols[c].num[r];
                snprintf(buf, sizeof buf, "%.15g", v);
                if (strtod(buf, NULL) != v)
                    snprintf(buf, sizeof buf, "%.17g", v);
                fputs(buf, f);
            } else {
                write_field(f, t->cols[c].text[r]);
            }
        }
        fputc('\n', f);
    }
    return file_out_commit(&out, err);
}
