#include "util/severity.h"
#include "util/util.h"
#include <string.h>

static const struct {
    const char *zh, *en;
} sev_names[] = {{"提示", "info"}, {"一般", "warning"}, {"严重", "critical"}};

bool severity_parse(const char *s, enum severity *out)
{
    for (size_t i = 0; i < ARRAY_LEN(sev_names); i++) {
        if (strcmp(s, sev_names[i].zh) == 0 || strcmp(s, sev_names[i].en) == 0) {
            *out = (enum severity)i;
            return true;
        }
    }
    return false;
}

const char *severity_name(enum severity s)
{
    return sev_names[s].zh;
}
