#include "util/hash.h"

#define FNV_PRIME 0x100000001b3ull

uint64_t hash_str(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * FNV_PRIME;
    return h;
}

uint64_t hash_mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * FNV_PRIME;
}
