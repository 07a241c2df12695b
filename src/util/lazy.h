/* Libraries that only some commands need, opened on their first call.
 *
 * SDL2 (a screen), libpq (--db), libcurl (deliveries), libmicrohttpd (the
 * status endpoint, the console) and libsystemd (readiness, the watchdog)
 * bring 61 more shared objects with them; binding them all at start-up cost
 * about 25 ms of every run (`--version` 31 → 8 ms without them), more than
 * parsing the catalog and the demo data together. `lotuswall export` and
 * `check` never touch them, so they are not linked: each has a file
 * (lazy_sdl.c, lazy_pq.c, lazy_curl.c, lazy_mhd.c, lazy_sd.c) that defines the
 * functions lotuswall calls, with the library's own prototypes from its
 * header, and opens the library and resolves every one of them on the first
 * call (pthread_once: any thread may be first). A library that is missing
 * ends the program with a message naming it and what needs it. */
#ifndef LW_LAZY_H
#define LW_LAZY_H
#include <pthread.h>
#include <stdbool.h>

typedef void (*lazy_fn)(void);

struct lazy_lib {
    const char *soname; /* "libpq.so.5" */
    const char *what;   /* what needs it: "a database (--db)" */
    void *handle;       /* after lazy_lib_open */
};

/* Opens the library (RTLD_NOW | RTLD_LOCAL) or exits with a message. */
void lazy_lib_open(struct lazy_lib *lib);
/* A function of an opened library, or exits with a message. */
lazy_fn lazy_lib_sym(const struct lazy_lib *lib, const char *name);
/* Whether the library has been opened by this process (for the tests). */
bool lazy_lib_loaded(const char *soname);

/* One library's file lists its functions as
 *     #define FUNCTIONS(F, V, P) F(ret, name, (params), (args)) V(name, (params), (args)) ...
 * (V for those returning void; P(ret, name, (params)) for a variadic one,
 * which gets a pointer `fns.name` and a wrapper written by hand) and then
 * says LAZY_DEFINE(FUNCTIONS, soname, what). */
#define LAZY_MEMBER_(ret, name, params, args) ret(*name) params;
#define LAZY_MEMBER_V_(name, params, args) void(*name) params;
#define LAZY_MEMBER_P_(ret, name, params) ret(*name) params;
#define LAZY_RESOLVE_(ret, name, params, args) fns.name = (ret(*) params)lazy_lib_sym(&lib, #name);
#define LAZY_RESOLVE_V_(name, params, args) fns.name = (void(*) params)lazy_lib_sym(&lib, #name);
#define LAZY_RESOLVE_P_(ret, name, params) fns.name = (ret(*) params)lazy_lib_sym(&lib, #name);
#define LAZY_NONE_(ret, name, params)
#define LAZY_CALL_(ret, name, params, args)                                                        \
    ret name params                                                                                \
    {                                                                                              \
        pthread_once(&once, resolve);                                                              \
        return fns.name args;                                                                      \
    }
#define LAZY_CALL_V_(name, params, args)                                                           \
    void name params                                                                               \
    {                                                                                              \
        pthread_once(&once, resolve);                                                              \
        fns.name args;                                                                             \
    }
#define LAZY_DEFINE(FUNCTIONS, soname, what)                                                       \
    static struct lazy_lib lib = {soname, what, 0};                                                \
    static struct {                                                                                \
        FUNCTIONS(LAZY_MEMBER_, LAZY_MEMBER_V_, LAZY_MEMBER_P_)                                                    \
    } fns;                                                                                         \
    static pthread_once_t once = PTHREAD_ONCE_INIT;                                                \
    static void resolve(void)                                                                      \
    {                                                                                              \
        lazy_lib_open(&lib);                                                                       \
        FUNCTIONS(LAZY_RESOLVE_, LAZY_RESOLVE_V_, LAZY_RESOLVE_P_)                                                  \
    }                                                                                              \
    FUNCTIONS(LAZY_CALL_, LAZY_CALL_V_, LAZY_NONE_)

#endif
