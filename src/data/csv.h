/* RFC 4180 CSV reading (quotes, doubled quotes, CRLF, a UTF-8 BOM).
 * Errors carry "path:line:column". */
#ifndef LW_CSV_H
#define LW_CSV_H
#include "util/err.h"
#include <stddef.h>

struct csv {
    const char *path;
    const char *p, *end;
    size_t line;          /* 1-based line where the returned record starts */
    size_t pos_line;      /* line of the read position */
    char **fields;
    size_t nfields, cap;
    char *buf;            /* field storage of the current record */
    size_t buflen, bufcap;
};

void csv_init(struct csv *c, const char *path, const char *data, size_t len);
void csv_finish(struct csv *c);
/* Reads the next record into c->fields. Returns 1 for a record, 0 at the end,
 * -1 with *err on a syntax error. Fields stay valid until the next call. */
int csv_next(struct csv *c, struct err *err);

/* Writes a table as CSV with a header (the demo files' format), by
 * replacement and synced (util/file.h: file_out). Numbers round-trip exactly. */
struct table;
bool csv_write_table(const struct table *t, const char *path, struct err *err);

#endif
