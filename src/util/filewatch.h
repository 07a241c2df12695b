/* Watching files for edits (inotify). Editors replace a file rather than
 * write it in place, so the file's folder is watched, not its inode; only
 * events that name a watched file count, so a status file or a log written
 * beside a playlist does not reload it. The wall blocks on the descriptor in
 * a thread of its own (and adds files from its main thread); the engine
 * checks it between evaluations. */
#ifndef LW_FILEWATCH_H
#define LW_FILEWATCH_H
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct filewatch {
    int fd; /* the inotify descriptor (non-blocking), or -1 */
    pthread_mutex_t lock; /* guards files: added from one thread, read in another */
    struct filewatch_file {
        int wd;     /* the folder's watch */
        char *name; /* the file's name in it */
    } *files;
    size_t nfiles;
};

/* False when inotify is unavailable (fw->fd stays -1). */
bool filewatch_init(struct filewatch *fw);
/* Watches `file` (through its folder); NULL or a file already watched: nothing. */
void filewatch_add(struct filewatch *fw, const char *file);
/* True when a watched file was written, moved in or created since the last
 * call; drains the events. Never blocks. */
bool filewatch_changed(struct filewatch *fw);
void filewatch_close(struct filewatch *fw);

#endif
