// Tests of IR constants: exact decimals and rationals, canonical keys, exact arithmetic and the
// C++ literals that round once (SPEC.md §2).
#include "ir/Constant.h"

#include <gtest/gtest.h>

using keopsc::ir::Constant;

TEST(Constant, DecimalLiteralsAreExactRationals) {
  auto c = Constant::parseDecimal("0.1");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->exact());
  EXPECT_EQ(c->num(), 1);
  EXPECT_EQ(c->den(), 10);
  EXPECT_EQ(*Constant::parseDecimal("2."), Constant::integer(2));
  EXPECT_EQ(*Constant::parseDecimal("1e-3"), *Constant::rational(1, 1000));
  EXPECT_EQ(*Constant::parseDecimal("-1.50"), *Constant::rational(-3, 2));
  EXPECT_FALSE(Constant::parseDecimal("1e999"));
}

TEST(Constant, HugeAndTinyLiteralsFallBackToFloat64) {
  auto tiny = Constant::parseDecimal("1e-300");
  ASSERT_TRUE(tiny);
  EXPECT_FALSE(tiny->exact());
  EXPECT_EQ(tiny->value(), 1e-300);
}

TEST(Constant, ArithmeticIsExactOrRefused) {
  auto third = *Constant::rational(1, 3);
  EXPECT_EQ(*add(third, third), *Constant::rational(2, 3));
  EXPECT_EQ(*mul(third, Constant::integer(3)), Constant::integer(1));
  EXPECT_EQ(*div(Constant::integer(1), Constant::integer(2)), *Constant::rational(1, 2));
  EXPECT_FALSE(div(third, Constant::integer(0)));
  EXPECT_FALSE(mul(Constant::integer(INT64_MAX), Constant::integer(2)));
  EXPECT_FALSE(add(Constant::real(1e-300), third));
}

TEST(Constant, LiteralsRoundOnceFromTheExactDecimal) {
  EXPECT_EQ(Constant::parseDecimal("0.1")->cppLiteral(true), "(0.1f)");
  EXPECT_EQ(Constant::parseDecimal("0.1")->cppLiteral(false), "(0.1)");
  EXPECT_EQ(Constant::integer(-3).cppLiteral(true), "(-3.0f)");
  EXPECT_EQ(Constant::rational(1, 8)->cppLiteral(false), "(0.125)");
  // 1/3 has no finite decimal: float64 within one ulp.
  EXPECT_EQ(Constant::rational(1, 3)->cppLiteral(false), "(0.33333333333333331)");
  EXPECT_EQ(Constant::real(1e300).cppLiteral(true), "static_cast<float>(1.0000000000000001e+300)");
}

TEST(Constant, PrintsReadably) {
  EXPECT_EQ(Constant::integer(7).text(), "7");
  EXPECT_EQ(Constant::rational(1, 2)->text(), "0.5");
  EXPECT_EQ(Constant::rational(2, 3)->text(), "2/3");
}
