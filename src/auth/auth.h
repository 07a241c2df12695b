/* Accounts of the console: who may look, steer, act on warnings or manage
 * accounts. (Placeholder of the lead until the auth branch lands: the
 * interface agreed with it.) */
#ifndef LW_AUTH_H
#define LW_AUTH_H
#include "util/err.h"
#include <stdbool.h>

enum auth_role { AUTH_VIEWER, AUTH_PRESENTER, AUTH_OPERATOR, AUTH_ADMIN };

struct auth_account {
    char name[64];
    enum auth_role role;
    bool disabled;
    char operator_name[64];
};

struct auth;
struct auth *auth_open(const char *users_file, const char *conninfo, struct err *err);
void auth_close(struct auth *a);
bool auth_verify(struct auth *a, const char *name, const char *password,
                 struct auth_account *out, struct err *err);
bool auth_lookup(struct auth *a, const char *name, struct auth_account *out, struct err *err);
const char *auth_role_name(enum auth_role r);
bool auth_role_parse(const char *s, enum auth_role *r);

struct audit_entry { const char *who, *addr, *what, *target, *result; };
struct audit;
struct audit *audit_open(const char *file, const char *conninfo, struct err *err);
bool audit_write(struct audit *au, const struct audit_entry *e, struct err *err);
void audit_close(struct audit *au);

#endif
