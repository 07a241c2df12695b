# Writes lw_version.h with the git revision of the source tree, at every
# build, touching the file only when the revision changed (so that only
# src/util/paths.c is compiled again). -DSRC=… -DOUT=…
execute_process(COMMAND git -C "${SRC}" describe --always --dirty --abbrev=12
                OUTPUT_VARIABLE rev OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR rev STREQUAL "")
  set(rev "unknown")
endif()
set(text "#define LW_GIT_REVISION \"${rev}\"\n")
include(${CMAKE_CURRENT_LIST_DIR}/write_if_changed.cmake)
lw_write_if_changed("${OUT}" "${text}")
