/* SDL2, opened on the first call (lazy.h): only a screen needs it. */
#include "util/lazy.h"
#include <SDL.h>

#define FUNCTIONS(F, V, P)                                                                          \
    F(int, SDL_ConvertPixels,                                                                      \
      (int w, int h, Uint32 sf, const void *s, int sp, Uint32 df, void *d, int dp),                \
      (w, h, sf, s, sp, df, d, dp))                                                                \
    F(SDL_Window *, SDL_CreateWindow, (const char *t, int x, int y, int w, int h, Uint32 f),        \
      (t, x, y, w, h, f))                                                                          \
    V(SDL_Delay, (Uint32 ms), (ms))                                                                \
    V(SDL_DestroyWindow, (SDL_Window * w), (w))                                                    \
    V(SDL_DisableScreenSaver, (void), ())                                                          \
    V(SDL_FlushEvent, (Uint32 type), (type))                                                       \
    F(const char *, SDL_GetCurrentVideoDriver, (void), ())                                         \
    F(int, SDL_GetDisplayBounds, (int i, SDL_Rect * r), (i, r))                                    \
    F(const char *, SDL_GetError, (void), ())                                                      \
    F(int, SDL_GetNumVideoDisplays, (void), ())                                                    \
    F(const char *, SDL_GetPixelFormatName, (Uint32 f), (f))                                       \
    F(Uint32, SDL_GetTicks, (void), ())                                                            \
    F(SDL_Window *, SDL_GetWindowFromID, (Uint32 id), (id))                                        \
    F(Uint32, SDL_GetWindowID, (SDL_Window * w), (w))                                              \
    V(SDL_GetWindowSize, (SDL_Window * win, int *w, int *h), (win, w, h))                          \
    F(SDL_Surface *, SDL_GetWindowSurface, (SDL_Window * w), (w))                                  \
    F(int, SDL_InitSubSystem, (Uint32 f), (f))                                                     \
    F(int, SDL_PollEvent, (SDL_Event * e), (e))                                                    \
    F(int, SDL_PushEvent, (SDL_Event * e), (e))                                                    \
    V(SDL_QuitSubSystem, (Uint32 f), (f))                                                          \
    F(Uint32, SDL_RegisterEvents, (int n), (n))                                                    \
    F(SDL_bool, SDL_SetHint, (const char *name, const char *value), (name, value))                 \
    V(SDL_SetWindowBordered, (SDL_Window * w, SDL_bool b), (w, b))                                 \
    F(int, SDL_SetWindowFullscreen, (SDL_Window * w, Uint32 f), (w, f))                            \
    V(SDL_SetWindowPosition, (SDL_Window * win, int x, int y), (win, x, y))                        \
    V(SDL_SetWindowSize, (SDL_Window * win, int w, int h), (win, w, h))                            \
    F(int, SDL_ShowCursor, (int t), (t))                                                           \
    F(int, SDL_UpdateWindowSurface, (SDL_Window * w), (w))                                         \
    F(int, SDL_UpdateWindowSurfaceRects, (SDL_Window * w, const SDL_Rect *r, int n), (w, r, n))    \
    F(int, SDL_WaitEventTimeout, (SDL_Event * e, int t), (e, t))

LAZY_DEFINE(FUNCTIONS, "libSDL2-2.0.so.0", "a screen")
