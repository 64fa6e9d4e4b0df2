#!/usr/bin/env bash
# consumer.sh: configures, builds and runs examples/cmake-project, as a user of keopsc would.
# Owns nothing else. Usage: consumer.sh SOURCE BUILD [cmake arguments...]
#   e.g. -DCMAKE_PREFIX_PATH=<prefix> (find_package) or -DKEOPSC_SOURCE_DIR=<keopsc> (add_subdirectory)
set -euo pipefail
source=$1 build=$2
shift 2
cmake=${CMAKE:-cmake}
rm -rf "$build"
"$cmake" -S "$source" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >"$build.configure.log" ||
  { cat "$build.configure.log"; exit 1; }
"$cmake" --build "$build" -j2
# Without device code (no nvcc where keopsc was built) the library must not pull in the CUDA
# runtime; with it, add_keops_kernels links the runtime and the program runs on a GPU-less
# machine too (its dispatcher computes on the CPU).
# (grep without -q: -q may close the pipe before nm is done, which pipefail reports as failure)
if nm --defined-only "$build/libsmoothing.a" | grep " T smoothing_gpu_memory$" >/dev/null; then
  echo "libsmoothing.a holds CUDA code"
elif nm -u "$build/libsmoothing.a" | grep -i cuda; then
  echo "FAIL: libsmoothing.a references the CUDA symbols above"
  exit 1
fi
"$build/smooth"
