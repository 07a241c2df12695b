/* The headless main job of `lotuswall run --publish DIR`: the data exchange
 * document, published once at start and again whenever a source's data or
 * its online state changes. The wall runtime will call the same publisher. */
#include "app/app.h"
#include "data/pg.h"
#include "output/exchange.h"
#include "output/publish.h"
#include "util/util.h"
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

struct waker {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool pending;
};

static void wake(void *arg)
{
    struct waker *w = arg;
    pthread_mutex_lock(&w->lock);
    w->pending = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
    (void)sig;
    quit = 1;
}

/* Changes whenever a table changes or a source goes offline or back. */
static uint64_t data_key(struct app *app, struct scene *const *scenes, size_t n)
{
    uint64_t key = store_generation(app->store) * 1000003u;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < scenes[i]->npanels; k++)
            if (scenes[i]->panels[k].has_query)
                key += store_is_offline(app->store, scenes[i]->panels[k].query.source);
    return key;
}

int app_run_publisher(struct app *app, struct scene *const *scenes, size_t n, const char *dir,
                      bool to_db)
{
    struct err err;
    struct publisher *pub = publisher_new(dir, to_db ? app->db : NULL, &err);
    if (!pub) {
        LOG(ERROR, "%s", err.msg);
        return 1;
    }
    struct waker w = {.pending = true};
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.cond, NULL);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    app->wake = wake;
    app->wake_arg = &w;
    int rc = 0;
    if (app->db && !app_start_db(app, scenes, n, &err)) {
        LOG(ERROR, "%s", err.msg);
        rc = 1;
    }
    uint64_t last = 0;
    bool first = true;
    LOG(INFO, "publishing the data exchange document to %s%s; SIGTERM stops", dir,
        to_db ? " and lotuswall.exchange_documents" : "");
    while (rc == 0 && !quit) {
        pthread_mutex_lock(&w.lock);
        if (!w.pending) {
            struct timespec t;
            clock_gettime(CLOCK_REALTIME, &t);
            t.tv_nsec += 200 * 1000000L; /* bounded, so that a signal is seen */
            if (t.tv_nsec >= 1000000000L) {
                t.tv_sec++;
                t.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&w.cond, &w.lock, &t);
        }
        w.pending = false;
        pthread_mutex_unlock(&w.lock);
        uint64_t key = data_key(app, scenes, n);
        if (!first && key == last)
            continue;
        struct export_job job = {.scenes = scenes, .nscenes = n, .store = app->store,
                                 .now = (int64_t)time(NULL), .catalog = app->catalog,
                                 .db = app->db};
        json_t *doc = exchange_document(&job);
        if (!publisher_publish(pub, doc, store_generation(app->store), &err))
            LOG(WARN, "publish: %s", err.msg);
        json_decref(doc);
        last = key;
        first = false;
    }
    LOG(INFO, "stopping");
    poller_stop(app->poller); /* before the waker goes away */
    app->poller = NULL;
    publisher_destroy(pub);
    pthread_cond_destroy(&w.cond);
    pthread_mutex_destroy(&w.lock);
    return rc;
}
