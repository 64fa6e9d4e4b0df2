// bench/vector_math/HwyExp.cpp: Highway's header-only vector exp (hwy/contrib/math), compiled for
// AVX-512 in this file alone (CMake gives it -march=x86-64-v4 -mpclmul -maes, which Highway 1.0
// needs for its AVX3 target); ExpThroughput.cpp calls it only when the CPU has AVX-512.
#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>

namespace hn = hwy::HWY_NAMESPACE;

void hwyExp512(const float *x, float *y, int n) {
  const hn::ScalableTag<float> d;
  const int lanes = static_cast<int>(hn::Lanes(d));
  for (int i = 0; i < n; i += lanes)
    hn::StoreU(hn::Exp(d, hn::LoadU(d, x + i)), d, y + i);
}
