# keopsc_sanitized_cxx(out sanitizers): the environment assignment `CXX=<script>` under which
# keopsc compiles a generated library with -fsanitize=<sanitizers>. keopsc runs CXX as one
# program, so the script runs the project's C++ compiler with the flags added. Test libraries use
# it so that a sanitizer build checks the generated code too, not only the compiler.
function(keopsc_sanitized_cxx out sanitizers)
  string(REPLACE "," "-" tag "${sanitizers}")
  set(script ${CMAKE_BINARY_DIR}/sanitized-cxx/${tag}.sh)
  file(WRITE ${script}
       "#!/bin/sh\nexec '${CMAKE_CXX_COMPILER}' -fsanitize=${sanitizers} -fno-omit-frame-pointer -g \"$@\"\n")
  file(CHMOD ${script} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
       WORLD_READ WORLD_EXECUTE)
  set(${out} CXX=${script} PARENT_SCOPE)
endfunction()
