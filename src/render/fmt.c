#include "render/fmt.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *fmt_number(char *buf, size_t len, double v, const struct numfmt *f)
{
    if (!isfinite(v)) {
        snprintf(buf, len, "—");
        return buf;
    }
    double scale = f->scale > 0 ? f->scale : 1;
    int dec = f->decimals < 0 ? 0 : f->decimals > 6 ? 6 : f->decimals;
    v /= scale;
    if (fabs(v) >= 1e15) { /* absurd values stay short and honest */
        snprintf(buf, len, "%.3g", v);
        return buf;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", dec, fabs(v));
    if (strtod(raw, NULL) == 0) /* no "-0.0" */
        v = 0;
    char *dot = strchr(raw, '.');
    size_t intlen = dot ? (size_t)(dot - raw) : strlen(raw);
    char out[96];
    size_t o = 0;
    if (v < 0)
        out[o++] = '-';
    else if (f->sign && v > 0)
        out[o++] = '+';
    for (size_t i = 0; i < intlen; i++) {
        if (f->thousands && i > 0 && (intlen - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = raw[i];
    }
    if (dot) {
        size_t n = strlen(dot);
        memcpy(out + o, dot, n);
        o += n;
    }
    out[o] = '\0';
    snprintf(buf, len, "%s", out);
    return buf;
}

const char *fmt_growth(char *buf, size_t len, double v, int decimals, const char *suffix)
{
    struct numfmt f = {.decimals = decimals, .thousands = true, .scale = 1, .sign = true};
    char num[64];
    fmt_number(num, sizeof num, v, &f);
    if (!isfinite(v))
        snprintf(buf, len, "—");
    else
        snprintf(buf, len, "%s%s", num, suffix ? suffix : "");
    return buf;
}

const char *fmt_period(char *buf, size_t len, const char *p, enum period_style style)
{
    int y = 0, m = 0, d = 0, q = 0;
    if (!p) {
        snprintf(buf, len, "—");
        return buf;
    }
    char tail;
    if (sscanf(p, "%4d-Q%1d%c", &y, &q, &tail) == 2 && q >= 1 && q <= 4) {
        m = q * 3;
    } else if (sscanf(p, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 ||
               sscanf(p, "%4d-%2d%c", &y, &m, &tail) == 2) {
        if (m < 1 || m > 12) {
            snprintf(buf, len, "%s", p);
            return buf;
        }
    } else if (sscanf(p, "%4d%c", &y, &tail) == 1) {
        snprintf(buf, len, "%d年", y);
        return buf;
    } else {
        snprintf(buf, len, "%s", p);
        return buf;
    }
    switch (style) {
    case PERIOD_YM:
        snprintf(buf, len, "%d年%d月", y, m);
        break;
    case PERIOD_CUMULATIVE:
        if (m == 1)
            snprintf(buf, len, "%d年1月", y);
        else
            snprintf(buf, len, "%d年1–%d月累计", y, m);
        break;
    case PERIOD_MONTH:
        snprintf(buf, len, "%d月", m);
        break;
    case PERIOD_CUM_SHORT:
        if (m == 1)
            snprintf(buf, len, "1月");
        else
            snprintf(buf, len, "1–%d月", m);
        break;
    case PERIOD_SHORT:
        snprintf(buf, len, "%02d-%02d", y % 100, m);
        break;
    }
    return buf;
}

/* Appends s[0..n) to out[0..*o) within len, not splitting a UTF-8
 * character; false when it had to cut. */
static bool append(char *out, size_t len, size_t *o, const char *s, size_t n)
{
    bool whole = *o + n < len;
    if (!whole) {
        n = len - 1 - *o;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(out + *o, s, n);
    *o += n;
    return whole;
}

/* Drops an incomplete UTF-8 character at the end of s (a value snprintf cut). */
static void trim_partial_char(char *s)
{
    size_t n = strlen(s), start = n, k = 0;
    while (start > 0 && k < 4 && ((unsigned char)s[start - 1] & 0xc0) == 0x80)
        start--, k++;
    if (start == 0)
        return;
    unsigned char c = (unsigned char)s[start - 1];
    size_t want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    if (n - (start - 1) < want)
        s[start - 1] = '\0';
}

const char *fmt_template(char *out, size_t len, const char *tmpl, fmt_lookup_fn lookup, void *arg)
{
    size_t o = 0;
    if (!len)
        return out;
    bool room = true;
    while (*tmpl && room) {
        size_t n = tmpl[0] == '{' ? strspn(tmpl + 1, "abcdefghijklmnopqrstuvwxyz0123456789_") : 0;
        char name[64], val[1024];
        if (n > 0 && n < sizeof name && tmpl[n + 1] == '}') {
            memcpy(name, tmpl + 1, n);
            name[n] = '\0';
            if (lookup(name, val, sizeof val, arg)) {
                trim_partial_char(val);
                room = append(out, len, &o, val, strlen(val));
                tmpl += n + 2;
                continue;
            }
        }
        if (n == 0) { /* one whole character */
            unsigned char c = (unsigned char)*tmpl;
            n = strnlen(tmpl, c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1);
        } else {
            n += 1; /* the brace and the name */
        }
        room = append(out, len, &o, tmpl, n);
        tmpl += n;
    }
    out[o] = '\0';
    return out;
}

const char *fmt_age(char *buf, size_t len, double s)
{
    if (!(s >= 0))
        snprintf(buf, len, "—");
    else if (s < 120)
        snprintf(buf, len, "%.0f 秒", s);
    else if (s < 7200)
        snprintf(buf, len, "%.0f 分钟", s / 60);
    else if (s < 1e9)
        snprintf(buf, len, "%.1f 小时", s / 3600);
    else
        snprintf(buf, len, "—");
    return buf;
}

const char *fmt_time(char *buf, size_t len, int64_t unix_s, const char *strftime_fmt)
{
    time_t t = (time_t)unix_s;
    struct tm tm;
    localtime_r(&t, &tm);
    if (strftime(buf, len, strftime_fmt, &tm) == 0 && len)
        buf[0] = '\0';
    return buf;
}

const char *fmt_rfc3339(char *buf, size_t len, int64_t unix_s)
{
    fmt_time(buf, len, unix_s, "%Y-%m-%dT%H:%M:%S%z");
    /* +0800 → +08:00, as RFC 3339 wants */
    size_t n = strlen(buf);
    if (n > 5 && n + 1 < len && (buf[n - 5] == '+' || buf[n - 5] == '-')) {
        memmove(buf + n - 1, buf + n - 2, 3);
        buf[n - 2] = ':';
    }
    return buf;
}
