/* libFuzzer target: the scene loader against arbitrary bytes, with the real
 * catalog and widget registry, so every semantic check is reached too. */
#include "data/catalog.h"
#include "scene/scene.h"
#include "widgets/widget.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct catalog *cat;
    if (!cat) {
        struct err err;
        cat = catalog_load(LW_SOURCE_DIR "/db/catalog.json", &err);
        if (!cat)
            abort();
    }
    struct scene_env env = {.catalog = cat, .widgets = widget_specs()};
    struct err err;
    struct scene *s = scene_parse("fuzz.json", (const char *)data, size, &env, &err);
    scene_destroy(s);
    return 0;
}
