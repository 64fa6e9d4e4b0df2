#!/usr/bin/env bash
# depfile.sh: an edited import rebuilds an add_keops_kernels() library; an unchanged tree does not.
# Owns its copy of examples/cmake-project. Usage: depfile.sh GENERATOR WORK PROJECT PREFIX
#   PREFIX: an installed keopsc; its stdlib's keops/kernels.kfl is touched too.
set -euo pipefail
generator=$1 work=$2 project=$3 prefix=$4
cmake=${CMAKE:-cmake}
rm -rf "$work"
mkdir -p "$work"
cp -r "$project" "$work/src"
build=$work/build
object=$build/smoothing.keops/smoothing.o
"$cmake" -S "$work/src" -B "$build" -G "$generator" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" >"$work/configure.log" || { cat "$work/configure.log"; exit 1; }
"$cmake" --build "$build" -j2 >"$work/build.log" || { cat "$work/build.log"; exit 1; }

fail() {
  echo "FAIL ($generator): $*"
  exit 1
}
stamp() { stat -c %Y.%y "$object"; }

# build_and_check WHAT EXPECT: EXPECT "rebuilt" or "unchanged" for the keopsc object.
build_and_check() {
  local before
  before=$(stamp)
  if [ "$generator" = Ninja ]; then
    if [ "$2" = unchanged ]; then
      "$cmake" --build "$build" | tee "$work/last.log" | grep -q "no work to do" ||
        { cat "$work/last.log"; fail "$1: ninja found work to do"; }
      return
    fi
    # Ninja says why it would rerun keopsc before it does.
    (cd "$build" && ninja -n -d explain 2>&1) | grep "smoothing.o" | grep -q "$(basename "$3")" ||
      fail "$1: ninja -d explain does not name $3"
  fi
  "$cmake" --build "$build" -j2 >"$work/last.log" || { cat "$work/last.log"; fail "$1: build failed"; }
  if [ "$2" = rebuilt ] && [ "$(stamp)" = "$before" ]; then fail "$1: keopsc did not rerun"; fi
  if [ "$2" = unchanged ] && [ "$(stamp)" != "$before" ]; then fail "$1: keopsc reran"; fi
  echo "$generator: $1: keopsc object $2"
}

build_and_check "nothing touched" unchanged
sleep 1.1 # coarse file systems: the touched file must be strictly newer than the object
touch "$work/src/kfl/blend.kfl"
build_and_check "project import kfl/blend.kfl touched" rebuilt "$work/src/kfl/blend.kfl"
build_and_check "nothing touched after the rebuild" unchanged
sleep 1.1
touch "$prefix/share/keopsc/stdlib/keops/kernels.kfl"
build_and_check "stdlib import keops/kernels.kfl touched" rebuilt \
  "$prefix/share/keopsc/stdlib/keops/kernels.kfl"
build_and_check "nothing touched after the rebuild" unchanged
"$build/smooth" >/dev/null
