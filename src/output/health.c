#include "output/health.h"
#include "util/file.h"
#include "util/util.h"
#include <sodium.h>
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
    http_handler api;            /* the console and the API, or NULL */
    void *cls;
    char *(*metrics)(void *cls); /* or NULL: the wall's metrics */
    bool tls;
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

static enum MHD_Result queue(struct MHD_Connection *conn, struct http_response *rs)
{
    struct MHD_Response *res =
        MHD_create_response_from_buffer(rs->len, rs->body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, rs->type);
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, MHD_HTTP_HEADER_CACHE_CONTROL,
                            rs->cache ? rs->cache : "no-store");
    if (rs->cookie[0])
        MHD_add_response_header(res, MHD_HTTP_HEADER_SET_COOKIE, rs->cookie);
    if (rs->allow)
        MHD_add_response_header(res, MHD_HTTP_HEADER_ALLOW, rs->allow);
    enum MHD_Result ret = MHD_queue_response(conn, rs->status, res);
    MHD_destroy_response(res);
    return ret;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned code, char *body,
                             const char *type)
{
    struct http_response rs = {.status = code, .type = type, .body = body, .len = strlen(body)};
    if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
        rs.allow = "GET, HEAD";
    return queue(conn, &rs);
}

/* A request's own state, from the URI log callback (the first thing the
 * server sees) to the completion callback. */
struct req {
    char *uri;           /* as sent, before libmicrohttpd decodes it */
    char *body;          /* the upload so far, NUL-terminated */
    size_t len;
    bool started;        /* the handler saw the headers */
};

static void *req_begin(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls, (void)conn;
    struct req *r = xcalloc(1, sizeof *r);
    r->uri = xstrdup(uri);
    return r;
}

static void req_end(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)conn, (void)why;
    struct req *r = *con_cls;
    if (r) {
        free(r->uri);
        free(r->body);
        free(r);
    }
    *con_cls = NULL;
}

/* A body announced over HTTP_MAX_BODY is refused before a byte of it is
 * read; one that grows past it without announcing is refused when it does. */
static bool body_too_large(struct MHD_Connection *conn)
{
    const char *len =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return len && strtoull(len, NULL, 10) > HTTP_MAX_BODY;
}

static void client_addr(struct MHD_Connection *conn, char *out, size_t len)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, len, "?");
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out,
                  (socklen_t)len);
}

/* The API's turn: the whole request, decoded nowhere. */
static enum MHD_Result to_api(struct health *h, struct MHD_Connection *conn, struct req *r,
                              const char *method)
{
    char path[2048], addr[64];
    const char *q = strchr(r->uri, '?');
    size_t plen = q ? (size_t)(q - r->uri) : strlen(r->uri);
    if (plen >= sizeof path)
        return reply(conn, MHD_HTTP_URI_TOO_LONG, xstrdup("{\"error\":\"uri_too_long\","
                     "\"message\":\"the path is too long\"}"), "application/json");
    snprintf(path, sizeof path, "%.*s", (int)plen, r->uri);
    client_addr(conn, addr, sizeof addr);
    struct http_request rq = {
        .method = method, .path = path, .query = q ? q + 1 : "",
        .body = r->body ? r->body : "", .body_len = r->len,
        .cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE),
        .csrf = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token"),
        .signature = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Signature"),
        .poll = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Poll") != NULL,
        .addr = addr, .tls = h->tls,
    };
    struct http_response rs = {.status = MHD_HTTP_NOT_FOUND};
    if (!h->api(h->cls, &rq, &rs))
        return reply(conn, MHD_HTTP_NOT_FOUND, xstrdup("not found\n"), "text/plain; charset=utf-8");
    return queue(conn, &rs);
}

static enum MHD_Result health_answer(struct health *h, struct MHD_Connection *conn,
                                     const char *url, const char *method)
{
    const char *text = "text/plain; charset=utf-8";
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, xstrdup("GET or HEAD only\n"), text);
    if (strcmp(url, "/healthz") == 0) {
        pthread_mutex_lock(&h->lock);
        bool alive = now_ms() - h->updated_ms < 10000;
        pthread_mutex_unlock(&h->lock);
        return reply(conn, alive ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE,
                     xstrdup(alive ? "ok\n" : "render loop not reporting\n"), text);
    }
    return reply(conn, MHD_HTTP_OK, h->metrics ? h->metrics(h->cls) : metrics(h),
                 "text/plain; version=0.0.4; charset=utf-8");
}

/* 413, in the API's own shape under /api/. */
static enum MHD_Result too_large(struct MHD_Connection *conn, const char *url)
{
    if (strncmp(url, "/api/", 5) == 0)
        return reply(conn, MHD_HTTP_CONTENT_TOO_LARGE,
                     xasprintf("{\"error\":\"too_large\",\"message\":\"the body is over %d "
                               "bytes\"}", HTTP_MAX_BODY), "application/json");
    return reply(conn, MHD_HTTP_CONTENT_TOO_LARGE, xstrdup("request body too large\n"),
                 "text/plain; charset=utf-8");
}

/* GETs are answered on the first call, with the headers. A body (POST) is
 * gathered up to HTTP_MAX_BODY, then the API answers on the last call. */
static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    struct health *h = cls;
    struct req *r = *con_cls;
    const char *text = "text/plain; charset=utf-8";
    if (!r->started) {
        r->started = true;
        if (body_too_large(conn))
            return too_large(conn, url);
        if (strcmp(url, "/healthz") == 0 || strcmp(url, "/metrics") == 0)
            return health_answer(h, conn, url, method);
        if (!h->api)
            return reply(conn, MHD_HTTP_NOT_FOUND,
                         xstrdup("not found: try /healthz or /metrics\n"), text);
        if (strcmp(method, "POST") != 0)
            return to_api(h, conn, r, method);
        return MHD_YES; /* the body follows */
    }
    if (*upload_size) {
        if (r->len + *upload_size > HTTP_MAX_BODY)
            return too_large(conn, url);
        r->body = xrealloc(r->body, r->len + *upload_size + 1);
        memcpy(r->body + r->len, upload, *upload_size);
        r->len += *upload_size;
        r->body[r->len] = '\0';
        *upload_size = 0;
        return MHD_YES;
    }
    return to_api(h, conn, r, method);
}

static bool is_loopback(const struct sockaddr_in *sin)
{
    return (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
}

static bool parse_addr(const struct http_opts *o, struct sockaddr_in *sin, struct err *err)
{
    const char *colon = strrchr(o->addr, ':');
    char host[64] = "127.0.0.1";
    if (!colon || colon - o->addr >= (long)sizeof host)
        return err_set(err, "%s %s: expected HOST:PORT, e.g. 127.0.0.1:9100", o->flag, o->addr);
    if (colon > o->addr)
        snprintf(host, sizeof host, "%.*s", (int)(colon - o->addr), o->addr);
    int port = atoi(colon + 1);
    *sin = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (port < 1 || port > 65535 || inet_pton(AF_INET, host, &sin->sin_addr) != 1)
        return err_set(err, "%s %s: expected an IPv4 address and a port", o->flag, o->addr);
    return true;
}

/* The console and the API carry passwords and session cookies: in clear
 * only on loopback, unless the operator says --http-insecure. */
static bool exposure_ok(const struct http_opts *o, const struct sockaddr_in *sin,
                        struct err *err)
{
    if (!o->api || o->cert || is_loopback(sin))
        return true;
    if (!o->insecure)
        return err_set(err, "%s %s: the console and the API carry passwords; without TLS "
                       "they serve only on loopback (127.0.0.1). Give --http-cert FILE and "
                       "--http-key FILE, or --http-insecure", o->flag, o->addr);
    LOG(WARN, "%s %s: the console and the API without TLS on a network address "
        "(--http-insecure): passwords and sessions cross the network in clear", o->flag,
        o->addr);
    return true;
}

static char *read_pem(const char *flag, const char *path, struct err *err)
{
    size_t len;
    char *pem = file_read(path, FILE_MAX_CONFIG, &len, err);
    if (!pem)
        err_prefix(err, "%s", flag);
    return pem;
}

static struct MHD_Daemon *start_daemon(struct health *h, const struct http_opts *o,
                                       const struct sockaddr_in *sin, struct err *err)
{
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_POLL; /* poll(): a descriptor above FD_SETSIZE must not break it */
    char *key = NULL, *cert = NULL;
    if (o->cert) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
            return err_set(err, "%s: this libmicrohttpd has no TLS", o->flag), NULL;
        if (!(cert = read_pem("--http-cert", o->cert, err)) ||
            !(key = read_pem("--http-key", o->key, err))) {
            free(cert);
            return NULL;
        }
        flags |= MHD_USE_TLS;
    }
    struct MHD_OptionItem tls[] = {
        {cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, key},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, ntohs(sin->sin_port), NULL, NULL, answer, h, MHD_OPTION_SOCK_ADDR, sin,
        MHD_OPTION_URI_LOG_CALLBACK, req_begin, h, MHD_OPTION_NOTIFY_COMPLETED, req_end, h,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_MAX_CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)HTTP_MAX_PER_ADDRESS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_IDLE_TIMEOUT_S,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_MEMORY,
        MHD_OPTION_THREAD_STACK_SIZE, (size_t)HTTP_THREAD_STACK, MHD_OPTION_ARRAY, tls,
        MHD_OPTION_END);
    if (key)
        sodium_memzero(key, strlen(key));
    free(key);
    free(cert);
    if (!d)
        err_set(err, "%s %s: cannot listen (port in use? for TLS: a bad certificate or key)",
                o->flag, o->addr);
    return d;
}

struct health *health_start(const struct http_opts *o, struct err *err)
{
    struct sockaddr_in sin;
    if (!parse_addr(o, &sin, err) || !exposure_ok(o, &sin, err))
        return NULL;
    if (!o->cert != !o->key)
        return err_set(err, "--http-cert and --http-key go together"), NULL;
    struct health *h = xcalloc(1, sizeof *h);
    pthread_mutex_init(&h->lock, NULL);
    h->updated_ms = h->mark_ms = now_ms();
    h->api = o->api, h->cls = o->cls, h->metrics = o->metrics, h->tls = o->cert != NULL;
    if (!(h->daemon = start_daemon(h, o, &sin, err))) {
        pthread_mutex_destroy(&h->lock);
        free(h);
        return NULL;
    }
    LOG(INFO, "%s://%s/%s", h->tls ? "https" : "http", o->addr,
        o->api ? "console/ (the console), /api/v1/, /healthz and /metrics" : "healthz and /metrics");
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
