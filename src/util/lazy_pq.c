/* libpq, opened on the first call (lazy.h): only `--db` and the commands
 * of a database need it. */
#include "util/lazy.h"
#include <libpq-fe.h>

#define FUNCTIONS(F, V, P)                                                                          \
    F(int, PQbackendPID, (const PGconn *c), (c))                                                   \
    V(PQclear, (PGresult *r), (r))                                                                 \
    F(char *, PQcmdTuples, (PGresult *r), (r))                                                     \
    F(PGconn *, PQconnectdbParams, (const char *const *k, const char *const *v, int e), (k, v, e)) \
    F(int, PQconsumeInput, (PGconn *c), (c))                                                       \
    F(char *, PQerrorMessage, (const PGconn *c), (c))                                              \
    F(PGresult *, PQexec, (PGconn *c, const char *q), (c, q))                                      \
    F(PGresult *, PQexecParams,                                                                    \
      (PGconn *c, const char *q, int n, const Oid *types, const char *const *values,               \
       const int *lengths, const int *formats, int result_format),                                 \
      (c, q, n, types, values, lengths, formats, result_format))                                   \
    V(PQfinish, (PGconn *c), (c))                                                                  \
    F(char *, PQfname, (const PGresult *r, int f), (r, f))                                         \
    F(int, PQfnumber, (const PGresult *r, const char *name), (r, name))                            \
    V(PQfreemem, (void *p), (p))                                                                   \
    F(PGresult *, PQgetResult, (PGconn *c), (c))                                                   \
    F(int, PQgetisnull, (const PGresult *r, int t, int f), (r, t, f))                              \
    F(char *, PQgetvalue, (const PGresult *r, int t, int f), (r, t, f))                            \
    F(int, PQnfields, (const PGresult *r), (r))                                                    \
    F(PGnotify *, PQnotifies, (PGconn *c), (c))                                                    \
    F(int, PQntuples, (const PGresult *r), (r))                                                    \
    F(int, PQputCopyData, (PGconn *c, const char *b, int n), (c, b, n))                            \
    F(int, PQputCopyEnd, (PGconn *c, const char *e), (c, e))                                       \
    F(char *, PQresStatus, (ExecStatusType s), (s))                                                \
    V(PQreset, (PGconn *c), (c))                                                                   \
    F(char *, PQresultErrorField, (const PGresult *r, int code), (r, code))                        \
    F(char *, PQresultErrorMessage, (const PGresult *r), (r))                                      \
    F(ExecStatusType, PQresultStatus, (const PGresult *r), (r))                                    \
    F(int, PQsetnonblocking, (PGconn *c, int arg), (c, arg))                                       \
    F(int, PQsocket, (const PGconn *c), (c))                                                       \
    F(ConnStatusType, PQstatus, (const PGconn *c), (c))

LAZY_DEFINE(FUNCTIONS, "libpq.so.5", "a database (--db)")
