# The Debian package (CPack DEB): `cmake --build build --target package`
# makes build/lotuswall_VERSION_ARCH.deb. Its layout is `cmake --install`'s
# with the prefix /usr, plus what only the package installs: the settings in
# /etc/lotuswall (conffiles, kept on upgrade), the user and folders
# (sysusers.d, tmpfiles.d) and the maintainer scripts (pkg/postinst, prerm,
# postrm). docs/operations.md, "A wall PC".

# Only the package writes to /etc and /usr/lib: `cmake --install` into a
# prefix leaves them out (EXCLUDE_FROM_ALL), the package adds the component
set(LW_ENV_FILES kiosk/lotuswall.env kiosk/engine.env kiosk/report.env kiosk/publisher.env
    kiosk/migrate.env kiosk/deliver.env kiosk/deliver.json)
install(FILES ${LW_ENV_FILES} DESTINATION /etc/lotuswall COMPONENT deb EXCLUDE_FROM_ALL
        PERMISSIONS OWNER_READ OWNER_WRITE)
install(PROGRAMS kiosk/xinitrc DESTINATION /etc/lotuswall COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES pkg/sysusers.conf DESTINATION lib/sysusers.d RENAME lotuswall.conf
        COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES pkg/tmpfiles.conf DESTINATION lib/tmpfiles.d RENAME lotuswall.conf
        COMPONENT deb EXCLUDE_FROM_ALL)
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};lotuswall;Unspecified;/"
                                 "${CMAKE_BINARY_DIR};lotuswall;deb;/")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lotuswall)
set(CPACK_PACKAGE_VENDOR "lotuswall")
set(CPACK_PACKAGE_CONTACT "lotuswall maintainers <lotuswall@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "big-screen dashboards of a city's economy, with warnings")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "lotuswall draws the dashboards of a video wall from PostgreSQL or its demo\n"
  "data, runs the warning engine and its urging outbox, makes PDF reports on a\n"
  "schedule and publishes the data exchange document. The units are installed\n"
  "disabled: `lotuswall setup wall` finishes a wall PC.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
# the libraries from the program's own links (dpkg-shlibdeps), the rest by name:
# libpq, SDL2, libcurl, libmicrohttpd and libsystemd are opened on first use
# (src/util/lazy.h), which dpkg-shlibdeps cannot see
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
string(CONCAT CPACK_DEBIAN_PACKAGE_DEPENDS
  "fonts-noto-cjk, fonts-roboto-unhinted, tzdata, systemd, "
  "libpq5, libsdl2-2.0-0, libcurl4, libmicrohttpd12, libsystemd0")
# the display of a wall: X11 (xinit, Xorg, xset) or Wayland (cage); not on an engine host
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "xinit, xserver-xorg-core, x11-xserver-utils, cage")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/pkg/postinst
    ${CMAKE_SOURCE_DIR}/pkg/prerm ${CMAKE_SOURCE_DIR}/pkg/postrm ${CMAKE_SOURCE_DIR}/pkg/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
