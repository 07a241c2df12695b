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

/* The HTTP server's limits, in one place: the JSON API to be served on the
 * same daemon shares them. The connections stay far below the units'
 * LimitNOFILE (the units in kiosk/), so slow or greedy clients cannot take the
 * descriptors the wall needs for its status file, fonts and database, and
 * one client address cannot take them all from the monitoring. */
enum {
    HTTP_MAX_CONNECTIONS = 64,           /* open at once, in total */
    HTTP_MAX_PER_ADDRESS = 8,            /* open at once from one client address */
    HTTP_IDLE_TIMEOUT_S = 5,             /* a connection silent this long is closed */
    HTTP_MAX_BODY = 64 * 1024,           /* request body in bytes; larger: 413 */
    HTTP_CONNECTION_MEMORY = 32 * 1024,  /* request line, headers and buffers */
};

struct health_source {
    char name[64];
    double age_s;
    bool offline;
    uint64_t version;
};

struct health_snapshot {
    char scene[64];
    char params[256];        /* the scene's parameters in effect: "city=411081,period=2024-06" */
    char breadcrumb[512];    /* the way there, root first: "许昌市 › 禹州市 › 项目详情" */
    double frame_ms, present_ms;
    uint64_t frames;
    double uptime_s;
    long rss_kb;
    unsigned open_warnings;
    struct health_source sources[32];
    size_t nsources;
};

struct health;

/* "127.0.0.1:9100" or ":9100" (loopback); NULL + *err when it cannot listen.
 * Serves from one thread of its own with poll(), within the limits above. */
struct health *health_start(const char *addr, struct err *err);
void health_update(struct health *h, const struct health_snapshot *s);
void health_stop(struct health *h); /* NULL is a no-op */

#endif
