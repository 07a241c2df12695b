/* Watching files for edits (inotify). Editors replace a file rather than
 * write it in place, so the file's folder is watched, not its inode. The
 * wall blocks on the descriptor in a thread of its own; the engine checks
 * it between evaluations. */
#ifndef LW_FILEWATCH_H
#define LW_FILEWATCH_H
#include <stdbool.h>

struct filewatch {
    int fd; /* the inotify descriptor (non-blocking), or -1 */
};

/* False when inotify is unavailable (fw->fd stays -1). */
bool filewatch_init(struct filewatch *fw);
/* Watches the folder that holds `file`. */
void filewatch_add(struct filewatch *fw, const char *file);
/* True when something was written, moved in or created in a watched folder
 * since the last call; drains the events. Never blocks. */
bool filewatch_changed(struct filewatch *fw);
void filewatch_close(struct filewatch *fw);

#endif
