// Tests of keops/host/simd.h, simd_exp.h and the K-min and min-max vector states (simd_states.h):
// the vector exp against long double expl, in ulps of the result, over the whole domain (normal,
// subnormal, overflow, underflow) and special values; sqrt, rsqrt, abs and the lane helpers. Widths
// 4, 8 and 16 run on any x86-64 (GCC lowers what the ISA lacks); the generated kernels' ISA paths
// are covered by the conformance suites run on each path.
#include "keops/host/simd.h"

#include "TestSeed.h"
#include "UlpError.h"
#include "keops/host/simd_exp.h"
#include "keops/host/simd_log_sum_exp.h"
#include "keops/host/simd_states.h"

// Wide vectors pass by value between functions of this file only: no ABI to keep.
#pragma GCC diagnostic ignored "-Wpsabi"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <type_traits>
#include <vector>

namespace {

using namespace keops_rt;

template <class T, int W> std::vector<T> expOf(const std::vector<T> &x) {
  using V = simd::Vec<T, W>;
  std::vector<T> out(x.size());
  for (size_t i = 0; i + W <= x.size(); i += W) {
    V e = simd::vexp(V::load(x.data() + i));
    for (int l = 0; l < W; ++l)
      out[i + static_cast<size_t>(l)] = e[l];
  }
  return out;
}

/// Samples of the domain: uniform on [lo, hi] plus every boundary the code treats apart.
template <class T> std::vector<T> expInputs(unsigned seed, T lo, T hi, size_t count) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(static_cast<double>(lo), static_cast<double>(hi));
  std::vector<T> x;
  for (size_t k = 0; k < count; ++k)
    x.push_back(static_cast<T>(u(rng)));
  const T inf = std::numeric_limits<T>::infinity();
  for (T v : {T(0), T(-0.0), T(1), T(-1), T(0.5) * T(0.6931471805599453), inf, -inf,
              std::numeric_limits<T>::quiet_NaN(), T(88.72), T(88.7228), T(-87.33), T(-103.97),
              T(-104), T(-150), T(709.78), T(-708.4), T(-745.1), T(1e-30), T(-1e-30)})
    x.push_back(v);
  while (x.size() % 16)
    x.push_back(T(0));
  return x;
}

template <class T, int W> double worstExpUlp(unsigned seed, T lo, T hi) {
  std::vector<T> x = expInputs<T>(seed, lo, hi, 200000);
  std::vector<T> e = expOf<T, W>(x);
  double worst = 0;
  for (size_t k = 0; k < x.size(); ++k) {
    double err = ulpError<T>(e[k], std::exp(static_cast<long double>(x[k])));
    EXPECT_LE(err, 2.0) << "exp(" << x[k] << ") = " << e[k] << " (seed " << seed << ")";
    worst = std::max(worst, err);
  }
  return worst;
}

TEST(SimdTest, FloatExpWithinTwoUlpEverywhere) {
  const unsigned seed = testSeed();
  double worst = 0;
  worst = std::max(worst, worstExpUlp<float, 4>(seed, -20.0f, 20.0f));
  worst = std::max(worst, worstExpUlp<float, 8>(seed + 1, -110.0f, 90.0f));
  worst = std::max(worst, worstExpUlp<float, 16>(seed + 2, -200.0f, 200.0f));
  std::printf("float exp: worst %.3f ulp (seed %u)\n", worst, seed);
}

TEST(SimdTest, DoubleExpWithinTwoUlpEverywhere) {
  const unsigned seed = testSeed();
  double worst = 0;
  worst = std::max(worst, worstExpUlp<double, 2>(seed, -20.0, 20.0));
  worst = std::max(worst, worstExpUlp<double, 4>(seed + 1, -760.0, 720.0));
  worst = std::max(worst, worstExpUlp<double, 8>(seed + 2, -1500.0, 1500.0));
  std::printf("double exp: worst %.3f ulp (seed %u)\n", worst, seed);
}

TEST(SimdTest, ExpSpecialValues) {
  using V = simd::Vec<float, 8>;
  const float inf = std::numeric_limits<float>::infinity();
  V e = simd::vexp(
      V::load(std::vector<float>{0.0f, -inf, inf, NAN, -1000.0f, 1000.0f, -0.0f, -87.5f}.data()));
  EXPECT_EQ(e[0], 1.0f);
  EXPECT_EQ(e[1], 0.0f);
  EXPECT_EQ(e[2], inf);
  EXPECT_TRUE(std::isnan(e[3]));
  EXPECT_EQ(e[4], 0.0f);
  EXPECT_EQ(e[5], inf);
  EXPECT_EQ(e[6], 1.0f);
  EXPECT_GT(e[7], 0.0f); // subnormal, not flushed
  EXPECT_LT(e[7], std::numeric_limits<float>::min());
}

/// Whether got, computed as e^(s·x), is right: within 2 ulp of e^(s·x) plus the rounding of the
/// product s·x (|s·x| ulp at most), or within 2 ulp of e^ of the product rounded to T, which is
/// what the form without FMA computes. The two differ most where the rounding crosses the
/// overflow threshold: the exact product just below ln(max), the rounded one just above.
template <class T> bool expOfProductIsRight(T got, T scale, T x) {
  const long double t = static_cast<long double>(scale) * x;
  const double allowed = std::isfinite(double(t)) ? 2.0 + std::fabs(double(t)) : 0.0;
  const T rounded = scale * x;
  return ulpError<T>(got, std::exp(t)) <= allowed ||
         ulpError<T>(got, std::exp(static_cast<long double>(rounded))) <= 2.0;
}

/// vexpOfProduct(s, x) is e^(s·x) as expOfProductIsRight says, over the whole range: overflow,
/// subnormal results, NaN and infinities like e^(s·x). Returns the worst error beyond the
/// product's rounding.
template <class T, int W> double worstExpOfProductUlp(unsigned seed, T scale, T lo, T hi) {
  using V = simd::Vec<T, W>;
  std::vector<T> x = expInputs<T>(seed, lo, hi, 100000);
  double worst = 0;
  for (size_t i = 0; i + W <= x.size(); i += W) {
    V got = simd::vexpOfProduct(V(scale), V::load(x.data() + i));
    for (int l = 0; l < W; ++l) {
      const T xi = x[i + size_t(l)];
      EXPECT_TRUE(expOfProductIsRight<T>(got[l], scale, xi))
          << "exp(" << scale << " * " << xi << ") = " << got[l] << " (seed " << seed << ")";
      const long double t = static_cast<long double>(scale) * xi;
      const double err = ulpError<T>(got[l], std::exp(t)); // 1e30 across the threshold
      if (std::isfinite(double(t)) && err < 1e29)
        worst = std::max(worst, err - std::fabs(double(t)));
    }
  }
  return worst;
}

/// The case a CI run drew (seed 24575241, the form without AVX-512): −1.7 · −52.189903 is
/// 88.7228380 exactly, below ln(FLT_MAX) = 88.7228391, and 88.72284 rounded, above it; e^ of
/// the rounded product is +∞, as the form without FMA gives.
TEST(SimdTest, ExpOfProductAtTheOverflowThreshold) {
  using V = simd::Vec<float, 8>;
  const float s = -1.7f, x = -52.189903259277344f;
  const float got = simd::vexpOfProduct(V(s), V(x))[0];
  EXPECT_TRUE(expOfProductIsRight<float>(got, s, x)) << got;
  EXPECT_TRUE(expOfProductIsRight<float>(std::numeric_limits<float>::infinity(), s, x));
  EXPECT_FALSE(expOfProductIsRight<float>(1.0f, s, x)); // the check can fail
}

TEST(SimdTest, ExpOfProductIsExpOfTheProduct) {
  const unsigned seed = testSeed();
  double worst = 0;
  for (float s : {-0.5f, -1.7f, 0.3f, 1.0f, -3e-30f})
    worst = std::max({worst, worstExpOfProductUlp<float, 4>(seed, s, -60.0f, 60.0f),
                      worstExpOfProductUlp<float, 8>(seed + 1, s, -200.0f, 200.0f),
                      worstExpOfProductUlp<float, 16>(seed + 2, s, -5.0f, 5.0f),
                      worstExpOfProductUlp<float, 16>(seed + 3, s, -300.0f, 300.0f)});
  for (double s : {-0.5, -1.7, 0.3, 1.0})
    worst = std::max({worst, worstExpOfProductUlp<double, 2>(seed, s, -20.0, 20.0),
                      worstExpOfProductUlp<double, 4>(seed + 1, s, -1500.0, 1500.0),
                      worstExpOfProductUlp<double, 8>(seed + 2, s, -5.0, 5.0),
                      worstExpOfProductUlp<double, 8>(seed + 3, s, -1500.0, 1500.0)});
  std::printf("exp of product: worst %.3f ulp beyond the product's rounding (seed %u)\n", worst,
              seed);
  // A scale whose product with log2 e overflows, and the products IEEE makes NaN.
  using V = simd::Vec<float, 16>;
  const float inf = std::numeric_limits<float>::infinity();
  V x = V::load(std::vector<float>{0.0f, -inf, inf, NAN, 1e-36f, -1.0f, 2.0f, 0.5f, 0.0f, 0.0f,
                                   0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}
                    .data());
  V huge = simd::vexpOfProduct(V(3e38f), x), zero = simd::vexpOfProduct(V(0.0f), x);
  EXPECT_EQ(huge[0], 1.0f);         // 3e38 · 0
  EXPECT_EQ(huge[1], 0.0f);         // e^−∞
  EXPECT_EQ(huge[2], inf);          // e^+∞
  EXPECT_TRUE(std::isnan(huge[3])); // NaN
  EXPECT_EQ(huge[4], inf);          // e^300 (AVX-512 is off only for 0 < |x| < 2^−121)
  EXPECT_EQ(huge[5], 0.0f);         // underflow
  EXPECT_EQ(huge[6], inf);          // overflow
  EXPECT_EQ(zero[0], 1.0f);
  EXPECT_TRUE(std::isnan(zero[1])); // 0 · ∞
  EXPECT_TRUE(std::isnan(zero[2]));
  EXPECT_EQ(zero[5], 1.0f);
}

/// vexpOfBounded is e^x within 2 ulp plus (3/2)|x|·u relative (the roundings of log2 e and
/// of x·log2 e) down to −kFast, and at most e^−kFast below it.
template <class T, int W> void checkExpOfBounded(unsigned seed) {
  using V = simd::Vec<T, W>;
  const T kFast = simd::ExpConstants<T>::kFast, floor = std::exp(-kFast);
  const double u = std::numeric_limits<T>::epsilon() / 2;
  std::vector<T> x = expInputs<T>(seed, T(-2) * kFast, T(64), 20000);
  for (size_t i = 0; i + W <= x.size(); i += W) {
    V in = V::load(x.data() + i), got = simd::vexpOfBounded(in);
    for (int l = 0; l < W; ++l) {
      if (!(in[l] <= T(64)))
        continue; // outside its domain (above 64, NaN)
      const double want = std::exp(double(in[l]));
      if (in[l] >= -kFast)
        EXPECT_LE(std::fabs(got[l] - want), (4 + 1.5 * std::fabs(double(in[l]))) * u * want)
            << "x = " << in[l] << " (seed " << seed << ")";
      else // flushed up to e^−kFast, or (AVX-512) e^x itself: at most that much either way
        EXPECT_TRUE(got[l] >= T(0) && got[l] <= floor * T(1 + 1e-5))
            << "x = " << in[l] << ": " << got[l] << " (seed " << seed << ")";
    }
  }
}

TEST(SimdTest, ExpOfBoundedIsExpDownToItsFloor) {
  const unsigned seed = testSeed();
  checkExpOfBounded<float, 8>(seed);
  checkExpOfBounded<double, 4>(seed + 1);
  checkExpOfBounded<float, 16>(seed + 2);
  checkExpOfBounded<double, 8>(seed + 3);
}

/// The vector K-min state gives the scalar state's values and indices, NaN terms included:
/// a first vector with few finite terms leaves a NaN K-th best, which later finite terms must
/// replace.
template <int W> void checkKMinWithNans(unsigned seed) {
  using V = simd::Vec<float, W>;
  constexpr int64_t K = 10, n = 40 * W + 3;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.0f, 100.0f);
  std::vector<float> f(n + W, 0.0f);
  for (int64_t j = 0; j < n; ++j)
    f[size_t(j)] = (j < W ? j % 3 != 0 : rng() % 8 == 0) ? NAN : u(rng) + float(j < W) * 1000;
  simd::KMinState<V, K> vec;
  keops_rt::KMinState<float, K, 1> ref;
  vec.init();
  ref.init();
  for (int64_t t = 0; t < n; t += W)
    vec.add(V::load(f.data() + t), t, n);
  for (int64_t j = 0; j < n; ++j)
    ref.insert(0, f[size_t(j)], j);
  std::vector<float> got(K, -1.0f), want(K, -2.0f);
  std::vector<int64_t> gotIdx(K, -3), wantIdx(K, -4);
  vec.finish(got.data(), gotIdx.data());
  ref.finish(want.data(), wantIdx.data());
  for (int64_t k = 0; k < K; ++k) {
    EXPECT_EQ(gotIdx[size_t(k)], wantIdx[size_t(k)]) << "rank " << k << " (seed " << seed << ")";
    EXPECT_TRUE(got[size_t(k)] == want[size_t(k)] ||
                (std::isnan(got[size_t(k)]) && std::isnan(want[size_t(k)])));
  }
  EXPECT_LT(want[K - 1], 1000.0f); // the later finite terms won
}

TEST(SimdTest, KMinStateReplacesANanKthBest) {
  const unsigned seed = testSeed();
  checkKMinWithNans<16>(seed);
  checkKMinWithNans<8>(seed + 1);
}

/// The vector min-max state gives the scalar MinMaxState's values and indices exactly, on rows
/// of few distinct values (ties), NaN, ±∞, blocks of 256 and a partial last vector, over D = 2.
template <class T, int W, bool IsMax> void checkMinMaxAgainstScalar(unsigned seed) {
  using V = simd::Vec<T, W>;
  std::mt19937 rng(seed);
  const T inf = std::numeric_limits<T>::infinity();
  const std::vector<T> pool = {T(1), T(2), T(-3), inf, -inf, T(0.5), T(2), T(-3)};
  for (int trial = 0; trial < 200; ++trial) {
    const int64_t n = 1 + int64_t(rng() % 700);
    std::vector<T> f0(size_t(n + W)), f1(size_t(n + W));
    const bool withNan = trial % 3 == 0;
    for (int64_t j = 0; j < n; ++j) {
      f0[size_t(j)] = pool[rng() % pool.size()];
      f1[size_t(j)] = withNan && rng() % 50 == 0 ? std::numeric_limits<T>::quiet_NaN()
                                                 : pool[rng() % pool.size()];
    }
    keops_rt::MinMaxState<T, 2, IsMax> scalar;
    scalar.init();
    for (int64_t j = 0; j < n; ++j) {
      const T term[2] = {f0[size_t(j)], f1[size_t(j)]};
      scalar.add(term, j);
    }
    simd::MinMaxState<V, 2, IsMax> vec;
    vec.init();
    for (int64_t b0 = 0; b0 < n; b0 += 256) {
      const int64_t b1 = std::min(n, b0 + 256);
      int64_t t = b0;
      for (; t + W <= b1; t += W) {
        const V term[2] = {V::load(&f0[size_t(t)]), V::load(&f1[size_t(t)])};
        vec.add(term, t, simd::AllLanes{});
      }
      if (t < b1) {
        const V term[2] = {V::load(&f0[size_t(t)]), V::load(&f1[size_t(t)])};
        vec.add(term, t, typename V::Mask(V::iota() < V(T(b1 - t))));
      }
      vec.endBlock();
    }
    T want[2], got[2];
    int64_t wantIdx[2], gotIdx[2];
    scalar.finish(want, wantIdx);
    vec.finish(got, gotIdx);
    for (int d = 0; d < 2; ++d) {
      EXPECT_TRUE((std::isnan(want[d]) && std::isnan(got[d])) || want[d] == got[d])
          << "component " << d << ": " << got[d] << " vs " << want[d] << " (seed " << seed << ")";
      EXPECT_EQ(gotIdx[d], wantIdx[d]) << "component " << d << " (seed " << seed << ")";
    }
  }
}

TEST(SimdTest, MinMaxStateIsTheScalarOne) {
  const unsigned seed = testSeed();
  checkMinMaxAgainstScalar<float, 16, false>(seed);
  checkMinMaxAgainstScalar<float, 8, true>(seed + 1);
  checkMinMaxAgainstScalar<double, 8, false>(seed + 2);
  checkMinMaxAgainstScalar<double, 4, true>(seed + 3);
}

/// Kahan lanes keep what plain lane sums lose: one large term then many small ones (a plain
/// float lane sum of 1e7 + 0.1 + 0.1 + … stays 1e7), within 4u of Σ|f| against float64; a
/// partial last vector leaves its dead lanes' sums and compensations as they were.
TEST(SimdTest, KahanSumStateCompensatesEachLane) {
  using V = simd::Vec<float, 16>;
  const unsigned seed = testSeed();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> small(0.05f, 0.15f);
  const int64_t n = 100003;
  std::vector<float> f(size_t(n + 16), std::numeric_limits<float>::quiet_NaN());
  double want = 0, magnitude = 0;
  for (int64_t j = 0; j < n; ++j) {
    f[size_t(j)] = j == 0 ? 1e7f : small(rng);
    want += double(f[size_t(j)]);
    magnitude += std::fabs(double(f[size_t(j)]));
  }
  simd::KahanSumState<V, 1> state;
  state.init();
  int64_t t = 0;
  for (; t + 16 <= n; t += 16) {
    const V term[1] = {V::load(&f[size_t(t)])};
    state.add(term, simd::AllLanes{});
  }
  const V last[1] = {V::load(&f[size_t(t)])}; // NaN past the end: must not get in
  state.add(last, typename V::Mask(V::iota() < V(float(n - t))));
  float got = 0;
  state.finish(&got);
  EXPECT_LE(std::fabs(double(got) - want), 4 * 0x1p-24 * magnitude)
      << got << " vs " << want << " (seed " << seed << ")";
}

/// The vector weighted-LogSumExp state against the float64 scalar one (ShiftExpCore) on rows with
/// a wide spread (raises), −∞ terms whose weights are ∞ (never read), and, in some rows, a NaN or
/// +∞ term; a partial last vector whose dead lanes hold NaN; E = 3, weights of both signs for
/// the softmax, positive for LogSumExpWeight. Within SPEC §7.4 with c_F = 32: (2c_F·u(1 + max|F|)
/// + h(n)·u + u)·Σ p|G| for the softmax (Σ p|G|: the softmax of |G|), c_F·u·max|F| + h(n)·u +
/// u·|ref| for the log.
template <template <class, class, int64_t> class Final, int W>
void checkShiftExpAgainstScalar(unsigned seed) {
  using V = simd::Vec<float, W>;
  using Reference = Final<double, keops_rt::DirectAcc<double>, 3>;
  using Magnitude = keops_rt::SoftMaxState<double, keops_rt::DirectAcc<double>, 3>;
  constexpr bool kSoftMax = std::is_same<Reference, Magnitude>::value;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> spread(-60.0f, 60.0f),
      weight(kSoftMax ? -2.0f : 0.1f, 2.0f);
  const float inf = std::numeric_limits<float>::infinity();
  for (int trial = 0; trial < 300; ++trial) {
    const int64_t n = 1 + int64_t(rng() % 600);
    std::vector<float> f(size_t(n + W), NAN), g[3];
    for (auto &gk : g)
      gk.assign(size_t(n + W), NAN);
    double maxF = 0;
    for (int64_t j = 0; j < n; ++j) {
      const unsigned kind = rng() % 100;
      f[size_t(j)] = kind < 5 ? -inf : spread(rng) * float(trial % 4) / 3.0f;
      if (trial % 10 == 0 && kind == 50)
        f[size_t(j)] = trial % 20 == 0 ? NAN : inf;
      if (std::isfinite(f[size_t(j)]))
        maxF = std::max(maxF, std::fabs(double(f[size_t(j)])));
      for (auto &gk : g)
        gk[size_t(j)] = f[size_t(j)] == -inf ? inf : weight(rng);
    }
    Reference reference;
    Magnitude magnitude;
    reference.init();
    magnitude.init();
    for (int64_t j = 0; j < n; ++j) {
      const double fj = f[size_t(j)];
      double gj[3], absG[3];
      for (int k = 0; k < 3; ++k)
        gj[k] = g[k][size_t(j)], absG[k] = std::fabs(gj[k]);
      reference.add(&fj, gj, j);
      magnitude.add(&fj, absG, j);
    }
    simd::ShiftExpState<V, 3, true, Final<float, keops_rt::DirectAcc<float>, 3>> vec;
    vec.init();
    for (int64_t b0 = 0; b0 < n; b0 += 256) {
      const int64_t b1 = std::min(n, b0 + 256);
      int64_t t = b0;
      auto load = [&](int64_t at, V *term, V *gv) {
        term[0] = V::load(&f[size_t(at)]);
        for (int k = 0; k < 3; ++k)
          gv[k] = V::load(&g[k][size_t(at)]);
      };
      V term[1], gv[3];
      for (; t + W <= b1; t += W) {
        load(t, term, gv);
        vec.add(term, gv, simd::AllLanes{});
      }
      if (t < b1) {
        load(t, term, gv);
        vec.add(term, gv, typename V::Mask(V::iota() < V(float(b1 - t))));
      }
      vec.endBlock();
    }
    double want[3], mag[3];
    float got[3];
    reference.finish(want);
    magnitude.finish(mag);
    vec.finish(got);
    const double u = 0x1p-24, c = 32;
    for (int k = 0; k < 3; ++k) {
      const double h = 256 + double(n) / 256; // block_sum's h(n)
      const double tolerance = kSoftMax ? (2 * c * u * (1 + maxF) + h * u + u) * mag[k]
                                        : c * u * maxF + h * u + u * std::fabs(want[k]);
      EXPECT_TRUE((std::isnan(want[k]) && std::isnan(got[k])) || want[k] == double(got[k]) ||
                  std::fabs(double(got[k]) - want[k]) <= tolerance)
          << "trial " << trial << " component " << k << ": " << got[k] << " vs " << want[k]
          << " (seed " << seed << ")";
    }
  }
}

TEST(SimdTest, ShiftExpStateIsTheScalarOne) {
  const unsigned seed = testSeed();
  checkShiftExpAgainstScalar<keops_rt::SoftMaxState, 16>(seed);
  checkShiftExpAgainstScalar<keops_rt::SoftMaxState, 8>(seed + 1);
  checkShiftExpAgainstScalar<keops_rt::LogSumExpWeightState, 16>(seed + 2);
  checkShiftExpAgainstScalar<keops_rt::LogSumExpWeightState, 4>(seed + 3);
}

/// Max_SumShiftExp outputs m: the vector state's must be the exact maximum of the terms (no
/// lazy slack), and s the sum of e^(F − m) within SPEC §7.4.
TEST(SimdTest, MaxSumShiftExpReportsTheExactMaximum) {
  using V = simd::Vec<float, 16>;
  using Final = keops_rt::MaxSumShiftExpState<float, keops_rt::DirectAcc<float>, 1>;
  const unsigned seed = testSeed();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> spread(-1.0f, 1.0f);
  for (int trial = 0; trial < 50; ++trial) {
    const int64_t n = 16 * (1 + int64_t(rng() % 40));
    std::vector<float> f(static_cast<size_t>(n));
    for (float &v : f)
      v = spread(rng) * float(1 + trial % 5);
    simd::ShiftExpState<V, 1, true, Final> vec;
    vec.init();
    for (int64_t t = 0; t < n; t += 16) {
      const V term[1] = {V::load(&f[size_t(t)])};
      vec.add(term, nullptr, simd::AllLanes{});
      if ((t + 16) % 256 == 0)
        vec.endBlock();
    }
    float m = 0, s = 0;
    vec.finish(&m, &s);
    const float want = *std::max_element(f.begin(), f.end());
    double sum = 0;
    for (float v : f)
      sum += std::exp(double(v) - double(want));
    EXPECT_EQ(m, want) << "trial " << trial << " (seed " << seed << ")";
    EXPECT_NEAR(double(s), sum, 1e-5 * sum) << "trial " << trial << " (seed " << seed << ")";
  }
}

TEST(SimdTest, AnyCompareLaneByLane) {
  using V = simd::Vec<float, 8>;
  V a = V::load(std::vector<float>{1, 2, 3, 4, 5, 6, 7, NAN}.data());
  EXPECT_FALSE(simd::anyLess(a, V(1.0f)));          // NaN lanes are not less
  EXPECT_TRUE(simd::anyLess(a, V(1.5f)));           // lane 0
  EXPECT_TRUE(simd::anyNotLessEqual(a, V(100.0f))); // the NaN lane
  EXPECT_FALSE(simd::anyNotLessEqual(V(2.0f), V(2.0f)));
  simd::Vec<double, 2> d = simd::Vec<double, 2>::load(std::vector<double>{1, 3}.data());
  EXPECT_TRUE(simd::anyNotLessEqual(d, simd::Vec<double, 2>(2.0)));
  EXPECT_FALSE(simd::anyLess(d, simd::Vec<double, 2>(1.0)));
}

TEST(SimdTest, SqrtRsqrtAbsAndLaneHelpers) {
  using V = simd::Vec<double, 4>;
  V x = V::load(std::vector<double>{4.0, 0.0, -2.0, 2.25}.data());
  V s = op_sqrt(x), r = op_rsqrt(x), a = op_abs(x);
  EXPECT_EQ(s[0], 2.0);
  EXPECT_EQ(s[1], 0.0);
  EXPECT_TRUE(std::isnan(s[2]));
  EXPECT_EQ(s[3], 1.5);
  EXPECT_EQ(r[0], 0.5);
  EXPECT_EQ(r[1], 0.0); // Rsqrt(0) = 0
  EXPECT_TRUE(std::isnan(r[2]));
  EXPECT_EQ(a[2], 2.0);
  EXPECT_TRUE(std::signbit(V(-0.0)[3])); // broadcasts keep the sign of zero
  EXPECT_EQ(simd::laneSum(x), 4.25);
  EXPECT_TRUE(simd::any(x < V(0.0)));
  EXPECT_FALSE(simd::any(x > V(5.0)));
  V m = simd::vmax(x, V(1.0));
  EXPECT_EQ(m[1], 1.0);
  EXPECT_EQ(m[0], 4.0);
  simd::Vec<float, 16> i = simd::Vec<float, 16>::iota();
  EXPECT_EQ(i[15], 15.0f);
  // Element-wise templates of portable/math.h take vectors through the operators.
  V q = op_powi(x, 2) + op_inv(V(4.0)) - op_square(V(1.0));
  EXPECT_EQ(q[3], 2.25 * 2.25 + 0.25 - 1.0);
}

} // namespace
