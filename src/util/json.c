#include "util/json.h"
#include "util/file.h"
#include "util/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *json_parse_checked(const char *path, const char *data, size_t len, const char *kind,
                           struct err *err)
{
    json_error_t je;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        err_set(err, "%s:%d:%d: %s", path, je.line, je.column, je.text);
        return NULL;
    }
    if (!kind)
        return root;
    if (!json_is_object(root)) {
        err_set(err, "%s: expected a JSON object at the top level", path);
        goto fail;
    }
    json_t *k = json_object_get(root, "kind");
    if (!json_is_string(k)) {
        err_set(err, "%s: kind: expected \"%s\"", path, kind);
        goto fail;
    }
    if (strcmp(json_string_value(k), kind) != 0) {
        err_set(err, "%s: kind: expected \"%s\", found \"%s\"", path, kind, json_string_value(k));
        goto fail;
    }
    json_t *v = json_object_get(root, "version");
    if (!json_is_integer(v) || json_integer_value(v) != LW_FORMAT_VERSION) {
        err_set(err, "%s: version: expected %d (this lotuswall reads format version %d)", path,
                LW_FORMAT_VERSION, LW_FORMAT_VERSION);
        goto fail;
    }
    return root;
fail:
    json_decref(root);
    return NULL;
}

json_t *json_load_checked(const char *path, const char *kind, struct err *err)
{
    size_t len;
    char *data = file_read(path, FILE_MAX_CONFIG, &len, err);
    if (!data)
        return NULL;
    json_t *root = json_parse_checked(path, data, len, kind, err);
    free(data);
    return root;
}

bool json_write_file(const json_t *doc, const char *path, size_t json_flags, int file_flags,
                     struct err *err)
{
    struct file_out out;
    if (!file_out_open(&out, path, file_flags, err))
        return false;
    json_dumpf(doc, out.f, json_flags);
    return file_out_commit(&out, err); /* a write error shows in the stream */
}

const char *jpath_key(struct jpath *out, const char *base, const char *key)
{
    snprintf(out->s, sizeof out->s, "%s%s%s", base, *base ? "." : "", key);
    return out->s;
}

const char *jpath_idx(struct jpath *out, const char *base, size_t i)
{
    snprintf(out->s, sizeof out->s, "%s[%zu]", base, i);
    return out->s;
}

bool json_vfail(struct err *err, const char *file, const char *jp, const char *fmt, va_list ap)
{
    char msg[768];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return err_set(err, "%s: %s: %s", file, jp, msg);
}

bool json_fail(struct err *err, const char *file, const char *jp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_vfail(err, file, jp, fmt, ap);
    va_end(ap);
    return false;
}

bool json_check_keys(struct err *err, const char *file, const char *jp, json_t *obj,
                     const char *const *known)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (key[0] == '_')
            continue;
        bool ok = false;
        for (size_t i = 0; known[i]; i++)
            ok |= strcmp(key, known[i]) == 0;
        if (!ok) {
            char *list = NULL;
            for (size_t i = 0; known[i]; i++)
                str_list_add(&list, ", ", known[i]);
            struct jpath p;
            json_fail(err, file, jpath_key(&p, jp, key), "unknown key (known: %s)",
                      list ? list : "");
            free(list);
            return false;
        }
    }
    return true;
}
