#include "util/util.h"
#include "util/file.h"
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <wchar.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum log_level log_threshold = LOG_INFO;

static void oom(void)
{
    fputs("lotuswall: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

void str_list_add(char **list, const char *sep, const char *item)
{
    size_t have = *list ? strlen(*list) : 0, add = strlen(item) + (have ? strlen(sep) : 0);
    *list = xrealloc(*list, have + add + 1);
    snprintf(*list + have, add + 1, "%s%s", have ? sep : "", item);
}

void log_at(enum log_level lvl, const char *file, int line, const char *fmt, ...)
{
    static const char *names[] = {"error", "warning", "info", "debug"};
    if (lvl > log_threshold)
        return;
    fprintf(stderr, "lotuswall: %s: ", names[lvl]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (log_threshold >= LOG_DEBUG)
        fprintf(stderr, " (%s:%d)", file, line);
    fputc('\n', stderr);
}

double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

double wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

long rss_kb(void)
{
    long pages, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2)
            res = 0;
        fclose(f);
    }
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

void utf8_clip(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && n - i < 3 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
        i--; /* back over continuation bytes to the lead byte */
    if (i == 0)
        return;
    unsigned c = (unsigned char)s[i - 1];
    size_t len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
    if (n - (i - 1) < len)
        s[i - 1] = '\0';
}

bool utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + len;
    while (s < end) {
        unsigned c = *s;
        size_t need;
        uint32_t cp;
        if (c < 0x80) {
            s++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            need = 1, cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            need = 2, cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            need = 3, cp = c & 0x07;
        } else {
            return false;
        }
        if ((size_t)(end - s) <= need)
            return false;
        for (size_t i = 1; i <= need; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i] & 0x3f);
        }
        /* overlong forms, surrogates, beyond U+10FFFF */
        if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
            (need == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        s += need + 1;
    }
    return true;
}

static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_locale_init(void)
{
    utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

int utf8_display_width(const char *s)
{
    pthread_once(&utf8_once, utf8_locale_init);
    if (!utf8_locale)
        return (int)strlen(s);
    locale_t old = uselocale(utf8_locale);
    mbstate_t st = {0};
    int width = 0;
    size_t len = strlen(s);
    while (len > 0) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, s, len, &st);
        if (n == (size_t)-1 || n == (size_t)-2) { /* a bad byte takes a column */
            memset(&st, 0, sizeof st);
            n = 1, wc = L'?';
        }
        int w = wcwidth(wc);
        width += w > 0 ? w : 0;
        s += n ? n : 1, len -= n ? n : 1;
    }
    uselocale(old);
    return width;
}
