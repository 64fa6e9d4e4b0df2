#!/usr/bin/env bash
# Installs what building and testing keopsc needs, from Debian 12's packages (run as root or
# with sudo available). Used by the README's commands and by .ci/run.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# antlr4 + libantlr4-runtime-dev: the parser is generated from grammar/KFL.g4 at build time.
# llvm-14-tools: FileCheck and lit. libgtest-dev: unit tests. python3: lit and test generators.
# pkg-config: tests/cmake builds a pkg-config consumer of the installed keopsc.
# clang-14 + libfuzzer-14-dev: the coverage-guided fuzz target (the `fuzz` preset).
# libopenmpi-dev + openmpi-bin: the sharding examples on two MPI ranks (ctest label mpi).
# python3-torch + libtorch-dev + python3-numpy: the PyTorch face (keopsc --emit=torch, label torch).
$SUDO apt-get install -y -qq --no-install-recommends \
  ca-certificates cmake ninja-build g++ gcc make binutils pkg-config \
  antlr4 libantlr4-runtime-dev libgtest-dev llvm-14-tools python3 \
  clang-14 libfuzzer-14-dev libopenmpi-dev openmpi-bin \
  python3-torch libtorch-dev python3-numpy >/dev/null
