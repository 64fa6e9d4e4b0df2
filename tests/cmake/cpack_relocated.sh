#!/usr/bin/env bash
# cpack_relocated.sh: the CPack .tar.gz, unpacked at a new place, works from there: its keopsc
# imports its own stdlib, and find_package(keopsc) from it builds and runs examples/cmake-project.
# Owns WORK. Usage: cpack_relocated.sh BUILD WORK PROJECT
set -euo pipefail
build=$1 work=$2 project=$3
cmake=${CMAKE:-cmake}
cpack=${CPACK:-cpack}
rm -rf "$work"
mkdir -p "$work/moved"
(cd "$work" && "$cpack" --config "$build/CPackConfig.cmake" -G TGZ -B "$work/pkg" >cpack.log) ||
  { cat "$work/cpack.log"; exit 1; }
tar -xzf "$work"/pkg/keopsc-*.tar.gz -C "$work/moved"
prefix=$(echo "$work"/moved/keopsc-*)
echo "unpacked at $prefix"

cat >"$work/uses_stdlib.kfl" <<'KFL'
import "keops/kernels.kfl";
alias x = Vi(3);
alias y = Vj(3);
alias g = Pm(1);
reduction r(x, y, g) = Sum(laplace_kernel(x, y, g), axis = 1);
KFL
mkdir -p "$work/out"
"$prefix/bin/keopsc" "$work/uses_stdlib.kfl" -o "$work/out/libuses_stdlib.a" --depfile "$work/out.d"
# The import came from the unpacked prefix, not from the source tree keopsc was built from.
grep -q " $prefix/share/keopsc/stdlib/keops/kernels.kfl " "$work/out.d" ||
  { cat "$work/out.d"; echo "FAIL: the stdlib was not read from $prefix"; exit 1; }
echo "keopsc read its stdlib from $prefix/share/keopsc/stdlib"

"$(dirname "$0")/consumer.sh" "$project" "$work/project" -DCMAKE_PREFIX_PATH="$prefix"
