/* libsystemd, opened on the first call (lazy.h): only a wall under systemd
 * (readiness, the watchdog) and `setup` use it. It brings libgcrypt, lz4,
 * zstd and more with it. */
#include "util/lazy.h"
#include <stdarg.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>

#define FUNCTIONS(F, V, P)                                                                         \
    F(int, sd_booted, (void), ())                                                                  \
    F(int, sd_notify, (int unset_environment, const char *state), (unset_environment, state))      \
    F(int, sd_watchdog_enabled, (int unset_environment, uint64_t *usec), (unset_environment, usec))

LAZY_DEFINE(FUNCTIONS, "libsystemd.so.0", "systemd (readiness, the watchdog)")

/* Formatted here: libsystemd has no va_list form. */
int sd_notifyf(int unset_environment, const char *format, ...)
{
    char state[1024];
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(state, sizeof state, format, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    return sd_notify(unset_environment, state);
}
