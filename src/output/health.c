#include "output/health.h"
#include "util/util.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct health {
    struct MHD_Daemon *daemon;
    pthread_mutex_t lock;
    struct health_snapshot snap; /* guarded by lock */
    double updated_ms;           /* guarded by lock; monotonic */
    uint64_t frames_at_mark;     /* for fps: guarded by lock */
    double mark_ms, fps;
};

static void append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (*len + (size_t)n + 1 > *cap) {
        *cap = (*len + (size_t)n + 1) * 2;
        *buf = xrealloc(*buf, *cap);
    }
    va_start(ap, fmt);
    vsnprintf(*buf + *len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    *len += (size_t)n;
}

/* Prometheus label values: backslash, quote and newline escaped. */
static void label(char *out, size_t len, const char *s)
{
    size_t o = 0;
    for (; *s && o + 2 < len; s++) {
        if (*s == '\\' || *s == '"' || *s == '\n')
            out[o++] = '\\';
        out[o++] = *s == '\n' ? 'n' : *s;
    }
    out[o] = '\0';
}

static char *metrics(struct health *h)
{
    pthread_mutex_lock(&h->lock);
    struct health_snapshot s = h->snap;
    double fps = h->fps, since = now_ms() - h->updated_ms;
    pthread_mutex_unlock(&h->lock);
    char *b = NULL, sc[160], pa[2 * sizeof s.params], bc[2 * sizeof s.breadcrumb];
    size_t len = 0, cap = 0;
    label(sc, sizeof sc, s.scene);
    label(pa, sizeof pa, s.params);
    label(bc, sizeof bc, s.breadcrumb);
    append(&b, &len, &cap,
           "# HELP lotuswall_up 1 while the render loop reports.\n# TYPE lotuswall_up gauge\n"
           "lotuswall_up %d\n"
           "# HELP lotuswall_frame_seconds Time to draw the last frame.\n"
           "# TYPE lotuswall_frame_seconds gauge\nlotuswall_frame_seconds %.6f\n"
           "# HELP lotuswall_present_seconds Time to hand the last frame to the display.\n"
           "# TYPE lotuswall_present_seconds gauge\nlotuswall_present_seconds %.6f\n"
           "# HELP lotuswall_frames_total Frames presented.\n"
           "# TYPE lotuswall_frames_total counter\nlotuswall_frames_total %llu\n"
           "# HELP lotuswall_fps Frames presented per second, last 10 s.\n"
           "# TYPE lotuswall_fps gauge\nlotuswall_fps %.3f\n"
           "# HELP lotuswall_uptime_seconds Seconds since start.\n"
           "# TYPE lotuswall_uptime_seconds gauge\nlotuswall_uptime_seconds %.0f\n"
           "# HELP lotuswall_resident_bytes Resident memory.\n"
           "# TYPE lotuswall_resident_bytes gauge\nlotuswall_resident_bytes %ld\n"
           "# HELP lotuswall_open_warnings Warnings firing and not resolved.\n"
           "# TYPE lotuswall_open_warnings gauge\nlotuswall_open_warnings %u\n"
           "# HELP lotuswall_scene_info The scene on screen.\n# TYPE lotuswall_scene_info gauge\n"
           "lotuswall_scene_info{scene=\"%s\"} 1\n"
           "# HELP lotuswall_view_info The scene's parameters and the breadcrumb.\n"
           "# TYPE lotuswall_view_info gauge\n"
           "lotuswall_view_info{params=\"%s\",breadcrumb=\"%s\"} 1\n"
           "# HELP lotuswall_source_age_seconds Age of each source's data.\n"
           "# TYPE lotuswall_source_age_seconds gauge\n",
           since < 10000, s.frame_ms / 1e3, s.present_ms / 1e3, (unsigned long long)s.frames, fps,
           s.uptime_s, s.rss_kb * 1024, s.open_warnings, sc, pa, bc);
    for (size_t i = 0; i < s.nsources; i++) {
        char n[160];
        label(n, sizeof n, s.sources[i].name);
        append(&b, &len, &cap, "lotuswall_source_age_seconds{source=\"%s\"} %.0f\n", n,
               s.sources[i].age_s);
    }
    append(&b, &len, &cap, "# HELP lotuswall_source_offline 1 while the source's database is "
                           "unreachable.\n# TYPE lotuswall_source_offline gauge\n");
    for (size_t i = 0; i < s.nsources; i++) {
        char n[160];
        label(n, sizeof n, s.sources[i].name);
        append(&b, &len, &cap, "lotuswall_source_offline{source=\"%s\"} %d\n", n,
               s.sources[i].offline);
    }
    return b;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned code, char *body,
                             const char *type)
{
    struct MHD_Response *res =
        MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(res, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(conn, code, res);
    MHD_destroy_response(res);
    return ret;
}

/* Every answer is queued on the first call, with the headers, so libmicrohttpd
 * never hands us a body: it discards one and closes the connection. A body
 * announced over HTTP_MAX_BODY is refused before a byte of it is read. */
static bool body_too_large(struct MHD_Connection *conn)
{
    const char *len =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return len && strtoull(len, NULL, 10) > HTTP_MAX_BODY;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    struct health *h = cls;
    const char *text = "text/plain; charset=utf-8";
    if (body_too_large(conn))
        return reply(conn, MHD_HTTP_CONTENT_TOO_LARGE, xstrdup("request body too large\n"), text);
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, xstrdup("GET or HEAD only\n"), text);
    if (strcmp(url, "/healthz") == 0) {
        pthread_mutex_lock(&h->lock);
        bool alive = now_ms() - h->updated_ms < 10000;
        pthread_mutex_unlock(&h->lock);
        return reply(conn, alive ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE,
                     xstrdup(alive ? "ok\n" : "render loop not reporting\n"), text);
    }
    if (strcmp(url, "/metrics") == 0)
        return reply(conn, MHD_HTTP_OK, metrics(h), "text/plain; version=0.0.4; charset=utf-8");
    return reply(conn, MHD_HTTP_NOT_FOUND, xstrdup("not found: try /healthz or /metrics\n"), text);
}

struct health *health_start(const char *addr, struct err *err)
{
    const char *colon = strrchr(addr, ':');
    char host[64] = "127.0.0.1";
    if (!colon || colon - addr >= (long)sizeof host)
        return err_set(err, "--http %s: expected HOST:PORT, e.g. 127.0.0.1:9100", addr), NULL;
    if (colon > addr)
        snprintf(host, sizeof host, "%.*s", (int)(colon - addr), addr);
    int port = atoi(colon + 1);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (port < 1 || port > 65535 || inet_pton(AF_INET, host, &sin.sin_addr) != 1)
        return err_set(err, "--http %s: expected an IPv4 address and a port", addr), NULL;
    struct health *h = xcalloc(1, sizeof *h);
    pthread_mutex_init(&h->lock, NULL);
    h->updated_ms = h->mark_ms = now_ms();
    /* poll(), not select(): a descriptor above FD_SETSIZE must not break it */
    h->daemon = MHD_start_daemon(
        MHD_USE_POLL_INTERNAL_THREAD, (uint16_t)port, NULL, NULL, answer, h,
        MHD_OPTION_SOCK_ADDR, &sin, MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_MAX_CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)HTTP_MAX_PER_ADDRESS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_IDLE_TIMEOUT_S,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_MEMORY, MHD_OPTION_END);
    if (!h->daemon) {
        pthread_mutex_destroy(&h->lock);
        free(h);
        return err_set(err, "--http %s: cannot listen (port in use?)", addr), NULL;
    }
    LOG(INFO, "health on http://%s/healthz and /metrics", addr);
    return h;
}

void health_update(struct health *h, const struct health_snapshot *s)
{
    if (!h)
        return;
    pthread_mutex_lock(&h->lock);
    h->snap = *s;
    double now = now_ms();
    h->updated_ms = now;
    if (now - h->mark_ms >= 10000 || h->fps == 0) {
        if (now > h->mark_ms)
            h->fps = (double)(s->frames - h->frames_at_mark) * 1000 / (now - h->mark_ms);
        h->frames_at_mark = s->frames;
        h->mark_ms = now;
    }
    pthread_mutex_unlock(&h->lock);
}

void health_stop(struct health *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->daemon);
    pthread_mutex_destroy(&h->lock);
    free(h);
}
