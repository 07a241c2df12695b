/* The headless main job of `lotuswall run --publish DIR`: the data exchange
 * document, published once at start and again whenever a source's data or
 * its online state changes. The wall runtime will call the same publisher. */
#include "app/app.h"
#include "data/pg.h"
#include "output/exchange.h"
#include "output/publish.h"
#include "util/util.h"
#include "util/waker.h"
#include <signal.h>
#include <string.h>
#include <time.h>

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
    struct waker w;
    waker_init(&w, true);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    app->wake = waker_wake;
    /* cppcheck-suppress autoVariables ; cleared again before this function returns */
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
        waker_wait(&w, 200); /* bounded, so that a signal is seen */
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
    app->wake = NULL, app->wake_arg = NULL;
    app->poller = NULL;
    publisher_destroy(pub);
    waker_finish(&w);
    return rc;
}
