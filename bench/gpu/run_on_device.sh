#!/usr/bin/env bash
# run_on_device.sh: the GPU checks of issue 12, as one script for a machine with a GPU and no
# package registry (built elsewhere; run from the build directory that holds the binaries):
# the CUDA conformance test (every reduction, each scheme, against the CPU), the sharding entry
# points on the GPU (cuda_partials_test), compute-sanitizer's memcheck and racecheck on them,
# then the benchmarks. BUILD is a build directory configured with tests on and -DKEOPSC_BENCH=ON
# (cuda_calls_test, cuda_partials_test and gpu_bench), carried to the device.
# Usage: run_on_device.sh BUILD [--scale S]
set -uo pipefail
build=${1:?usage: run_on_device.sh BUILD [--scale S]}
shift
status=0
step() { echo "== $*"; "$@" || { echo "== FAILED ($?): $*"; status=1; }; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || true
step "$build/tests/cuda/cuda_calls_test" --mode gpu
step "$build/tests/cuda/cuda_partials_test" --mode gpu
sanitizer=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
if [ -x "$sanitizer" ]; then
  step "$sanitizer" --tool memcheck --error-exitcode 1 "$build/tests/cuda/cuda_calls_test" --mode gpu
  step "$sanitizer" --tool racecheck --error-exitcode 1 "$build/tests/cuda/cuda_calls_test" --mode gpu
  step "$sanitizer" --tool memcheck --error-exitcode 1 "$build/tests/cuda/cuda_partials_test" --mode gpu
else
  echo "== compute-sanitizer not found: memcheck and racecheck skipped"
fi
step "$build/bench/gpu_bench" "$@"
exit $status
