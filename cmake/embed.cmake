# kw_embed(OUT file...) writes a C file defining `kw_embedded[]`: every input file's
# basename with its bytes (NUL-terminated), so the binary carries its own data.
function(kw_embed out)
  set(files ${ARGN})
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} "-DFILES=${files}" -P ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    VERBATIM
    COMMENT "Embedding data files")
endfunction()
