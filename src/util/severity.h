/* Warning severities, shared by the playlists (which severity brings the
 * alert scene forward) and the warning engine (how grave a rule is). */
#ifndef LW_SEVERITY_H
#define LW_SEVERITY_H
#include <stdbool.h>

/* Lowest first (提示 / 一般 / 严重). */
enum severity { SEV_INFO, SEV_MINOR, SEV_CRITICAL };

/* Accepts the Chinese names and info, warning, critical. */
bool severity_parse(const char *s, enum severity *out);
const char *severity_name(enum severity s); /* "提示", "一般", "严重" */

#endif
