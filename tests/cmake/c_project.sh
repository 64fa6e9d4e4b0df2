#!/usr/bin/env bash
# c_project.sh: builds and runs tests/cmake/c-project (C only, two modules) against a prefix.
# Owns BUILD. Usage: c_project.sh SOURCE BUILD PREFIX
set -euo pipefail
source=$1 build=$2 prefix=$3
cmake=${CMAKE:-cmake}
rm -rf "$build"
"$cmake" -S "$source" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" >"$build.configure.log" || { cat "$build.configure.log"; exit 1; }
"$cmake" --build "$build" -j2
for header in sums.h nearest.h; do
  [ -f "$build/twokernels.keops/$header" ] || { echo "FAIL: no $header"; exit 1; }
done
# TARGET baseline: one CPU path, none of the dispatched AVX2/AVX-512 kernels.
if nm "$build/libtwokernels.a" | grep -q '_simd_avx'; then
  echo "FAIL: TARGET baseline left AVX kernels in the library"; exit 1
fi
"$build/two"
