/* Opening the libraries that are not linked (lazy.h). */
#include "util/lazy.h"
#include "util/util.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

void lazy_lib_open(struct lazy_lib *lib)
{
    lib->handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
    if (!lib->handle) {
        LOG(ERROR, "%s (for %s) cannot be loaded: %s", lib->soname, lib->what, dlerror());
        exit(EXIT_FAILURE);
    }
}

lazy_fn lazy_lib_sym(const struct lazy_lib *lib, const char *name)
{
    void *p = dlsym(lib->handle, name);
    if (!p) {
        LOG(ERROR, "%s (for %s) has no %s: %s", lib->soname, lib->what, name, dlerror());
        exit(EXIT_FAILURE);
    }
    lazy_fn fn;
    memcpy(&fn, &p, sizeof fn); /* POSIX: a function's address fits a void * */
    return fn;
}

bool lazy_lib_loaded(const char *soname)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_NOLOAD);
    if (h)
        dlclose(h);
    return h != NULL;
}
