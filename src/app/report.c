/* The 运行报告中心: `lotuswall report` exports scenes as a PDF report, on
 * demand or on a schedule, and keeps an index of every report made —
 * reports.csv in the report folder, shaped like the catalog's `reports`
 * table (so the warnings scene lists them like any source) — with a
 * published flag and an external link managed from the command line. */
#include "app/app.h"
#include "data/csv.h"
#include "output/export.h"
#include "util/util.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
    (void)sig;
    quit = 1;
}

/* The index: reports.csv in dir, or an empty table of the catalog's shape. */
static struct table *load_index(const struct catalog *cat, const char *dir, struct err *err)
{
    const struct catalog_table *def = catalog_find(cat, "reports");
    if (!def)
        return err_set(err, "the catalog has no table reports"), NULL;
    char *path = xasprintf("%s/reports.csv", dir);
    struct table *t = access(path, R_OK) == 0 ? demo_read_csv(def, path, err) : NULL;
    if (!t && access(path, R_OK) != 0)
        t = catalog_table_new(def);
    free(path);
    return t;
}

static bool save_index(const struct table *t, const char *dir, struct err *err)
{
    char *path = xasprintf("%s/reports.csv", dir);
    bool ok = csv_write_table(t, path, err);
    free(path);
    return ok;
}

/* Makes one report of the scenes and appends it to the index. */
static bool make_report(struct app *app, struct scene **scenes, size_t n, const char *dir,
                        const char *name, const char *theme, bool scheduled, struct err *err)
{
    int64_t now = (int64_t)time(NULL);
    char stamp[32], when[32], id[48];
    fmt_time(stamp, sizeof stamp, now, "%Y%m%d-%H%M%S");
    fmt_time(when, sizeof when, now, "%Y-%m-%d %H:%M");
    snprintf(id, sizeof id, "R%s", stamp);
    char *file = xasprintf("%s.pdf", id), *path = xasprintf("%s/%s", dir, file);
    struct export_job job = {.path = path, .scenes = scenes, .nscenes = n, .width = 1920,
                             .height = 1080, .store = app->store, .theme = theme, .now = now,
                             .watermark = "内部资料", .red_up = true, .catalog = app->catalog};
    bool ok = export_run(&job, err);
    struct table *t = ok ? load_index(app->catalog, dir, err) : NULL;
    if (t) {
        char list[512] = "";
        for (size_t i = 0; i < n; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? "、" : "",
                     scenes[i]->title);
        size_t r = table_add_row(t);
        const char *vals[] = {id, name, when, list, file, scheduled ? "定时" : "手动", "未发布", NULL};
        for (size_t c = 0; c < t->ncols; c++) {
            int k = -1;
            static const char *const cols[] = {"id", "name", "created_at", "scenes", "file",
                                               "trigger", "published", "link"};
            for (size_t j = 0; j < ARRAY_LEN(cols); j++)
                if (strcmp(t->cols[c].name, cols[j]) == 0)
                    k = (int)j;
            if (k >= 0 && vals[k])
                table_set_text(t, r, c, vals[k]);
        }
        ok = save_index(t, dir, err);
        if (ok)
            printf("%s: %s (%s)\n", id, path, list);
        table_unref(t);
    } else {
        ok = false;
    }
    free(file);
    free(path);
    return ok;
}

/* Drops reports older than keep_days: their files and their index rows. */
static void prune(struct app *app, const char *dir, int keep_days)
{
    struct err err;
    struct table *t = load_index(app->catalog, dir, &err);
    if (!t || keep_days <= 0) {
        table_unref(t);
        return;
    }
    char cutoff[32];
    fmt_time(cutoff, sizeof cutoff, (int64_t)time(NULL) - (int64_t)keep_days * 86400,
             "%Y-%m-%d %H:%M");
    int cc = table_col(t, "created_at"), cf = table_col(t, "file");
    size_t removed = 0;
    struct table *out = table_new_like(t);
    for (size_t r = 0; r < t->nrows; r++) {
        const char *at = table_text(t, r, (size_t)cc);
        if (at && strcmp(at, cutoff) < 0) {
            const char *f = table_text(t, r, (size_t)cf);
            char *p = f ? xasprintf("%s/%s", dir, f) : NULL;
            if (p)
                remove(p);
            free(p);
            removed++;
            continue;
        }
        size_t o = table_add_row(out);
        for (size_t c = 0; c < t->ncols; c++)
            if (!table_is_null(t, r, c))
                table_set_text(out, o, c, table_text(t, r, c));
    }
    if (removed && save_index(out, dir, &err))
        LOG(INFO, "removed %zu report(s) older than %d days", removed, keep_days);
    table_unref(out);
    table_unref(t);
}

/* `report publish|unpublish ID [--link URL]`, `report list`. */
static int manage(struct app *app, const char *verb, const char *id, const char *link,
                  const char *dir)
{
    struct err err;
    struct table *t = load_index(app->catalog, dir, &err);
    if (!t) {
        fprintf(stderr, "lotuswall: %s\n", err.msg);
        return 1;
    }
    int ci = table_col(t, "id"), cp = table_col(t, "published"), cl = table_col(t, "link");
    int rc = 0;
    if (strcmp(verb, "list") == 0) {
        for (size_t r = 0; r < t->nrows; r++) {
            char line[1024] = "";
            for (size_t c = 0; c < t->ncols; c++) {
                const char *v = table_text(t, r, c);
                snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s", c ? "  " : "",
                         v ? v : "—");
            }
            printf("%s\n", line);
        }
        printf("%zu report(s) in %s\n", t->nrows, dir);
    } else {
        long row = -1;
        for (size_t r = 0; r < t->nrows && row < 0; r++)
            if (table_text(t, r, (size_t)ci) && strcmp(table_text(t, r, (size_t)ci), id) == 0)
                row = (long)r;
        if (row < 0) {
            fprintf(stderr, "lotuswall: report %s is not in %s/reports.csv\n", id, dir);
            rc = 1;
        } else {
            table_set_text(t, (size_t)row, (size_t)cp, strcmp(verb, "publish") == 0 ? "已发布" : "未发布");
            if (link)
                table_set_text(t, (size_t)row, (size_t)cl, link);
            if (!save_index(t, dir, &err)) {
                fprintf(stderr, "lotuswall: %s\n", err.msg);
                rc = 1;
            } else {
                printf("%s: %s\n", id, strcmp(verb, "publish") == 0 ? "已发布" : "未发布");
            }
        }
    }
    table_unref(t);
    return rc;
}

int app_report(struct app *app, const struct report_opts *o)
{
    struct err err;
    if (mkdir(o->dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "lotuswall: %s: %s\n", o->dir, strerror(errno));
        return 1;
    }
    if (o->verb)
        return manage(app, o->verb, o->id, o->link, o->dir);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    int rc = 0;
    for (;;) {
        if (!make_report(app, o->scenes, o->nscenes, o->dir, o->name, o->theme, o->every_s > 0,
                         &err)) {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
            rc = 1;
        }
        prune(app, o->dir, o->keep_days);
        if (o->every_s <= 0 || rc)
            break;
        for (int s = 0; s < o->every_s && !quit; s++)
            sleep(1);
        if (quit)
            break;
    }
    return rc;
}
