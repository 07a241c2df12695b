/* libFuzzer target: the GeoJSON loader (the map widget's geometry) against
 * arbitrary bytes, with point-in-district and self-intersection checks run
 * on whatever it accepts. */
#include "data/geojson.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err err;
    struct geo_map *m = geo_parse("fuzz.geojson", (const char *)data, size, "adcode", "name", &err);
    if (m) {
        geo_locate(m, (m->bbox[0] + m->bbox[2]) / 2, (m->bbox[1] + m->bbox[3]) / 2);
        geo_find(m, "411002");
    }
    geo_destroy(m);
    return 0;
}
