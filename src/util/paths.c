#include "util/paths.h"
#include "util/util.h"
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Set by CMake: the source and build folders of this build, and the
 * install locations. */
#ifndef LW_SOURCE_DIR
#define LW_SOURCE_DIR "."
#endif
#ifndef LW_BUILD_DIR
#define LW_BUILD_DIR "."
#endif
#ifndef LW_DATADIR
#define LW_DATADIR "/usr/local/share/lotuswall"
#endif
#ifndef LW_SYSCONFDIR
#define LW_SYSCONFDIR "/etc/lotuswall"
#endif
#ifndef LW_VERSION
#define LW_VERSION "0"
#endif
#include "lw_version.h" /* LW_GIT_REVISION, written at every build (tools/version.cmake) */

/* Written before any thread starts (--home) or once under pthread_once;
 * read-only after. */
static char home[PATH_MAX];
static pthread_once_t home_once = PTHREAD_ONCE_INIT;

static bool has_catalog(const char *dir)
{
    char p[PATH_MAX];
    struct stat st;
    return snprintf(p, sizeof p, "%s/db/catalog.json", dir) < (int)sizeof p && stat(p, &st) == 0 &&
           S_ISREG(st.st_mode);
}

bool paths_set_home(const char *dir, struct err *err)
{
    char abs[PATH_MAX];
    if (!realpath(dir, abs))
        return err_set(err, "no such folder");
    if (!has_catalog(abs))
        return err_set(err, "not a lotuswall home (it has no db/catalog.json)");
    snprintf(home, sizeof home, "%s", abs);
    return true;
}

/* The folder of this executable, or "" when /proc does not say. */
static void exe_dir(char *dir, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", dir, len - 1);
    dir[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
}

/* True when dir lies in the build folder this program was built in. */
static bool in_build_folder(const char *dir)
{
    char build[PATH_MAX];
    if (!realpath(LW_BUILD_DIR, build))
        return false;
    size_t len = strlen(build);
    return strncmp(dir, build, len) == 0 && (dir[len] == '/' || dir[len] == '\0');
}

static void resolve_home(void)
{
    if (home[0])
        return;
    char exe[PATH_MAX], rel[PATH_MAX + 32];
    exe_dir(exe, sizeof exe);
    /* an installed tree is relocatable: PREFIX/bin/lotuswall finds
     * PREFIX/share/lotuswall wherever PREFIX was put */
    snprintf(rel, sizeof rel, "%s/../share/lotuswall", exe);
    const char *env = getenv("LOTUSWALL_HOME");
    const char *dir = env && *env                ? env
                      : in_build_folder(exe)     ? LW_SOURCE_DIR
                      : has_catalog(rel)         ? rel
                                                 : LW_DATADIR;
    if (!realpath(dir, home)) {
        LOG(WARN, "%s: the lotuswall home folder does not exist", dir);
        snprintf(home, sizeof home, "%s", dir);
    }
}

const char *paths_home(void)
{
    pthread_once(&home_once, resolve_home);
    return home;
}

char *paths_in_home(const char *rel)
{
    return xasprintf("%s/%s", paths_home(), rel);
}

const char *paths_etc(void)
{
    const char *env = getenv("LOTUSWALL_ETC");
    return env && *env ? env : LW_SYSCONFDIR;
}

const char *paths_version(void)
{
    return LW_VERSION " (git " LW_GIT_REVISION ")";
}
