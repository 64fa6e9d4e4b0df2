// keops/host/simd_math.h: the vector forms of the element-wise operations beyond arithmetic, exp,
// sqrt, rsqrt and abs (keops/host/simd.h, simd_exp.h), so that every element-wise operation can
// run in the SIMD CPU kernels.
// - Selects (comparisons, Sign, Step, ReLU, IfElse, the clamps) give exactly the scalar results.
// - log, sin and cos are computed here, within 1 ulp of the correctly rounded result on their
//   fast paths (tests/unit/runtime/SimdMathTest.cpp measures them against long double); arguments
//   outside those paths (log: zero, negative, subnormal, ±∞, NaN; sin/cos: |x| > 2^19, ±∞, NaN)
//   take libm lane by lane, so special values are libm's.
// - The rest (asin, acos, atan, atan2, Powf, Round) call their scalar form lane by lane: the
//   same results as the scalar kernels, while the rest of the formula stays vectorised.
#ifndef KEOPS_HOST_SIMD_MATH_H
#define KEOPS_HOST_SIMD_MATH_H

#include "keops/host/simd.h"
#include "keops/host/simd_exp.h"

#include <cmath>
#include <limits>

// Every function here has internal linkage, so passing wide vectors by value changes no ABI.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace keops_rt {
namespace {
namespace simd {

/// f applied lane by lane: the scalar form, for operations without a vector one.
template <class T, int W, class F> inline Vec<T, W> lanewise(F f, Vec<T, W> a) {
  Vec<T, W> r;
  for (int l = 0; l < W; ++l)
    r.set(l, f(a[l]));
  return r;
}
template <class T, int W, class F> inline Vec<T, W> lanewise(F f, Vec<T, W> a, Vec<T, W> b) {
  Vec<T, W> r;
  for (int l = 0; l < W; ++l)
    r.set(l, f(a[l], b[l]));
  return r;
}

/// ⌊a⌋, lane-wise: one rounding instruction from SSE4.1 on, libm lane by lane below.
template <class T, int W> inline Vec<T, W> vfloor(Vec<T, W> a) {
#if defined(__SSE4_1__)
  using Raw = typename Vec<T, W>::Raw;
  constexpr bool kFloat = sizeof(T) == 4;
  constexpr int kDown = _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC;
#endif
#if defined(__AVX512F__) // the zero-masking forms: see simd_exp.h's kAll16
  if constexpr (sizeof(a) == 64 && kFloat)
    return Raw(_mm512_maskz_roundscale_ps(kAll16, (__m512)a.v, kDown));
  if constexpr (sizeof(a) == 64 && !kFloat)
    return Raw(_mm512_maskz_roundscale_pd(kAll8, (__m512d)a.v, kDown));
#endif
#if defined(__AVX__)
  if constexpr (sizeof(a) == 32 && kFloat)
    return Raw(_mm256_round_ps((__m256)a.v, kDown));
  if constexpr (sizeof(a) == 32 && !kFloat)
    return Raw(_mm256_round_pd((__m256d)a.v, kDown));
#endif
#if defined(__SSE4_1__)
  if constexpr (sizeof(a) == 16 && kFloat)
    return Raw(_mm_round_ps((__m128)a.v, kDown));
  if constexpr (sizeof(a) == 16 && !kFloat)
    return Raw(_mm_round_pd((__m128d)a.v, kDown));
#endif
  return lanewise([](T x) { return std::floor(x); }, a);
}

/// Half of a float vector's lanes (from lane Offset) in double, and two such halves back in
/// float: sin and cos of float run in double, on vectors of the ISA's own width (a double vector
/// as wide as the float one would be wider than the ISA's registers), so that the range reduction
/// is exact enough for every float up to 2^19 without splitting π in more parts, and the result is
/// rounded once, to float, at the end.
template <int Offset, int W, int... L>
inline Vec<double, sizeof...(L)> halfToDouble(Vec<float, W> a, std::integer_sequence<int, L...>) {
  using Raw = typename Vec<double, sizeof...(L)>::Raw;
#if defined(__AVX512DQ__) // the zero-masking forms: see simd_exp.h's kAll16
  if constexpr (W == 16)
    return Raw(_mm512_maskz_cvtps_pd(
        kAll8, _mm512_maskz_extractf32x8_ps(kAll8, (__m512)a.v, Offset ? 1 : 0)));
#endif
#if defined(__AVX__)
  if constexpr (W == 8)
    return Raw(_mm256_cvtps_pd(Offset ? _mm256_extractf128_ps((__m256)a.v, 1)
                                      : _mm256_castps256_ps128((__m256)a.v)));
#endif
#if defined(__SSE2__)
  if constexpr (W == 4)
    return Raw(_mm_cvtps_pd(Offset ? _mm_movehl_ps((__m128)a.v, (__m128)a.v) : (__m128)a.v));
#endif
  const typename Lanes<float, sizeof...(L)>::Raw half =
      __builtin_shufflevector(a.v, a.v, (Offset + L)...);
  return __builtin_convertvector(half, Raw);
}
template <int H, int... L>
inline Vec<float, 2 * H> joinToFloat(Vec<double, H> low, Vec<double, H> high,
                                     std::integer_sequence<int, L...>) {
  using Raw = typename Vec<float, 2 * H>::Raw;
#if defined(__AVX512DQ__)
  if constexpr (H == 8)
    return Raw(_mm512_maskz_insertf32x8(
        kAll16, _mm512_castps256_ps512(_mm512_maskz_cvtpd_ps(kAll8, (__m512d)low.v)),
        _mm512_maskz_cvtpd_ps(kAll8, (__m512d)high.v), 1));
#endif
#if defined(__AVX__)
  if constexpr (H == 4)
    return Raw(_mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps((__m256d)low.v)),
                                    _mm256_cvtpd_ps((__m256d)high.v), 1));
#endif
#if defined(__SSE2__)
  if constexpr (H == 2)
    return Raw(_mm_movelh_ps(_mm_cvtpd_ps((__m128d)low.v), _mm_cvtpd_ps((__m128d)high.v)));
#endif
  using Half = typename Lanes<float, H>::Raw;
  const Half l = __builtin_convertvector(low.v, Half), h = __builtin_convertvector(high.v, Half);
  return Raw(__builtin_shufflevector(l, h, L...));
}

/// The constants of log: the bits of √½ (reduced arguments lie in [√½, √2)), and a Chebyshev fit
/// R(z) of (2 atanh s − 2s)/s³ for z = s² ∈ [0, 0.02944] (s = f/(2 + f), f ∈ [√½ − 1, √2 − 1];
/// mpmath chebyfit; the error it adds to log1p f is 2.8e-9 relative in degree 2 for float,
/// 3.1e-20 in degree 7 for double), highest degree first.
template <class T> struct LogConstants;
template <> struct LogConstants<float> {
  static constexpr int32_t kSqrtHalfBits = 0x3f3504f3;
  static constexpr int kDegree = 2;
  static constexpr float kPoly[] = {0.29580053043188442133f, 0.39988778282162807728f,
                                    0.66666685045156029067f};
};
template <> struct LogConstants<double> {
  static constexpr int64_t kSqrtHalfBits = 0x3fe6a09e667f3bcdLL;
  static constexpr int kDegree = 7;
  static constexpr double kPoly[] = {0.13086767009948173697, 0.13268759668560612688,
                                     0.15386240205813477879, 0.181817956308847532,
                                     0.22222222391800469329, 0.28571428570803230015,
                                     0.40000000000000877606, 0.66666666666666666465};
};

/// ln x for positive normal finite x (the fast path of vlog): x = 2^e·m with m ∈ [√½, √2), f = m −
/// 1 (exact), log1p f = 2 atanh s = 2s + s·z·R(z) with s = f/(2 + f), written f − s·(f − z·R(z))
/// (2s = f − s·f) so that the rounded part is a small correction to the exact f; then e·ln 2 in
/// two parts (exp's, whose high part times e is exact) and f added first, exactly.
template <class T, int W> KEOPS_SIMD_INLINE Vec<T, W> vlogNormal(Vec<T, W> x) {
  using V = Vec<T, W>;
  using M = typename V::Mask;
  using C = LogConstants<T>;
  const M shifted = (M)x.v - C::kSqrtHalfBits;
  const M e = shifted >> Bits<T>::kMantissa; // arithmetic: x < √½ gives e < 0
  const M mantissa = M{} + ((typename V::Int(1) << Bits<T>::kMantissa) - 1);
  const V m((typename V::Raw)((shifted & mantissa) + C::kSqrtHalfBits));
  const V f = m - V(T(1));
  const V s = f / (f + V(T(2)));
  const V z = s * s;
  const V correction = s * (f - z * polynomial<C>(z)); // log1p f = f − correction
  const V ef = __builtin_convertvector(e, typename V::Raw);
  // e·ln2_hi + f with its rounding error (Fast2Sum: |e·ln 2| > |f| unless e = 0, where the sum
  // is exact), so that the result is rounded once more, not twice.
  const V high = ef * V(ExpConstants<T>::kLn2Hi);
  const V sum = high + f;
  const V error = f - (sum - high);
  return sum + ((error + ef * V(ExpConstants<T>::kLn2Lo)) - correction);
}

template <class T, int W> KEOPS_SIMD_INLINE Vec<T, W> vlog(Vec<T, W> x) {
  using V = Vec<T, W>;
  if (anyLess(x, V(std::numeric_limits<T>::min())) ||
      anyNotLessEqual(x, V(std::numeric_limits<T>::max())))
    return lanewise([](T a) { return std::log(a); }, x); // 0, < 0, subnormal, ±∞, NaN: rare
  return vlogNormal(x);
}

/// The constants of sin and cos, evaluated in double: π/2 in four parts (the first three of 33
/// bits, so that n times them is exact for n < 2^20; the fourth for double results only), the
/// largest |x| of the fast path, and Chebyshev fits on r ∈ [−π/4, π/4] of S(r²) = (sin r − r)/r³
/// and C(r²) = (cos r − 1 + r²/2)/r⁴ (mpmath chebyfit, highest degree first): errors relative to
/// the result of 1.7e-11 (sin) and 8.9e-13 (cos) in degree 3 for float results, 7.2e-21 (degree
/// 6) and 4.9e-19 (degree 5) for double results.
struct PiOver2 {
  static constexpr double kPart1 = 1.5707963267341256, kPart2 = 6.077100506303966e-11,
                          kPart3 = 2.0222662487111665e-21, kPart4 = 8.4784276603689e-32;
  static constexpr double kTwoOverPi = 0.63661977236758134308;
  static constexpr double kMagic = 6755399441055744.0; // 1.5·2^52: adding it rounds to an integer
  static constexpr double kFastMax = 524288.0;         // 2^19: n < 2^19
};
template <class T> struct SinCosConstants;
template <> struct SinCosConstants<float> {
  struct Sin {
    static constexpr int kDegree = 3;
    static constexpr double kPoly[] = {2.7249895230611678098e-6, -0.00019840086499593598134,
                                       0.0083333318742737136675, -0.16666666663854167038};
  };
  struct Cos {
    static constexpr int kDegree = 3;
    static constexpr double kPoly[] = {-2.7300933687212943062e-7, 0.000024800600180363808652,
                                       -0.0013888887671652503855, 0.041666666664320266605};
  };
};
template <> struct SinCosConstants<double> {
  struct Sin {
    static constexpr int kDegree = 6;
    static constexpr double kPoly[] = {-7.5866910941979583596e-13, 1.6058531516797759169e-10,
                                       -2.5052106231802837884e-8,  2.7557319219337310344e-6,
                                       -0.00019841269841265062561, 0.008333333333333331491,
                                       -0.16666666666666666666};
  };
  struct Cos {
    static constexpr int kDegree = 5;
    static constexpr double kPoly[] = {-1.138262364747460463e-11, 2.0876146146558611582e-9,
                                       -2.7557317271145145962e-7, 0.000024801587298764560771,
                                       -0.0013888888888887396492, 0.041666666666666665388};
  };
};

/// sin x (kCos false) or cos x (true) for |x| ≤ 2^19, in double: n = round(2x/π), r = x − n·π/2
/// (x − n·part1 is exact, Sterbenz; float arguments need no more than double's rounding of the
/// rest), then sin or cos of r by the quadrant (n + kCos) mod 4.
template <bool kCos, class T, int W>
KEOPS_SIMD_INLINE Vec<double, W> sinOrCosInDouble(Vec<double, W> xd) {
  using D = Vec<double, W>;
  using M = typename D::Mask;
  using C = SinCosConstants<T>;
  const D shifted = xd * D(PiOver2::kTwoOverPi) + D(PiOver2::kMagic);
  const D n = shifted - D(PiOver2::kMagic);
  const D high = xd - n * D(PiOver2::kPart1); // exact
  D r, tail;                                  // r + tail = x − n·π/2
  if constexpr (sizeof(T) == 8) {
    // Double results keep the rounding errors of the reduction as a tail (TwoSum, then
    // Fast2Sum), which the polynomials take to first order: within 1 ulp, not 2.
    const D part2 = n * D(PiOver2::kPart2); // exact
    const D u = high - part2;
    const D back = u - high;
    const D low =
        (((high - (u - back)) - (part2 + back)) - n * D(PiOver2::kPart3)) - n * D(PiOver2::kPart4);
    r = u + low;
    tail = (u - r) + low;
  } else {
    r = (high - n * D(PiOver2::kPart2)) - n * D(PiOver2::kPart3);
  }
  const D r2 = r * r, half = D(0.5) * r2;
  D sinR = r * r2 * polynomial<typename C::Sin>(r2);
  // cos r = w + ((1 − w) − r²/2) + r⁴·C, w = 1 − r²/2 rounded: its rounding error is kept.
  const D w = D(1.0) - half;
  D cosR = ((D(1.0) - w) - half) + r2 * r2 * polynomial<typename C::Cos>(r2);
  if constexpr (sizeof(T) == 8) { // sin(r + t) ≈ sin r + t·(1 − r²/2), cos(r + t) ≈ cos r − t·r
    sinR = sinR + (tail - tail * half);
    cosR = cosR - tail * r;
  }
  sinR = r + sinR;
  cosR = w + cosR;
  const M quadrant = (M)shifted.v + (kCos ? 1 : 0); // the low bits of `shifted` hold n
  D result = select<double, W>((quadrant & 1) != 0, cosR, sinR);
  result = select<double, W>((quadrant & 2) != 0, -result, result);
  return result;
}

template <bool kCos, class T, int W> KEOPS_SIMD_INLINE Vec<T, W> vsinOrCosReduced(Vec<T, W> x) {
  if constexpr (sizeof(T) == 8) {
    return sinOrCosInDouble<kCos, T>(x);
  } else {
    constexpr int H = W / 2;
    const auto half = std::make_integer_sequence<int, H>();
    const Vec<double, H> low = sinOrCosInDouble<kCos, T>(halfToDouble<0>(x, half));
    const Vec<double, H> high = sinOrCosInDouble<kCos, T>(halfToDouble<H>(x, half));
    return joinToFloat(low, high, std::make_integer_sequence<int, W>());
  }
}

template <bool kCos, class T, int W> KEOPS_SIMD_INLINE Vec<T, W> vsinOrCos(Vec<T, W> x) {
  if (anyNotLessEqual(vabs(x), Vec<T, W>(T(PiOver2::kFastMax))))
    return lanewise([](T a) { return kCos ? std::cos(a) : std::sin(a); }, x); // huge, ±∞, NaN
  return vsinOrCosReduced<kCos>(x);
}

/// 1 where m holds, else 0.
template <class T, int W> inline Vec<T, W> indicator(typename Vec<T, W>::Mask m) {
  return select<T, W>(m, Vec<T, W>(T(1)), Vec<T, W>(T(0)));
}

} // namespace simd

// The vector overloads of portable/math.h's op_<name> (more specialised, so they win over the
// scalar templates for Vec arguments), each the scalar form's result lane by lane.
template <class T, int W> using SimdVec = simd::Vec<T, W>;

template <class T, int W> inline SimdVec<T, W> op_log(SimdVec<T, W> a) { return simd::vlog(a); }
template <class T, int W> inline SimdVec<T, W> op_sin(SimdVec<T, W> a) {
  return simd::vsinOrCos<false>(a);
}
template <class T, int W> inline SimdVec<T, W> op_cos(SimdVec<T, W> a) {
  return simd::vsinOrCos<true>(a);
}
template <class T, int W> inline SimdVec<T, W> op_xlogx(SimdVec<T, W> x) {
  using V = SimdVec<T, W>;
  return simd::select<T, W>(x == V(T(0)), V(T(0)), x * simd::vlog(x));
}
template <class T, int W> inline SimdVec<T, W> op_sinxdivx(SimdVec<T, W> x) {
  using V = SimdVec<T, W>;
  return simd::select<T, W>(x == V(T(0)), V(T(1)), simd::vsinOrCos<false>(x) / x);
}
template <class T, int W> inline SimdVec<T, W> op_floor(SimdVec<T, W> a) { return simd::vfloor(a); }
template <class T, int W>
inline SimdVec<T, W> op_mod(SimdVec<T, W> f, SimdVec<T, W> n, SimdVec<T, W> o) {
  return f - n * simd::vfloor((f - o) / n);
}

template <class T, int W> inline SimdVec<T, W> op_eq(SimdVec<T, W> a, SimdVec<T, W> b) {
  return simd::indicator<T, W>(a == b);
}
template <class T, int W> inline SimdVec<T, W> op_ne(SimdVec<T, W> a, SimdVec<T, W> b) {
  return simd::indicator<T, W>(a != b);
}
template <class T, int W> inline SimdVec<T, W> op_lt(SimdVec<T, W> a, SimdVec<T, W> b) {
  return simd::indicator<T, W>(a < b);
}
template <class T, int W> inline SimdVec<T, W> op_le(SimdVec<T, W> a, SimdVec<T, W> b) {
  return simd::indicator<T, W>(a <= b);
}

// Sign, Step, IfElse: NaN where the operand is NaN (both compares false), as the scalar forms.
template <class T, int W> inline SimdVec<T, W> op_sign(SimdVec<T, W> x) {
  using V = SimdVec<T, W>;
  return simd::select<T, W>(x > V(T(0)), V(T(1)), simd::select<T, W>(x < V(T(0)), V(T(-1)), x));
}
template <class T, int W> inline SimdVec<T, W> op_step(SimdVec<T, W> x) {
  using V = SimdVec<T, W>;
  return simd::select<T, W>(x < V(T(0)), V(T(0)), simd::select<T, W>(x >= V(T(0)), V(T(1)), x));
}
template <class T, int W> inline SimdVec<T, W> op_relu(SimdVec<T, W> x) {
  using V = SimdVec<T, W>;
  return simd::select<T, W>(x < V(T(0)), V(T(0)), x);
}
template <class T, int W>
inline SimdVec<T, W> op_ifelse(SimdVec<T, W> c, SimdVec<T, W> a, SimdVec<T, W> b) {
  using V = SimdVec<T, W>;
  return simd::select<T, W>(c >= V(T(0)), a, simd::select<T, W>(c < V(T(0)), b, c));
}
template <class T, int W>
inline SimdVec<T, W> op_clamp(SimdVec<T, W> f, SimdVec<T, W> a, SimdVec<T, W> b) {
  const SimdVec<T, W> inside = simd::select<T, W>(f < a, a, simd::select<T, W>(f > b, b, f));
  return simd::select<T, W>((a != a) | (b != b), a + b, inside); // a NaN bound gives NaN
}
template <class T, int W> inline SimdVec<T, W> op_clampint(SimdVec<T, W> f, int64_t a, int64_t b) {
  using V = SimdVec<T, W>;
  const V lo = V(T(a)), hi = V(T(b));
  return simd::select<T, W>(f < lo, lo, simd::select<T, W>(f > hi, hi, f));
}
template <class T, int W>
inline SimdVec<T, W> op_diffclampint(SimdVec<T, W> f, int64_t a, int64_t b) {
  using V = SimdVec<T, W>;
  const V inside = simd::indicator<T, W>(~((f < V(T(a))) | (f > V(T(b)))));
  return simd::select<T, W>(f != f, f, inside);
}

template <class T, int W> inline SimdVec<T, W> op_asin(SimdVec<T, W> a) {
  return simd::lanewise([](T x) { return op_asin(x); }, a);
}
template <class T, int W> inline SimdVec<T, W> op_acos(SimdVec<T, W> a) {
  return simd::lanewise([](T x) { return op_acos(x); }, a);
}
template <class T, int W> inline SimdVec<T, W> op_atan(SimdVec<T, W> a) {
  return simd::lanewise([](T x) { return op_atan(x); }, a);
}
template <class T, int W> inline SimdVec<T, W> op_atan2(SimdVec<T, W> f, SimdVec<T, W> g) {
  return simd::lanewise([](T x, T y) { return op_atan2(x, y); }, f, g);
}
template <class T, int W> inline SimdVec<T, W> op_powf(SimdVec<T, W> a, SimdVec<T, W> b) {
  return simd::lanewise([](T x, T y) { return op_powf(x, y); }, a, b);
}
template <class T, int W> inline SimdVec<T, W> op_round(SimdVec<T, W> a, int64_t n) {
  return simd::lanewise([n](T x) { return op_round(x, n); }, a);
}

} // namespace
} // namespace keops_rt

#pragma GCC diagnostic pop

#endif
