/* libFuzzer target: the CSV reader and the typed table it fills. */
#include "data/catalog.h"
#include "data/csv.h"
#include "data/store.h"
#include "util/util.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv c;
    struct err err;
    csv_init(&c, "fuzz.csv", (const char *)data, size);
    while (csv_next(&c, &err) > 0)
        ;
    csv_finish(&c);

    static struct catalog *cat;
    if (!cat && !(cat = catalog_load(LW_SOURCE_DIR "/db/catalog.json", &err)))
        abort();
    char path[] = "/tmp/lw-fuzz-csv-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) == (ssize_t)size) {
        struct table *t = demo_read_csv(catalog_find(cat, "projects"), path, &err);
        table_unref(t);
    }
    close(fd);
    unlink(path);
    return 0;
}
