# Installs the units (LW_UNITS, set by the install script before) into
# PREFIX/lib/systemd/system, with /usr/bin/lotuswall in them made
# PREFIX/bin/lotuswall: the same for the package (/usr) and for
# `cmake --install --prefix DIR`.
foreach(unit IN LISTS LW_UNITS)
  get_filename_component(name "${unit}" NAME)
  file(READ "${unit}" text)
  string(REPLACE "/usr/bin/lotuswall" "${CMAKE_INSTALL_PREFIX}/bin/lotuswall" text "${text}")
  set(dest "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/lib/systemd/system/${name}")
  message(STATUS "Installing: ${dest}")
  file(WRITE "${dest}" "${text}")
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${dest}")
endforeach()
