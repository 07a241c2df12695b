/* touch_driver: `lotuswall` itself (main.c's main, renamed), plus a thread
 * that turns lines on stdin into SDL finger events for the wall's first
 * window, the way a touch screen's driver delivers them:
 *     finger X Y      a tap at (X, Y), 0–1 of the window (down, then up)
 *     drag X Y X2 Y2  a finger that moves while down (no tap)
 * Events pushed this way are not turned into mouse events by SDL (that
 * happens only for touches SDL receives from the window system), so a tap
 * that works here works through the wall's finger path alone. A test tool,
 * never installed. */
#include <SDL.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

int lotuswall_main(int argc, char **argv);

static Uint32 first_window(void)
{
    for (Uint32 id = 1; id < 64; id++)
        if (SDL_GetWindowFromID(id))
            return id;
    return 0;
}

static void finger(Uint32 type, Uint32 window, float x, float y)
{
    SDL_Event ev = {.type = type};
    ev.tfinger = (SDL_TouchFingerEvent){
        .type = type, .timestamp = SDL_GetTicks(), .touchId = 1, .fingerId = 7,
        .x = x, .y = y, .pressure = 1, .windowID = window,
    };
    SDL_PushEvent(&ev);
}

static void *feed(void *arg)
{
    (void)arg;
    char line[256];
    while (fgets(line, sizeof line, stdin)) {
        float x, y, x2, y2;
        Uint32 win = first_window();
        if (sscanf(line, "finger %f %f", &x, &y) == 2) {
            finger(SDL_FINGERDOWN, win, x, y);
            SDL_Delay(60);
            finger(SDL_FINGERUP, win, x, y);
        } else if (sscanf(line, "drag %f %f %f %f", &x, &y, &x2, &y2) == 4) {
            finger(SDL_FINGERDOWN, win, x, y);
            finger(SDL_FINGERMOTION, win, x2, y2);
            finger(SDL_FINGERUP, win, x2, y2);
        } else {
            fprintf(stderr, "touch_driver: %s: expected finger X Y or drag X Y X2 Y2\n", line);
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t;
    pthread_create(&t, NULL, feed, NULL);
    pthread_detach(t);
    return lotuswall_main(argc, argv);
}
