# keopsc_torch_python(<var>): a Python that imports torch and numpy, for the PyTorch face's tests
# and examples: the KEOPSC_PYTHON cache variable when set, else the Python3 CMake finds, else
# /usr/bin/python3 (Debian's python3-torch, when PATH starts with another Python). <var> is empty
# when none does, or in a sanitizer build (an ASan-instrumented extension cannot load into an
# uninstrumented Python); <var>_WHY then says why.
include_guard(GLOBAL)

set(KEOPSC_PYTHON "" CACHE FILEPATH "The Python with torch for the PyTorch tests and examples")

function(keopsc_torch_python outVar)
  set(${outVar} "" PARENT_SCOPE)
  if(KEOPSC_SANITIZE)
    set(${outVar}_WHY "a sanitizer build" PARENT_SCOPE)
    return()
  endif()
  set(candidates ${KEOPSC_PYTHON})
  if(NOT KEOPSC_PYTHON)
    find_package(Python3 COMPONENTS Interpreter QUIET)
    set(candidates ${Python3_EXECUTABLE} /usr/bin/python3)
  endif()
  foreach(python IN LISTS candidates)
    if(NOT EXISTS ${python})
      continue()
    endif()
    execute_process(COMMAND ${python} -c "import torch, numpy" RESULT_VARIABLE missing
                    OUTPUT_QUIET ERROR_QUIET)
    if(NOT missing)
      set(${outVar} ${python} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${outVar}_WHY "no Python with torch and numpy (apt-get install python3-torch libtorch-dev)"
      PARENT_SCOPE)
endfunction()
