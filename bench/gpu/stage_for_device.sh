#!/usr/bin/env bash
# stage_for_device.sh: copies what run_on_device.sh runs (cuda_calls_test, cuda_partials_test,
# gpu_bench) from a build directory configured with -DKEOPSC_BENCH=ON into DEST, at the same
# relative paths, and says how large it is: a device call carries at most 64 MiB, and a build
# directory is far larger. DEST should be ignored by git (.git/info/exclude) and named in carry.
# Usage: stage_for_device.sh BUILD DEST
set -euo pipefail
build=${1:?usage: stage_for_device.sh BUILD DEST}
dest=${2:?usage: stage_for_device.sh BUILD DEST}
binaries=(tests/cuda/cuda_calls_test tests/cuda/cuda_partials_test bench/gpu_bench)
for binary in "${binaries[@]}"; do
  [ -x "$build/$binary" ] || {
    echo "stage_for_device.sh: $build/$binary is missing (build it: ninja -C $build" \
      "cuda_calls_test cuda_partials_test gpu_bench)" >&2
    exit 1
  }
done
rm -rf "$dest"
for binary in "${binaries[@]}"; do
  mkdir -p "$dest/$(dirname "$binary")"
  cp "$build/$binary" "$dest/$binary"
  strip --strip-debug "$dest/$binary"
done
du -sh "$dest"
