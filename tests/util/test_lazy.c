/* util/lazy.h: SDL2, libpq, libcurl, libmicrohttpd and libsystemd are not
 * linked; each opens on the
 * first call of one of its functions, and a library that cannot be opened
 * ends the program with a message naming it and what needs it. */
#include "common.h"
#include "util/lazy.h"
#include "util/util.h"
#include <SDL.h>
#include <curl/curl.h>
#include <libpq-fe.h>
#include <microhttpd.h>
#include <systemd/sd-daemon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const sonames[] = {"libSDL2-2.0.so.0", "libcurl.so.4", "libpq.so.5",
                                      "libmicrohttpd.so.12", "libsystemd.so.0"};

/* Before any call none is in the process (nothing links them), and each call
 * opens its own library and none of the others. (libsystemd comes first:
 * SDL2's and libcurl's own dependencies load it.) */
static void test_opened_on_first_call(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(sonames); i++)
        assert_false(lazy_lib_loaded(sonames[i]));
    unsetenv("NOTIFY_SOCKET");
    assert_int_equal(sd_notifyf(0, "STATUS=%s %d", "test", 1), 0); /* no socket: nothing sent */
    assert_true(lazy_lib_loaded("libsystemd.so.0"));
    for (size_t i = 0; i < 4; i++)
        assert_false(lazy_lib_loaded(sonames[i]));
    assert_int_equal(MHD_is_feature_supported(MHD_FEATURE_MESSAGES), MHD_YES);
    assert_true(lazy_lib_loaded("libmicrohttpd.so.12"));
    for (size_t i = 0; i < 3; i++)
        assert_false(lazy_lib_loaded(sonames[i]));
    assert_string_equal(PQresStatus(PGRES_COMMAND_OK), "PGRES_COMMAND_OK");
    assert_true(lazy_lib_loaded("libpq.so.5"));
    assert_false(lazy_lib_loaded("libSDL2-2.0.so.0"));
    assert_false(lazy_lib_loaded("libcurl.so.4"));
    assert_string_equal(curl_easy_strerror(CURLE_OK), "No error");
    assert_true(lazy_lib_loaded("libcurl.so.4"));
    assert_false(lazy_lib_loaded("libSDL2-2.0.so.0"));
    SDL_Delay(0);
    assert_true(lazy_lib_loaded("libSDL2-2.0.so.0"));
}

/* The variadic curl_easy_setopt passes each kind of value through: a long,
 * a pointer and a function, read back by curl itself. */
static size_t sink(char *p, size_t size, size_t n, void *user)
{
    return size * n;
}

static void test_curl_variadic(void **state)
{
    CURL *c = curl_easy_init();
    assert_non_null(c);
    char *url = NULL;
    assert_int_equal(curl_easy_setopt(c, CURLOPT_URL, "http://127.0.0.1:9/x"), CURLE_OK);
    assert_int_equal(curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 500L), CURLE_OK);
    assert_int_equal(curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink), CURLE_OK);
    assert_int_equal(curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)1 << 40), CURLE_OK);
    assert_int_equal(curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &url), CURLE_OK);
    assert_string_equal(url, "http://127.0.0.1:9/x");
    curl_easy_cleanup(c);
}

/* A library that is not there: exit status 1 and one located line. */
static void test_missing_library(void **state)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        struct lazy_lib lib = {"libnothere.so.7", "a test", NULL};
        lazy_lib_open(&lib);
        _exit(0);
    }
    close(fds[1]);
    char buf[512] = {0};
    size_t got = 0;
    ssize_t r;
    while (got < sizeof buf - 1 && (r = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0)
        got += (size_t)r;
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_non_null(strstr(buf, "libnothere.so.7 (for a test) cannot be loaded: libnothere.so.7: "
                                "cannot open shared object file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opened_on_first_call),
        cmocka_unit_test(test_curl_variadic),
        cmocka_unit_test(test_missing_library),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
