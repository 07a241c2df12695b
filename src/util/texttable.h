/* Text tables for the terminal: columns lined up by display width (a
 * Chinese character takes two columns, not three bytes), numbers to the
 * right. `lotuswall warnings` and `lotuswall rules` print through it. */
#ifndef LW_TEXTTABLE_H
#define LW_TEXTTABLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Prints nrows rows of ncols cells (row-major; the first row is the
 * header), two spaces between columns, no trailing blanks. right[k]: column
 * k is aligned to the right (may be NULL: all to the left). A NULL cell is
 * printed as nothing. */
void text_table_print(FILE *f, const char *const *cells, size_t nrows, size_t ncols,
                      const bool *right);

#endif
