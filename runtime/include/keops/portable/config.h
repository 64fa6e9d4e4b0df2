// keops/portable/config.h: the one host/device macro of the portable runtime. Everything under
// keops/portable/ compiles as host C++ and as CUDA device code; nothing here allocates, throws,
// or touches threads (that is keops/host/).
#ifndef KEOPS_PORTABLE_CONFIG_H
#define KEOPS_PORTABLE_CONFIG_H

#if defined(__CUDACC__)
#define KEOPS_HD __host__ __device__ __forceinline__
#else
#define KEOPS_HD inline
#endif

namespace keops_rt {
namespace {

/// +∞ and a quiet NaN without <limits> (not usable in device code without relaxed constexpr).
template <class T> KEOPS_HD T infinity() { return T(__builtin_huge_val()); }
template <class T> KEOPS_HD T quietNan() { return T(__builtin_nan("")); }
template <class T> KEOPS_HD bool isNan(T x) { return x != x; }

} // namespace
} // namespace keops_rt

#endif
