/* libcurl, opened on the first call (lazy.h): only deliveries and the
 * exchange push need it. */
#include "util/lazy.h"
#include <curl/curl.h>
#include <stdarg.h>

#define FUNCTIONS(F, V, P)                                                                         \
    V(curl_easy_cleanup, (CURL * c), (c))                                                          \
    F(char *, curl_easy_escape, (CURL * c, const char *s, int n), (c, s, n))                       \
    F(CURL *, curl_easy_init, (void), ())                                                          \
    F(CURLcode, curl_easy_perform, (CURL * c), (c))                                                \
    F(const char *, curl_easy_strerror, (CURLcode rc), (rc))                                       \
    V(curl_free, (void *p), (p))                                                                   \
    V(curl_global_cleanup, (void), ())                                                             \
    F(CURLcode, curl_global_init, (long flags), (flags))                                           \
    F(struct curl_slist *, curl_slist_append, (struct curl_slist * l, const char *s), (l, s))      \
    V(curl_slist_free_all, (struct curl_slist * l), (l))                                           \
    P(CURLcode, curl_easy_setopt, (CURL *, CURLoption, ...))                                       \
    P(CURLcode, curl_easy_getinfo, (CURL *, CURLINFO, ...))

LAZY_DEFINE(FUNCTIONS, "libcurl.so.4", "deliveries (deliver)")

/* The option's number says the type of its value (curl.h, CURLOPTTYPE_*). */
CURLcode(curl_easy_setopt)(CURL *c, CURLoption option, ...)
{
    pthread_once(&once, resolve);
    va_list ap;
    va_start(ap, option);
    CURLcode rc;
    if (option < CURLOPTTYPE_OBJECTPOINT)
        rc = (fns.curl_easy_setopt)(c, option, va_arg(ap, long));
    else if (option < CURLOPTTYPE_FUNCTIONPOINT)
        rc = (fns.curl_easy_setopt)(c, option, va_arg(ap, void *));
    else if (option < CURLOPTTYPE_OFF_T)
        rc = (fns.curl_easy_setopt)(c, option, va_arg(ap, void (*)(void)));
    else if (option < CURLOPTTYPE_BLOB)
        rc = (fns.curl_easy_setopt)(c, option, va_arg(ap, curl_off_t));
    else
        rc = (fns.curl_easy_setopt)(c, option, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

/* Every CURLINFO's value is a pointer to where the answer goes. */
CURLcode(curl_easy_getinfo)(CURL *c, CURLINFO info, ...)
{
    pthread_once(&once, resolve);
    va_list ap;
    va_start(ap, info);
    CURLcode rc = (fns.curl_easy_getinfo)(c, info, va_arg(ap, void *));
    va_end(ap);
    return rc;
}
