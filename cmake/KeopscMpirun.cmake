# keopsc_mpirun_flags(out): what the mpi tests add to `${MPIEXEC_EXECUTABLE} -n 2` to run on one
# machine, whatever its core count or user: Open MPI's --oversubscribe, shared memory without
# its single-copy (ptrace) path, which containers often forbid, and --allow-run-as-root under
# root (CI's container). Other MPIs get none. Owns nothing else.
function(keopsc_mpirun_flags out)
  set(flags "")
  execute_process(COMMAND ${MPIEXEC_EXECUTABLE} --version OUTPUT_VARIABLE version
                  ERROR_QUIET RESULT_VARIABLE failed)
  if(NOT failed AND version MATCHES "Open MPI|OpenRTE")
    list(APPEND flags --oversubscribe --mca btl_vader_single_copy_mechanism none)
    execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(uid STREQUAL "0")
      list(APPEND flags --allow-run-as-root)
    endif()
  endif()
  set(${out} ${flags} PARENT_SCOPE)
endfunction()
