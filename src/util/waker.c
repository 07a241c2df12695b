#include "util/waker.h"
#include <time.h>

void waker_init(struct waker *w, bool pending)
{
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->cond, NULL);
    w->pending = pending;
}

void waker_finish(struct waker *w)
{
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
}

void waker_wake(void *arg)
{
    struct waker *w = arg;
    pthread_mutex_lock(&w->lock);
    w->pending = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

void waker_wait(struct waker *w, int timeout_ms)
{
    pthread_mutex_lock(&w->lock);
    if (!w->pending) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_sec += timeout_ms / 1000;
        t.tv_nsec += (timeout_ms % 1000) * 1000000L;
        if (t.tv_nsec >= 1000000000L) {
            t.tv_sec++;
            t.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&w->cond, &w->lock, &t);
    }
    w->pending = false;
    pthread_mutex_unlock(&w->lock);
}
