// keops/host/simd_exp.h: e^x and 2^x for the SIMD CPU kernels (keops/host/simd.h's vectors):
// exp within 2 ulp over its whole range, the form LogSumExp's terms e^(F − m) ≤ 1 take, and
// e^(s·x) with s·log2 e folded into the range reduction (the exp-of-product pass's
// ExpOfProduct). AVX-512 computes 2^u from a 16-entry table with vpermps and scales it with
// vscalefps, without a range check; other ISAs add the exponent and check the range.
#ifndef KEOPS_HOST_SIMD_EXP_H
#define KEOPS_HOST_SIMD_EXP_H

#include "keops/host/simd.h"

#include <limits>

// Every function here has internal linkage, so passing wide vectors by value changes no ABI.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace keops_rt {
namespace {
namespace simd {

/// C::kPoly (highest degree first, degree C::kDegree) at x, by Horner's rule: one multiply-add a
/// degree where the ISA has FMA.
template <class C, class V> KEOPS_SIMD_INLINE V polynomial(V x) {
  V p = V(C::kPoly[0]);
  for (int k = 1; k <= C::kDegree; ++k)
    p = p * x + V(C::kPoly[k]);
  return p;
}

/// The constants of exp in T: the clamp that keeps 2^n as a product of two normal powers of
/// two, the range where the result is normal, ln 2 in two parts (the high one exact times any n in
/// range), and a Chebyshev fit of e^r on [−ln2/2, ln2/2] (mpmath chebyfit; relative error 2.0e-9 in
/// degree 6 for float, 3.2e-18 in degree 11 for double), highest degree first.
template <class T> struct ExpConstants;
template <> struct ExpConstants<float> {
  static constexpr float kLow = -175.0f, kHigh = 176.0f;
  static constexpr float kFast = 86.9f;        // e^x normal and finite for |x| ≤ kFast
  static constexpr float kMagic = 12582912.0f; // 1.5·2^23: adding it rounds to an integer
  static constexpr float kLn2Hi = 0.693145751953125f, kLn2Lo = 1.428606765330187e-06f;
  static constexpr int kDegree = 6;
  static constexpr float kPoly[] = {1.3941108433972675e-3f,
                                    8.3751263981533357e-3f,
                                    4.1666352896775157e-2f,
                                    1.6666415514653275e-1f,
                                    5.0000000471177577e-1f,
                                    1.0000000377162138f,
                                    1.0f};
};
template <> struct ExpConstants<double> {
  static constexpr double kLow = -1416.0, kHigh = 1416.0;
  static constexpr double kFast = 707.0;
  static constexpr double kMagic = 6755399441055744.0; // 1.5·2^52
  static constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  static constexpr int kDegree = 11;
  static constexpr double kPoly[] = {
      2.5110037605963777712e-8, 2.7632639639041029749e-7, 2.7557240918578969823e-6,
      2.4801485482328492419e-5, 1.9841269890047113707e-4, 1.3888888952314774652e-3,
      8.3333333333196006109e-3, 4.1666666666488095495e-2, 1.6666666666666680806e-1,
      5.0000000000000183855e-1, 9.9999999999999999976e-1, 1.0};
};

/// e^x, lane-wise: n = round(x / ln2), r = x − n ln2 (Cody–Waite), e^r by the polynomial, then
/// 2^n. When every lane's result is a normal number (|x| ≤ kFast), 2^n is added to the exponent
/// field of e^r directly. Otherwise (a lane near or past the range's ends, or NaN) the clamped
/// x is scaled by two multiplications, 2^⌊n/2⌋ and 2^(n − ⌊n/2⌋), so that results below the
/// normal range round once, like libm's subnormals, and beyond it overflow to +∞ or round to 0;
/// NaN stays NaN (the clamp compares false). Error within 2 ulp over the whole range
/// (tests/unit/SimdTest.cpp).
template <class T, int W> KEOPS_SIMD_COLD Vec<T, W> vexpScaled(Vec<T, W> x);

/// The part of e^x both paths share: e^r, with r = x − n ln2, returned; `shifted` gets
/// x/ln2 + kMagic, whose low bits hold n = round(x/ln2).
template <class T, int W>
KEOPS_SIMD_INLINE Vec<T, W> expOfRemainder(Vec<T, W> x, Vec<T, W> &shifted) {
  using V = Vec<T, W>;
  using C = ExpConstants<T>;
  shifted = x * V(T(1.4426950408889634)) + V(C::kMagic);
  const V n = shifted - V(C::kMagic);
  const V r = (x - n * V(C::kLn2Hi)) - n * V(C::kLn2Lo);
  return polynomial<C>(r);
}

/// e^x for |x| ≤ kFast, where the result is a normal number (the fast path of vexp).
template <class T, int W> KEOPS_SIMD_INLINE Vec<T, W> vexpNormal(Vec<T, W> x) {
  using V = Vec<T, W>;
  using M = typename V::Mask;
  V shifted;
  const V p = expOfRemainder(x, shifted);
  // The low bits of `shifted` hold n: shifted into the exponent field, they add n to e^r's.
  return V((typename V::Raw)((M)p.v + ((M)shifted.v << Bits<T>::kMantissa)));
}

template <class T, int W> KEOPS_SIMD_INLINE Vec<T, W> vexp(Vec<T, W> x) {
  if (anyNotLessEqual(vabs(x), Vec<T, W>(ExpConstants<T>::kFast)))
    return vexpScaled(x);
  return vexpNormal(x);
}

template <class T, int W> KEOPS_SIMD_COLD Vec<T, W> vexpScaled(Vec<T, W> x) {
  using V = Vec<T, W>;
  using C = ExpConstants<T>;
  using M = typename V::Mask;
  constexpr int kShift = Bits<T>::kMantissa;
  x = select<T, W>(x < V(C::kLow), V(C::kLow), x);
  x = select<T, W>(x > V(C::kHigh), V(C::kHigh), x);
  V shifted;
  const V p = expOfRemainder(x, shifted);
  const M ni = (M)shifted.v - (M)V(C::kMagic).v; // n as an integer: the low bits of `shifted`
  const M half = ni >> 1;
  const M bias = M{} + Bits<T>::kBias;
  const V scale1((typename V::Raw)((half + bias) << kShift));
  const V scale2((typename V::Raw)((ni - half + bias) << kShift));
  return p * scale1 * scale2;
}

/// The constants of 2^u: log2 e in two parts (the low one the rounding error of the high one),
/// the range where 2^u is normal with margin, and a Chebyshev fit of 2^f on [−1/2, 1/2]
/// (mpmath chebyfit; relative error 2.0e-9 in degree 6 for float, 3.2e-18 in degree 11 for
/// double), highest degree first.
template <class T> struct Exp2Constants;
template <> struct Exp2Constants<float> {
  static constexpr float kLog2e = 1.4426950216293335f, kLog2eLo = 1.925963033500011e-08f;
  static constexpr float kFast = 125.0f;
  static constexpr int kDegree = 6;
  static constexpr float kPoly[] = {1.5461444854736328e-4f,
                                    1.3400427997112274e-3f,
                                    9.618056938052177e-3f,
                                    5.550327152013779e-2f,
                                    2.4022650718688965e-1f,
                                    6.931471824645996e-1f,
                                    1.0f};
};
template <> struct Exp2Constants<double> {
  static constexpr double kLog2e = 1.4426950408889634, kLog2eLo = 2.0355273740931033e-17;
  static constexpr double kFast = 1020.0;
  static constexpr int kDegree = 11;
  static constexpr double kPoly[] = {
      4.4558179083360645e-10, 7.074194297288521e-09,  1.0178057087733941e-07,
      1.3215432535912375e-06, 1.5252733841556773e-05, 1.5403530463724353e-04,
      1.333355814640647e-03,  9.618129107587256e-03,  5.5504108664821625e-02,
      2.4022650695910158e-01, 6.931471805599453e-01,  1.0};
};

/// 2^u for |u| ≤ Exp2Constants<T>::kFast, where the result is a normal number: u = n + f with
/// n = round(u) (exact: the rounding and the remainder are additions), 2^f by the polynomial,
/// n added to its exponent field.
template <class T, int W> KEOPS_SIMD_INLINE Vec<T, W> vexp2Normal(Vec<T, W> u) {
  using V = Vec<T, W>;
  using M = typename V::Mask;
  using C = Exp2Constants<T>;
  const V magic(ExpConstants<T>::kMagic);
  const V shifted = u + magic;
  const V f = u - (shifted - magic);
  const V p = polynomial<C>(f);
  return V((typename V::Raw)((M)p.v + ((M)shifted.v << Bits<T>::kMantissa)));
}

#if defined(__AVX512F__) && defined(__AVX512DQ__)
/// AVX-512 (x86-64-v4) computes 2^u for every u (±∞ and NaN included) with no clamp and no
/// range check: vreduceps/pd takes u apart (and gives 0 for ±∞), vscalefps/pd scales by 2^⌊u⌋,
/// rounding results below the normal range once, overflowing to +∞, and giving +∞ and 0 for
/// u = ±∞.
template <class V> constexpr bool kWideExp2 = sizeof(V) == 64;
// The zero-masking forms with every lane selected are the plain instructions; the unmasked
// intrinsics pass GCC 12 an undefined vector that -Wmaybe-uninitialized reports.
constexpr __mmask16 kAll16 = 0xffff;
constexpr __mmask8 kAll8 = 0xff;

/// 2^u, float, 16 lanes: u = n/16 + f with n = ⌊16u⌋ and 0 ≤ f < 1/16 (vreduceps), 2^(n mod 16
/// / 16) from a 16-entry table in one register (one vpermps, which reads the index from the low
/// four bits of u + 1.5·2^19 rounded down), 2^f − 1 by a degree-3 polynomial (mpmath chebyfit of
/// (2^f − 1)/f on [0, 1/16]; 5.3e-9 relative in 2^f with the coefficients in float), scaled by
/// 2^⌊u⌋ = 2^⌊n/16⌋.
KEOPS_SIMD_INLINE Vec<float, 16> vexp2Wide(Vec<float, 16> u) {
  using V = Vec<float, 16>;
  const __m512 x = (__m512)u.v;
  constexpr int kDown = _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC;
  // 1.5·2^19: adding it rounds u down to a multiple of 1/16, n in the low bits.
  const __m512 shifted =
      _mm512_maskz_add_round_ps(kAll16, x, _mm512_set1_ps(1.5f * 524288.0f), kDown);
  // u − ⌊16u⌋/16: four fraction bits kept (imm8[7:4]), rounding down (imm8[1:0]).
  const V f(V::Raw(_mm512_maskz_reduce_round_ps(kAll16, x, (4 << 4) | _MM_FROUND_TO_NEG_INF,
                                                _MM_FROUND_NO_EXC)));
  const __m512 table = _mm512_setr_ps(
      1.0f, 1.0442737340927124f, 1.0905077457427979f, 1.1387885808944702f, 1.1892070770263672f,
      1.2418577671051025f, 1.2968395948410034f, 1.3542555570602417f, 1.4142135381698608f,
      1.4768261909484863f, 1.5422108173370361f, 1.610490322113037f, 1.6817928552627563f,
      1.7562521696090698f, 1.8340080976486206f, 1.9152065515518188f);
  const V t(V::Raw(_mm512_maskz_permutexvar_ps(kAll16, (__m512i)shifted, table)));
  const V q =
      ((V(5.6414663791656494e-2f) * f + V(2.4020510911941528e-1f)) * f + V(6.931472420692444e-1f)) *
      f;
  return V::Raw(_mm512_maskz_scalef_ps(kAll16, (__m512)vfma(t, q, t).v, x));
}

/// a·b rounded toward zero: never ±∞ from finite operands.
KEOPS_SIMD_INLINE __m512 mulTowardZero(__m512 a, __m512 b) {
  return _mm512_maskz_mul_round_ps(kAll16, a, b, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
}
KEOPS_SIMD_INLINE __m512d mulTowardZero(__m512d a, __m512d b) {
  return _mm512_maskz_mul_round_pd(kAll8, a, b, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
}

/// 2^u, double, 8 lanes: u = n + f with n = round(u) and |f| ≤ 1/2 (vreducepd; n = u − f
/// exactly), 2^f by the polynomial of vexp2Normal, scaled by 2^n. (f in [0, 1) with ⌊u⌋ would
/// save the subtraction, but its longer Horner chain measured 1.4 ulp instead of 0.9.)
KEOPS_SIMD_INLINE Vec<double, 8> vexp2Wide(Vec<double, 8> u) {
  using V = Vec<double, 8>;
  const V f(V::Raw(_mm512_maskz_reduce_round_pd(kAll8, (__m512d)u.v, _MM_FROUND_TO_NEAREST_INT,
                                                _MM_FROUND_NO_EXC)));
  const V n = u - f;
  return V::Raw(
      _mm512_maskz_scalef_pd(kAll8, (__m512d)polynomial<Exp2Constants<double>>(f).v, (__m512d)n.v));
}
#else
template <class V> constexpr bool kWideExp2 = false;
// Never called: kWideExp2 is false.
template <class V> V vexp2Wide(V u);
template <class R> R mulTowardZero(R a, R b);
#endif

/// e^x for −∞ ≤ x ≤ 64 (NaN not), for LogSumExp's terms e^(F − m), whose lane sums hold the
/// 1 of the term that set m. Computed as 2^(x·log2 e), whose roundings of log2 e and of the
/// product add a relative error of (3/2)|x|·u at most (u = 2^−24 float, 2^−53 double): about
/// the rounding of F − m itself. No range check and no branch: on AVX-512 the whole range is
/// exact (vexp2Wide); elsewhere results below e^−kFast, −∞ included, are flushed up to that
/// value, at most 2^−125 (float) of the sum per term, under its rounding. Two multiplications
/// fewer than vexp's reduction.
template <class T, int W> KEOPS_SIMD_INLINE Vec<T, W> vexpOfBounded(Vec<T, W> x) {
  using V = Vec<T, W>;
  if constexpr (kWideExp2<V>)
    return vexp2Wide(x * V(Exp2Constants<T>::kLog2e));
  const V low(-ExpConstants<T>::kFast);
  const V clamped(x > low ? x.v : low.v); // one vmaxps
  return vexp2Normal(clamped * V(Exp2Constants<T>::kLog2e));
}

/// e^(s·x) where some lane is out of the fast path's range, or NaN: e^x of the product, rounded.
template <class T, int W> KEOPS_SIMD_COLD Vec<T, W> vexpOfProductSlow(Vec<T, W> s, Vec<T, W> x) {
  return vexp(s * x);
}

/// e^(s·x), for an s that the loop around does not change (a parameter or an output row's
/// value, such as the −g of a Gaussian): 2^u with u = x·(s·log2 e), s·log2 e in two parts so
/// that u is rounded once, as s·x itself would be, and so as accurate. The split is hoisted
/// out of the loop with s, and the product replaces exp's own multiplication by log2 e and its
/// two-part reduction by ln 2: three multiplications fewer per exp. On AVX-512 every lane takes
/// that path (vexp2Wide); elsewhere lanes out of 2^u's normal range, NaN, or with s·log2 e
/// overflowing take e^(s·x) as written, which is also the form without FMA.
template <class T, int W> KEOPS_SIMD_INLINE Vec<T, W> vexpOfProduct(Vec<T, W> s, Vec<T, W> x) {
#if defined(__FMA__)
  using V = Vec<T, W>;
  using C = Exp2Constants<T>;
  if constexpr (kWideExp2<V>) {
    // No branch, so that everything but the last line leaves the loop with s. The high part is
    // rounded toward zero: the low part, the rest of s·log2 e (C::kLog2eLo > 0 adds to it with
    // s's sign), then has the high part's sign, so x·hi and x·lo never meet as ∞ − ∞ and an
    // infinite x gives u = ±∞, which vexp2Wide takes as it is. Where s is infinite, the largest
    // finite value stands for s·log2 e: e^(s·x) is then right at x = 0 and wherever it is 0 or
    // +∞, off only for 0 < |x| < 2^−121 (float; 2^−1013 double).
    const V hi(typename V::Raw(mulTowardZero(s.v, V(C::kLog2e).v)));
    const V lo = vfma(s, V(C::kLog2e), -hi) + s * V(C::kLog2eLo);
    const V big(std::numeric_limits<T>::max());
    const typename V::Mask over = (vabs(hi) > big) & (hi == hi); // ±∞, not NaN
    const V hiFinite = select(over, vcopysign(big, hi), hi);
    const V loFinite = select(over, V::zero(), lo);
    return vexp2Wide(vfma(x, hiFinite, x * loFinite));
  }
  const V hi = s * V(C::kLog2e);
  const V lo = vfma(s, V(C::kLog2e), -hi) + s * V(C::kLog2eLo);
  const V u = vfma(x, hi, x * lo);
  if (anyNotLessEqual(vabs(u), V(C::kFast)))
    return vexpOfProductSlow(s, x);
  return vexp2Normal(u);
#else
  return vexp(s * x);
#endif
}

} // namespace simd

template <class T, int W> KEOPS_SIMD_INLINE simd::Vec<T, W> op_exp(simd::Vec<T, W> a) {
  return simd::vexp(a);
}
/// e^(s·x) (ExpOfProduct), lane-wise; see simd::vexpOfProduct.
template <class T, int W>
KEOPS_SIMD_INLINE simd::Vec<T, W> op_exp_of_product(simd::Vec<T, W> s, simd::Vec<T, W> x) {
  return simd::vexpOfProduct(s, x);
}
} // namespace
} // namespace keops_rt

#pragma GCC diagnostic pop

#endif
