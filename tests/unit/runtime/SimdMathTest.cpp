// Tests of keops/host/simd_math.h: the vector log, sin and cos against long double, in ulps of the
// result, over their domains and at special values; every other vector form equal to its scalar
// form (portable/math.h) lane by lane, NaN, ±0 and ±∞ included. Built for each ISA level
// (tests/unit/runtime/CMakeLists.txt), so each level's intrinsics are covered.
#include "TestSeed.h"
#include "UlpError.h"
#include "keops/host/simd_math.h"

// Wide vectors pass by value between functions of this file only: no ABI to keep.
#pragma GCC diagnostic ignored "-Wpsabi"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <vector>

namespace {

using namespace keops_rt;

/// f applied to x one vector of W lanes at a time (x is padded to a multiple of 16).
template <class T, int W, class F> std::vector<T> vectorOf(F f, const std::vector<T> &x) {
  using V = simd::Vec<T, W>;
  std::vector<T> out(x.size());
  for (size_t i = 0; i + W <= x.size(); i += W) {
    V r = f(V::load(x.data() + i));
    for (int l = 0; l < W; ++l)
      out[i + static_cast<size_t>(l)] = r[l];
  }
  return out;
}

template <class T> void padTo16(std::vector<T> &x) {
  while (x.size() % 16)
    x.push_back(T(1));
}

/// The worst error of the vector form f against the long double `want` over x, each within
/// `bound` ulps.
template <class T, int W, class F, class R>
double worstUlp(const char *name, F f, R want, const std::vector<T> &x, double bound,
                unsigned seed) {
  std::vector<T> got = vectorOf<T, W>(f, x);
  double worst = 0;
  for (size_t k = 0; k < x.size(); ++k) {
    const double err = ulpError<T>(got[k], want(static_cast<long double>(x[k])));
    EXPECT_LE(err, bound) << name << "(" << x[k] << ") = " << got[k] << " (seed " << seed << ")";
    worst = std::max(worst, err);
  }
  return worst;
}

/// Positive inputs: 2^u with u uniform over T's normal exponents, uniform on [1/2, 2], values
/// next to 1, and the boundaries of log's fast path (the smallest normal, the largest finite,
/// subnormals, 0, negatives, ±∞, NaN).
template <class T> std::vector<T> logInputs(unsigned seed) {
  using L = std::numeric_limits<T>;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> exponent(L::min_exponent - 1, L::max_exponent - 1);
  std::uniform_real_distribution<double> near1(0.5, 2.0);
  std::vector<T> x;
  for (int k = 0; k < 100000; ++k) {
    x.push_back(static_cast<T>(std::exp2(exponent(rng))));
    x.push_back(static_cast<T>(near1(rng)));
  }
  T one = T(1);
  for (int k = 0; k < 64; ++k)
    x.push_back(one = std::nextafter(one, T(2)));
  one = T(1);
  for (int k = 0; k < 64; ++k)
    x.push_back(one = std::nextafter(one, T(0)));
  for (T v : {T(1), T(0), T(-0.0), T(-1), L::min(), L::max(), L::denorm_min(), L::min() / T(3),
              L::infinity(), -L::infinity(), L::quiet_NaN(), T(0.70710678118654752),
              T(1.4142135623730950)})
    x.push_back(v);
  padTo16(x);
  return x;
}

/// Inputs of sin and cos: uniform on [−4, 4] and on the fast path's whole range [−2^19, 2^19],
/// the T nearest to multiples of π/2 (where the reduced argument is smallest), and beyond.
template <class T> std::vector<T> sinCosInputs(unsigned seed) {
  using L = std::numeric_limits<T>;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> small(-4.0, 4.0), large(-524288.0, 524288.0);
  std::uniform_int_distribution<int64_t> multiple(-333000, 333000);
  std::vector<T> x;
  for (int k = 0; k < 60000; ++k) {
    x.push_back(static_cast<T>(small(rng)));
    x.push_back(static_cast<T>(large(rng)));
    x.push_back(static_cast<T>(static_cast<long double>(multiple(rng)) * 1.5707963267948966192L));
  }
  for (T v : {T(0), T(-0.0), T(524288), T(-524288), T(524289), T(1e6), T(-3e7), L::max(),
              L::denorm_min(), L::min(), L::infinity(), -L::infinity(), L::quiet_NaN()})
    x.push_back(v);
  padTo16(x);
  return x;
}

template <class T, int W> double worstLogUlp(unsigned seed) {
  return worstUlp<T, W>(
      "log", [](auto v) { return op_log(v); }, [](long double a) { return std::log(a); },
      logInputs<T>(seed), 1.0, seed);
}

template <class T, int W> double worstSinCosUlp(unsigned seed) {
  const std::vector<T> x = sinCosInputs<T>(seed);
  const double s = worstUlp<T, W>(
      "sin", [](auto v) { return op_sin(v); }, [](long double a) { return std::sin(a); }, x, 1.0,
      seed);
  const double c = worstUlp<T, W>(
      "cos", [](auto v) { return op_cos(v); }, [](long double a) { return std::cos(a); }, x, 1.0,
      seed);
  return std::max(s, c);
}

TEST(SimdMathTest, LogWithinOneUlpEverywhere) {
  const unsigned seed = testSeed();
  const double f = std::max({worstLogUlp<float, 4>(seed), worstLogUlp<float, 8>(seed + 1),
                             worstLogUlp<float, 16>(seed + 2)});
  const double d = std::max({worstLogUlp<double, 2>(seed), worstLogUlp<double, 4>(seed + 1),
                             worstLogUlp<double, 8>(seed + 2)});
  std::printf("log: worst %.3f ulp in float, %.3f in double (seed %u)\n", f, d, seed);
}

TEST(SimdMathTest, SinAndCosWithinOneUlpEverywhere) {
  const unsigned seed = testSeed();
  const double f = std::max({worstSinCosUlp<float, 4>(seed), worstSinCosUlp<float, 8>(seed + 1),
                             worstSinCosUlp<float, 16>(seed + 2)});
  const double d = std::max({worstSinCosUlp<double, 2>(seed), worstSinCosUlp<double, 4>(seed + 1),
                             worstSinCosUlp<double, 8>(seed + 2)});
  std::printf("sin, cos: worst %.3f ulp in float, %.3f in double (seed %u)\n", f, d, seed);
}

TEST(SimdMathTest, SpecialValuesOfLogSinCos) {
  using V = simd::Vec<float, 8>;
  const float inf = std::numeric_limits<float>::infinity();
  V lg =
      op_log(V::load(std::vector<float>{1.0f, 0.0f, -0.0f, -1.0f, inf, -inf, NAN, 1e-45f}.data()));
  EXPECT_EQ(lg[0], 0.0f);
  EXPECT_EQ(lg[1], -inf);
  EXPECT_EQ(lg[2], -inf);
  EXPECT_TRUE(std::isnan(lg[3]));
  EXPECT_EQ(lg[4], inf);
  EXPECT_TRUE(std::isnan(lg[5]));
  EXPECT_TRUE(std::isnan(lg[6]));
  EXPECT_EQ(lg[7], std::log(1e-45f));
  V x = V::load(std::vector<float>{0.0f, -0.0f, inf, -inf, NAN, 1.0f, 1e-30f, -1e-30f}.data());
  V s = op_sin(x), c = op_cos(x);
  EXPECT_EQ(s[0], 0.0f);
  EXPECT_FALSE(std::signbit(s[0]));
  EXPECT_TRUE(std::signbit(s[1])); // sin(−0) = −0
  for (int l = 2; l < 5; ++l)
    EXPECT_TRUE(std::isnan(s[l]) && std::isnan(c[l])) << "lane " << l;
  EXPECT_EQ(c[0], 1.0f);
  EXPECT_EQ(c[1], 1.0f);
  EXPECT_EQ(s[6], 1e-30f);
  EXPECT_EQ(s[7], -1e-30f);
  EXPECT_EQ(c[6], 1.0f);
  V xl = op_xlogx(x), sx = op_sinxdivx(x);
  EXPECT_EQ(xl[0], 0.0f); // XLogX(0) = 0
  EXPECT_EQ(sx[0], 1.0f); // SinXDivX(0) = 1
  EXPECT_EQ(sx[1], 1.0f);
  EXPECT_LE(ulpError<float>(xl[5], 0.0L), 0.0);
  EXPECT_LE(ulpError<float>(sx[5], std::sin(1.0L)), 1.5);
}

/// Values where the selects and roundings behave differently: NaN, ±∞, ±0, halves, integers.
template <class T> std::vector<T> edgeValues() {
  const T inf = std::numeric_limits<T>::infinity();
  return {std::numeric_limits<T>::quiet_NaN(),
          -inf,
          T(-1e30),
          T(-2.5),
          T(-1.5),
          T(-1),
          T(-0.5),
          T(-0.0),
          T(0),
          T(0.5),
          T(1),
          T(1.5),
          T(2.5),
          T(3),
          T(1e30),
          inf};
}

bool sameValue(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }
bool sameBits(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}
bool sameBits(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

/// Every (a, b, c) of edge values: the vector form `vf` of W lanes gives, lane by lane, the
/// scalar form's result `sf`, with the same bits (−0 included; any NaN for NaN).
template <class T, int W, class VF, class SF>
void expectScalarResults(const char *name, VF vf, SF sf) {
  using V = simd::Vec<T, W>;
  const std::vector<T> e = edgeValues<T>();
  std::vector<T> a, b, c;
  for (T x : e)
    for (T y : e)
      for (T z : e)
        a.push_back(x), b.push_back(y), c.push_back(z);
  for (size_t i = 0; i + W <= a.size(); i += W) {
    V r = vf(V::load(a.data() + i), V::load(b.data() + i), V::load(c.data() + i));
    for (int l = 0; l < W; ++l) {
      const size_t k = i + static_cast<size_t>(l);
      const T want = sf(a[k], b[k], c[k]);
      EXPECT_TRUE(sameBits(r[l], want)) << name << "(" << a[k] << ", " << b[k] << ", " << c[k]
                                        << ") = " << r[l] << ", scalar " << want;
    }
  }
}

#define KEOPSC_EXPECT_LANEWISE(T, W, CALL)                                                         \
  expectScalarResults<T, W>(                                                                       \
      #CALL, [](auto a, auto b, auto c) { return (void)a, (void)b, (void)c, CALL; },               \
      [](T a, T b, T c) { return (void)a, (void)b, (void)c, CALL; })

template <class T, int W> void expectAllScalarResults() {
  KEOPSC_EXPECT_LANEWISE(T, W, op_eq(a, b));
  KEOPSC_EXPECT_LANEWISE(T, W, op_ne(a, b));
  KEOPSC_EXPECT_LANEWISE(T, W, op_lt(a, b));
  KEOPSC_EXPECT_LANEWISE(T, W, op_le(a, b));
  KEOPSC_EXPECT_LANEWISE(T, W, op_sign(a));
  KEOPSC_EXPECT_LANEWISE(T, W, op_step(a));
  KEOPSC_EXPECT_LANEWISE(T, W, op_relu(a));
  KEOPSC_EXPECT_LANEWISE(T, W, op_floor(a));
  KEOPSC_EXPECT_LANEWISE(T, W, op_ifelse(a, b, c));
  KEOPSC_EXPECT_LANEWISE(T, W, op_clamp(a, b, c));
  KEOPSC_EXPECT_LANEWISE(T, W, op_clampint(a, -1, 2));
  KEOPSC_EXPECT_LANEWISE(T, W, op_diffclampint(a, -1, 2));
  KEOPSC_EXPECT_LANEWISE(T, W, op_asin(a));
  KEOPSC_EXPECT_LANEWISE(T, W, op_acos(a));
  KEOPSC_EXPECT_LANEWISE(T, W, op_atan(a));
  KEOPSC_EXPECT_LANEWISE(T, W, op_atan2(a, b));
  KEOPSC_EXPECT_LANEWISE(T, W, op_powf(a, b));
  KEOPSC_EXPECT_LANEWISE(T, W, op_round(a, 1));
  KEOPSC_EXPECT_LANEWISE(T, W, op_abs(a));
}

TEST(SimdMathTest, SelectsAndRoundingsGiveTheScalarResults) {
  expectAllScalarResults<float, 4>();
  expectAllScalarResults<float, 8>();
  expectAllScalarResults<float, 16>();
  expectAllScalarResults<double, 2>();
  expectAllScalarResults<double, 4>();
  expectAllScalarResults<double, 8>();
}

TEST(SimdMathTest, ModMatchesItsScalarForm) {
  // f − n⌊(f − o)/n⌋: the same floor; the multiply-subtract may be contracted differently.
  using V = simd::Vec<double, 4>;
  const std::vector<double> f = {7.5, -7.5, 0.25, 1e10}, n = {2.0, 2.0, -0.5, 3.0},
                            o = {0.0, 1.0, 0.0, -1.0};
  V r = op_mod(V::load(f.data()), V::load(n.data()), V::load(o.data()));
  for (int l = 0; l < 4; ++l) {
    const double want = op_mod(f[size_t(l)], n[size_t(l)], o[size_t(l)]);
    EXPECT_TRUE(sameValue(r[l], want) || std::fabs(r[l] - want) <= 1e-15 * std::fabs(f[size_t(l)]))
        << "lane " << l << ": " << r[l] << " vs " << want;
  }
}

} // namespace
