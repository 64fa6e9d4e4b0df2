# keopsc_cuda_library_dir(<nvcc> <out-var>): the directory holding the static CUDA runtime
# (libcudart_static.a) of the toolkit that <nvcc> belongs to, or "" when there is none.
#
# The toolkit's root comes from nvcc's own dry run (its "#$ TOP=" line), so an nvcc reached
# through a wrapper script or a symlink still names its real toolkit; the directory beside nvcc's
# bin is the fallback. Layouts differ: lib64, lib, or targets/<arch>-linux/lib.
function(keopsc_cuda_library_dir nvcc out_var)
  set(probe ${CMAKE_BINARY_DIR}/keopsc_cuda_probe.cu)
  file(WRITE ${probe} "\n")
  execute_process(COMMAND ${nvcc} -dryrun -E ${probe}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  set(roots "")
  if(rc EQUAL 0 AND "${out}${err}" MATCHES "#\\$ TOP=([^\n]*)")
    get_filename_component(top "${CMAKE_MATCH_1}" REALPATH)
    list(APPEND roots ${top})
  endif()
  get_filename_component(beside ${nvcc} REALPATH)
  get_filename_component(beside ${beside} DIRECTORY)
  get_filename_component(beside ${beside} DIRECTORY)
  list(APPEND roots ${beside})
  set(found "")
  foreach(root IN LISTS roots)
    foreach(sub lib64 lib targets/${CMAKE_SYSTEM_PROCESSOR}-linux/lib)
      if(NOT found AND EXISTS ${root}/${sub}/libcudart_static.a)
        get_filename_component(found ${root}/${sub} REALPATH)
      endif()
    endforeach()
  endforeach()
  set(${out_var} "${found}" PARENT_SCOPE)
endfunction()
