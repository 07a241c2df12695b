/* Where the wall keeps its state (screenshots today): systemd's
 * StateDirectory= ($STATE_DIRECTORY, the first if it names several), else
 * $XDG_STATE_HOME/lotuswall, else ~/.local/state/lotuswall. Never under the
 * working directory, which a kiosk unit keeps read-only. */
#ifndef LW_STATEDIR_H
#define LW_STATEDIR_H
#include "util/err.h"
#include <stdbool.h>
#include <stddef.h>

/* Looks an environment variable up: getenv (statedir_getenv), or another
 * process's environment (`lotuswall screenshot` asks the wall's). */
typedef const char *(*statedir_env)(const char *name, void *arg);
const char *statedir_getenv(const char *name, void *arg);

/* A user folder of lotuswall's: systemd's StateDirectory=/CacheDirectory=
 * ($STATE_DIRECTORY / $CACHE_DIRECTORY, the first of several), else
 * $XDG_STATE_HOME / $XDG_CACHE_HOME, else ~/.local/state / ~/.cache. The
 * base folder goes into base[len] and *own says the part under it that is
 * lotuswall's own ("lotuswall", or "" under systemd). False + *err when
 * there is neither a variable nor HOME. Creates nothing. */
enum userdir { USERDIR_STATE, USERDIR_CACHE };
bool userdir_base(enum userdir kind, char *base, size_t len, const char **own, statedir_env env,
                  void *arg, struct err *err);

/* The state folder's path into out[len]; false + *err when there is neither
 * a variable nor HOME, or the path does not fit. Creates nothing. */
bool statedir_path(char *out, size_t len, statedir_env env, void *arg, struct err *err);

/* The screenshot folder, STATE/screenshots, into out[len]; with `create`,
 * made with every missing parent, owner-only (0700), and checked like
 * file_private_dir() checks (util/file.h): false + *err when a folder of
 * lotuswall's own on the way is a symlink, someone else's or writable by
 * others. */
bool statedir_screenshots(char *out, size_t len, statedir_env env, void *arg, bool create,
                          struct err *err);

#endif
