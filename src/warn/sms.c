#include "warn/sms.h"
#include "util/util.h"
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {"indicator", "instance",   "value",   "threshold",
                                    "department", "deadline", "severity"};

/* Index of the placeholder at s ("{name}"), its length in *len; -1 if none. */
static int placeholder(const char *s, size_t *len)
{
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        size_t n = strlen(names[i]);
        if (s[0] == '{' && strncmp(s + 1, names[i], n) == 0 && s[n + 1] == '}') {
            *len = n + 2;
            return (int)i;
        }
    }
    return -1;
}

bool sms_check_template(const char *content, struct err *err)
{
    for (const char *s = content; *s; s++) {
        size_t len;
        if (*s == '}')
            return err_set(err, "a \"}\" without its \"{\" at character %zu",
                           sms_chars(content) - sms_chars(s) + 1);
        if (*s != '{')
            continue;
        if (placeholder(s, &len) < 0) {
            const char *end = strchr(s, '}');
            return err_set(err, "unknown placeholder %.*s (known: " SMS_PLACEHOLDERS ")",
                           end ? (int)(end - s + 1) : (int)strlen(s), s);
        }
        s += len - 1;
    }
    return true;
}

char *sms_render(const char *content, const struct sms_vars *v)
{
    const char *vals[] = {v->indicator, v->instance,   v->value,   v->threshold,
                          v->department, v->deadline, v->severity};
    size_t cap = strlen(content) + 1;
    for (size_t i = 0; i < ARRAY_LEN(vals); i++)
        cap += vals[i] ? strlen(vals[i]) * 4 : 0; /* a value may be used more than once */
    char *out = xmalloc(cap), *o = out;
    for (const char *s = content; *s;) {
        size_t len;
        int k = *s == '{' ? placeholder(s, &len) : -1;
        if (k < 0) {
            *o++ = *s++;
            continue;
        }
        const char *val = vals[k] ? vals[k] : "";
        size_t n = strlen(val);
        if ((size_t)(o - out) + n + strlen(s) + 1 > cap) { /* many repeats: grow */
            size_t off = (size_t)(o - out);
            cap = cap * 2 + n;
            out = xrealloc(out, cap);
            o = out + off;
        }
        memcpy(o, val, n);
        o += n;
        s += len;
    }
    *o = '\0';
    return out;
}

size_t sms_chars(const char *utf8)
{
    size_t n = 0;
    for (const unsigned char *s = (const unsigned char *)utf8; *s; s++)
        n += (*s & 0xc0) != 0x80;
    return n;
}

int sms_segments(size_t chars, int seg_len)
{
    if (seg_len < 10)
        seg_len = 70;
    if (chars <= (size_t)seg_len)
        return 1;
    size_t per = (size_t)seg_len - 3;
    return (int)((chars + per - 1) / per);
}

static long row_of(const struct table *t, const char *col, const char *code)
{
    int c = t ? table_col(t, col) : -1;
    for (size_t r = 0; c >= 0 && r < t->nrows; r++) {
        const char *v = table_text(t, r, (size_t)c);
        if (v && strcmp(v, code) == 0)
            return (long)r;
    }
    return -1;
}

bool sms_find_template(const struct table *templates, const struct table *channels,
                       const char *code, struct sms_template *out, struct err *err)
{
    long r = row_of(templates, "code", code);
    if (r < 0) {
        char *known = NULL;
        int c = templates ? table_col(templates, "code") : -1;
        for (size_t k = 0; c >= 0 && k < templates->nrows; k++)
            if (table_text(templates, k, (size_t)c))
                str_list_add(&known, ", ", table_text(templates, k, (size_t)c));
        err_set(err, "unknown SMS template \"%s\" (known: %s)", code, known ? known : "none");
        free(known);
        return false;
    }
    int cc = table_col(templates, "content"), ch = table_col(templates, "channel");
    out->code = code;
    out->content = cc >= 0 ? table_text(templates, (size_t)r, (size_t)cc) : NULL;
    out->channel = ch >= 0 ? table_text(templates, (size_t)r, (size_t)ch) : NULL;
    out->segment_chars = 70;
    out->refuse_long = false;
    if (!out->content)
        return err_set(err, "SMS template \"%s\" has no content", code);
    long cr = out->channel ? row_of(channels, "code", out->channel) : -1;
    if (out->channel && cr < 0)
        return err_set(err, "SMS template \"%s\": unknown channel \"%s\"", code, out->channel);
    if (cr >= 0) {
        int sc = table_col(channels, "segment_chars"), ol = table_col(channels, "over_length");
        double seg = sc >= 0 ? table_num(channels, (size_t)cr, (size_t)sc) : 70;
        const char *pol = ol >= 0 ? table_text(channels, (size_t)cr, (size_t)ol) : NULL;
        out->segment_chars = seg >= 10 && seg <= 1000 ? (int)seg : 70;
        out->refuse_long = pol && strcmp(pol, "refuse") == 0;
    }
    return sms_check_template(out->content, err);
}
