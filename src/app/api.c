#include "app/api.h"
#include "app/actions.h"
#include "app/session.h"
#include "data/store.h"
#include "output/export.h"
#include "util/util.h"
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The console's files, built into the program (assets/console/, turned
 * into C by tools/embed_console.cmake): nothing is fetched from outside. */
struct console_file {
    const char *name, *type;
    const unsigned char *data;
    size_t len;
};
extern const struct console_file console_files[];
extern const size_t console_nfiles;

#define API_PREFIX "/api/v1/"
#define COOKIE "lw_session"
#define ACTION_TIMEOUT_MS 10000

struct api {
    struct api_opts o;
    struct sessions *sessions;
};

/* What one request carries once it is authenticated. */
struct ctx {
    struct api *api;
    const struct http_request *rq;
    struct http_response *rs;
    json_t *body;           /* the POST body, parsed; NULL for GETs */
    bool live;              /* a session */
    struct session se;
    int64_t now;
};

static int64_t mono_ms(void)
{
    return (int64_t)now_ms();
}

struct api *api_create(const struct api_opts *o)
{
    struct api *a = xcalloc(1, sizeof *a);
    a->o = *o;
    if (!a->o.clock)
        a->o.clock = mono_ms;
    a->sessions = sessions_create(o->session_idle_ms, o->control_idle_ms);
    return a;
}

void api_destroy(struct api *a)
{
    if (!a)
        return;
    sessions_destroy(a->sessions);
    free(a);
}

struct auth *api_auth(const struct api *a)
{
    return a->o.auth;
}

struct audit *api_audit(const struct api *a)
{
    return a->o.audit;
}

/* ---- answers -------------------------------------------------------------- */

static void answer_json(struct http_response *rs, unsigned status, json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    rs->status = status;
    rs->type = "application/json; charset=utf-8";
    rs->body = text;
    rs->len = strlen(text);
}

/* {"error": code, "message": text}: code for programs, text for people. */
static bool fail(struct ctx *c, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool fail(struct ctx *c, unsigned status, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    answer_json(c->rs, status, json_pack("{s:s, s:s}", "error", code, "message", msg));
    return true;
}

static bool ok(struct ctx *c, json_t *doc)
{
    answer_json(c->rs, 200, doc ? doc : json_pack("{s:b}", "ok", 1));
    return true;
}

static void audit(struct ctx *c, const char *who, const char *what, const char *target,
                  const char *result)
{
    struct audit_entry e = {who, c->rq->addr, what, target ? target : "", result};
    struct err err;
    if (c->api->o.audit && !audit_write(c->api->o.audit, &e, &err))
        LOG(ERROR, "audit: %s", err.msg);
    LOG(INFO, "console: %s from %s: %s %s: %s", who, c->rq->addr, what, target ? target : "",
        result);
}

/* ---- the request's pieces ------------------------------------------------- */

static int hexval(char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0'
           : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
           : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

bool api_decode_segment(const char *s, size_t n, char *out, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int ch = (unsigned char)s[i];
        if (ch == '%') {
            int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
            int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return false;
            ch = hi * 16 + lo;
            i += 2;
        }
        if (ch == 0 || o + 1 >= len)
            return false;
        out[o++] = (char)ch;
    }
    out[o] = '\0';
    return true;
}

/* The session cookie's value in a Cookie header, or "". */
static void cookie_token(const char *header, char *out, size_t len)
{
    out[0] = '\0';
    for (const char *p = header; p && *p;) {
        p += strspn(p, " ;");
        size_t n = strcspn(p, ";");
        if (n > strlen(COOKIE) && strncmp(p, COOKIE "=", strlen(COOKIE) + 1) == 0) {
            size_t v = n - strlen(COOKIE) - 1;
            snprintf(out, len, "%.*s", (int)(v < len ? v : len - 1), p + strlen(COOKIE) + 1);
            return;
        }
        p += n;
    }
}

static void set_cookie(struct ctx *c, const char *token, bool clear)
{
    snprintf(c->rs->cookie, sizeof c->rs->cookie,
             "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", COOKIE, clear ? "" : token,
             c->rq->tls ? "; Secure" : "", clear ? "; Max-Age=0" : "");
}

/* A query parameter's raw value, or NULL. */
static const char *query_arg(const char *query, const char *name, char *out, size_t len)
{
    size_t nl = strlen(name);
    for (const char *p = query; p && *p;) {
        size_t n = strcspn(p, "&");
        if (n > nl && strncmp(p, name, nl) == 0 && p[nl] == '=')
            return api_decode_segment(p + nl + 1, n - nl - 1, out, len) ? out : NULL;
        p += n + (p[n] == '&');
    }
    return NULL;
}

/* ---- the render thread's part --------------------------------------------- */

static bool exec(struct ctx *c, struct api_call *call)
{
    c->api->o.exec(c->api->o.exec_cls, call);
    if (call->status != 200)
        return fail(c, call->status, call->error, "%s", call->message);
    return ok(c, call->answer);
}

/* The state as the wall has it, and this session's part of it. */
static bool get_state(struct ctx *c)
{
    struct api_call call = {.op = API_STATE};
    c->api->o.exec(c->api->o.exec_cls, &call);
    if (call.status != 200)
        return fail(c, call.status, call.error, "%s", call.message);
    char holder[64], online[32][64];
    enum auth_role role;
    sessions_holder(c->api->sessions, c->now, holder, sizeof holder, &role);
    json_object_set_new(call.answer, "control",
                        holder[0] ? json_pack("{s:s, s:s}", "holder", holder, "role",
                                              auth_role_name(role))
                                  : json_pack("{s:n}", "holder"));
    size_t n = sessions_accounts(c->api->sessions, c->now, online, 32);
    json_t *in = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(in, json_string(online[i]));
    json_object_set_new(call.answer, "logged_in", in);
    json_object_set_new(call.answer, "you",
                        json_pack("{s:s, s:s, s:b, s:s}", "account", c->se.account.name, "role",
                                  auth_role_name(c->se.account.role), "control",
                                  strcmp(holder, c->se.account.name) == 0 && holder[0],
                                  "notice", c->se.notice));
    return ok(c, call.answer);
}

/* The thumbnail: the render thread scales what it shows (cheap: the
 * picture is there); this thread encodes it, so the wall never waits on
 * zlib. */
static bool get_screen(struct ctx *c)
{
    char width[16], output[64];
    struct api_call call = {.op = API_SCREEN, .width = 640};
    if (query_arg(c->rq->query, "width", width, sizeof width))
        call.width = atoi(width);
    if (call.width < 16 || call.width > 3840)
        return fail(c, 400, "bad_width", "width: %s is not a width of 16 to 3840 pixels",
                    query_arg(c->rq->query, "width", width, sizeof width) ? width : "?");
    call.output = query_arg(c->rq->query, "output", output, sizeof output);
    c->api->o.exec(c->api->o.exec_cls, &call);
    if (call.status != 200)
        return fail(c, call.status, call.error, "%s", call.message);
    size_t len;
    struct err err;
    unsigned char *png = export_png_bytes(call.image, &len, &err);
    cairo_surface_destroy(call.image);
    if (!png)
        return fail(c, 500, "png", "%s", err.msg);
    c->rs->status = 200;
    c->rs->type = "image/png";
    c->rs->body = png;
    c->rs->len = len;
    return true;
}

/* {"scene": "gdp", "params": {"city": "411081"}}: either may be left out. */
static bool post_show(struct ctx *c)
{
    json_t *scene = json_object_get(c->body, "scene"), *params = json_object_get(c->body, "params");
    if ((scene && !json_is_string(scene)) || (params && !json_is_object(params)) ||
        (!scene && !params))
        return fail(c, 400, "bad_request",
                    "expected {\"scene\": NAME, \"params\": {NAME: VALUE, …}} (either may be "
                    "left out, not both)");
    struct scene_param p[16];
    size_t n = 0;
    const char *k;
    json_t *v;
    json_object_foreach(params, k, v) {
        if (!json_is_string(v) || n == ARRAY_LEN(p))
            return fail(c, 400, "bad_request", "params.%s: expected a string value (at most %zu "
                        "parameters)", k, ARRAY_LEN(p));
        p[n++] = (struct scene_param){(char *)k, (char *)json_string_value(v)};
    }
    struct api_call call = {.op = API_SHOW, .scene = json_string_value(scene), .params = p,
                            .nparams = n};
    return exec(c, &call);
}

static bool post_key(struct ctx *c, enum show_key key)
{
    struct api_call call = {.op = API_KEY, .key = key};
    return exec(c, &call);
}

static bool post_toggle(struct ctx *c, enum api_op op, bool on)
{
    struct api_call call = {.op = op, .on = on};
    return exec(c, &call);
}

static bool get_warnings(struct ctx *c)
{
    struct table *t = store_get(c->api->o.app->store, "warnings");
    json_t *rows = t ? action_open_rows(t) : json_array();
    table_unref(t);
    return ok(c, json_pack("{s:o}", "warnings", rows));
}

static bool warning_exists(struct app *app, const char *id)
{
    struct table *t = store_get(app->store, "warnings");
    int col = t ? table_col(t, "id") : -1;
    bool found = false;
    for (size_t r = 0; col >= 0 && r < t->nrows && !found; r++) {
        const char *v = table_text(t, r, (size_t)col);
        found = v && strcmp(v, id) == 0;
    }
    table_unref(t);
    return found;
}

/* POST warnings/{id}/{ack|handle|resolve|urge} {"note": "..."}: applied by
 * the same code as the wall's keys and the command line (app/actions.h),
 * on this connection's thread: it may wait for the engine. */
static bool post_action(struct ctx *c, const char *id, const char *action)
{
    json_t *note = json_object_get(c->body, "note");
    if (note && !json_is_string(note))
        return fail(c, 400, "bad_request", "note: expected a string");
    if (!warning_exists(c->api->o.app, id))
        return fail(c, 404, "not_found", "no warning %s", id);
    char result[256], what[32];
    bool good = action_apply(c->api->o.app, &c->se.account, c->rq->addr, id, action,
                             note ? json_string_value(note) : "控制台操作", ACTION_TIMEOUT_MS,
                             result, sizeof result);
    snprintf(what, sizeof what, "warning.%s", action);
    if (c->api->o.app->db) /* the database's trigger audits what the engine answered */
        LOG(INFO, "console: %s from %s: %s %s: %s", c->se.account.name, c->rq->addr, what, id,
            result);
    else
        audit(c, c->se.account.name, what, id, result);
    if (!good)
        return fail(c, 409, "action_refused", "%s",
                    strncmp(result, "error: ", 7) == 0 ? result + 7 : result);
    return ok(c, json_pack("{s:s}", "result", result + (strncmp(result, "ok: ", 4) ? 0 : 4)));
}

static bool post_login(struct ctx *c)
{
    json_t *name = json_object_get(c->body, "name"), *pw = json_object_get(c->body, "password");
    if (!json_is_string(name) || !json_is_string(pw))
        return fail(c, 400, "bad_request", "expected {\"name\": NAME, \"password\": PASSWORD}");
    const char *who = json_string_value(name);
    int retry;
    if (sessions_throttled(c->api->sessions, who, c->rq->addr, c->now, &retry)) {
        audit(c, who, "login", "", "refused: too many failures");
        return fail(c, 429, "throttled", "登录失败次数过多，请 %d 秒后再试", retry);
    }
    struct auth_account acc;
    struct err err = {0};
    if (!c->api->o.auth ||
        !auth_verify(c->api->o.auth, who, json_string_value(pw), &acc, &err)) {
        sessions_failed(c->api->sessions, who, c->rq->addr, c->now);
        audit(c, who, "login", "", c->api->o.auth ? "failed: wrong name or password"
                                                  : "failed: no accounts (--users or --db)");
        return fail(c, 401, "login_failed", "用户名或密码错误");
    }
    struct session se;
    sessions_open(c->api->sessions, &acc, c->rq->addr, c->now, &se);
    set_cookie(c, se.token, false);
    audit(c, acc.name, "login", "", "ok");
    return ok(c, json_pack("{s:s, s:s, s:s}", "account", acc.name, "role",
                           auth_role_name(acc.role), "csrf", se.csrf));
}

static bool post_logout(struct ctx *c)
{
    sessions_close(c->api->sessions, c->se.token);
    set_cookie(c, "", true);
    audit(c, c->se.account.name, "logout", "", "ok");
    return ok(c, NULL);
}

/* {"take": true} or {"take": false}. */
static bool post_control(struct ctx *c)
{
    json_t *take = json_object_get(c->body, "take");
    if (!json_is_boolean(take))
        return fail(c, 400, "bad_request", "expected {\"take\": true} or {\"take\": false}");
    if (!json_is_true(take)) {
        sessions_release(c->api->sessions, c->se.token);
        audit(c, c->se.account.name, "control.release", "", "ok");
        return ok(c, NULL);
    }
    char holder[128];
    enum control_result r = sessions_take(c->api->sessions, c->se.token, c->now, true, holder,
                                          sizeof holder);
    if (r == CONTROL_HELD) {
        audit(c, c->se.account.name, "control.take", "", "refused: held");
        return fail(c, 409, "control_held", "控制权由 %s 持有", holder);
    }
    audit(c, c->se.account.name, r == CONTROL_TAKEN_OVER ? "control.takeover" : "control.take",
          holder, "ok");
    return ok(c, json_pack("{s:b, s:s}", "control", 1, "from", holder));
}

static bool get_session(struct ctx *c)
{
    return ok(c, json_pack("{s:s, s:s, s:s, s:s}", "account", c->se.account.name, "role",
                           auth_role_name(c->se.account.role), "csrf", c->se.csrf, "notice",
                           c->se.notice));
}

static bool get_scenes(struct ctx *c)
{
    struct api_call call = {.op = API_SCENES};
    return exec(c, &call);
}

/* ---- the routes ----------------------------------------------------------- */

struct route {
    const char *method, *path;  /* the path after /api/v1/ */
    bool session;               /* needs a logged-in session (every route but login) */
    enum auth_role role;        /* at least this role */
    bool steer;                 /* needs the control lock (taken when free) */
    bool (*fn)(struct ctx *c, int arg);
    int arg;
};

static bool r_state(struct ctx *c, int arg) { (void)arg; return get_state(c); }
static bool r_scenes(struct ctx *c, int arg) { (void)arg; return get_scenes(c); }
static bool r_screen(struct ctx *c, int arg) { (void)arg; return get_screen(c); }
static bool r_warnings(struct ctx *c, int arg) { (void)arg; return get_warnings(c); }
static bool r_session(struct ctx *c, int arg) { (void)arg; return get_session(c); }
static bool r_show(struct ctx *c, int arg) { (void)arg; return post_show(c); }
static bool r_key(struct ctx *c, int arg) { return post_key(c, (enum show_key)arg); }
static bool r_pause(struct ctx *c, int arg) { return post_toggle(c, API_PAUSE, arg); }
static bool r_blank(struct ctx *c, int arg) { return post_toggle(c, API_BLANK, arg); }
static bool r_login(struct ctx *c, int arg) { (void)arg; return post_login(c); }
static bool r_logout(struct ctx *c, int arg) { (void)arg; return post_logout(c); }
static bool r_control(struct ctx *c, int arg) { (void)arg; return post_control(c); }

/* Kept in step with docs/openapi.json by tests/output/test_api.py. */
static const struct route routes[] = {
    {"GET", "state", true, AUTH_VIEWER, false, r_state, 0},
    {"GET", "scenes", true, AUTH_VIEWER, false, r_scenes, 0},
    {"GET", "screen.png", true, AUTH_VIEWER, false, r_screen, 0},
    {"GET", "warnings", true, AUTH_VIEWER, false, r_warnings, 0},
    {"GET", "session", true, AUTH_VIEWER, false, r_session, 0},
    {"POST", "show", true, AUTH_PRESENTER, true, r_show, 0},
    {"POST", "back", true, AUTH_PRESENTER, true, r_key, SHOW_KEY_BACK},
    {"POST", "home", true, AUTH_PRESENTER, true, r_key, SHOW_KEY_HOME},
    {"POST", "next", true, AUTH_PRESENTER, true, r_key, SHOW_KEY_NEXT},
    {"POST", "prev", true, AUTH_PRESENTER, true, r_key, SHOW_KEY_PREV},
    {"POST", "pause", true, AUTH_PRESENTER, true, r_pause, 1},
    {"POST", "resume", true, AUTH_PRESENTER, true, r_pause, 0},
    {"POST", "blank", true, AUTH_PRESENTER, true, r_blank, 1},
    {"POST", "unblank", true, AUTH_PRESENTER, true, r_blank, 0},
    {"POST", "login", false, AUTH_VIEWER, false, r_login, 0},
    {"POST", "logout", true, AUTH_VIEWER, false, r_logout, 0},
    {"POST", "control", true, AUTH_PRESENTER, false, r_control, 0},
};

static const char *const actions[] = {"ack", "handle", "resolve", "urge"};

/* The session, the role, the CSRF token and the control lock, in that
 * order: each refusal says which. */
static bool admitted(struct ctx *c, bool session, enum auth_role role, bool steer)
{
    char token[SESSION_TOKEN_LEN + 8];
    cookie_token(c->rq->cookie, token, sizeof token);
    c->live = sessions_find(c->api->sessions, token, c->now, !c->rq->poll, &c->se);
    if (!session)
        return true;
    if (!c->live)
        return !fail(c, 401, "unauthenticated", "请先登录（会话不存在或已过期）");
    bool post = strcmp(c->rq->method, "POST") == 0;
    if (post && (!c->rq->csrf || strcmp(c->rq->csrf, c->se.csrf) != 0))
        return !fail(c, 403, "csrf", "X-CSRF-Token is missing or wrong: send the csrf of the "
                     "login answer");
    if (post && c->api->o.auth) { /* disabled or demoted since the login */
        struct auth_account now;
        struct err err;
        if (!auth_lookup(c->api->o.auth, c->se.account.name, &now, &err) || now.disabled) {
            now = c->se.account, now.disabled = true;
            sessions_update_account(c->api->sessions, &now);
            return !fail(c, 401, "unauthenticated", "账号已停用");
        }
        sessions_update_account(c->api->sessions, &now);
        c->se.account = now;
    }
    if (c->se.account.role < role)
        return !fail(c, 403, "forbidden", "%s（%s）无权执行此操作：需要 %s 或更高角色",
                     c->se.account.name, auth_role_name(c->se.account.role),
                     auth_role_name(role));
    char holder[128];
    if (steer && sessions_take(c->api->sessions, c->se.token, c->now, false, holder,
                               sizeof holder) == CONTROL_HELD)
        return !fail(c, 409, "control_held", "控制权由 %s 持有", holder);
    return true;
}

/* warnings/{id}/{action}: the id percent-encoded UTF-8 ('@' %40, '#' %23,
 * CJK as its bytes), so it may hold any character but NUL. */
static bool route_action(struct ctx *c, const char *rest)
{
    const char *slash = strrchr(rest, '/');
    char id[512];
    if (!slash || slash == rest || !api_decode_segment(rest, (size_t)(slash - rest), id, sizeof id))
        return fail(c, 404, "not_found", "expected warnings/{id}/ack|handle|resolve|urge, the "
                    "id percent-encoded UTF-8");
    for (size_t i = 0; i < ARRAY_LEN(actions); i++)
        if (strcmp(slash + 1, actions[i]) == 0) {
            if (strcmp(c->rq->method, "POST") != 0)
                return (c->rs->allow = "POST"), fail(c, 405, "method_not_allowed", "POST only");
            return admitted(c, true, AUTH_OPERATOR, false) ? post_action(c, id, actions[i]) : true;
        }
    return fail(c, 404, "not_found", "%s: not an action (ack, handle, resolve, urge)", slash + 1);
}

static bool route(struct ctx *c, const char *rest)
{
    if (strncmp(rest, "warnings/", 9) == 0)
        return route_action(c, rest + 9);
    const struct route *found = NULL;
    for (size_t i = 0; i < ARRAY_LEN(routes); i++)
        if (strcmp(routes[i].path, rest) == 0) {
            if (strcmp(routes[i].method, c->rq->method) == 0 ||
                (strcmp(c->rq->method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
                found = &routes[i];
            else if (!found)
                c->rs->allow = routes[i].method;
        }
    if (!found && c->rs->allow)
        return fail(c, 405, "method_not_allowed", "%s only", c->rs->allow);
    if (!found)
        return fail(c, 404, "not_found", "no such route: %s%s", API_PREFIX, rest);
    return admitted(c, found->session, found->role, found->steer) ? found->fn(c, found->arg)
                                                                  : true;
}

static bool serve_file(struct http_response *rs, const char *name)
{
    for (size_t i = 0; i < console_nfiles; i++)
        if (strcmp(console_files[i].name, name) == 0) {
            rs->status = 200;
            rs->type = console_files[i].type;
            rs->body = xmalloc(console_files[i].len + 1);
            memcpy(rs->body, console_files[i].data, console_files[i].len);
            rs->len = console_files[i].len;
            /* the font is a megabyte that never changes: a tablet keeps it */
            if (strcmp(rs->type, "font/woff2") == 0)
                rs->cache = "public, max-age=2592000";
            return true;
        }
    return false;
}

bool api_handle(void *cls, const struct http_request *rq, struct http_response *rs)
{
    struct api *a = cls;
    if (strcmp(rq->path, "/") == 0 || strcmp(rq->path, "/console") == 0 ||
        strcmp(rq->path, "/console/") == 0)
        return serve_file(rs, "index.html");
    if (strncmp(rq->path, "/console/", 9) == 0) /* only the names built in: no path to walk */
        return serve_file(rs, rq->path + 9);
    if (strncmp(rq->path, API_PREFIX, strlen(API_PREFIX)) != 0)
        return false;
    struct ctx c = {.api = a, .rq = rq, .rs = rs, .now = a->o.clock()};
    if (strcmp(rq->method, "POST") == 0) {
        json_error_t je;
        c.body = rq->body_len ? json_loadb(rq->body, rq->body_len, 0, &je) : json_object();
        if (!c.body)
            return fail(&c, 400, "bad_json", "the body is not JSON: line %d column %d: %s",
                        je.line, je.column, je.text);
        if (!json_is_object(c.body)) {
            json_decref(c.body);
            return fail(&c, 400, "bad_json", "the body must be a JSON object");
        }
    }
    route(&c, rq->path + strlen(API_PREFIX));
    json_decref(c.body);
    return true;
}
