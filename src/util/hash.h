/* FNV-1a, 64 bits: the one string hash (text cache keys, the screen's
 * redraw keys, the warning index, the poller's content check and cache
 * folder). Not for anything an attacker chooses to collide. */
#ifndef LW_HASH_H
#define LW_HASH_H
#include <stdint.h>

#define HASH_FNV_BASIS 0xcbf29ce484222325ull

/* h folded with every byte of s; start from HASH_FNV_BASIS, or chain. */
uint64_t hash_str(uint64_t h, const char *s);
/* h folded with one value (a version, a time, a separator). */
uint64_t hash_mix(uint64_t h, uint64_t v);

#endif
