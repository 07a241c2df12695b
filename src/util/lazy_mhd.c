/* libmicrohttpd, opened on the first call (lazy.h): only the status and
 * metrics endpoint and the console serve HTTP. It brings GnuTLS and its
 * dependencies with it. */
#include "util/lazy.h"
#include <microhttpd.h>
#include <stdarg.h>

#define FUNCTIONS(F, V, P)                                                                         \
    F(enum MHD_Result, MHD_add_response_header,                                                    \
      (struct MHD_Response * r, const char *header, const char *content), (r, header, content))    \
    F(struct MHD_Response *, MHD_create_response_from_buffer,                                      \
      (size_t size, void *buffer, enum MHD_ResponseMemoryMode mode), (size, buffer, mode))         \
    V(MHD_destroy_response, (struct MHD_Response * r), (r))                                        \
    F(enum MHD_Result, MHD_is_feature_supported, (enum MHD_FEATURE f), (f))                        \
    F(const char *, MHD_lookup_connection_value,                                                   \
      (struct MHD_Connection * c, enum MHD_ValueKind kind, const char *key), (c, kind, key))       \
    F(enum MHD_Result, MHD_queue_response,                                                         \
      (struct MHD_Connection * c, unsigned int status, struct MHD_Response *r), (c, status, r))    \
    V(MHD_stop_daemon, (struct MHD_Daemon * d), (d))                                               \
    P(struct MHD_Daemon *, MHD_start_daemon_va,                                                    \
      (unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *, MHD_AccessHandlerCallback,        \
       void *, va_list))                                                                           \
    P(const union MHD_ConnectionInfo *, MHD_get_connection_info,                                   \
      (struct MHD_Connection *, enum MHD_ConnectionInfoType, ...))

LAZY_DEFINE(FUNCTIONS, "libmicrohttpd.so.12", "HTTP (the status endpoint, the console)")

/* The options, a list ended by MHD_OPTION_END, go on as they came. */
struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port,
                                    MHD_AcceptPolicyCallback apc, void *apc_cls,
                                    MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    pthread_once(&once, resolve);
    va_list ap;
    va_start(ap, dh_cls);
    struct MHD_Daemon *d = fns.MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return d;
}

/* No information type lotuswall asks for takes an argument. */
const union MHD_ConnectionInfo *MHD_get_connection_info(struct MHD_Connection *c,
                                                        enum MHD_ConnectionInfoType type, ...)
{
    pthread_once(&once, resolve);
    return fns.MHD_get_connection_info(c, type);
}
