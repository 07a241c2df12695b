/* `lotuswall screenshot [--status FILE] [--out FILE]`: a screenshot of what
 * a running wall shows. Its --status file names its pid; SIGUSR1 makes it
 * save one per output in its screenshot folder (util/statedir.h), and the
 * status file then lists them (screenshot_seq moves). Prints the paths;
 * --out copies a single one.
 *
 * The status file is not trusted: whoever can write it could otherwise make
 * this command signal any process and copy any file. So it refuses to run as
 * root; the file must belong to the user running it; the pid must be a
 * lotuswall process of that user, signalled through a pidfd (a pid reused
 * meanwhile is not hit); and it copies only a regular file named
 * screenshot-*.png from that wall's own screenshot folder — found from the
 * wall's environment, as the wall finds it (util/statedir.h) — opened without
 * following links, into an --out made owner-only. */
#include "app/cli.h"
#include "util/statedir.h"
#include "util/file.h"
#include "util/util.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <unistd.h>

/* The status file, if it is a regular file of the user running this. */
static json_t *load_status(const char *path, struct err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        err_set(err, "%s: no running wall there (%s)", path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        err_set(err, "%s: not a regular file", path);
        goto fail;
    }
    if (st.st_uid != getuid()) {
        err_set(err, "%s: not a status file of yours: it is owned by uid %u, not by you (uid %u)",
                path, (unsigned)st.st_uid, (unsigned)getuid());
        goto fail;
    }
    json_error_t je;
    json_t *doc = json_loadfd(fd, 0, &je);
    if (!doc)
        err_set(err, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    close(fd);
    return doc;
fail:
    if (fd >= 0)
        close(fd);
    return NULL;
}

/* /proc/PID: the process must be the user's and run a binary called lotuswall */
static bool check_wall_pid(pid_t pid, struct err *err)
{
    char p[64], exe[PATH_MAX];
    struct stat st;
    snprintf(p, sizeof p, "/proc/%d", (int)pid);
    if (stat(p, &st) != 0)
        return err_set(err, "pid %d: no such process", (int)pid);
    if (st.st_uid != getuid())
        return err_set(err, "pid %d belongs to uid %u, not to you (uid %u)", (int)pid,
                       (unsigned)st.st_uid, (unsigned)getuid());
    snprintf(p, sizeof p, "/proc/%d/exe", (int)pid);
    ssize_t n = readlink(p, exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *deleted = strstr(exe, " (deleted)"); /* the binary was upgraded under it */
    if (deleted && deleted[10] == '\0')
        *deleted = '\0';
    const char *base = strrchr(exe, '/');
    if (!base || strcmp(base + 1, "lotuswall") != 0)
        return err_set(err, "pid %d is not a lotuswall process (it runs %s)", (int)pid,
                       n > 0 ? exe : "something unknown");
    return true;
}

/* The wall's environment (/proc/PID/environ), for statedir_screenshots() */
struct proc_env {
    char *buf;
    size_t len;
};

static const char *proc_getenv(const char *name, void *arg)
{
    const struct proc_env *e = arg;
    size_t nl = strlen(name);
    for (size_t i = 0; i < e->len; i += strlen(e->buf + i) + 1)
        if (strncmp(e->buf + i, name, nl) == 0 && e->buf[i + nl] == '=')
            return e->buf + i + nl + 1;
    return NULL;
}

static bool wall_folder(pid_t pid, char *out, size_t len, struct err *err)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/environ", (int)pid);
    struct proc_env env = {.buf = file_read(p, FILE_MAX_CONFIG, &env.len, err)};
    if (!env.buf)
        return false;
    bool ok = statedir_screenshots(out, len, proc_getenv, &env, false, err);
    free(env.buf);
    return ok || err_prefix(err, "pid %d", (int)pid);
}

/* A screenshot the status file lists, opened if it is a regular file of
 * ours named screenshot-*.png right in `folder`; -1 + *err otherwise. */
static int open_shot(const char *folder, const char *path, struct err *err)
{
    const char *name = strrchr(path, '/');
    size_t dl = name ? (size_t)(name - path) : 0;
    if (!name || dl != strlen(folder) || strncmp(path, folder, dl) != 0)
        return err_set(err, "%s is not in the wall's screenshot folder %s", path, folder), -1;
    name++;
    size_t nl = strlen(name);
    if (strncmp(name, "screenshot-", 11) != 0 || nl < 16 || strcmp(name + nl - 4, ".png") != 0)
        return err_set(err, "%s is not a screenshot (screenshot-*.png)", path), -1;
    int dir = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int fd = dir < 0 ? -1 : openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    int e = errno;
    if (dir >= 0)
        close(dir);
    struct stat st;
    if (fd < 0 && e == ELOOP)
        return err_set(err, "%s: not a regular file (a symbolic link)", path), -1;
    if (fd < 0)
        return err_set(err, "%s: %s", path, strerror(e)), -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid()) {
        close(fd);
        return err_set(err, "%s: not a regular file of yours", path), -1;
    }
    return fd;
}

/* Copies fd to `to`, created owner-only (0600, less by the umask), never
 * through a symbolic link. */
static bool copy_out(int from, const char *to, struct err *err)
{
    int fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return err_set(err, "%s: %s", to,
                       errno == ELOOP ? "a symbolic link (not written through)" : strerror(errno));
    char buf[65536];
    ssize_t n;
    bool ok = true;
    while (ok && (n = read(from, buf, sizeof buf)) != 0)
        ok = n > 0 && write(fd, buf, (size_t)n) == n;
    ok = close(fd) == 0 && ok;
    return ok || err_set(err, "%s: %s", to, strerror(errno));
}

/* What the wall saved: each listed file checked, then printed or (one) copied
 * to --out. 0, or 1 after saying why. */
static int deliver(json_t *shots, const char *folder, const char *out)
{
    size_t n = json_array_size(shots), k;
    json_t *v;
    if (out && n != 1) {
        fprintf(stderr, "lotuswall: --out: the wall has %zu outputs; their screenshots:\n", n);
        json_array_foreach(shots, k, v) fprintf(stderr, "%s\n", json_string_value(v));
        return 1;
    }
    json_array_foreach(shots, k, v) {
        struct err err;
        const char *path = json_string_value(v) ? json_string_value(v) : "(not a string)";
        int fd = open_shot(folder, path, &err);
        bool ok = fd >= 0 && (!out || copy_out(fd, out, &err));
        if (fd >= 0)
            close(fd);
        if (!ok) {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
            return 1;
        }
        printf("%s\n", out ? out : path);
    }
    return 0;
}

/* The wall the status file names, checked, signalled through a pidfd; its
 * screenshot folder into folder[len]. */
static bool signal_wall(const char *status, json_int_t *seq, char *folder, size_t len,
                        struct err *err)
{
    json_t *st = load_status(status, err);
    if (!st)
        return false;
    json_int_t pid = json_integer_value(json_object_get(st, "pid"));
    *seq = json_integer_value(json_object_get(st, "screenshot_seq"));
    json_decref(st);
    if (pid <= 0 || pid > INT_MAX)
        return err_set(err, "%s: no running wall there (no pid)", status);
    int pidfd = pidfd_open((pid_t)pid, 0);
    if (pidfd < 0)
        return err_set(err, "%s: no running wall there (%s)", status, strerror(errno));
    bool ok = check_wall_pid((pid_t)pid, err) && wall_folder((pid_t)pid, folder, len, err);
    if (ok && pidfd_send_signal(pidfd, SIGUSR1, NULL, 0) != 0)
        ok = err_set(err, "pid %lld: %s", (long long)pid, strerror(errno));
    close(pidfd);
    return ok;
}

int cmd_screenshot(struct opts *o, int argc, char **argv)
{
    (void)argv;
    if (argc != 0) {
        fprintf(stderr, "usage: lotuswall screenshot [--status FILE] [--out FILE.png]\n");
        return 2;
    }
    if (geteuid() == 0) {
        fprintf(stderr, "lotuswall screenshot: refusing to run as root (it signals the process "
                        "and copies the file that a status file names); run it as the wall's "
                        "user: sudo -u lotuswall lotuswall screenshot\n");
        return 1;
    }
    const char *status = o->wall.status_path ? o->wall.status_path : "/run/lotuswall/status.json";
    char folder[PATH_MAX];
    json_int_t seq;
    struct err err;
    if (!signal_wall(status, &seq, folder, sizeof folder, &err)) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        return 1;
    }
    for (int i = 0; i < 50; i++) { /* the status file is rewritten once a second */
        usleep(100000);
        json_t *st = load_status(status, &err);
        json_t *shots = json_object_get(st, "screenshots");
        if (st && json_integer_value(json_object_get(st, "screenshot_seq")) != seq &&
            json_array_size(shots) > 0) {
            int rc = deliver(shots, folder, o->out);
            json_decref(st);
            return rc;
        }
        json_decref(st);
    }
    fprintf(stderr, "lotuswall: the wall took no screenshot within 5 s\n");
    return 1;
}
