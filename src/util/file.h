/* Files: reading with a size limit, writing by replacement, private
 * folders. Every file lotuswall writes (the CSV cache, reports and their
 * index, exports, screenshots, the status file, published documents) goes
 * through file_out, and every file it reads through file_read. */
#ifndef LW_FILE_H
#define LW_FILE_H
#include "util/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Read limits: data (CSV, GeoJSON) and configuration (scenes, playlists,
 * rules, wall files, the catalog). Far above any real file, far below what
 * would take a wall's memory. */
#define FILE_MAX_DATA ((size_t)64 << 20)
#define FILE_MAX_CONFIG ((size_t)4 << 20)

/* Reads a whole regular file of at most max bytes, NUL-terminated; *len
 * (if not NULL) gets its length. NULL + *err on failure: "PATH: No such
 * file or directory", "PATH: not a regular file", "PATH: 5.0 MiB is more
 * than the limit of 4 MiB for this kind of file". */
char *file_read(const char *path, size_t max, size_t *len, struct err *err);

enum {
    FILE_SYNC = 1,    /* fsync the file and its folder: data that must survive a power cut */
    FILE_PRIVATE = 2, /* mode 0600 instead of 0666 less the umask */
};

/* A file written by replacement: the data goes to a new file of an
 * unpredictable name beside `path` (".NAME.XXXXXX", created with O_EXCL, so
 * nothing planted there is followed), which replaces `path` by rename()
 * once complete. Readers see the old file or the new one, never half of
 * one; a symlink at `path` is replaced, not followed. */
struct file_out {
    FILE *f;          /* write here */
    char *path, *tmp;
    int flags;
};

/* false + *err ("DIR: Permission denied") when the temporary file cannot be
 * made; *o is then empty and needs no abort. */
bool file_out_open(struct file_out *o, const char *path, int flags, struct err *err);
/* Flushes, syncs (FILE_SYNC), closes and renames over the path. false +
 * *err naming the path when anything failed (a full disk, a write error
 * recorded in o->f); the temporary file is removed. Finishes o either way. */
bool file_out_commit(struct file_out *o, struct err *err);
/* Removes the temporary file; a no-op on a finished or empty o. */
void file_out_abort(struct file_out *o);
/* The whole of data[0..len) as the file at path. */
bool file_write(const char *path, const void *data, size_t len, int flags, struct err *err);

/* True for a bare file name that stays in its folder and needs no quoting:
 * 1 to 128 letters, digits, '_', '-' and '.', not starting with a dot. */
bool file_name_safe(const char *name);

/* The folder base/sub for private files (a cache): base must exist or be
 * creatable, and be owned by this user and writable by nobody else; every
 * folder of sub ("lotuswall/0123abcd") is created 0700 where missing and
 * must otherwise be a folder (not a symlink) owned by this user, writable by
 * nobody else (its mode is then narrowed to 0700). Caller frees the path.
 * NULL + *err saying which folder and why. */
char *file_private_dir(const char *base, const char *sub, struct err *err);

#endif
