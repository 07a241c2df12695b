/* A small pool of threads for work that splits into independent pieces:
 * the panels of a picture, the stripes of a PNG. One job at a time; the
 * calling thread works too, so a pool of 1 has no threads at all. */
#ifndef LW_POOL_H
#define LW_POOL_H
#include <stddef.h>

struct pool;

/* A pool of n workers in all (the caller and n - 1 threads); n < 1 is 1.
 * Free with pool_destroy(). */
struct pool *pool_new(unsigned n);
void pool_destroy(struct pool *p); /* NULL is a no-op; joins the threads */
/* The number of workers (1 for NULL). */
unsigned pool_size(const struct pool *p);
/* Calls fn(arg, i, worker) once for every i in [0, n), in an order of the
 * pool's choosing (claimed in increasing i), and returns when all calls
 * have returned. `worker` (0 … pool_size - 1, 0 the caller) names the
 * calling worker, for state kept per worker; no two calls at the same time
 * have the same worker. p may be NULL: all on the caller. Not reentrant:
 * one thread at a time uses a pool, and fn does not use it. */
void pool_run(struct pool *p, size_t n, void (*fn)(void *arg, size_t i, unsigned worker),
              void *arg);

/* The CPUs this process may use: its affinity mask, capped by a cgroup
 * CPU quota (cgroup v2 cpu.max, or v1 cfs_quota_us / cfs_period_us, rounded
 * up); at least 1. */
unsigned pool_default_size(void);

#endif
