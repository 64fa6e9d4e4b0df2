#!/usr/bin/env bash
# install_staged.sh: `cmake --install` with DESTDIR into a staging folder, then checks the tree.
# Owns the staged prefix that the other tests/cmake tests use (ctest fixture keopsc_staged).
# Usage: install_staged.sh BUILD STAGE PREFIX   (the tree lands in STAGE/PREFIX)
set -euo pipefail
build=$1 stage=$2 prefix=$3
cmake=${CMAKE:-cmake}
rm -rf "$stage"
DESTDIR=$stage "$cmake" --install "$build" --prefix "$prefix" >/dev/null
root=$stage$prefix
status=0
for file in bin/keopsc include/keops/api.h share/keopsc/stdlib/keops/kernels.kfl \
  share/keopsc/stdlib/keops/ot.kfl share/keopsc/stdlib/keops/knn.kfl \
  share/keopsc/stdlib/keops/interpolation.kfl lib/cmake/keopsc/keopscConfig.cmake \
  lib/cmake/keopsc/keopscConfigVersion.cmake lib/cmake/keopsc/KeOpsKernels.cmake \
  lib/pkgconfig/keopsc.pc share/keopsc/python/keopsc/torch.py share/keopsc/python/keopsc/numpy.py; do
  if [ ! -f "$root/$file" ]; then
    echo "FAIL: $file is not installed under $root"
    status=1
  fi
done
[ -x "$root/bin/keopsc" ] || { echo "FAIL: bin/keopsc is not executable"; status=1; }
# DESTDIR staging writes nothing at the real prefix.
[ ! -e "$prefix" ] || { echo "FAIL: $prefix exists: the install ignored DESTDIR"; status=1; }
# The packages name no absolute path, so that the staged (moved) prefix works as it is.
if grep -rn -e "$prefix" -e "$build" "$root/lib/cmake" "$root/lib/pkgconfig"; then
  echo "FAIL: the package files above hold absolute paths"
  status=1
fi
# The runtime headers stand alone: keops/api.h compiles as C99 from the installed include/.
echo '#include <keops/api.h>
int main(void) { keops_options o = KEOPS_OPTIONS_DEFAULT; return (int)o.num_threads; }' \
  >"$stage/api_alone.c"
"${CC:-cc}" -std=c99 -Wall -Wextra -Werror -I"$root/include" "$stage/api_alone.c" -o "$stage/api_alone" ||
  { echo "FAIL: include/keops/api.h does not compile alone"; status=1; }
[ $status -eq 0 ] && echo "installed and checked: $root"
exit $status
