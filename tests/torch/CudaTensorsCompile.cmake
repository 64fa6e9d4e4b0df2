# CudaTensorsCompile.cmake (cmake -P): compiles the PyTorch extension's source with its
# CUDA-tensor branch (KEOPSC_TORCH_CUDA: the current stream, the tensor's device), which the
# extension keopsc builds against Debian's CPU-only torch leaves out, so that branch is compiled
# somewhere: -fsyntax-only with warnings as errors, against torch's c10/cuda headers and the
# CUDA Toolkit's. It cannot run here (no CUDA torch, no GPU); it prints SKIPPED when the headers
# are missing.
# -D: CXX, PYTHON, SOURCE (keopsc --emit=torch-cpp), CUDA_INCLUDE, STUB_DIR (a scratch folder).
foreach(var CXX PYTHON SOURCE CUDA_INCLUDE STUB_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "CudaTensorsCompile.cmake: -D${var}= is required")
  endif()
endforeach()
execute_process(
  COMMAND ${PYTHON} -c "import torch, torch.utils.cpp_extension as e
print(';'.join(e.include_paths()))
print(int(torch._C._GLIBCXX_USE_CXX11_ABI))"
  OUTPUT_VARIABLE facts ERROR_QUIET RESULT_VARIABLE failed OUTPUT_STRIP_TRAILING_WHITESPACE)
if(failed)
  message("SKIPPED: ${PYTHON} cannot tell torch's include paths")
  return()
endif()
string(REPLACE "\n" ";" facts "${facts}")
list(GET facts -1 abi)
list(REMOVE_AT facts -1)
set(flags)
set(c10cuda "")
foreach(dir IN LISTS facts)
  list(APPEND flags -isystem ${dir})
endforeach()
# /usr/include is searched anyway (naming it would upset the C++ headers' #include_next).
foreach(dir IN LISTS facts ITEMS /usr/include)
  if(NOT c10cuda AND EXISTS ${dir}/c10/cuda/CUDAStream.h)
    set(c10cuda ${dir})
  endif()
endforeach()
if(NOT c10cuda OR NOT EXISTS ${CUDA_INCLUDE}/cuda_runtime_api.h)
  message("SKIPPED: no c10/cuda headers beside torch's, or no CUDA Toolkit headers")
  return()
endif()
# Debian's libtorch-dev ships c10/cuda without the header CMake generates for a CUDA build of
# PyTorch; all it holds is whether c10_cuda is a shared library (it is).
if(NOT EXISTS ${c10cuda}/c10/cuda/impl/cuda_cmake_macros.h)
  file(WRITE ${STUB_DIR}/c10/cuda/impl/cuda_cmake_macros.h
       "#pragma once\n#define C10_CUDA_BUILD_SHARED_LIBS\n")
  list(PREPEND flags -isystem ${STUB_DIR})
endif()
execute_process(
  COMMAND ${CXX} -std=c++17 -fsyntax-only -Wall -Wextra -Werror -DKEOPSC_TORCH_CUDA
          -D_GLIBCXX_USE_CXX11_ABI=${abi} ${flags} -isystem ${CUDA_INCLUDE} ${SOURCE}
  RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "the extension's CUDA-tensor branch does not compile (${SOURCE})")
endif()
message("the extension's source compiles with KEOPSC_TORCH_CUDA")
