#include "util/texttable.h"
#include "util/util.h"
#include <stdlib.h>

void text_table_print(FILE *f, const char *const *cells, size_t nrows, size_t ncols,
                      const bool *right)
{
    int *width = xcalloc(ncols + 1, sizeof *width);
    for (size_t r = 0; r < nrows; r++)
        for (size_t k = 0; k < ncols; k++) {
            const char *c = cells[r * ncols + k];
            int w = c ? utf8_display_width(c) : 0;
            if (w > width[k])
                width[k] = w;
        }
    for (size_t r = 0; r < nrows; r++) {
        const char *const *row = &cells[r * ncols];
        size_t n = ncols; /* the row ends at its last cell: no trailing blanks */
        while (n > 1 && (!row[n - 1] || !*row[n - 1]))
            n--;
        for (size_t k = 0; k < n; k++) {
            const char *c = row[k] ? row[k] : "";
            int pad = width[k] - utf8_display_width(c);
            bool last = k + 1 == n, rt = right && right[k];
            fprintf(f, "%*s%s%*s%s", rt ? pad : 0, "", c, rt || last ? 0 : pad, "",
                    last ? "\n" : "  ");
        }
    }
    free(width);
}
