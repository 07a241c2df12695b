/* Displays coming and going and changing modes, on X11. SDL 2.26 reports a
 * display only when its cable is plugged or pulled, not a new mode or an
 * output switched off, and the kiosk's X session has no window manager to
 * resize a full-screen window; so a wall whose mode changes would show a
 * corner of its picture. A thread of its own watches XRandR (on its own
 * connection) and calls back on every change; display_watch_rect then gives
 * each display's rectangle as it is now, in SDL's order. */
#ifndef LW_DISPLAYS_H
#define LW_DISPLAYS_H
#include <stdbool.h>

struct display_watch;

/* NULL when there is no X display or no RandR (e.g. under Wayland, where
 * the compositor resizes full-screen windows itself). changed runs on the
 * watch's thread. */
struct display_watch *display_watch_start(void (*changed)(void *arg), void *arg);
void display_watch_stop(struct display_watch *w); /* NULL is a no-op */
/* Display `index` as SDL numbers them (the primary output first, then the
 * others in RandR's order): its rectangle on the X screen now, or false
 * when there is no such display now (switched off, unplugged). */
bool display_watch_rect(struct display_watch *w, int index, int rect[4]);

#endif
