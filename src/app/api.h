/* The briefing room's console and JSON API under /api/v1/ (docs/api.md),
 * served by the wall's HTTP server (output/health.h) from its connection
 * threads. It authenticates (accounts: auth/auth.h; sessions, the control
 * lock and the login throttle: app/session.h), checks the role and the CSRF
 * token, writes the audit, and hands what changes the wall to the render
 * thread as an api_call: the same show-state events as the wall's own keys
 * and touches, no second path. */
#ifndef LW_API_H
#define LW_API_H
#include "app/app.h"
#include "auth/auth.h"
#include "output/health.h"
#include "scene/scene.h"
#include "scene/show.h"
#include <jansson.h>
#include <stdint.h>

enum api_op {
    API_STATE,      /* answer: the state (without the session's part) */
    API_SCENES,     /* answer: scenes, regions, periods */
    API_SHOW,       /* scene (or NULL: the current one) with params */
    API_KEY,        /* key: back, home, next, prev */
    API_PAUSE,      /* on: pause or resume the rotation */
    API_BLANK,      /* on: blank or show the screen */
    API_SCREEN,     /* a PNG of the canvas or one output, `width` pixels wide */
    /* the fleet's (app/fleet.h), not the console's: */
    API_BEAT,       /* answer: the state with the heartbeat's costs, data and last error */
    API_RELOAD,     /* read the scene and playlist files again (the r key) */
    API_RESTART,    /* end the wall (its service starts it again) */
};

struct api_call {
    enum api_op op;
    const char *scene;                  /* API_SHOW */
    const struct scene_param *params;
    size_t nparams;
    enum show_key key;                  /* API_KEY */
    bool on;                            /* API_PAUSE, API_BLANK */
    int width;                          /* API_SCREEN */
    const char *output;                 /* API_SCREEN: an output's name, or NULL */
    /* the render thread's answer */
    unsigned status;                    /* 200, or an HTTP error with `error` */
    char error[32], message[256];
    json_t *answer;                     /* API_STATE, API_SCENES, API_BEAT; a steer: the
                                           state it led to */
    void *image;                        /* API_SCREEN: a cairo image surface; the API
                                           encodes it on its own thread, then destroys it */
};

/* Runs the call on the render thread and returns when it is done (status
 * 503 when the render thread did not answer in time). */
typedef void (*api_exec_fn)(void *cls, struct api_call *c);

struct api_opts {
    struct app *app;                    /* the store (warnings), actions */
    struct auth *auth;                  /* the accounts; NULL: nobody can log in */
    struct audit *audit;                /* where logins, control and actions are recorded */
    api_exec_fn exec;
    void *exec_cls;
    int64_t session_idle_ms, control_idle_ms;
    int64_t (*clock)(void);             /* ms, any epoch; NULL: the monotonic clock */
};

struct api;
struct api *api_create(const struct api_opts *o);
void api_destroy(struct api *a);        /* NULL is a no-op; closes neither store */
struct auth *api_auth(const struct api *a);
struct audit *api_audit(const struct api *a);
/* The server's handler (http_handler): the console, /api/v1/, and "/". */
bool api_handle(void *api, const struct http_request *rq, struct http_response *rs);

/* Percent-decodes one path segment into out (UTF-8 as sent); false for a
 * bad escape, an encoded NUL, or an answer longer than len - 1. */
bool api_decode_segment(const char *s, size_t n, char *out, size_t len);

#endif
