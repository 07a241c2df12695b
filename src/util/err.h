/* Errors: a status, and the message in a buffer the caller passes. */
#ifndef LW_ERR_H
#define LW_ERR_H
#include <stdbool.h>

struct err {
    char msg[1024];
};

/* Formats into e->msg (if e is not NULL). Always returns false, so that
 * `return err_set(err, ...)` reads as a failed status. */
bool err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefixes the existing message: "PREFIX: old message". Returns false. */
bool err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
