/* A wake-up flag for a headless loop: another thread (the poller's wake
 * callback) raises it, the loop sleeps until it is raised or a timeout
 * passes. Used by `run --publish` (app/publisher.c) and `engine`
 * (app/engine.c), which sleep in short slices so that a signal is seen. */
#ifndef LW_WAKER_H
#define LW_WAKER_H
#include <pthread.h>
#include <stdbool.h>

struct waker {
    pthread_mutex_t lock; /* guards pending */
    pthread_cond_t cond;
    bool pending;
};

void waker_init(struct waker *w, bool pending);
void waker_finish(struct waker *w);
/* Raises the flag; any thread. The signature of poller_opts.wake (arg = the waker). */
void waker_wake(void *arg);
/* Returns when the flag is raised (at once if it already is) or after
 * timeout_ms, and lowers it. */
void waker_wait(struct waker *w, int timeout_ms);

#endif
