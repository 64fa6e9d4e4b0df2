#!/usr/bin/env bash
# pkg_config.sh: builds examples/pkg-config (a Makefile using only pkg-config) against a prefix.
# Owns WORK. Usage: pkg_config.sh PREFIX WORK EXAMPLES_DIR
set -euo pipefail
prefix=$1 work=$2 examples=$3
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
rm -rf "$work"
mkdir -p "$work"
keopsc=$(pkg-config --variable=keopsc keopsc)
# The .pc file's Libs are exactly what keopsc prints for the link line.
libs=$(pkg-config --libs keopsc | sed 's/ *$//')
flags=$("$keopsc" --print-link-flags)
if [ "$libs" != "$flags" ]; then
  echo "FAIL: pkg-config --libs keopsc gives '$libs', keopsc --print-link-flags '$flags'"
  exit 1
fi
echo "keopsc $(pkg-config --modversion keopsc) at $keopsc; Libs: $libs"
make -s -f "$examples/pkg-config/Makefile" OUT="$work" run
