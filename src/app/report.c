/* The 运行报告中心: `lotuswall report` exports scenes as a PDF report, on
 * demand or on a schedule, and keeps an index of every report made —
 * reports.csv in the report folder, shaped like the catalog's `reports`
 * table (so the warnings scene lists them like any source) — with a
 * published flag and an external link managed from the command line. */
#include "app/app.h"
#include "data/csv.h"
#include "output/compose.h"
#include "output/export.h"
#include "output/paper.h"
#include "util/paths.h"
#include "util/file.h"
#include "util/util.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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

/* The row of the report with this id, or -1. */
static long find_id(const struct table *t, const char *id)
{
    int ci = table_col(t, "id");
    for (size_t r = 0; ci >= 0 && r < t->nrows; r++)
        if (table_text(t, r, (size_t)ci) && strcmp(table_text(t, r, (size_t)ci), id) == 0)
            return (long)r;
    return -1;
}

/* A new report id, "R20241115-093000", with "-2", "-3", … for further
 * reports in the same second: unused in the index, and its file created
 * empty (O_EXCL) so that no other report takes it; the export replaces it. */
static bool reserve_id(int dirfd, const struct table *index, int64_t now, char *id, size_t len)
{
    char stamp[32];
    fmt_time(stamp, sizeof stamp, now, "%Y%m%d-%H%M%S");
    for (unsigned seq = 1; seq < 1000; seq++) {
        snprintf(id, len, seq == 1 ? "R%s" : "R%s-%u", stamp, seq);
        char file[64];
        snprintf(file, sizeof file, "%s.pdf", id);
        int fd = find_id(index, id) >= 0 ? -1 : openat(dirfd, file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            close(fd);
            return true;
        }
    }
    return false;
}

/* The analysis' wording: /etc/lotuswall/reports/analysis.json where the
 * site has one, else the shipped HOME/reports/analysis.json. */
static struct analysis *load_analysis(struct err *err)
{
    char *path = xasprintf("%s/reports/analysis.json", paths_etc());
    if (access(path, R_OK) != 0) {
        free(path);
        path = paths_in_home("reports/analysis.json");
    }
    struct analysis *a = analysis_load(path, err);
    free(path);
    return a;
}

/* The value of parameter `name` of the first scene that declares it. */
static const char *scenes_param(struct scene *const *scenes, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < scenes[i]->nparams; k++)
            if (strcmp(scenes[i]->params[k].name, name) == 0)
                return scenes[i]->params[k].value;
    return NULL;
}

/* The PDF: the cover, the analysis for the scenes' region and period,
 * the scenes. The title (*title_out, the caller frees) names the region:
 * "经济运行分析报告" of 禹州市 is 禹州市经济运行分析报告. */
static bool write_paper(struct app *app, const struct export_job *job, const char *name,
                        const char *topics, char **title_out, struct err *err)
{
    struct analysis *a = load_analysis(err);
    if (!a)
        return false;
    struct analysis_text text;
    const char *period = scenes_param(job->scenes, job->nscenes, SCENE_PARAM_PERIOD);
    analysis_write(a, app->store, scenes_param(job->scenes, job->nscenes, SCENE_PARAM_REGION),
                   period, job->now, &text);
    bool named = strncmp(name, text.region, strlen(text.region)) == 0;
    char *title = named ? xstrdup(name) : xasprintf("%s%s", text.region, name);
    struct paper p = {.job = job, .name = title, .region = text.region, .period = text.period,
                      .topics = topics, .analysis = &text};
    bool ok = paper_write(&p, err);
    *title_out = title;
    analysis_text_finish(&text);
    analysis_destroy(a);
    return ok;
}

/* Makes one report of the scenes and appends it to the index. The caller
 * holds the folder's lock (dirfd). */
static bool make_report(struct app *app, const struct report_opts *o, struct scene **scenes,
                        size_t n, int dirfd, const char *name, bool scheduled, struct err *err)
{
    const char *dir = o->dir;
    int64_t now = o->now ? o->now : (int64_t)time(NULL);
    char when[32], id[48];
    fmt_time(when, sizeof when, now, "%Y-%m-%d %H:%M");
    struct table *index = load_index(app->catalog, dir, err);
    if (!index)
        return false;
    bool reserved = reserve_id(dirfd, index, now, id, sizeof id);
    table_unref(index);
    if (!reserved)
        return err_set(err, "%s: no free report id for this second", dir);
    char *file = xasprintf("%s.pdf", id), *path = xasprintf("%s/%s", dir, file);
    struct export_job job = {.path = path, .scenes = scenes, .nscenes = n, .store = app->store,
                             .theme = o->theme, .now = now, .watermark = "内部资料",
                             .red_up = true, .catalog = app->catalog};
    char list[512] = ""; /* the scenes' titles: the cover's 包含专题 and the index's */
    for (size_t i = 0; i < n; i++) {
        char title[SCENE_MAX_STRING + 64], sub[SCENE_MAX_STRING + 64];
        compose_scene_texts(title, sub, sizeof title, scenes[i], app->store);
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? "、" : "", title);
    }
    char *title = NULL;
    bool ok = write_paper(app, &job, name, list, &title, err);
    if (!ok)
        unlinkat(dirfd, file, 0); /* the empty file that reserved the id */
    struct table *t = ok ? load_index(app->catalog, dir, err) : NULL;
    if (t) {
        size_t r = table_add_row(t);
        const char *vals[] = {id, title, when, list, file, scheduled ? "定时" : "手动", "未发布", NULL};
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
    free(title);
    free(file);
    free(path);
    return ok;
}

/* Sets parameter `name` to `value` among app's --param values; false when
 * they are full. */
static bool set_param(struct app *app, const char *name, const char *value)
{
    for (size_t i = 0; i < app->nparams; i++)
        if (strcmp(app->params[i].name, name) == 0)
            return (app->params[i].value = (char *)value), true;
    if (app->nparams == ARRAY_LEN(app->params))
        return false;
    app->params[app->nparams++] = (struct scene_param){(char *)name, (char *)value};
    return true;
}

/* One report of o's scenes for the region `code` (named `rname`): the
 * scenes loaded again with o->each set to it, so titles, data and
 * highlights are the region's. */
static bool region_report(struct app *app, const struct report_opts *o, int dirfd,
                          const char *code, const char *rname, bool scheduled, struct err *err)
{
    struct scene_param saved[ARRAY_LEN(app->params)];
    size_t nsaved = app->nparams;
    memcpy(saved, app->params, sizeof saved);
    if (!set_param(app, o->each, code))
        return err_set(err, "report --each %s: too many parameters", o->each);
    struct scene **scenes = xcalloc(o->nscenes, sizeof *scenes);
    bool ok = true;
    for (size_t i = 0; ok && i < o->nscenes; i++)
        ok = (scenes[i] = app_load_scene(app, o->scene_args[i], err)) != NULL;
    ok = ok && app_check_params(app, scenes, o->nscenes, err);
    char *name = xasprintf("%s%s", rname, o->name);
    ok = ok && make_report(app, o, scenes, o->nscenes, dirfd, name, scheduled, err);
    free(name);
    for (size_t i = 0; i < o->nscenes; i++)
        scene_destroy(scenes[i]);
    free(scenes);
    memcpy(app->params, saved, sizeof saved);
    app->nparams = nsaved;
    return ok;
}

/* report --each PARAM: a report per region of the regions table, in its
 * order (the city, then its counties). */
static bool each_region(struct app *app, const struct report_opts *o, int dirfd, bool scheduled,
                        struct err *err)
{
    struct table *regions = store_get(app->store, "regions");
    int cc = regions ? table_col(regions, "code") : -1;
    int nc = regions ? table_col(regions, "name") : -1;
    bool ok = cc >= 0 && nc >= 0;
    if (!ok)
        err_set(err, "report --each %s: no regions table with code and name", o->each);
    for (size_t r = 0; ok && regions && r < regions->nrows; r++) {
        const char *code = table_text(regions, r, (size_t)cc);
        const char *name = table_text(regions, r, (size_t)nc);
        if (code && name)
            ok = region_report(app, o, dirfd, code, name, scheduled, err);
    }
    table_unref(regions);
    return ok;
}

/* Drops reports older than keep_days: their files and their index rows.
 * A row's file is deleted only when it is a bare name, relative to the
 * folder (dirfd): reports.csv is data, not a list of paths to trust. */
static void prune(struct app *app, const char *dir, int dirfd, int keep_days)
{
    struct err err;
    struct table *t = load_index(app->catalog, dir, &err);
    if (!t || keep_days <= 0 || keep_days > 365000) { /* beyond 1000 years: keep all */
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
            if (f && file_name_safe(f)) {
                if (unlinkat(dirfd, f, 0) != 0 && errno != ENOENT)
                    LOG(WARN, "%s/%s: %s", dir, f, strerror(errno));
            } else if (f) {
                LOG(WARN, "%s/reports.csv: file \"%s\" is no bare file name: row dropped, "
                          "nothing deleted", dir, f);
            }
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
    int cp = table_col(t, "published"), cl = table_col(t, "link");
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
        long row = find_id(t, id);
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

/* The report folder, open and locked: one `lotuswall report` at a time
 * changes the index (flock, released by close). -1 + message on failure. */
static int lock_dir(const char *dir)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "lotuswall: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        fprintf(stderr, "lotuswall: %s: %s\n", dir, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

int app_report(struct app *app, const struct report_opts *o)
{
    struct err err;
    int dirfd = lock_dir(o->dir);
    if (dirfd < 0)
        return 1;
    if (o->verb) {
        int rc = manage(app, o->verb, o->id, o->link, o->dir);
        close(dirfd);
        return rc;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    int rc = 0;
    for (;;) {
        int64_t start = (int64_t)time(NULL);
        bool made = o->each ? each_region(app, o, dirfd, o->every_s > 0, &err)
                            : make_report(app, o, o->scenes, o->nscenes, dirfd, o->name,
                                          o->every_s > 0, &err);
        if (!made) {
            fprintf(stderr, "lotuswall: %s\n", err.msg);
            rc = 1;
        }
        prune(app, o->dir, dirfd, o->keep_days);
        if (o->every_s <= 0 || rc)
            break;
        flock(dirfd, LOCK_UN); /* others may report or publish while this one waits */
        /* 64-bit: --every 25000d is 2.16e9 s, more than an int holds */
        int64_t next = o->every_s > INT64_MAX - start ? INT64_MAX : start + o->every_s;
        while (!quit && (int64_t)time(NULL) < next)
            sleep(1);
        if (quit || flock(dirfd, LOCK_EX) != 0)
            break;
    }
    close(dirfd);
    return rc;
}
