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

/* The state folder as a base folder, which must be the user's (systemd's,
 * XDG's, or ~/.local/state), and the part under it that is lotuswall's own. */
static bool state_base(char *base, size_t len, const char **own, statedir_env env, void *arg,
                       struct err *err)
{
    const char *sd = env("STATE_DIRECTORY", arg), *xdg = env("XDG_STATE_HOME", arg);
    const char *home = env("HOME", arg);
    int n;
    *own = "lotuswall";
    if (sd && *sd == '/') { /* systemd joins several with ':' */
        n = snprintf(base, len, "%.*s", (int)strcspn(sd, ":"), sd);
        *own = "";
    } else if (xdg && *xdg == '/') { /* the XDG spec: relative values are ignored */
        n = snprintf(base, len, "%s", xdg);
    } else if (home && *home == '/') {
        n = snprintf(base, len, "%s/.local/state", home);
    } else {
        return err_set(err, "no state folder: set STATE_DIRECTORY, XDG_STATE_HOME or HOME");
    }
    return (n > 0 && (size_t)n < len) || err_set(err, "the state folder's path is too long");
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
