# lw_write_if_changed(PATH TEXT): writes TEXT to PATH only when it differs,
# so that what depends on a generated header is built again only then.
function(lw_write_if_changed path text)
  set(old "")
  if(EXISTS "${path}")
    file(READ "${path}" old)
  endif()
  if(NOT old STREQUAL text)
    file(WRITE "${path}" "${text}")
  endif()
endfunction()
