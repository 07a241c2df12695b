#include "util/filewatch.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

bool filewatch_init(struct filewatch *fw)
{
    fw->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    return fw->fd >= 0;
}

void filewatch_add(struct filewatch *fw, const char *file)
{
    if (fw->fd < 0 || !file)
        return;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", file);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    inotify_add_watch(fw->fd, *dir ? dir : "/", IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE);
}

bool filewatch_changed(struct filewatch *fw)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool any = false;
    while (fw->fd >= 0 && read(fw->fd, buf, sizeof buf) > 0)
        any = true;
    return any;
}

void filewatch_close(struct filewatch *fw)
{
    if (fw->fd >= 0)
        close(fw->fd);
    fw->fd = -1;
}
