# keopsc_sanitized_cxx(out sanitizers [OPTIMIZATION -On]): the environment assignment
# `CXX=<script>` under which keopsc compiles a generated library with -fsanitize=<sanitizers>.
# keopsc runs CXX as one program, so the script runs the project's C++ compiler with the flags
# added. Test libraries use it so that a sanitizer build checks the generated code too, not only
# the compiler. OPTIMIZATION, placed after keopsc's own flags, replaces keopsc's -O3.
function(keopsc_sanitized_cxx out sanitizers)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "OPTIMIZATION" "")
  string(REPLACE "," "-" tag "${sanitizers}${arg_OPTIMIZATION}")
  set(script ${CMAKE_BINARY_DIR}/sanitized-cxx/${tag}.sh)
  set(flags "-fsanitize=${sanitizers} -fno-omit-frame-pointer -g")
  file(WRITE ${script}
       "#!/bin/sh\nexec '${CMAKE_CXX_COMPILER}' ${flags} \"$@\" ${arg_OPTIMIZATION}\n")
  file(CHMOD ${script} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
       WORLD_READ WORLD_EXECUTE)
  set(${out} CXX=${script} PARENT_SCOPE)
endfunction()
