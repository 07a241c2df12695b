/* Small helpers shared by every subsystem: allocation that aborts on
 * out-of-memory (in one place), logging with file:line, string buffers. */
#ifndef LW_UTIL_H
#define LW_UTIL_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Appends item to *list, after sep unless it is the first: the "(known: a,
 * b, c)" lists of messages. *list starts NULL (none yet); caller frees. */
void str_list_add(char **list, const char *sep, const char *item);

/* Growable array of pointers or values: `VEC_PUSH(v, n, cap, item)`. */
#define VEC_PUSH(arr, n, cap, item)                                             \
    do {                                                                       \
        if ((n) == (cap)) {                                                    \
            (cap) = (cap) ? (cap) * 2 : 8;                                     \
            (arr) = xrealloc((arr), (cap) * sizeof *(arr));                    \
        }                                                                      \
        (arr)[(n)++] = (item);                                                 \
    } while (0)

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };
extern enum log_level log_threshold; /* set once at start-up by the CLI */
void log_at(enum log_level lvl, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define LOG(lvl, ...) log_at(LOG_##lvl, __FILE__, __LINE__, __VA_ARGS__)

/* Monotonic milliseconds, for the timings that -v logs. */
double now_ms(void);
/* Wall-clock milliseconds since 1970. */
double wall_ms(void);
/* This process's resident set in kB (from /proc); 0 when unknown. */
long rss_kb(void);


/* How many terminal columns s takes (wcwidth: a Chinese character two), so
 * that text tables line up. */
int utf8_display_width(const char *s);

/* True if s[0..len) is valid UTF-8. */
bool utf8_valid(const char *s, size_t len);
/* Drops a character cut in half at the end of s, as a truncating snprintf
 * leaves it (the server refuses such a text, and Pango draws it as boxes). */
void utf8_clip(char *s);

#endif
