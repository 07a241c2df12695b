/* Where the shipped files are: one home folder holds the catalog
 * (db/catalog.json), the demo data (db/demo), the fonts configuration, the
 * assets, the demo rules and the shipped scenes and playlists, laid out as
 * in the source tree. The home is, in this order: `--home DIR`, else
 * $LOTUSWALL_HOME, else the source tree when the program runs from its
 * build folder, else the install prefix's share/lotuswall (found from the
 * executable, PREFIX/bin/../share/lotuswall, so an installed tree may be
 * moved; else the prefix it was configured with). It never comes from the
 * working directory.
 *
 * Local edits live in the configuration folder (/etc/lotuswall, or
 * $LOTUSWALL_ETC): its scenes/NAME.json and playlists/NAME.json take the
 * place of the shipped ones of the same name. */
#ifndef LW_PATHS_H
#define LW_PATHS_H
#include "util/err.h"
#include <stdbool.h>

/* --home: the folder must hold db/catalog.json. Call before paths_home(). */
bool paths_set_home(const char *dir, struct err *err);
/* The home folder, an absolute path; resolved once, then read-only, so any
 * thread may call it. */
const char *paths_home(void);
/* HOME/rel, newly allocated. */
char *paths_in_home(const char *rel);
/* The configuration folder: $LOTUSWALL_ETC, else SYSCONFDIR/lotuswall. */
const char *paths_etc(void);
/* The program's version and the git revision it was built from. */
const char *paths_version(void);

#endif
