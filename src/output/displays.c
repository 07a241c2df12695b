#include "output/displays.h"
#include "util/util.h"
#include <X11/Xlib.h>
#include <X11/extensions/Xrandr.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DISPLAYS 32

struct display_watch {
    Display *dpy;
    int rr_event, rr_error;
    int stop[2]; /* a pipe: closing the write end ends the thread */
    pthread_t thread;
    void (*changed)(void *arg);
    void *arg;
    pthread_mutex_t lock; /* guards rects, n */
    int rects[MAX_DISPLAYS][4];
    int n;
};

/* The active outputs, ordered as SDL orders its displays: the primary
 * first, then the rest in the screen resources' order. */
static void read_displays(struct display_watch *w)
{
    int rects[MAX_DISPLAYS][4], n = 0;
    Window root = DefaultRootWindow(w->dpy);
    XRRScreenResources *res = XRRGetScreenResourcesCurrent(w->dpy, root);
    RROutput primary = XRRGetOutputPrimary(w->dpy, root);
    for (int pass = 0; res && pass < 2; pass++) {
        for (int i = 0; i < res->noutput && n < MAX_DISPLAYS; i++) {
            if ((pass == 0) != (res->outputs[i] == primary))
                continue;
            XRROutputInfo *o = XRRGetOutputInfo(w->dpy, res, res->outputs[i]);
            XRRCrtcInfo *c = o && o->connection != RR_Disconnected && o->crtc
                                 ? XRRGetCrtcInfo(w->dpy, res, o->crtc)
                                 : NULL;
            if (c && c->width > 0 && c->height > 0) {
                rects[n][0] = c->x, rects[n][1] = c->y;
                rects[n][2] = (int)c->width, rects[n][3] = (int)c->height;
                n++;
            }
            if (c)
                XRRFreeCrtcInfo(c);
            if (o)
                XRRFreeOutputInfo(o);
        }
    }
    if (res)
        XRRFreeScreenResources(res);
    pthread_mutex_lock(&w->lock);
    memcpy(w->rects, rects, sizeof rects);
    w->n = n;
    pthread_mutex_unlock(&w->lock);
}

static void *watch_main(void *arg)
{
    struct display_watch *w = arg;
    for (;;) {
        struct pollfd fds[2] = {{.fd = ConnectionNumber(w->dpy), .events = POLLIN},
                                {.fd = w->stop[0], .events = POLLIN}};
        if (XPending(w->dpy) == 0 && poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        if (fds[1].revents)
            break;
        bool changed = false;
        while (XPending(w->dpy) > 0) {
            XEvent ev;
            XNextEvent(w->dpy, &ev);
            if (ev.type == w->rr_event + RRScreenChangeNotify || ev.type == w->rr_event + RRNotify) {
                XRRUpdateConfiguration(&ev);
                changed = true;
            }
        }
        if (changed) {
            read_displays(w);
            w->changed(w->arg);
        }
    }
    return NULL;
}

struct display_watch *display_watch_start(void (*changed)(void *arg), void *arg)
{
    const char *name = getenv("DISPLAY");
    if (!name || !*name)
        return NULL;
    struct display_watch *w = xcalloc(1, sizeof *w);
    w->changed = changed, w->arg = arg;
    if (!(w->dpy = XOpenDisplay(NULL)) || !XRRQueryExtension(w->dpy, &w->rr_event, &w->rr_error) ||
        pipe(w->stop) != 0) {
        if (w->dpy)
            XCloseDisplay(w->dpy);
        free(w);
        return NULL;
    }
    pthread_mutex_init(&w->lock, NULL);
    XRRSelectInput(w->dpy, DefaultRootWindow(w->dpy),
                   RRScreenChangeNotifyMask | RROutputChangeNotifyMask | RRCrtcChangeNotifyMask);
    read_displays(w);
    if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
        close(w->stop[0]);
        close(w->stop[1]);
        XCloseDisplay(w->dpy);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return NULL;
    }
    return w;
}

void display_watch_stop(struct display_watch *w)
{
    if (!w)
        return;
    close(w->stop[1]);
    pthread_join(w->thread, NULL);
    close(w->stop[0]);
    XCloseDisplay(w->dpy);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

bool display_watch_rect(struct display_watch *w, int index, int rect[4])
{
    pthread_mutex_lock(&w->lock);
    bool ok = index >= 0 && index < w->n;
    if (ok)
        memcpy(rect, w->rects[index], sizeof w->rects[index]);
    pthread_mutex_unlock(&w->lock);
    return ok;
}
