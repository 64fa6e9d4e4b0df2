// keops/host/simd.h: the vector type of the generated SIMD CPU kernels and their vector math
// (exp and 2^x in keops/host/simd_exp.h).
// Vec<T, W> wraps a GCC vector of W lanes (float or double) with arithmetic operators, so the
// op_<name> templates of portable/math.h apply to it unchanged; the overloads at the end give
// the operations that need more than arithmetic (sqrt, rsqrt, abs) their vector form.
// KEOPS_SIMD_BYTES is the width of the ISA this translation unit is compiled for (16 for SSE2,
// 32 for AVX2, 64 for AVX-512): generated libraries compile their kernels once per ISA level
// and pick one at run time (DESIGN.md §5). Host only: nvcc has no GCC vector types.
#ifndef KEOPS_HOST_SIMD_H
#define KEOPS_HOST_SIMD_H

#include "keops/portable/config.h"
#include "keops/portable/math.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#if defined(__AVX512F__)
#define KEOPS_SIMD_BYTES 64
#elif defined(__AVX__)
#define KEOPS_SIMD_BYTES 32
#else
#define KEOPS_SIMD_BYTES 16
#endif

// The hot paths are inlined whatever GCC's size heuristics say: a kernel of four blocked rows
// with several exps exceeds them, and an out-of-line exp costs a call and spilled registers per
// vector. The less common paths (a raised maximum, a K-min insertion) are never inlined, so they
// do not crowd the loop, and the rare ones (exp's arguments near its range's ends, NaN or +∞
// terms) are also compiled for size, out of the way.
#define KEOPS_SIMD_INLINE inline __attribute__((always_inline))
#define KEOPS_SIMD_OUTLINE __attribute__((noinline))
#define KEOPS_SIMD_COLD __attribute__((noinline, cold))

// Every function here has internal linkage, so passing wide vectors by value changes no ABI.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace keops_rt {
namespace {
namespace simd {

template <class T> struct Bits;
template <> struct Bits<float> {
  using Int = int32_t;
  static constexpr int kMantissa = 23, kBias = 127;
};
template <> struct Bits<double> {
  using Int = int64_t;
  static constexpr int kMantissa = 52, kBias = 1023;
};

/// The GCC vector types of W lanes of T (Raw) and of its lane masks (Mask: all ones or zero per
/// lane, as comparisons make them). Spelled out per width: GCC drops vector_size on a type that
/// depends on a template parameter.
template <class T, int W> struct Lanes;
#define KEOPS_SIMD_LANES(T, W, I)                                                                  \
  template <> struct Lanes<T, W> {                                                                 \
    typedef T Raw __attribute__((vector_size(W * sizeof(T))));                                     \
    typedef I Mask __attribute__((vector_size(W * sizeof(T))));                                    \
  };
KEOPS_SIMD_LANES(float, 2, int32_t) // half of SSE2's lanes (simd_math.h's sin and cos)
KEOPS_SIMD_LANES(float, 4, int32_t)
KEOPS_SIMD_LANES(float, 8, int32_t)
KEOPS_SIMD_LANES(float, 16, int32_t)
KEOPS_SIMD_LANES(double, 2, int64_t)
KEOPS_SIMD_LANES(double, 4, int64_t)
KEOPS_SIMD_LANES(double, 8, int64_t)
#undef KEOPS_SIMD_LANES

template <class T, int W> struct Vec {
  static constexpr int kLanes = W;
  using Scalar = T;
  using Int = typename Bits<T>::Int;
  using Raw = typename Lanes<T, W>::Raw;
  using Mask = typename Lanes<T, W>::Mask;
  Raw v;

  Vec() = default;
  /// Broadcast, so uniform values mix with varying ones. Spelled as a braced list of W copies:
  /// compilers turn it into one broadcast (a lane loop becomes W inserts; `Raw{} + s` would
  /// turn −0 into +0).
  Vec(T s) : v(splat(s, std::make_integer_sequence<int, W>())) {}
  Vec(Raw r) : v(r) {}
  static Vec load(const T *p) {
    Raw r;
    std::memcpy(&r, p, sizeof r);
    return r;
  }
  static Vec zero() { return Raw{}; }
  /// 0, 1, …, W − 1 as T.
  static Vec iota() { return iotaOf(std::make_integer_sequence<int, W>()); }
  T operator[](int lane) const { return v[lane]; }
  void set(int lane, T value) { v[lane] = value; }

  template <int... L> static Raw splat(T s, std::integer_sequence<int, L...>) {
    return Raw{((void)L, s)...};
  }
  template <int... L> static Raw iotaOf(std::integer_sequence<int, L...>) { return Raw{T(L)...}; }

  friend Vec operator+(Vec a, Vec b) { return a.v + b.v; }
  friend Vec operator-(Vec a, Vec b) { return a.v - b.v; }
  friend Vec operator*(Vec a, Vec b) { return a.v * b.v; }
  friend Vec operator/(Vec a, Vec b) { return a.v / b.v; }
  friend Vec operator-(Vec a) { return -a.v; }
  Vec &operator+=(Vec b) { return v += b.v, *this; }
  Vec &operator-=(Vec b) { return v -= b.v, *this; }
  Vec &operator*=(Vec b) { return v *= b.v, *this; }
  Vec &operator/=(Vec b) { return v /= b.v, *this; }
  friend Mask operator<(Vec a, Vec b) { return a.v < b.v; }
  friend Mask operator<=(Vec a, Vec b) { return a.v <= b.v; }
  friend Mask operator>(Vec a, Vec b) { return a.v > b.v; }
  friend Mask operator>=(Vec a, Vec b) { return a.v >= b.v; }
  friend Mask operator==(Vec a, Vec b) { return a.v == b.v; }
  friend Mask operator!=(Vec a, Vec b) { return a.v != b.v; }
};

/// The lane mask of a vector whose lanes all hold terms (the states add it without a select).
struct AllLanes {};

/// The lane count of T on this translation unit's ISA.
template <class T> constexpr int lanesOf() { return KEOPS_SIMD_BYTES / int(sizeof(T)); }
template <class T> using Native = Vec<T, lanesOf<T>()>;

template <class T, int W>
inline Vec<T, W> select(typename Vec<T, W>::Mask m, Vec<T, W> a, Vec<T, W> b) {
  return m ? a.v : b.v;
}
/// The lanes of m as bits, lane l at bit l.
template <class M> inline uint32_t laneBits(M m) {
  uint32_t bits = 0;
  for (int l = 0; l < int(sizeof m / sizeof m[0]); ++l)
    bits |= uint32_t(m[l] != 0) << l;
  return bits;
}
template <class M> inline bool any(M m) {
  for (int l = 0; l < int(sizeof m / sizeof m[0]); ++l)
    if (m[l])
      return true;
  return false;
}

/// The lane predicates the reduction states test a whole vector for.
enum class Compare {
  Less,        // a < b, ordered: NaN lanes are not
  NotLessEqual // !(a <= b): NaN lanes are
};

/// Whether some lane of a stands in relation P to b: one compare and a mask test on x86, where
/// `any(a < b)` on GCC vectors would first widen AVX-512's mask register into a vector.
template <Compare P, class T, int W> inline bool anyCompare(Vec<T, W> a, Vec<T, W> b) {
#if defined(__AVX__)
  constexpr int kImm = P == Compare::Less ? _CMP_LT_OQ : _CMP_NLE_UQ;
#endif
#if defined(__AVX512F__)
  if constexpr (sizeof(a) == 64 && sizeof(T) == 4)
    return _mm512_cmp_ps_mask((__m512)a.v, (__m512)b.v, kImm) != 0;
  if constexpr (sizeof(a) == 64 && sizeof(T) == 8)
    return _mm512_cmp_pd_mask((__m512d)a.v, (__m512d)b.v, kImm) != 0;
#endif
#if defined(__AVX__)
  if constexpr (sizeof(a) == 32 && sizeof(T) == 4)
    return _mm256_movemask_ps(_mm256_cmp_ps((__m256)a.v, (__m256)b.v, kImm)) != 0;
  if constexpr (sizeof(a) == 32 && sizeof(T) == 8)
    return _mm256_movemask_pd(_mm256_cmp_pd((__m256d)a.v, (__m256d)b.v, kImm)) != 0;
#endif
  const typename Vec<T, W>::Mask m = P == Compare::Less ? a < b : ~(a <= b);
#if defined(__SSE2__)
  if constexpr (sizeof(a) == 16)
    return _mm_movemask_epi8((__m128i)m) != 0;
#endif
  return any(m);
}
template <class T, int W> inline bool anyNotLessEqual(Vec<T, W> a, Vec<T, W> b) {
  return anyCompare<Compare::NotLessEqual>(a, b);
}
template <class T, int W> inline bool anyLess(Vec<T, W> a, Vec<T, W> b) {
  return anyCompare<Compare::Less>(a, b);
}

template <class T, int W> inline T laneSum(Vec<T, W> a) {
  T s = a[0];
  for (int l = 1; l < W; ++l)
    s += a[l];
  return s;
}
template <class T, int W> inline Vec<T, W> vmax(Vec<T, W> a, Vec<T, W> b) {
  return select<T, W>(a < b, b, a);
}
template <class T, int W> inline Vec<T, W> vabs(Vec<T, W> a) {
  using V = Vec<T, W>;
  return V((typename V::Raw)((typename V::Mask)a.v & ~(typename V::Mask)V(T(-0.0)).v));
}
/// |a| with the sign of b, lane-wise.
template <class T, int W> inline Vec<T, W> vcopysign(Vec<T, W> a, Vec<T, W> b) {
  using V = Vec<T, W>;
  using M = typename V::Mask;
  const M sign = (M)V(T(-0.0)).v;
  return V((typename V::Raw)(((M)a.v & ~sign) | ((M)b.v & sign)));
}
template <class T, int W> inline Vec<T, W> vsqrt(Vec<T, W> a) {
#if defined(__AVX512F__)
  if constexpr (sizeof(a) == 64)
    return Vec<T, W>(sizeof(T) == 4 ? (typename Vec<T, W>::Raw)_mm512_sqrt_ps((__m512)a.v)
                                    : (typename Vec<T, W>::Raw)_mm512_sqrt_pd((__m512d)a.v));
#endif
#if defined(__AVX__)
  if constexpr (sizeof(a) == 32)
    return Vec<T, W>(sizeof(T) == 4 ? (typename Vec<T, W>::Raw)_mm256_sqrt_ps((__m256)a.v)
                                    : (typename Vec<T, W>::Raw)_mm256_sqrt_pd((__m256d)a.v));
#endif
#if defined(__SSE2__)
  if constexpr (sizeof(a) == 16)
    return Vec<T, W>(sizeof(T) == 4 ? (typename Vec<T, W>::Raw)_mm_sqrt_ps((__m128)a.v)
                                    : (typename Vec<T, W>::Raw)_mm_sqrt_pd((__m128d)a.v));
#endif
  Vec<T, W> r;
  for (int l = 0; l < W; ++l)
    r.set(l, std::sqrt(a[l]));
  return r;
}

/// a·b + c rounded once where the ISA has FMA (x86-64-v3 and up), else a·b + c rounded twice:
/// callers that need the single rounding check __FMA__. Spelled with intrinsics, since GCC may
/// contract either product of x·h + x·l, and may not contract at all on vectors wider than the
/// ISA's.
template <class T, int W> KEOPS_SIMD_INLINE Vec<T, W> vfma(Vec<T, W> a, Vec<T, W> b, Vec<T, W> c) {
#if defined(__FMA__) || defined(__AVX512F__)
  using Raw = typename Vec<T, W>::Raw;
  constexpr bool kFloat = sizeof(T) == 4;
#endif
#if defined(__AVX512F__)
  if constexpr (sizeof(a) == 64 && kFloat)
    return Raw(_mm512_fmadd_ps((__m512)a.v, (__m512)b.v, (__m512)c.v));
  if constexpr (sizeof(a) == 64 && !kFloat)
    return Raw(_mm512_fmadd_pd((__m512d)a.v, (__m512d)b.v, (__m512d)c.v));
#endif
#if defined(__FMA__)
  if constexpr (sizeof(a) == 32 && kFloat)
    return Raw(_mm256_fmadd_ps((__m256)a.v, (__m256)b.v, (__m256)c.v));
  if constexpr (sizeof(a) == 32 && !kFloat)
    return Raw(_mm256_fmadd_pd((__m256d)a.v, (__m256d)b.v, (__m256d)c.v));
  if constexpr (sizeof(a) == 16 && kFloat)
    return Raw(_mm_fmadd_ps((__m128)a.v, (__m128)b.v, (__m128)c.v));
  if constexpr (sizeof(a) == 16 && !kFloat)
    return Raw(_mm_fmadd_pd((__m128d)a.v, (__m128d)b.v, (__m128d)c.v));
  // Wider than this ISA's vectors: lane by lane, still one rounding each.
  Vec<T, W> r;
  for (int l = 0; l < W; ++l)
    r.set(l, std::fma(a[l], b[l], c[l]));
  return r;
#else
  return a * b + c;
#endif
}

/// An owned array of n default-initialised T (over-aligned types included, C++17 new): the
/// kernels' per-thread states, without std templates whose out-of-line copies (vague linkage)
/// could leak one ISA's instructions into another's callers.
template <class T> class Buffer {
public:
  explicit Buffer(int64_t n) : p_(new T[static_cast<size_t>(n)]) {}
  ~Buffer() { delete[] p_; }
  Buffer(const Buffer &) = delete;
  Buffer &operator=(const Buffer &) = delete;
  T &operator[](int64_t k) { return p_[k]; }

private:
  T *p_;
};

} // namespace simd

// The element-wise operations whose scalar forms call libm (portable/math.h) take vectors here
// (exp's in keops/host/simd_exp.h).
template <class T, int W> inline simd::Vec<T, W> op_sqrt(simd::Vec<T, W> a) {
  return simd::vsqrt(a);
}
template <class T, int W> inline simd::Vec<T, W> op_abs(simd::Vec<T, W> a) { return simd::vabs(a); }
/// Rsqrt(0) = 0 (SPEC.md §3), lane-wise.
template <class T, int W> inline simd::Vec<T, W> op_rsqrt(simd::Vec<T, W> a) {
  using V = simd::Vec<T, W>;
  return simd::select<T, W>(a == V(T(0)), V(T(0)), V(T(1)) / simd::vsqrt(a));
}

} // namespace
} // namespace keops_rt

#pragma GCC diagnostic pop

#endif
