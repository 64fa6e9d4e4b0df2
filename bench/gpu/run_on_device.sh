#!/usr/bin/env bash
# run_on_device.sh: the GPU checks of issue 12, as one script for a machine with a GPU and no
# package registry (built elsewhere; run from the repository's root): the CUDA conformance test
# (every reduction, each scheme, against the CPU), the sharding entry points on the GPU
# (cuda_partials_test), compute-sanitizer's memcheck and racecheck on them, the benchmarks, then
# PyKeOps on the same targets in the same run (pykeops_bench.py) when KeOps's source is there.
# BUILD holds the binaries: a build directory configured with -DKEOPSC_BENCH=ON, or the folder
# stage_for_device.sh copied them into (what travels to the device: see bench/README.md).
# KEOPS_SRC (default .keops-src) is KeOps's source (its keopscore and pykeops folders),
# installed with pip --no-deps --no-index. gpu_bench's output goes to $OUT when it is set.
# Usage: run_on_device.sh BUILD [--scale S]
set -uo pipefail
build=${1:?usage: run_on_device.sh BUILD [--scale S]}
shift
here=$(cd "$(dirname "$0")" && pwd)
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
bench_output=${OUT:-$(mktemp -d)}/gpu_bench.txt
echo "== $build/bench/gpu_bench $*"
"$build/bench/gpu_bench" "$@" | tee "$bench_output"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "== FAILED: gpu_bench"; status=1; }

keops_src=${KEOPS_SRC:-.keops-src}
if [ -d "$keops_src/keopscore" ] && [ -d "$keops_src/pykeops" ]; then
  site=$(mktemp -d)
  step python3 -m pip install -q --no-deps --no-index --no-build-isolation --target "$site" \
    "$keops_src/keopscore" "$keops_src/pykeops"
  step env PYTHONPATH="$site${PYTHONPATH:+:$PYTHONPATH}" python3 "$here/pykeops_bench.py" "$@" \
    --keopsc-output "$bench_output"
else
  echo "== PyKeOps comparison skipped: no KeOps source in $keops_src (bench/README.md, GPU)"
fi
exit $status
