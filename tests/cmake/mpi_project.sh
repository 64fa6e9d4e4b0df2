#!/usr/bin/env bash
# mpi_project.sh: builds examples/mpi-gauss as a user's project against the installed package's
# MPI component (find_package(keopsc COMPONENTS MPI) → keopsc::mpi) and runs it on two ranks.
# Owns nothing else. Usage: mpi_project.sh SOURCE BUILD PREFIX MPIEXEC [mpiexec flags...]
set -euo pipefail
source=$1 build=$2 prefix=$3 mpiexec=$4
shift 4
cmake=${CMAKE:-cmake}
rm -rf "$build"
"$cmake" -S "$source" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" >"$build.configure.log" || { cat "$build.configure.log"; exit 1; }
"$cmake" --build "$build" -j2
"$mpiexec" -n 2 "$@" "$build/mpi_gauss_run"
