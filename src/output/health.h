/* The wall's HTTP server (libmicrohttpd): /healthz (200 "ok" while the
 * render loop is alive, 503 when it has not reported for 10 s) and /metrics
 * in the Prometheus text format for the command center's monitoring, and the
 * briefing room's console and JSON API (app/api.h) handed to a handler. The
 * render loop hands over a snapshot once a frame; `lock` guards it. */
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
    HTTP_THREAD_STACK = 256 * 1024,      /* a connection's thread: JSON and a thumbnail's PNG */
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

/* A request as the server hands it to the API: the path as sent (not
 * percent-decoded: the API splits it into segments, then decodes each, so an
 * encoded '/' in a warning id stays inside its segment), the raw query, the
 * body (at most HTTP_MAX_BODY bytes), and what the API needs of the headers. */
struct http_request {
    const char *method;
    const char *path;       /* "/api/v1/warnings/a%40b/ack" */
    const char *query;      /* after '?', raw; "" when none */
    const char *body;       /* NUL-terminated; "" for none */
    size_t body_len;
    const char *cookie;     /* the Cookie header, or NULL */
    const char *csrf;       /* X-CSRF-Token, or NULL */
    const char *signature;  /* X-Signature (a gateway's receipt: app/deliver.c), or NULL */
    bool poll;              /* X-Poll: 1, the console's own refresh (not a person's request) */
    const char *addr;       /* the client's address, e.g. "127.0.0.1" */
    bool tls;               /* came over HTTPS */
};

struct http_response {
    unsigned status;
    const char *type;       /* the content type; static */
    void *body;             /* malloc'd, the server frees it */
    size_t len;
    char cookie[256];       /* a Set-Cookie value, or "" */
    const char *allow;      /* the Allow header of a 405, or NULL */
    const char *cache;      /* Cache-Control; NULL: no-store */
};

/* Answers a request under /api/ or /console, or returns false: not its path
 * (the server answers 404). Called from the connection's own thread, so it
 * may wait (for the render loop, for the database). */
typedef bool (*http_handler)(void *cls, const struct http_request *rq, struct http_response *rs);

struct http_opts {
    const char *flag;       /* the option, for messages: "--http" or "--metrics" */
    const char *addr;       /* "127.0.0.1:9100" or ":9100" (loopback) */
    const char *cert, *key; /* PEM files: serve HTTPS; NULL: plain HTTP */
    bool insecure;          /* plain HTTP on an address other than loopback */
    http_handler api;       /* the console and the JSON API, or NULL: health only */
    void *cls;
    /* /metrics of another program than the wall (`deliver`): the Prometheus
     * text, malloc'd, from a connection's thread; NULL: the wall's, from
     * health_update's snapshots */
    char *(*metrics)(void *cls);
};

struct health;

/* Serves /healthz and /metrics, and with o->api the console and the API,
 * one thread per connection within the limits above. Without TLS the API is
 * served only on loopback unless o->insecure (then every start logs a
 * warning). NULL + *err when it cannot listen. */
struct health *health_start(const struct http_opts *o, struct err *err);
void health_update(struct health *h, const struct health_snapshot *s);
void health_stop(struct health *h); /* NULL is a no-op */

#endif
