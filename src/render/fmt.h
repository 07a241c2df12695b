/* Number, growth, period and time formatting for Chinese big screens. */
#ifndef LW_FMT_H
#define LW_FMT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct numfmt {
    int decimals;      /* fixed decimals, 0..6 */
    bool thousands;    /* 1,234,567.8 */
    double scale;      /* the value is divided by this first (1e4: 元 → 万元); 0 = 1 */
    const char *unit;  /* drawn beside the number by widgets, e.g. "亿元"; may be NULL */
    bool sign;         /* always show + for positive values */
};

#define NUMFMT_INIT {.decimals = 1, .thousands = true, .scale = 1, .unit = NULL, .sign = false}

/* "3,059.9"; "—" for NaN/inf. Returns buf. */
const char *fmt_number(char *buf, size_t len, double v, const struct numfmt *f);
/* Growth with a sign: "+6.2%", "-1.0%", "0.0%"; suffix is "%" or "个百分点". */
const char *fmt_growth(char *buf, size_t len, double v, int decimals, const char *suffix);

enum period_style {
    PERIOD_YM,          /* 2024年10月 */
    PERIOD_CUMULATIVE,  /* 1–10月累计 (a year's first month: 1月) */
    PERIOD_MONTH,       /* 10月 */
    PERIOD_SHORT,       /* 24-10 for axes */
    PERIOD_CUM_SHORT,   /* 1–10月: the cumulative span, without the year */
};
/* Formats "2024-10" (also "2024", "2024-Q3", "2024-10-31"); copies unknown
 * shapes unchanged. */
const char *fmt_period(char *buf, size_t len, const char *period, enum period_style style);
/* Fills the placeholders {name} of tmpl (names of a-z, 0-9 and _) with
 * what lookup writes into its buffer; a name lookup declines (false) stays
 * as written. Output is cut at len - 1 bytes, never inside a character. */
typedef bool (*fmt_lookup_fn)(const char *name, char *buf, size_t len, void *arg);
const char *fmt_template(char *out, size_t len, const char *tmpl, fmt_lookup_fn lookup, void *arg);
/* An age in seconds, short: 4 秒, 7 分钟, 2.0 小时; "—" for NaN or < 0. */
const char *fmt_age(char *buf, size_t len, double seconds);
/* Local time (the process TZ, Asia/Shanghai by default) with strftime. */
const char *fmt_time(char *buf, size_t len, int64_t unix_s, const char *strftime_fmt);
/* The same time as RFC 3339 (2024-11-15T09:30:00+08:00): 32 bytes suffice. */
const char *fmt_rfc3339(char *buf, size_t len, int64_t unix_s);

#endif
