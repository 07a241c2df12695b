/* Loading the project's JSON files (scenes, playlists, rules, the catalog)
 * with messages that name the file and the place. */
#ifndef LW_JSON_H
#define LW_JSON_H
#include "util/err.h"
#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>

#define LW_FORMAT_VERSION 1

/* Parses `len` bytes; syntax errors become "path:line:column: message".
 * If `kind` is not NULL, the root must be an object with "kind": kind and
 * "version": 1. NULL + *err on failure; caller owns the result. */
json_t *json_parse_checked(const char *path, const char *data, size_t len, const char *kind,
                           struct err *err);
json_t *json_load_checked(const char *path, const char *kind, struct err *err);
/* Writes doc (json_dumpf's flags) by replacement: util/file.h's file_out
 * with its flags (FILE_SYNC, FILE_PRIVATE). false + *err naming the path. */
bool json_write_file(const json_t *doc, const char *path, size_t json_flags, int file_flags,
                     struct err *err);

/* JSON path building for messages: "panels[3].binding.source". */
struct jpath {
    char s[256];
};
const char *jpath_key(struct jpath *out, const char *base, const char *key);
const char *jpath_idx(struct jpath *out, const char *base, size_t i);

/* Semantic errors: "file: jpath: message". Always returns false. */
bool json_fail(struct err *err, const char *file, const char *jp, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
bool json_vfail(struct err *err, const char *file, const char *jp, const char *fmt, va_list ap);
/* Refuses a key of obj that is not in `known` (NULL-terminated), naming the
 * known ones; keys that start with "_" are comments. */
bool json_check_keys(struct err *err, const char *file, const char *jp, json_t *obj,
                     const char *const *known);

#endif
