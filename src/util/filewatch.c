#include "util/filewatch.h"
#include "util/util.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

bool filewatch_init(struct filewatch *fw)
{
    *fw = (struct filewatch){.fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)};
    pthread_mutex_init(&fw->lock, NULL);
    return fw->fd >= 0;
}

void filewatch_add(struct filewatch *fw, const char *file)
{
    if (fw->fd < 0 || !file)
        return;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", file);
    char *slash = strrchr(dir, '/');
    const char *name = slash ? slash + 1 : file;
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    int wd = inotify_add_watch(fw->fd, *dir ? dir : "/", IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE);
    if (wd < 0)
        return;
    pthread_mutex_lock(&fw->lock);
    bool known = false;
    for (size_t i = 0; i < fw->nfiles && !known; i++)
        known = fw->files[i].wd == wd && strcmp(fw->files[i].name, name) == 0;
    if (!known) {
        fw->files = xrealloc(fw->files, (fw->nfiles + 1) * sizeof *fw->files);
        fw->files[fw->nfiles++] = (struct filewatch_file){wd, xstrdup(name)};
    }
    pthread_mutex_unlock(&fw->lock);
}

static bool watched(struct filewatch *fw, const struct inotify_event *e)
{
    bool hit = false;
    pthread_mutex_lock(&fw->lock);
    for (size_t i = 0; i < fw->nfiles && !hit; i++)
        hit = fw->files[i].wd == e->wd && e->len && strcmp(fw->files[i].name, e->name) == 0;
    pthread_mutex_unlock(&fw->lock);
    return hit;
}

bool filewatch_changed(struct filewatch *fw)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool any = false;
    ssize_t n;
    while (fw->fd >= 0 && (n = read(fw->fd, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            any = any || (e->mask & IN_Q_OVERFLOW) || watched(fw, e);
            p += sizeof *e + e->len;
        }
    }
    return any;
}

void filewatch_close(struct filewatch *fw)
{
    if (fw->fd >= 0)
        close(fw->fd);
    fw->fd = -1;
    for (size_t i = 0; i < fw->nfiles; i++)
        free(fw->files[i].name);
    free(fw->files);
    fw->files = NULL;
    fw->nfiles = 0;
}
