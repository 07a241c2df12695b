/* Channel adapters: configuration, templates, signatures, the HTTP call
 * (see channel.h). */
#include "deliver/channel.h"
#include "util/file.h"
#include "util/json.h"
#include "util/severity.h"
#include "util/util.h"
#include <curl/curl.h>
#include <nettle/md5.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum escape { ESC_JSON, ESC_FORM };
enum sign { SIGN_NONE, SIGN_HMAC_SHA256, SIGN_MD5_SORTED };

struct channel {
    char *kind, *method, *url, *body;
    char **headers; /* "Name: value" templates */
    size_t nheaders, cap_headers;
    enum escape escape;
    enum sign sign;
    char *sign_name;        /* the header (HMAC) or form parameter (MD5) */
    char *secret;           /* from secret_file or secret_env; never logged */
    long status;            /* 0: any 2xx */
    char *field, *value;    /* the response's JSON field that must equal value */
    long timeout_ms;
    struct status *poll;    /* receipts by polling a status URL; NULL: none */
};

/* A status URL to poll for a sent message's receipt: a channel of its own
 * (GET by default) and what its answer's JSON field says. */
struct status {
    struct channel *ch;
    char *field, *delivered, *failed;
    long interval_ms, for_s;
};

#define RESPONSE_MAX 65536

/* ---- templates ---------------------------------------------------------- */

static const char *placeholder(const struct send_values *v, const char *name, size_t n)
{
    static const char *const names[] = {"recipient", "text", "template", "key", "person"};
    const char *vals[] = {v->recipient, v->text, v->template_code, v->key, v->person};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (strlen(names[i]) == n && memcmp(names[i], name, n) == 0)
            return vals[i] ? vals[i] : "";
    return NULL;
}

enum { PUT_JSON, PUT_FORM, PUT_RAW, PUT_HEADER };

/* Appends s as `how` wants it; false (and *why) when it cannot go there. */
static bool put(FILE *out, const char *s, int how, char *why, size_t why_len)
{
    if (how == PUT_FORM) {
        char *e = curl_easy_escape(NULL, s, 0);
        fputs(e, out);
        curl_free(e);
        return true;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (how == PUT_HEADER && *p < 0x20) {
            snprintf(why, why_len, "a control character (line break) where a header goes");
            return false;
        }
        if (how == PUT_JSON && (*p == '"' || *p == '\\'))
            fprintf(out, "\\%c", *p);
        else if (how == PUT_JSON && *p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    return true;
}

/* tpl with its placeholders filled, one pass: a value is never read as a
 * template. NULL + *why on an unknown placeholder or a value that cannot go
 * there. Caller frees. */
static char *expand(const char *tpl, const struct send_values *v, int how, char *why,
                    size_t why_len)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    bool ok = true;
    for (const char *p = tpl; ok && *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        const char *val = close ? placeholder(v, p + 1, (size_t)(close - p - 1)) : NULL;
        if (!val) {
            fputc(*p++, out);
            continue;
        }
        ok = put(out, val, how, why, why_len);
        p = close + 1;
    }
    fclose(out);
    if (!ok) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* ---- signatures --------------------------------------------------------- */

static void hex(const unsigned char *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

void deliver_hmac_hex(const char *secret, const char *data, size_t len,
                      char out[DELIVER_HMAC_HEX])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)data, len);
    crypto_auth_hmacsha256_final(&st, mac);
    hex(mac, sizeof mac, out);
}

struct param {
    char *name, *value;
};

static int param_cmp(const void *a, const void *b)
{
    return strcmp(((const struct param *)a)->name, ((const struct param *)b)->name);
}

/* A form body whose parameters are signed as many SMS gateways want it:
 * md5(k1=v1&k2=v2…secret) over the raw values sorted by name, added as one
 * more parameter. */
static char *form_md5(const struct channel *ch, const struct send_values *v, char *why,
                      size_t why_len)
{
    struct param *ps = NULL;
    size_t n = 0, cap = 0;
    char *tpl = xstrdup(ch->body), *save = NULL, *body = NULL;
    bool ok = true;
    for (char *pair = strtok_r(tpl, "&", &save); ok && pair; pair = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(pair, '=');
        struct param p = {xstrndup(pair, eq ? (size_t)(eq - pair) : strlen(pair)), NULL};
        ok = (p.value = expand(eq ? eq + 1 : "", v, PUT_RAW, why, why_len)) != NULL;
        VEC_PUSH(ps, n, cap, p);
    }
    if (ok) {
        qsort(ps, n, sizeof *ps, param_cmp);
        struct md5_ctx md5;
        md5_init(&md5);
        size_t len = 0;
        FILE *out = open_memstream(&body, &len);
        for (size_t i = 0; i < n; i++) {
            char *signed_pair = xasprintf("%s%s=%s", i ? "&" : "", ps[i].name, ps[i].value);
            md5_update(&md5, strlen(signed_pair), (const uint8_t *)signed_pair);
            free(signed_pair);
            fprintf(out, "%s%s=", i ? "&" : "", ps[i].name);
            put(out, ps[i].value, PUT_FORM, why, why_len);
        }
        md5_update(&md5, strlen(ch->secret), (const uint8_t *)ch->secret);
        uint8_t digest[MD5_DIGEST_SIZE];
        char sig[2 * MD5_DIGEST_SIZE + 1];
        md5_digest(&md5, sizeof digest, digest);
        hex(digest, sizeof digest, sig);
        fprintf(out, "&%s=%s", ch->sign_name, sig);
        fclose(out);
    }
    for (size_t i = 0; i < n; i++)
        free(ps[i].name), free(ps[i].value);
    free(ps);
    free(tpl);
    return body;
}

/* ---- the HTTP call ------------------------------------------------------ */

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
    FILE *out = arg;
    size_t len = size * n;
    long have = ftell(out);
    if (have >= 0 && (size_t)have + len > RESPONSE_MAX)
        return 0; /* more than any gateway's answer: the call fails */
    return fwrite(data, 1, len, out);
}

/* Does the answer mean success (the configured status and JSON field)? */
static bool success(const struct channel *ch, long status, const char *body, char *why,
                    size_t why_len)
{
    if (ch->status ? status != ch->status : status < 200 || status > 299) {
        snprintf(why, why_len, "HTTP %ld", status);
        return false;
    }
    if (!ch->field)
        return true;
    json_t *doc = json_loads(body, 0, NULL);
    json_t *f = json_object_get(doc, ch->field);
    char *got = json_is_string(f) ? xstrdup(json_string_value(f))
                : f ? json_dumps(f, JSON_ENCODE_ANY) : NULL;
    bool ok = got && strcmp(got, ch->value) == 0;
    if (!ok)
        snprintf(why, why_len, "HTTP %ld but \"%s\" is %.40s, not %s", status, ch->field,
                 got ? got : "missing", ch->value);
    free(got);
    json_decref(doc);
    return ok;
}

static struct curl_slist *headers(const struct channel *ch, const struct send_values *v,
                                  const char *body, char *why, size_t why_len, bool *ok)
{
    struct curl_slist *list = NULL;
    *ok = true;
    for (size_t i = 0; *ok && i < ch->nheaders; i++) {
        char *h = expand(ch->headers[i], v, PUT_HEADER, why, why_len);
        *ok = h != NULL;
        if (h)
            list = curl_slist_append(list, h);
        free(h);
    }
    if (*ok && ch->sign == SIGN_HMAC_SHA256) {
        char sig[DELIVER_HMAC_HEX];
        deliver_hmac_hex(ch->secret, body, strlen(body), sig);
        char *h = xasprintf("%s: %s", ch->sign_name, sig);
        list = curl_slist_append(list, h);
        free(h);
    }
    return list;
}

/* The HTTP call; the answer's body into *answer (caller frees) when it is
 * not NULL. */
static enum send_result perform(const struct channel *ch, const char *url, const char *body,
                                struct curl_slist *hdrs, char *why, size_t why_len,
                                char **answer)
{
    CURL *c = curl_easy_init();
    char *resp = NULL, cerr[CURL_ERROR_SIZE] = "";
    size_t resp_len = 0;
    FILE *out = open_memstream(&resp, &resp_len);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, ch->method);
    if (strcmp(ch->method, "GET") != 0)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ch->timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    fclose(out);
    enum send_result r = SEND_OK;
    if (rc != CURLE_OK) {
        snprintf(why, why_len, "%s", *cerr ? cerr : curl_easy_strerror(rc));
        r = SEND_RETRY;
    } else if (!success(ch, status, resp ? resp : "", why, why_len)) {
        /* a client error is the request's fault: another try changes nothing */
        bool client = status >= 400 && status < 500 && status != 408 && status != 429;
        r = client ? SEND_REFUSED : SEND_RETRY;
    }
    if (answer)
        *answer = resp;
    else
        free(resp);
    return r;
}

enum send_result channel_post(const struct channel *ch, const char *body,
                              const struct send_values *v, const char *const *extra,
                              char *why, size_t why_len)
{
    bool ok;
    struct curl_slist *hdrs = headers(ch, v, body, why, why_len, &ok);
    for (size_t i = 0; ok && extra && extra[i]; i++)
        hdrs = curl_slist_append(hdrs, extra[i]);
    char *url = ok ? expand(ch->url, v, PUT_FORM, why, why_len) : NULL; /* URL-encoded */
    enum send_result r = url ? perform(ch, url, body, hdrs, why, why_len, NULL) : SEND_REFUSED;
    curl_slist_free_all(hdrs);
    free(url);
    return r;
}

enum send_result channel_send(const struct channel *ch, const struct send_values *v, char *why,
                              size_t why_len)
{
    char *body = ch->sign == SIGN_MD5_SORTED
                     ? form_md5(ch, v, why, why_len)
                     : expand(ch->body, v, ch->escape == ESC_JSON ? PUT_JSON : PUT_FORM, why,
                              why_len);
    enum send_result r = body ? channel_post(ch, body, v, NULL, why, why_len) : SEND_REFUSED;
    free(body);
    return r;
}

const char *channel_kind(const struct channel *ch)
{
    return ch->kind;
}

long channel_poll_ms(const struct channel *ch, long *for_s)
{
    if (for_s)
        *for_s = ch->poll ? ch->poll->for_s : 0;
    return ch->poll ? ch->poll->interval_ms : 0;
}

enum receipt channel_poll(const struct channel *ch, const struct send_values *v, char *why,
                          size_t why_len)
{
    const struct status *st = ch->poll;
    bool ok;
    struct curl_slist *hdrs = headers(st->ch, v, "", why, why_len, &ok);
    char *url = ok ? expand(st->ch->url, v, PUT_FORM, why, why_len) : NULL, *answer = NULL;
    enum receipt r = RECEIPT_NONE;
    if (url && perform(st->ch, url, "", hdrs, why, why_len, &answer) == SEND_OK) {
        json_t *doc = json_loads(answer ? answer : "", 0, NULL);
        const char *got = json_string_value(json_object_get(doc, st->field));
        if (got && strcmp(got, st->delivered) == 0)
            r = RECEIPT_DELIVERED;
        else if (got && st->failed && strcmp(got, st->failed) == 0)
            r = RECEIPT_FAILED;
        snprintf(why, why_len, "%.60s", got ? got : "no status in the answer");
        json_decref(doc);
    }
    curl_slist_free_all(hdrs);
    free(url);
    free(answer);
    return r;
}

/* ---- configuration ------------------------------------------------------ */

/* The secret of a channel: a file's first line, or an environment variable. */
static bool load_secret(char **out, json_t *sign, const char *path, const char *jp,
                        struct err *err)
{
    const char *file = json_string_value(json_object_get(sign, "secret_file"));
    const char *env = json_string_value(json_object_get(sign, "secret_env"));
    if (json_object_get(sign, "secret"))
        return json_fail(err, path, jp, "a secret is never written in the configuration: "
                                        "name a secret_file or a secret_env");
    if (!file == !env)
        return json_fail(err, path, jp, "expected one of secret_file and secret_env");
    if (env) {
        const char *s = getenv(env);
        if (!s || !*s)
            return json_fail(err, path, jp, "the environment variable %s is not set", env);
        *out = xstrdup(s);
        return true;
    }
    *out = file_read(file, 4096, NULL, err);
    if (!*out)
        return false;
    (*out)[strcspn(*out, "\r\n")] = '\0';
    if (!**out)
        return json_fail(err, path, jp, "%s: the secret is empty", file);
    return true;
}

static bool load_sign(struct channel *ch, json_t *sign, const char *path, const char *base,
                      struct err *err)
{
    struct jpath jp;
    jpath_key(&jp, base, "sign");
    if (!sign)
        return true;
    static const char *const keys[] = {"kind", "header", "param", "secret_file", "secret_env",
                                       "secret", NULL};
    if (!json_check_keys(err, path, jp.s, sign, keys))
        return false;
    const char *kind = json_string_value(json_object_get(sign, "kind"));
    const char *header = json_string_value(json_object_get(sign, "header"));
    const char *param = json_string_value(json_object_get(sign, "param"));
    if (kind && strcmp(kind, "hmac-sha256") == 0 && header) {
        ch->sign = SIGN_HMAC_SHA256;
        ch->sign_name = xstrdup(header);
    } else if (kind && strcmp(kind, "md5-sorted") == 0 && param && ch->escape == ESC_FORM) {
        ch->sign = SIGN_MD5_SORTED;
        ch->sign_name = xstrdup(param);
    } else {
        return json_fail(err, path, jp.s, "expected {\"kind\": \"hmac-sha256\", \"header\": "
                                          "NAME} or {\"kind\": \"md5-sorted\", \"param\": NAME} "
                                          "(md5-sorted with \"escape\": \"form\")");
    }
    return load_secret(&ch->secret, sign, path, jp.s, err);
}

static bool load_success(struct channel *ch, json_t *s, const char *path, const char *base,
                         struct err *err)
{
    struct jpath jp;
    jpath_key(&jp, base, "success");
    if (!s)
        return true;
    static const char *const keys[] = {"status", "field", "value", NULL};
    if (!json_check_keys(err, path, jp.s, s, keys))
        return false;
    json_t *status = json_object_get(s, "status"), *field = json_object_get(s, "field");
    json_t *value = json_object_get(s, "value");
    if ((status && !json_is_integer(status)) || !field != !value ||
        (field && (!json_is_string(field) || !json_is_string(value))))
        return json_fail(err, path, jp.s, "expected {\"status\": 200, \"field\": NAME, "
                                          "\"value\": TEXT} (each part optional; field with "
                                          "value)");
    ch->status = status ? (long)json_integer_value(status) : 0;
    ch->field = field ? xstrdup(json_string_value(field)) : NULL;
    ch->value = value ? xstrdup(json_string_value(value)) : NULL;
    return true;
}

/* The templates must expand with every placeholder known. */
static bool check_templates(const struct channel *ch, const char *path, const char *jp,
                            struct err *err)
{
    const char *all[] = {ch->url, ch->body};
    for (size_t i = 0; i < 2 + ch->nheaders; i++) {
        const char *t = i < 2 ? all[i] : ch->headers[i - 2];
        for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{')) {
            const char *close = strchr(p, '}');
            static const struct send_values none = {0};
            if (close && !placeholder(&none, p + 1, (size_t)(close - p - 1)) &&
                strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_") == (size_t)(close - p - 1) &&
                close > p + 1)
                return json_fail(err, path, jp, "unknown placeholder %.*s (known: {recipient}, "
                                                "{text}, {template}, {key}, {person})",
                                 (int)(close - p + 1), p);
        }
    }
    return true;
}

static bool load_headers(struct channel *ch, json_t *h, const char *path, const char *jp,
                         struct err *err)
{
    const char *name;
    json_t *v;
    if (h && !json_is_object(h))
        return json_fail(err, path, jp, "expected {\"Name\": \"value\", ...}");
    json_object_foreach(h, name, v) {
        if (!json_is_string(v) || strpbrk(name, ":\r\n") || strpbrk(json_string_value(v), "\r\n"))
            return json_fail(err, path, jp, "%s: expected a header name and a one-line text", name);
        VEC_PUSH(ch->headers, ch->nheaders, ch->cap_headers,
                 xasprintf("%s: %s", name, json_string_value(v)));
    }
    return true;
}

struct channel *channel_load(const char *kind, json_t *o, const char *path, const char *jp,
                             struct err *err);

/* "status": {"url": …, "field": NAME, "delivered": VALUE, "failed": VALUE,
 * "interval_ms": N, "for_s": N, and a channel's method, headers, sign,
 * timeout_ms}: the receipts by polling. */
static bool load_status(struct channel *ch, json_t *o, const char *path, const char *base,
                        struct err *err)
{
    struct jpath jp;
    jpath_key(&jp, base, "status");
    if (!o)
        return true;
    const char *field = json_string_value(json_object_get(o, "field"));
    const char *delivered = json_string_value(json_object_get(o, "delivered"));
    const char *failed = json_string_value(json_object_get(o, "failed"));
    json_t *rest = json_deep_copy(o), *iv = json_object_get(o, "interval_ms");
    json_t *fs = json_object_get(o, "for_s");
    static const char *const own[] = {"field", "delivered", "failed", "interval_ms", "for_s"};
    for (size_t i = 0; i < ARRAY_LEN(own); i++)
        json_object_del(rest, own[i]);
    if (!json_object_get(rest, "method"))
        json_object_set_new(rest, "method", json_string("GET"));
    struct status *st = xcalloc(1, sizeof *st);
    ch->poll = st;
    bool ok = field && delivered && (!iv || (json_is_integer(iv) && json_integer_value(iv) >= 10)) &&
              (!fs || (json_is_integer(fs) && json_integer_value(fs) >= 1));
    if (!ok)
        json_fail(err, path, jp.s, "expected {\"url\": …, \"field\": NAME, \"delivered\": VALUE, "
                                   "\"failed\": VALUE, \"interval_ms\" ≥ 10, \"for_s\" ≥ 1}");
    else
        ok = (st->ch = channel_load(ch->kind, rest, path, jp.s, err)) != NULL;
    json_decref(rest);
    if (!ok)
        return false;
    st->field = xstrdup(field);
    st->delivered = xstrdup(delivered);
    st->failed = failed ? xstrdup(failed) : NULL;
    st->interval_ms = iv ? (long)json_integer_value(iv) : 60000;
    st->for_s = fs ? (long)json_integer_value(fs) : 86400;
    return true;
}

void channel_destroy(struct channel *ch)
{
    if (!ch)
        return;
    for (size_t i = 0; i < ch->nheaders; i++)
        free(ch->headers[i]);
    if (ch->secret)
        sodium_memzero(ch->secret, strlen(ch->secret));
    free(ch->headers);
    free(ch->kind), free(ch->method), free(ch->url), free(ch->body), free(ch->sign_name);
    free(ch->secret), free(ch->field), free(ch->value);
    if (ch->poll) {
        channel_destroy(ch->poll->ch);
        free(ch->poll->field), free(ch->poll->delivered), free(ch->poll->failed);
        free(ch->poll);
    }
    free(ch);
}

struct channel *channel_load(const char *kind, json_t *o, const char *path, const char *jp,
                             struct err *err)
{
    static const char *const keys[] = {"method", "url", "headers", "body", "escape", "sign",
                                       "success", "timeout_ms", "status", NULL};
    if (!json_is_object(o) || !json_check_keys(err, path, jp, o, keys))
        return json_is_object(o) ? NULL : (json_fail(err, path, jp, "expected an object"), NULL);
    const char *method = json_string_value(json_object_get(o, "method"));
    const char *url = json_string_value(json_object_get(o, "url"));
    const char *body = json_string_value(json_object_get(o, "body"));
    const char *escape = json_string_value(json_object_get(o, "escape"));
    json_t *timeout = json_object_get(o, "timeout_ms");
    if (!url || (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) ||
        (escape && strcmp(escape, "json") != 0 && strcmp(escape, "form") != 0) ||
        (timeout && (!json_is_integer(timeout) || json_integer_value(timeout) < 100)))
        return json_fail(err, path, jp, "expected \"url\": \"https://…\", \"escape\": json|form, "
                                        "\"timeout_ms\" ≥ 100"), NULL;
    struct channel *ch = xcalloc(1, sizeof *ch);
    ch->kind = xstrdup(kind);
    ch->method = xstrdup(method ? method : "POST");
    ch->url = xstrdup(url);
    ch->body = xstrdup(body ? body : "");
    ch->escape = escape && strcmp(escape, "form") == 0 ? ESC_FORM : ESC_JSON;
    ch->timeout_ms = timeout ? (long)json_integer_value(timeout) : 10000;
    struct jpath hp;
    if (!load_headers(ch, json_object_get(o, "headers"), path, jpath_key(&hp, jp, "headers"), err) ||
        !load_sign(ch, json_object_get(o, "sign"), path, jp, err) ||
        !load_success(ch, json_object_get(o, "success"), path, jp, err) ||
        !check_templates(ch, path, jp, err) ||
        !load_status(ch, json_object_get(o, "status"), path, jp, err)) {
        channel_destroy(ch);
        return NULL;
    }
    return ch;
}

static bool load_int(json_t *root, const char *key, int min, int max, int def, int *out,
                     const char *path, struct err *err)
{
    json_t *v = json_object_get(root, key);
    if (!v) {
        *out = def;
        return true;
    }
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return json_fail(err, path, key, "expected a whole number from %d to %d", min, max);
    *out = (int)json_integer_value(v);
    return true;
}

bool deliver_config_load(struct deliver_config *cfg, const char *path, struct err *err)
{
    memset(cfg, 0, sizeof *cfg);
    json_t *root = json_load_checked(path, "deliver", err);
    if (!root)
        return false;
    static const char *const keys[] = {"kind", "version", "max_attempts", "backoff_ms",
                                       "backoff_max_ms", "urgent_severity", "channels",
                                       "receipts", "exchange", "retention_s", NULL};
    const char *sev = json_string_value(json_object_get(root, "urgent_severity"));
    int retention = 0;
    enum severity urgent = SEV_CRITICAL;
    json_t *chans = json_object_get(root, "channels");
    bool ok = json_check_keys(err, path, "", root, keys) &&
              load_int(root, "max_attempts", 1, 100, 5, &cfg->max_attempts, path, err) &&
              load_int(root, "backoff_ms", 10, 3600000, 1000, &cfg->backoff_ms, path, err) &&
              load_int(root, "backoff_max_ms", 10, 86400000, 600000, &cfg->backoff_max_ms, path,
                       err) &&
              load_int(root, "retention_s", 0, 31622400, 0, &retention, path, err) &&
              push_config_load(&cfg->push, json_object_get(root, "exchange"), path, err);
    cfg->retention_s = retention;
    json_t *receipts = json_object_get(root, "receipts");
    static const char *const receipt_keys[] = {"secret_file", "secret_env", "secret", NULL};
    if (ok && receipts)
        ok = json_check_keys(err, path, "receipts", receipts, receipt_keys) &&
             load_secret(&cfg->receipt_secret, receipts, path, "receipts", err);
    if (ok && sev && !severity_parse(sev, &urgent))
        ok = json_fail(err, path, "urgent_severity", "expected info, warning or critical");
    cfg->urgent_severity = (int)urgent;
    if (ok && (chans ? !json_is_object(chans) || json_object_size(chans) == 0
                     : !cfg->push.nendpoints))
        ok = json_fail(err, path, "channels", "expected an object of channels by kind "
                                              "(\"sms\", \"gov-im\"), or an \"exchange\"");
    const char *kind;
    json_t *o;
    size_t cap = 0;
    json_object_foreach(ok ? chans : NULL, kind, o) {
        struct jpath jp;
        struct channel *ch = channel_load(kind, o, path, jpath_key(&jp, "channels", kind), err);
        if (!(ok = ch != NULL))
            break;
        VEC_PUSH(cfg->channels, cfg->nchannels, cap, ch);
    }
    json_decref(root);
    if (!ok)
        deliver_config_finish(cfg);
    return ok;
}

void deliver_config_finish(struct deliver_config *cfg)
{
    for (size_t i = 0; i < cfg->nchannels; i++)
        channel_destroy(cfg->channels[i]);
    free(cfg->channels);
    cfg->channels = NULL;
    cfg->nchannels = 0;
    push_config_finish(&cfg->push);
    if (cfg->receipt_secret)
        sodium_memzero(cfg->receipt_secret, strlen(cfg->receipt_secret));
    free(cfg->receipt_secret);
    cfg->receipt_secret = NULL;
}

long deliver_backoff_ms(const struct deliver_config *cfg, int attempts)
{
    double d = cfg->backoff_ms;
    for (int i = 1; i < attempts && d < cfg->backoff_max_ms; i++)
        d *= 2;
    long ms = d > cfg->backoff_max_ms ? cfg->backoff_max_ms : (long)d;
    return ms - (long)randombytes_uniform((uint32_t)(ms / 2 + 1));
}

bool deliver_receipt_signed(const struct deliver_config *cfg, const char *body, size_t len,
                            const char *signature)
{
    char want[DELIVER_HMAC_HEX];
    if (!cfg->receipt_secret || !signature || strlen(signature) != DELIVER_HMAC_HEX - 1)
        return false;
    deliver_hmac_hex(cfg->receipt_secret, body, len, want);
    return sodium_memcmp(want, signature, DELIVER_HMAC_HEX - 1) == 0;
}

const struct channel *deliver_channel(const struct deliver_config *cfg, const char *kind)
{
    for (size_t i = 0; i < cfg->nchannels; i++)
        if (strcmp(cfg->channels[i]->kind, kind) == 0)
            return cfg->channels[i];
    return NULL;
}
