#include "util/statedir.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *statedir_getenv(const char *name, void *arg)
{
    (void)arg;
    return getenv(name);
}

static bool fits(int n, size_t len)
{
    return n > 0 && (size_t)n < len;
}

bool statedir_path(char *out, size_t len, statedir_env env, void *arg, struct err *err)
{
    const char *sd = env("STATE_DIRECTORY", arg), *xdg = env("XDG_STATE_HOME", arg);
    const char *home = env("HOME", arg);
    int n;
    if (sd && *sd == '/') /* systemd joins several with ':' */
        n = snprintf(out, len, "%.*s", (int)strcspn(sd, ":"), sd);
    else if (xdg && *xdg == '/') /* the XDG spec: relative values are ignored */
        n = snprintf(out, len, "%s/lotuswall", xdg);
    else if (home && *home == '/')
        n = snprintf(out, len, "%s/.local/state/lotuswall", home);
    else
        return err_set(err, "no state folder: set STATE_DIRECTORY, XDG_STATE_HOME or HOME");
    return fits(n, len) || err_set(err, "the state folder's path is too long");
}

/* mkdir -p, owner-only; folders that exist are left as they are */
static bool mkdirs_private(char *path, struct err *err)
{
    for (char *s = path + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        bool made = mkdir(path, 0700) == 0 || errno == EEXIST;
        int e = errno;
        *s = c;
        if (!made)
            return err_set(err, "%s: cannot create: %s", path, strerror(e));
        if (c == '\0')
            return true;
    }
}

bool statedir_screenshots(char *out, size_t len, statedir_env env, void *arg, bool create,
                          struct err *err)
{
    char dir[4096];
    if (!statedir_path(dir, sizeof dir, env, arg, err))
        return false;
    if (!fits(snprintf(out, len, "%s/screenshots", dir), len))
        return err_set(err, "%s/screenshots: path too long", dir);
    return !create || mkdirs_private(out, err);
}
