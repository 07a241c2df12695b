/* Health for the command center's monitoring: `--http 127.0.0.1:PORT`
 * serves /healthz (200 "ok" while the render loop is alive, 503 when it has
 * not reported for 10 s) and /metrics in the Prometheus text format, from
 * libmicrohttpd's own thread. The render loop hands over a snapshot once a
 * frame; `lock` guards it. */
#ifndef LW_HEALTH_H
#define LW_HEALTH_H
#include "util/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct health_source {
    char name[64];
    double age_s;
    bool offline;
    uint64_t version;
};

struct health_snapshot {
    char scene[64];
    double frame_ms, present_ms;
    uint64_t frames;
    double uptime_s;
    long rss_kb;
    unsigned open_warnings;
    struct health_source sources[32];
    size_t nsources;
};

struct health;

/* "127.0.0.1:9100" or ":9100" (loopback); NULL + *err when it cannot listen. */
struct health *health_start(const char *addr, struct err *err);
void health_update(struct health *h, const struct health_snapshot *s);
void health_stop(struct health *h); /* NULL is a no-op */

#endif
