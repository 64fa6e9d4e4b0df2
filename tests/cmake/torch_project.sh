#!/usr/bin/env bash
# torch_project.sh: builds examples/torch as a user's project against the installed package
# (add_keops_kernels(... TORCH) → libtorch_kernels_torch.so) and runs its k-NN script on the
# extension. Owns nothing else. Usage: torch_project.sh SOURCE BUILD PREFIX PYTHON PYTHONPATH
set -euo pipefail
source=$1 build=$2 prefix=$3 python=$4 pythonpath=$5
cmake=${CMAKE:-cmake}
rm -rf "$build"
"$cmake" -S "$source" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DKEOPSC_PYTHON="$python" >"$build.configure.log" ||
  { cat "$build.configure.log"; exit 1; }
"$cmake" --build "$build" -j2
extension="$build/torch_kernels.keops/libtorch_kernels_torch.so"
test -f "$extension"
PYTHONPATH="$pythonpath" "$python" "$source/knn_classify.py" "$extension"
