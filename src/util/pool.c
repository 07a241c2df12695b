/* The pool's threads sleep on a condition variable between jobs. A job is
 * a generation number, a task count and the next task to hand out; every
 * worker (the caller among them) takes tasks under the lock until none is
 * left, and the caller waits until the last one has finished. Jobs are
 * few and coarse (a panel, a stripe of a million pixels), so one mutex is
 * cheaper than anything clever. */
#include "util/pool.h"
#include "util/util.h"
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pool {
    unsigned n;                /* workers, the caller included */
    pthread_t *threads;        /* n - 1 */
    pthread_mutex_t lock;      /* guards everything below */
    pthread_cond_t work;       /* a new job, or quit */
    pthread_cond_t done;       /* the job's last task finished */
    unsigned long generation;  /* of the current job */
    void (*fn)(void *arg, size_t i, unsigned worker);
    void *arg;
    size_t ntasks, next, unfinished;
    bool quit;
};

struct worker_start {
    struct pool *p;
    unsigned id;
};

/* Runs tasks of the current job until none is left to take. Called and
 * returns with the lock held. */
static void take_tasks(struct pool *p, unsigned id)
{
    while (p->next < p->ntasks) {
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        p->fn(p->arg, i, id);
        pthread_mutex_lock(&p->lock);
        if (--p->unfinished == 0)
            pthread_cond_signal(&p->done);
    }
}

static void *worker_main(void *arg)
{
    struct worker_start ws = *(struct worker_start *)arg;
    free(arg);
    struct pool *p = ws.p;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->quit && p->generation == seen)
            pthread_cond_wait(&p->work, &p->lock);
        if (p->quit)
            break;
        seen = p->generation;
        take_tasks(p, ws.id);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

struct pool *pool_new(unsigned n)
{
    struct pool *p = xcalloc(1, sizeof *p);
    p->n = n < 1 ? 1 : n;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->threads = xcalloc(p->n, sizeof *p->threads);
    for (unsigned i = 1; i < p->n; i++) {
        struct worker_start *ws = xmalloc(sizeof *ws);
        *ws = (struct worker_start){p, i};
        if (pthread_create(&p->threads[i - 1], NULL, worker_main, ws) != 0) {
            /* fewer threads than asked: the pool is smaller, never wrong */
            LOG(WARN, "thread pool: %u of %u threads started", i, p->n);
            free(ws);
            p->n = i;
            break;
        }
    }
    return p;
}

void pool_destroy(struct pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->quit = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 1; i < p->n; i++)
        pthread_join(p->threads[i - 1], NULL);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->lock);
    free(p->threads);
    free(p);
}

unsigned pool_size(const struct pool *p)
{
    return p ? p->n : 1;
}

void pool_run(struct pool *p, size_t n, void (*fn)(void *arg, size_t i, unsigned worker),
              void *arg)
{
    if (!p || p->n == 1 || n < 2) {
        for (size_t i = 0; i < n; i++)
            fn(arg, i, 0);
        return;
    }
    pthread_mutex_lock(&p->lock);
    p->fn = fn, p->arg = arg;
    p->ntasks = n, p->next = 0, p->unfinished = n;
    p->generation++;
    pthread_cond_broadcast(&p->work);
    take_tasks(p, 0);
    while (p->unfinished > 0)
        pthread_cond_wait(&p->done, &p->lock);
    p->fn = NULL, p->arg = NULL, p->ntasks = 0, p->next = 0;
    pthread_mutex_unlock(&p->lock);
}

/* The CPU quota in cgroup v2's cpu.max of folder dir ("max 100000" or
 * "200000 100000") as CPUs, rounded up; 0 when there is none. */
static unsigned cpu_max(const char *dir)
{
    char path[4200], buf[64];
    long long quota = 0, period = 0;
    snprintf(path, sizeof path, "/sys/fs/cgroup%s/cpu.max", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    if (!fgets(buf, sizeof buf, f) || sscanf(buf, "%lld %lld", &quota, &period) != 2)
        quota = 0;
    fclose(f);
    return quota > 0 && period > 0 ? (unsigned)((quota + period - 1) / period) : 0;
}

/* The smallest quota of this process's cgroup and its parents (cgroup v2,
 * as /proc/self/cgroup names it: "0::/system.slice/lotuswall.service");
 * 0 when none is set. */
static unsigned cgroup_cpus(void)
{
    char dir[4096] = "";
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (f) {
        char line[4200];
        while (fgets(line, sizeof line, f))
            if (strncmp(line, "0::", 3) == 0 && sscanf(line + 3, "%4095s", dir) == 1)
                break;
        fclose(f);
    }
    unsigned best = 0;
    for (;;) {
        unsigned q = cpu_max(strcmp(dir, "/") == 0 ? "" : dir);
        if (q > 0 && (best == 0 || q < best))
            best = q;
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            break;
        *slash = '\0';
    }
    unsigned root = cpu_max(""); /* a container's own root, when its path is hidden */
    return root > 0 && (best == 0 || root < best) ? root : best;
}

unsigned pool_default_size(void)
{
    cpu_set_t set;
    int n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
    unsigned cpus = n > 0 ? (unsigned)n : 1, quota = cgroup_cpus();
    return quota > 0 && quota < cpus ? quota : cpus;
}
