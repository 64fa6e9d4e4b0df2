// keops/host/isa.h: which ISA path the SIMD CPU kernels take. A library built with dispatch
// (keopsc's default on x86-64) carries each SIMD kernel three times, compiled for x86-64
// (SSE2), x86-64-v3 (AVX2, FMA) and x86-64-v4 (AVX-512); the first call picks the widest the
// running CPU and OS support. KEOPSC_ISA=baseline|avx2|avx512 in the environment caps the
// choice (a cap above what the CPU has gives what it has: never an instruction it lacks).
#ifndef KEOPS_HOST_ISA_H
#define KEOPS_HOST_ISA_H

#include <cstdlib>
#include <cstring>

namespace keops_rt {
namespace {

enum IsaLevel { kIsaBaseline = 0, kIsaAvx2 = 1, kIsaAvx512 = 2 };

inline int detectIsaLevel() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  int level = __builtin_cpu_supports("x86-64-v4")   ? kIsaAvx512
              : __builtin_cpu_supports("x86-64-v3") ? kIsaAvx2
                                                    : kIsaBaseline;
#else
  int level = kIsaBaseline;
#endif
  const char *cap = std::getenv("KEOPSC_ISA");
  if (cap && std::strcmp(cap, "baseline") == 0)
    level = kIsaBaseline;
  else if (cap && std::strcmp(cap, "avx2") == 0 && level > kIsaAvx2)
    level = kIsaAvx2;
  return level;
}

/// The level this library's kernels run at, decided once per process.
inline int isaLevel() {
  static const int level = detectIsaLevel();
  return level;
}

inline const char *isaName(int level) {
  return level == kIsaAvx512 ? "avx512" : level == kIsaAvx2 ? "avx2" : "baseline";
}

} // namespace
} // namespace keops_rt

#endif
