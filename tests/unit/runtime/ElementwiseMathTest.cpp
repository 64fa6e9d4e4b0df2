// Tests of the portable element-wise functions of SPEC.md §3 (keops/portable/math.h) on their
// special points, in float and double: values worked out by hand, where random conformance data
// rarely land (exact ties of Round, signed zeros, NaN, bounds that cross). Codegen not involved.
#include "keops/portable/math.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <type_traits>

namespace {

using namespace keops_rt;

template <class T> class ElementwiseMath : public ::testing::Test {
protected:
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const T inf = std::numeric_limits<T>::infinity();
};
using Reals = ::testing::Types<float, double>;
TYPED_TEST_SUITE(ElementwiseMath, Reals);

TYPED_TEST(ElementwiseMath, ComparisonsAreOneOrZeroAndNotEqualIsOneForNan) {
  using T = TypeParam;
  const T n = this->nan;
  EXPECT_EQ(op_eq(T(2), T(2)), T(1));
  EXPECT_EQ(op_eq(T(0), -T(0)), T(1));
  EXPECT_EQ(op_eq(n, n), T(0));
  EXPECT_EQ(op_ne(n, n), T(1));
  EXPECT_EQ(op_ne(n, T(1)), T(1));
  EXPECT_EQ(op_ne(T(1), T(1)), T(0));
  EXPECT_EQ(op_lt(T(1), T(2)), T(1));
  EXPECT_EQ(op_lt(T(2), T(2)), T(0));
  EXPECT_EQ(op_lt(n, T(2)), T(0));
  EXPECT_EQ(op_le(T(2), T(2)), T(1));
  EXPECT_EQ(op_le(T(2), n), T(0));
}

TYPED_TEST(ElementwiseMath, SingularPointsHaveTheirLimits) {
  using T = TypeParam;
  EXPECT_EQ(op_xlogx(T(0)), T(0));
  EXPECT_EQ(op_xlogx(-T(0)), T(0));
  EXPECT_EQ(op_xlogx(T(1)), T(0));
  EXPECT_TRUE(std::isnan(op_xlogx(T(-1))));
  EXPECT_EQ(op_sinxdivx(T(0)), T(1));
  EXPECT_EQ(op_sinxdivx(-T(0)), T(1));
  EXPECT_NEAR(op_sinxdivx(T(2)), std::sin(T(2)) / T(2), 1e-6);
}

TYPED_TEST(ElementwiseMath, Atan2IsInMinusPiExcludedToPi) {
  using T = TypeParam;
  const T pi = std::atan2(T(0), T(-1));
  EXPECT_EQ(op_atan2(-T(0), T(-1)), pi); // C gives -pi
  EXPECT_EQ(op_atan2(T(0), T(-1)), pi);
  EXPECT_EQ(op_atan2(-T(1), T(0)), -pi / 2);
  EXPECT_EQ(op_atan2(T(0), T(0)), T(0));
  EXPECT_EQ(op_atan2(T(0), -T(0)), T(0)); // C gives pi: a zero has no sign here
  EXPECT_EQ(op_atan2(-T(0), -T(0)), T(0));
}

TYPED_TEST(ElementwiseMath, SignStepReluKeepNan) {
  using T = TypeParam;
  const T n = this->nan;
  EXPECT_EQ(op_sign(T(-3)), T(-1));
  EXPECT_EQ(op_sign(T(0.5)), T(1));
  EXPECT_EQ(op_sign(-T(0)), T(0));
  EXPECT_TRUE(std::isnan(op_sign(n))); // differs from KeOps: 0
  EXPECT_EQ(op_step(T(-0.5)), T(0));
  EXPECT_EQ(op_step(T(0)), T(1));
  EXPECT_EQ(op_step(-T(0)), T(1));
  EXPECT_TRUE(std::isnan(op_step(n))); // differs from KeOps: 1
  EXPECT_EQ(op_relu(T(-2)), T(0));
  EXPECT_EQ(op_relu(T(2)), T(2));
  EXPECT_TRUE(std::isnan(op_relu(n)));
}

TYPED_TEST(ElementwiseMath, RoundGoesAwayFromZeroOnExactTies) {
  using T = TypeParam;
  EXPECT_EQ(op_round(T(2.5), 0), T(3));
  EXPECT_EQ(op_round(T(-2.5), 0), T(-3));
  EXPECT_EQ(op_round(T(0.5), 0), T(1));
  EXPECT_EQ(op_round(T(15), -1), T(20)); // 1.5 tens
  EXPECT_EQ(op_round(T(-25), -1), T(-30));
  EXPECT_EQ(op_round(T(14), -1), T(10));
  EXPECT_EQ(op_round(T(1250), -2), T(1300));
  EXPECT_EQ(op_round(T(0.125), 2), T(13) / T(100)); // 12.5 hundredths, exact in binary
  EXPECT_EQ(op_round(T(-0.375), 2), T(-38) / T(100));
  EXPECT_EQ(op_round(T(0.75), 1), T(8) / T(10));
}

TYPED_TEST(ElementwiseMath, RoundDecidesNearTiesOnTheExactProduct) {
  using T = TypeParam;
  // The binary values nearest k/20 (k odd): f·10 is just above or below k/2, or k/2 itself
  // when 5 divides k, whatever its rounding in T.
  for (int k = -41; k <= 41; k += 2) {
    const T f = T(k / 20.0);
    const double product = double(f) * 10; // exact for float; for double, only when fma says so
    if (std::fma(double(f), 10.0, -product) != 0)
      continue;
    EXPECT_EQ(op_round(f, 1), T(std::round(product)) / T(10)) << "k = " << k;
  }
}

TEST(ElementwiseMathPrecision, RoundIsNotFooledByTheRoundedProduct) {
  // 0.015 is 0.01499999999999999944... in double and 1.015f is 1.01499998569... in float: their
  // products by 100 round to exactly 1.5 and 101.5, which would round up.
  EXPECT_EQ(0.015 * 100, 1.5);
  EXPECT_EQ(op_round(0.015, 2), 0.01);
  EXPECT_EQ(op_round(-0.015, 2), -0.01);
  EXPECT_EQ(1.015f * 100.0f, 101.5f);
  EXPECT_EQ(op_round(1.015f, 2), 101.0f / 100.0f);
  // 0.005 is just above: 0.01.
  EXPECT_EQ(op_round(0.005, 2), 0.01);
}

TYPED_TEST(ElementwiseMath, RoundHandlesLargeAndSpecialArguments) {
  using T = TypeParam;
  const T n = this->nan, infinity = this->inf;
  EXPECT_TRUE(std::isnan(op_round(n, 2)));
  EXPECT_EQ(op_round(infinity, 3), infinity);
  EXPECT_EQ(op_round(-infinity, -3), -infinity);
  EXPECT_EQ(op_round(T(123.25), 400), T(123.25)); // 10^400 overflows: x is its own rounding
  EXPECT_EQ(op_round(T(123.25), -400), T(0));
  EXPECT_EQ(op_round(T(-123.25), -400), T(0));
  EXPECT_TRUE(std::signbit(op_round(T(-123.25), -400)));
  EXPECT_EQ(op_round(T(7), INT64_MIN), T(0));
  EXPECT_EQ(op_round(T(7), INT64_MAX), T(7));
  EXPECT_EQ(op_round(T(3.75), 0), T(4));
}

TYPED_TEST(ElementwiseMath, ModIsInTheWindowFromO) {
  using T = TypeParam;
  EXPECT_EQ(op_mod(T(5.5), T(2), T(0.5)), T(1.5));
  EXPECT_EQ(op_mod(T(0.5), T(2), T(0.5)), T(0.5)); // o itself
  EXPECT_EQ(op_mod(T(-1), T(2), T(0.5)), T(1));
  EXPECT_EQ(op_mod(T(-1), T(-2), T(0.5)), T(-1)); // n < 0: in (o + n, o]
  EXPECT_TRUE(std::isnan(op_mod(T(1), T(0), T(0))));
}

TYPED_TEST(ElementwiseMath, ClampFollowsTheSpecOrderAndPropagatesNan) {
  using T = TypeParam;
  const T n = this->nan;
  EXPECT_EQ(op_clamp(T(-2), T(-1), T(1)), T(-1));
  EXPECT_EQ(op_clamp(T(2), T(-1), T(1)), T(1));
  EXPECT_EQ(op_clamp(T(0.5), T(-1), T(1)), T(0.5));
  EXPECT_EQ(op_clamp(T(0), T(1), T(-1)), T(1));  // a > b: a below a
  EXPECT_EQ(op_clamp(T(2), T(1), T(-1)), T(-1)); // then b
  EXPECT_TRUE(std::isnan(op_clamp(n, T(0), T(1))));
  EXPECT_TRUE(std::isnan(op_clamp(T(0.5), n, T(1))));
  EXPECT_TRUE(std::isnan(op_clamp(T(0.5), T(0), n)));
  EXPECT_EQ(op_clampint(T(-2.5), -2, 3), T(-2));
  EXPECT_EQ(op_clampint(T(3.5), -2, 3), T(3));
  EXPECT_EQ(op_clampint(T(1.5), -2, 3), T(1.5));
  EXPECT_TRUE(std::isnan(op_clampint(n, -2, 3)));
  EXPECT_EQ(op_diffclampint(T(-2), -2, 3), T(1)); // bounds inclusive
  EXPECT_EQ(op_diffclampint(T(3), -2, 3), T(1));
  EXPECT_EQ(op_diffclampint(T(3.5), -2, 3), T(0));
  EXPECT_TRUE(std::isnan(op_diffclampint(n, -2, 3)));
}

TYPED_TEST(ElementwiseMath, IfElsePicksAWhereCIsNotNegative) {
  using T = TypeParam;
  EXPECT_EQ(op_ifelse(T(0), T(1), T(2)), T(1));
  EXPECT_EQ(op_ifelse(-T(0), T(1), T(2)), T(1));
  EXPECT_EQ(op_ifelse(T(-1e-30), T(1), T(2)), T(2));
  EXPECT_TRUE(std::isnan(op_ifelse(this->nan, T(1), T(2)))); // differs from KeOps: b
}

TEST(ElementwiseMathPrecision, PowfStaysInFloat) {
  // C pow in the dtype (SPEC.md §3): float in, float pow, float out.
  static_assert(std::is_same<decltype(op_powf(1.0f, 1.0f)), float>::value, "powf in float");
  const float third = 1.0f / 3.0f;
  EXPECT_EQ(op_powf(3.0f, third), powf(3.0f, third));
  EXPECT_EQ(op_powf(-2.0, 3.0), -8.0);
  EXPECT_TRUE(std::isnan(op_powf(-2.0, 0.5)));
}

} // namespace
