/* `lotuswall screenshot`: a screenshot of a running wall, through its status
 * file and SIGUSR1. */
#include "app/cli.h"
#include "util/util.h"
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool copy_file(const char *from, const char *to, struct err *err)
{
    size_t n;
    char *buf = read_file(from, &n);
    if (!buf)
        return err_set(err, "%s: %s", from, strerror(errno));
    FILE *f = fopen(to, "wb");
    bool ok = f && fwrite(buf, 1, n, f) == n;
    ok = (f && fclose(f) == 0) && ok;
    free(buf);
    return ok ? true : err_set(err, "%s: %s", to, strerror(errno));
}

/* `lotuswall screenshot [--status FILE] [--out FILE]`: a screenshot of what
 * a running wall shows. Its --status file names its pid; SIGUSR1 makes it
 * save one per output under its out/, and the status file then lists them
 * (screenshot_seq moves). Prints the paths; --out copies a single one. */
int cmd_screenshot(struct opts *o, int argc, char **argv)
{
    if (argc != 0) {
        fprintf(stderr, "usage: lotuswall screenshot [--status FILE] [--out FILE.png]\n");
        return 2;
    }
    const char *status = o->wall.status_path ? o->wall.status_path : "/run/lotuswall/status.json";
    json_error_t je;
    json_t *st = json_load_file(status, 0, &je);
    json_int_t pid = json_integer_value(json_object_get(st, "pid"));
    json_int_t seq = json_integer_value(json_object_get(st, "screenshot_seq"));
    json_decref(st);
    if (pid <= 0 || kill((pid_t)pid, 0) != 0) {
        fprintf(stderr, "lotuswall: %s: no running wall there (%s)\n", status,
                pid <= 0 ? je.text : strerror(errno));
        return 1;
    }
    kill((pid_t)pid, SIGUSR1);
    for (int i = 0; i < 50; i++) { /* the status file is rewritten once a second */
        usleep(100000);
        if (!(st = json_load_file(status, 0, &je)))
            continue;
        json_t *shots = json_object_get(st, "screenshots");
        if (json_integer_value(json_object_get(st, "screenshot_seq")) != seq &&
            json_array_size(shots) > 0) {
            int rc = 0;
            size_t k;
            json_t *v;
            if (o->out && json_array_size(shots) != 1) {
                fprintf(stderr, "lotuswall: --out: the wall has %zu outputs; their screenshots:\n",
                        json_array_size(shots));
                rc = 1;
            } else if (o->out) {
                struct err err;
                rc = copy_file(json_string_value(json_array_get(shots, 0)), o->out, &err) ? 0 : 1;
                if (rc)
                    fprintf(stderr, "lotuswall: %s\n", err.msg);
            }
            json_array_foreach(shots, k, v)
                printf("%s\n", rc == 0 && o->out ? o->out : json_string_value(v));
            json_decref(st);
            return rc;
        }
        json_decref(st);
    }
    fprintf(stderr, "lotuswall: the wall (pid %lld) took no screenshot within 5 s\n", (long long)pid);
    return 1;
}
