#include "util/statedir.h"
#include "util/file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *statedir_getenv(const char *name, void *arg)
{
    (void)arg;
    return getenv(name);
}

/* The variables of each kind of user folder: systemd's, XDG's, HOME's. */
static const struct {
    const char *systemd, *xdg, *home_rel, *what;
} kinds[] = {
    [USERDIR_STATE] = {"STATE_DIRECTORY", "XDG_STATE_HOME", ".local/state", "state"},
    [USERDIR_CACHE] = {"CACHE_DIRECTORY", "XDG_CACHE_HOME", ".cache", "cache"},
};

bool userdir_base(enum userdir kind, char *base, size_t len, const char **own, statedir_env env,
                  void *arg, struct err *err)
{
    const char *sd = env(kinds[kind].systemd, arg), *xdg = env(kinds[kind].xdg, arg);
    const char *home = env("HOME", arg);
    int n;
    *own = "lotuswall";
    if (sd && *sd == '/') { /* systemd joins several with ':' */
        n = snprintf(base, len, "%.*s", (int)strcspn(sd, ":"), sd);
        *own = "";
    } else if (xdg && *xdg == '/') { /* the XDG spec: relative values are ignored */
        n = snprintf(base, len, "%s", xdg);
    } else if (home && *home == '/') {
        n = snprintf(base, len, "%s/%s", home, kinds[kind].home_rel);
    } else {
        return err_set(err, "no %s folder: set %s, %s or HOME", kinds[kind].what,
                       kinds[kind].systemd, kinds[kind].xdg);
    }
    return (n > 0 && (size_t)n < len) ||
           err_set(err, "the %s folder's path is too long", kinds[kind].what);
}

static bool state_base(char *base, size_t len, const char **own, statedir_env env, void *arg,
                       struct err *err)
{
    return userdir_base(USERDIR_STATE, base, len, own, env, arg, err);
}

bool statedir_path(char *out, size_t len, statedir_env env, void *arg, struct err *err)
{
    const char *own;
    if (!state_base(out, len, &own, env, arg, err))
        return false;
    size_t n = strlen(out);
    if (*own && snprintf(out + n, len - n, "/%s", own) >= (int)(len - n))
        return err_set(err, "the state folder's path is too long");
    return true;
}

bool statedir_screenshots(char *out, size_t len, statedir_env env, void *arg, bool create,
                          struct err *err)
{
    char base[4096];
    const char *own;
    if (!state_base(base, sizeof base, &own, env, arg, err))
        return false;
    char sub[64];
    snprintf(sub, sizeof sub, "%s%sscreenshots", own, *own ? "/" : "");
    if (snprintf(out, len, "%s/%s", base, sub) >= (int)len)
        return err_set(err, "%s/%s: path too long", base, sub);
    if (!create)
        return true;
    /* made owner-only where missing; refused if a folder on the way is
     * someone else's, writable by others, or a symlink */
    char *made = file_private_dir(base, sub, err);
    bool ok = made != NULL;
    free(made);
    return ok;
}
