// TestMode.h: the `--mode gpu|no-gpu` start of the tests/cuda programs. Each runs its checks for
// one kind of machine and is skipped (exit 77, ctest's SKIP_RETURN_CODE) on the other.
#pragma once

#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <cuda_runtime.h>
#include <string>

/// Parses the mode and checks it against the machine. Returns -1 to go on, with `gpu` (a GPU is
/// visible) and a fresh `seed`, printed after `what`; else the exit code (2: usage, 77: skip).
inline int startTestMode(int argc, char **argv, const char *what, bool &gpu, uint64_t &seed) {
  const std::string mode = argc == 3 && std::strcmp(argv[1], "--mode") == 0 ? argv[2] : "";
  if (mode != "gpu" && mode != "no-gpu") {
    std::fprintf(stderr, "usage: %s --mode gpu|no-gpu\n", argv[0]);
    return 2;
  }
  int devices = 0;
  gpu = cudaGetDeviceCount(&devices) == cudaSuccess && devices > 0;
  if (gpu != (mode == "gpu")) {
    std::printf("skipped: %s\n", gpu ? "a GPU is visible" : "no GPU is visible");
    return 77;
  }
  seed = uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
  std::printf("%s (%s): seed %" PRIu64 "\n", what, mode.c_str(), seed);
  return -1;
}
