#!/usr/bin/env bash
# run_gaussian.sh: compiles examples/gaussian.kfl with keopsc, links examples/gaussian.c, runs it.
# It shows (and tests) the user's workflow; it builds nothing else. Usage: run_gaussian.sh [BUILD]
#   BUILD   the CMake build directory holding keopsc (default: build, relative to the cwd)
#   KEOPSC  overrides the compiler's path (default: $BUILD/compiler/driver/keopsc); CC the C compiler
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
KEOPSC=${KEOPSC:-$BUILD/compiler/driver/keopsc}
CC=${CC:-cc}
OUT=$BUILD/examples/out

mkdir -p "$OUT"
"$KEOPSC" "$ROOT/examples/gaussian.kfl" -o "$OUT/libgaussian.a"
# The link flags are meant to split into words; -lm is for gaussian.c's own exp and log.
LINK_FLAGS=$("$KEOPSC" --print-link-flags)
# shellcheck disable=SC2086
"$CC" -std=c99 -Wall -Wextra -Werror -I"$OUT" "$ROOT/examples/gaussian.c" "$OUT/libgaussian.a" \
  $LINK_FLAGS -lm -o "$OUT/gaussian"
"$OUT/gaussian"
