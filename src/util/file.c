#include "util/file.h"
#include "util/util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *file_read(const char *path, size_t max, size_t *len, struct err *err)
{
    /* O_NONBLOCK: opening a FIFO must not hang; it is refused below */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return err_set(err, "%s: %s", path, strerror(errno)), NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        err_set(err, "%s: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) { /* a device, a FIFO, a folder: no end, or no file */
        close(fd);
        return err_set(err, "%s: not a regular file", path), NULL;
    }
    /* the size again after reading: a file may grow while it is read */
    size_t n = 0, cap = (size_t)st.st_size < max ? (size_t)st.st_size + 1 : max + 1;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            err_set(err, "%s: %s", path, strerror(errno));
            n = SIZE_MAX;
            break;
        }
        n += (size_t)got;
        if (got == 0 || n > max)
            break;
        if (n == cap)
            buf = xrealloc(buf, (cap = cap * 2 < max + 1 ? cap * 2 : max + 1) + 1);
    }
    close(fd);
    if (n != SIZE_MAX && n > max)
        err_set(err, "%s: %.1f MiB is more than the limit of %zu MiB for this kind of file", path,
                (double)((size_t)st.st_size > n ? (size_t)st.st_size : n) / (1 << 20), max >> 20);
    if (n > max) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* ---- writing by replacement ---------------------------------------------- */

/* ".NAME.XXXXXX" beside path, the X from the kernel's random numbers. */
static char *tmp_name(const char *path)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    unsigned char r[8];
    if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
        /* no entropy yet (early boot): O_EXCL still makes it safe, only guessable */
        uint64_t x = (uint64_t)now_ms() * 1000003u ^ (uint64_t)getpid() << 32 ^ (uint64_t)clock();
        memcpy(r, &x, sizeof r);
    }
    char suffix[sizeof r + 1];
    for (size_t i = 0; i < sizeof r; i++)
        suffix[i] = abc[r[i] & 63];
    suffix[sizeof r] = '\0';
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    /* a long name is cut so that the temporary name stays within NAME_MAX */
    return xasprintf("%.*s.%.200s.%s", dirlen, path, path + dirlen, suffix);
}

bool file_out_open(struct file_out *o, const char *path, int flags, struct err *err)
{
    *o = (struct file_out){.flags = flags};
    for (int tries = 0; tries < 100; tries++) {
        char *tmp = tmp_name(path);
        /* O_EXCL: never an existing file, never through a symlink */
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      flags & FILE_PRIVATE ? 0600 : 0666);
        if (fd >= 0) {
            o->f = fdopen(fd, "wb");
            if (!o->f)
                abort(); /* only out of memory */
            o->path = xstrdup(path);
            o->tmp = tmp;
            return true;
        }
        int e = errno;
        free(tmp);
        if (e != EEXIST)
            return err_set(err, "%s: %s", path, strerror(e));
    }
    return err_set(err, "%s: no free temporary name beside it", path);
}

static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, (size_t)(slash - path + 1)) : xstrdup(".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

bool file_out_commit(struct file_out *o, struct err *err)
{
    if (!o->f)
        return err_set(err, "%s: not open", o->path ? o->path : "(file)");
    int e = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        e = errno ? errno : EIO;
    if (!e && (o->flags & FILE_SYNC) && fsync(fileno(o->f)) != 0)
        e = errno;
    if (fclose(o->f) != 0 && !e)
        e = errno;
    o->f = NULL;
    if (!e && rename(o->tmp, o->path) != 0)
        e = errno;
    if (!e && (o->flags & FILE_SYNC))
        sync_dir(o->path); /* the rename itself survives a power cut */
    if (e) {
        err_set(err, "%s: %s", o->path, strerror(e));
        unlink(o->tmp);
    }
    free(o->tmp);
    free(o->path);
    *o = (struct file_out){0};
    return !e;
}

void file_out_abort(struct file_out *o)
{
    if (o->f)
        fclose(o->f);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    *o = (struct file_out){0};
}

bool file_write(const char *path, const void *data, size_t len, int flags, struct err *err)
{
    struct file_out o;
    if (!file_out_open(&o, path, flags, err))
        return false;
    fwrite(data, 1, len, o.f);
    return file_out_commit(&o, err);
}

bool file_name_safe(const char *name)
{
    size_t n = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.");
    return n > 0 && n <= 128 && name[n] == '\0' && name[0] != '.';
}

/* ---- private folders ----------------------------------------------------- */

/* The folder open at fd is this user's and nobody else may write to it. */
static bool owned_private(int fd, const char *name, struct err *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return err_set(err, "%s: %s", name, strerror(errno));
    if (st.st_uid != geteuid())
        return err_set(err, "%s: owned by uid %u, not by this user (uid %u)", name,
                       (unsigned)st.st_uid, (unsigned)geteuid());
    if (st.st_mode & 022)
        return err_set(err, "%s: writable by others (mode %04o)", name,
                       (unsigned)(st.st_mode & 07777));
    return true;
}

static void mkdir_parents(const char *dir)
{
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0700);
            *s = '/';
        }
    mkdir(p, 0700);
    free(p);
}

char *file_private_dir(const char *base, const char *sub, struct err *err)
{
    mkdir_parents(base); /* errors show in the open */
    int fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return err_set(err, "%s: %s", base, strerror(errno)), NULL;
    char *path = xstrdup(base), *parts = xstrdup(sub ? sub : ""), *save = NULL;
    bool ok = owned_private(fd, path, err);
    for (char *c = strtok_r(parts, "/", &save); ok && c; c = strtok_r(NULL, "/", &save)) {
        char *next = xasprintf("%s/%s", path, c);
        free(path);
        path = next;
        if (mkdirat(fd, c, 0700) != 0 && errno != EEXIST) {
            ok = err_set(err, "%s: %s", path, strerror(errno));
            break;
        }
        int sub_fd = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub_fd < 0) {
            int e = errno;
            struct stat st;
            bool link = fstatat(fd, c, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
            ok = err_set(err, "%s: %s", path, link ? "a symlink, not a folder" : strerror(e));
            break;
        }
        close(fd);
        fd = sub_fd;
        ok = owned_private(fd, path, err);
        if (ok && fchmod(fd, 0700) != 0) /* drop read access the others may still have */
            ok = err_set(err, "%s: %s", path, strerror(errno));
    }
    close(fd);
    free(parts);
    if (!ok) {
        free(path);
        return NULL;
    }
    return path;
}
