/* `lotuswall bench`: what exports and tween frames cost on this machine,
 * as the Markdown table docs/performance.md is made from. Each figure comes
 * from a child process — this program again, run as a user would run it —
 * so it counts process start, fontconfig and the data loaded, and its peak
 * RSS is the child's own (wait4's rusage). The -v log of an export gives the
 * drawing/encoding split; the fast-forward run of the wall (SDL's dummy video
 * driver) gives frame costs. */
#include "app/cli.h"
#include "util/pool.h"
#include "util/util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define BENCH_NOW "2024-11-15T09:30:00"
#define MAX_RUNS 7

/* One child run: wall time, peak RSS and what its output said. */
struct child {
    double ms;
    long rss_kb;
    char out[8192]; /* stdout and stderr, cut */
};

/* Runs this program with args (NULL-terminated, without argv[0]) and
 * SDL's dummy video driver; false when it did not exit 0. */
static bool run_child(const char *const *args, struct child *c)
{
    char log[] = "/tmp/lotuswall-bench-XXXXXX";
    int fd = mkstemp(log);
    if (fd < 0)
        return false;
    unlink(log);
    const char *argv[32] = {"lotuswall"};
    size_t n = 1;
    for (; args[n - 1] && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd, 1), dup2(fd, 2);
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        execv("/proc/self/exe", (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru = {0};
    bool ok = pid > 0 && wait4(pid, &status, 0, &ru) == pid && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0;
    c->ms = now_ms() - t0;
    c->rss_kb = ru.ru_maxrss;
    ssize_t got = pread(fd, c->out, sizeof c->out - 1, 0);
    c->out[got > 0 ? got : 0] = '\0';
    close(fd);
    return ok;
}

/* The number after `key` in text, or -1. */
static double after(const char *text, const char *key)
{
    const char *at = strstr(text, key);
    return at ? strtod(at + strlen(key), NULL) : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n ? v[n / 2] : -1;
}

struct bench {
    int runs;          /* per export */
    unsigned threads;  /* the default pool size */
    char dir[64];      /* a private folder for the exports */
    int frames;        /* per fast-forward */
};

static void fmt_ms(char *buf, size_t len, double ms)
{
    if (ms < 0)
        snprintf(buf, len, "—");
    else
        snprintf(buf, len, "%.1f", ms);
}

/* One export row: whole process (median of b->runs), -v's split, peak RSS. */
static void bench_export(const struct bench *b, const char *what, const char *size,
                         const char *ext, unsigned threads, const char *const *scenes)
{
    char out[128], th[16];
    snprintf(out, sizeof out, "%s/x.%s", b->dir, ext);
    snprintf(th, sizeof th, "%u", threads);
    const char *args[32] = {"export", "-v", "--now", BENCH_NOW, "--threads", th, "--size", size,
                            "--out", out};
    size_t n = 10;
    for (size_t i = 0; scenes[i] && n < 31; i++)
        args[n++] = scenes[i];
    args[n] = NULL;
    double whole[MAX_RUNS], draw[MAX_RUNS], enc[MAX_RUNS];
    long rss = 0;
    int k = 0;
    struct child c;
    for (; k < b->runs; k++) {
        if (!run_child(args, &c)) {
            printf("| %s | %s | %u | failed: %.200s | | | |\n", what, size, threads, c.out);
            return;
        }
        whole[k] = c.ms;
        draw[k] = after(c.out, "drawn in ");
        enc[k] = after(c.out, "PNG encoded in ");
        rss = c.rss_kb > rss ? c.rss_kb : rss;
    }
    char w[32], d[32], e[32];
    fmt_ms(w, sizeof w, median(whole, (size_t)k));
    fmt_ms(d, sizeof d, median(draw, (size_t)k));
    fmt_ms(e, sizeof e, median(enc, (size_t)k));
    printf("| %s | %s | %u | **%s** | %s | %s | %ld |\n", what, size, threads, w, d, e,
           rss / 1024);
    fflush(stdout);
}

static void bench_exports(const struct bench *b, bool quick)
{
    static const char *const situation[] = {"situation", NULL};
    static const char *const ten[] = {"situation", "gdp", "industry", "demand", "sectors",
                                      "enterprise", "projects", "economy", "help-map",
                                      "warnings", NULL};
    static const char *const sizes[] = {"1920x1080", "3840x2160", "7680x2160"};
    printf("\n### Exports (whole process: median of %d runs)\n\n", b->runs);
    printf("| what | size | threads | ms | drawn (ms) | PNG encoded (ms) | peak RSS (MB) |\n"
           "|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < (quick ? 1 : ARRAY_LEN(sizes)); i++) {
        bench_export(b, "situation → PNG", sizes[i], "png", 1, situation);
        if (b->threads > 1)
            bench_export(b, "situation → PNG", sizes[i], "png", b->threads, situation);
    }
    bench_export(b, quick ? "situation → PDF" : "ten scenes → one PDF", "1920x1080", "pdf",
                 b->threads, quick ? situation : ten);
    bench_export(b, "situation → SVG", "1920x1080", "svg", b->threads, situation);
}

/* One scene on the wall, tweening, without a display: frame costs. */
static void bench_frames(const struct bench *b, const char *scene, const char *size,
                         unsigned threads)
{
    char frames[16], th[16];
    snprintf(frames, sizeof frames, "%d", b->frames);
    snprintf(th, sizeof th, "%u", threads);
    const char *args[] = {"run", "--windowed", size, "--fast-forward", frames, "--threads", th,
                          "--now", BENCH_NOW, scene, NULL};
    struct child c;
    if (!run_child(args, &c)) {
        printf("| %s | %s | %u | failed: %.200s | | | | | |\n", scene, size, threads, c.out);
        return;
    }
    char m[32], med[32], p99[32];
    fmt_ms(m, sizeof m, after(c.out, " mean "));
    fmt_ms(med, sizeof med, after(c.out, "median "));
    fmt_ms(p99, sizeof p99, after(c.out, "p99 "));
    const char *pct = strstr(c.out, "budget (");
    printf("| %s | %s | %u | **%s** | %s | %s | %.1f | %ld | %.0f |\n", scene, size, threads, m,
           med, p99, pct ? strtod(pct + 8, NULL) : -1.0, c.rss_kb / 1024, after(c.out, "check: "));
    fflush(stdout);
}

static void bench_walls(const struct bench *b, bool quick)
{
    static const char *const scenes[] = {"situation", "gdp", "industry", "demand", "sectors",
                                         "enterprise", "projects", "economy", "help-map",
                                         "warnings"};
    printf("\n### Tween frames on the wall (`run --fast-forward %d`: the clock a second a frame, "
           "new data every 10 frames)\n\n", b->frames);
    printf("| scene | size | threads | frame mean (ms) | median | p99 | tween frames waiting "
           "(%%) | peak RSS (MB) | pixels off a fresh picture |\n"
           "|---|---|---|---|---|---|---|---|---|\n");
    if (quick) {
        bench_frames(b, "situation", "1280x720", b->threads);
        return;
    }
    for (size_t i = 0; i < ARRAY_LEN(scenes); i++) {
        bench_frames(b, scenes[i], "3840x2160", b->threads);
        bench_frames(b, scenes[i], "7680x4320", b->threads);
    }
    bench_frames(b, "situation", "11520x3240", b->threads);
    if (b->threads > 1) {
        bench_frames(b, "situation", "7680x4320", 1);
        bench_frames(b, "situation", "11520x3240", 1);
    }
}

int cmd_bench(struct opts *o, int argc, char **argv)
{
    if (argc > 0) {
        fprintf(stderr, "lotuswall bench: expected no arguments\n");
        return 2;
    }
    struct bench b = {.runs = o->quick ? 1 : MAX_RUNS, .frames = o->quick ? 20 : 300};
    b.threads = o->threads > 0 ? (unsigned)o->threads : pool_default_size();
    snprintf(b.dir, sizeof b.dir, "/tmp/lotuswall-bench-XXXXXX");
    if (!mkdtemp(b.dir)) {
        fprintf(stderr, "lotuswall bench: a temporary folder: %s\n", strerror(errno));
        return 1;
    }
    printf("`lotuswall bench%s`: %u CPUs usable by this process (%ld online), default threads %u\n",
           o->quick ? " --quick" : "", pool_default_size(), sysconf(_SC_NPROCESSORS_ONLN),
           b.threads);
    bench_exports(&b, o->quick);
    bench_walls(&b, o->quick);
    static const char *const files[] = {"x.png", "x.pdf", "x.svg"};
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", b.dir, files[i]);
        unlink(path);
    }
    rmdir(b.dir);
    return 0;
}
