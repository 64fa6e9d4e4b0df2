// Tests of keops/portable/half.h: binary16 <-> float/double conversions against an independent
// reference (values from the definition with ldexp, rounding by searching the ordered halves),
// exhaustively on every half and on every float and double near every rounding boundary.
#include "keops/portable/half.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <vector>

namespace {

using namespace keops_rt;

/// The value of binary16 bits from the definition; NaN for NaNs.
double refHalfValue(uint16_t h) {
  const int sign = h >> 15, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
  double magnitude;
  if (exponent == 0x1F)
    magnitude = mantissa ? std::numeric_limits<double>::quiet_NaN()
                         : std::numeric_limits<double>::infinity();
  else if (exponent == 0)
    magnitude = std::ldexp(double(mantissa), -24);
  else
    magnitude = std::ldexp(double(1024 + mantissa), exponent - 25);
  return sign ? -magnitude : magnitude;
}

/// Round-to-nearest-even of a finite or infinite non-NaN x to binary16 bits, by binary search over
/// the positive halves (bits 0..0x7BFF increase with their value); 65520 and above go to ∞ (the
/// tie between 65504, odd, and the next power 65536, even).
uint16_t refRoundToHalf(double x) {
  const uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  const double a = std::fabs(x);
  if (a >= 65520.0)
    return sign | 0x7C00;
  int lo = 0, hi = 0x7BFF; // largest bits with value <= a
  while (lo < hi) {
    const int mid = (lo + hi + 1) / 2;
    if (refHalfValue(uint16_t(mid)) <= a)
      lo = mid;
    else
      hi = mid - 1;
  }
  const double below = refHalfValue(uint16_t(lo));
  const double above = lo == 0x7BFF ? 65536.0 : refHalfValue(uint16_t(lo + 1));
  // Both differences are exact: a lies between two neighbouring halves (Sterbenz, or 0).
  const double dBelow = a - below, dAbove = above - a;
  int bits = lo;
  if (dAbove < dBelow || (dAbove == dBelow && (lo & 1)))
    bits = lo + 1;
  return uint16_t(sign | bits);
}

bool isHalfNan(uint16_t h) { return (h & 0x7C00) == 0x7C00 && (h & 0x3FF); }

uint32_t floatBits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

/// Floats within `ulps` of x (x itself included), both directions.
std::vector<float> floatsAround(float x, int ulps) {
  std::vector<float> out{x};
  float up = x, down = x;
  for (int k = 0; k < ulps; ++k) {
    up = std::nextafter(up, std::numeric_limits<float>::infinity());
    down = std::nextafter(down, -std::numeric_limits<float>::infinity());
    out.push_back(up);
    out.push_back(down);
  }
  return out;
}

std::vector<double> doublesAround(double x, int ulps) {
  std::vector<double> out{x};
  double up = x, down = x;
  for (int k = 0; k < ulps; ++k) {
    up = std::nextafter(up, std::numeric_limits<double>::infinity());
    down = std::nextafter(down, -std::numeric_limits<double>::infinity());
    out.push_back(up);
    out.push_back(down);
  }
  return out;
}

/// Every half value and every midpoint between neighbouring halves (65520 included), both signs.
std::vector<double> boundaries() {
  std::vector<double> out;
  for (int h = 0; h <= 0x7BFF; ++h) {
    const double v = refHalfValue(uint16_t(h));
    const double next = h == 0x7BFF ? 65536.0 : refHalfValue(uint16_t(h + 1));
    for (double b : {v, (v + next) / 2}) {
      out.push_back(b);
      out.push_back(-b);
    }
  }
  return out;
}

} // namespace

TEST(Half, EveryHalfWidensExactlyToFloat) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float got = halfToFloat(uint16_t(h));
    const double want = refHalfValue(uint16_t(h));
    if (isHalfNan(uint16_t(h))) {
      ASSERT_TRUE(std::isnan(got)) << h;
      // The payload is kept and the NaN is quiet.
      ASSERT_EQ((floatBits(got) >> 13) & 0x3FF, (h & 0x3FF) | 0x200) << h;
      ASSERT_EQ(floatBits(got) >> 31, h >> 15) << h;
    } else {
      ASSERT_EQ(double(got), want) << h;
      ASSERT_EQ(std::signbit(got), bool(h & 0x8000)) << h; // -0 stays -0
    }
  }
}

TEST(Half, EveryHalfRoundTripsThroughFloatAndDouble) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = halfToFloat(uint16_t(h));
    // A NaN comes back quiet with its payload; everything else bit for bit.
    const uint16_t want = isHalfNan(uint16_t(h)) ? uint16_t(h | 0x200) : uint16_t(h);
    ASSERT_EQ(floatToHalf(f), want) << h;
    ASSERT_EQ(doubleToHalf(double(f)), want) << h;
    ASSERT_EQ(storeAs<uint16_t>(f), want) << h;
  }
}

TEST(Half, FloatsNearEveryBoundaryRoundToNearestEven) {
  int64_t checked = 0;
  for (double b : boundaries())
    for (float x : floatsAround(float(b), 3)) {
      ASSERT_EQ(floatToHalf(x), refRoundToHalf(double(x))) << x;
      ++checked;
    }
  EXPECT_GT(checked, 800000);
}

TEST(Half, DoublesNearEveryBoundaryRoundOnce) {
  int64_t doubleRoundingCases = 0;
  for (double b : boundaries())
    for (double x : doublesAround(b, 2)) {
      const uint16_t got = doubleToHalf(x);
      ASSERT_EQ(got, refRoundToHalf(x)) << x;
      ASSERT_EQ(storeAs<uint16_t>(x), got) << x;
      if (floatToHalf(float(x)) != got)
        ++doubleRoundingCases;
    }
  // Just above or below a midpoint, double -> float -> half rounds twice and errs: the cases
  // exist, and doubleToHalf gets them right.
  EXPECT_GT(doubleRoundingCases, 1000);
}

TEST(Half, RandomFloatsAndDoublesAcrossTheRange) {
  std::mt19937_64 rng(20261201);
  std::uniform_int_distribution<uint32_t> floatBitsDist;
  std::uniform_real_distribution<double> expo(-30, 17);
  for (int k = 0; k < 500000; ++k) {
    uint32_t bits = floatBitsDist(rng);
    float f;
    std::memcpy(&f, &bits, sizeof f);
    if (std::isnan(f))
      continue;
    ASSERT_EQ(floatToHalf(f), refRoundToHalf(double(f))) << f;
    const double d =
        std::ldexp(1.0 + double(bits) / 4294967296.0, int(expo(rng))) * (bits & 1 ? -1 : 1);
    ASSERT_EQ(doubleToHalf(d), refRoundToHalf(d)) << d;
  }
}

TEST(Half, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(floatToHalf(0.0f), 0x0000);
  EXPECT_EQ(floatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(floatToHalf(inf), 0x7C00);
  EXPECT_EQ(floatToHalf(-inf), 0xFC00);
  EXPECT_EQ(doubleToHalf(-double(inf)), 0xFC00);
  EXPECT_TRUE(isHalfNan(floatToHalf(std::numeric_limits<float>::quiet_NaN())));
  EXPECT_TRUE(isHalfNan(doubleToHalf(-std::numeric_limits<double>::quiet_NaN())));
  // A NaN whose payload lives only in float's low bits stays a NaN (the quiet bit is set).
  uint32_t lowPayload = 0x7F800001u;
  float snan;
  std::memcpy(&snan, &lowPayload, sizeof snan);
  EXPECT_TRUE(isHalfNan(floatToHalf(snan)));
  // Overflow threshold: 65504 is the largest half, 65520 (the midpoint to 2^16) ties up to ∞.
  EXPECT_EQ(floatToHalf(65504.0f), 0x7BFF);
  EXPECT_EQ(floatToHalf(std::nextafter(65520.0f, 0.0f)), 0x7BFF);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7C00);
  EXPECT_EQ(doubleToHalf(std::nextafter(65520.0, 0.0)), 0x7BFF);
  EXPECT_EQ(doubleToHalf(65520.0), 0x7C00);
  EXPECT_EQ(floatToHalf(1e30f), 0x7C00);
  // Subnormals: 2^-24 is the smallest; 2^-25 ties to 0 (even), just above it rounds up;
  // 3·2^-25 ties to 2·2^-24 (even); float subnormals go to ±0.
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -24)), 0x0001);
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -25)), 0x0000);
  EXPECT_EQ(floatToHalf(std::nextafter(std::ldexp(1.0f, -25), 1.0f)), 0x0001);
  EXPECT_EQ(floatToHalf(3 * std::ldexp(1.0f, -25)), 0x0002);
  EXPECT_EQ(floatToHalf(-std::numeric_limits<float>::denorm_min()), 0x8000);
  EXPECT_EQ(doubleToHalf(std::numeric_limits<double>::denorm_min()), 0x0000);
  EXPECT_EQ(floatToHalf(std::ldexp(1023.5f, -24)), 0x0400); // ties up into the first normal
  // Ties to even among normals: 1 + 2^-11 lies between 1 and 1 + 2^-10.
  EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3C00);
  EXPECT_EQ(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3C02);
  // Double rounding: 1 + 2^-11 + 2^-40 is nearer 1 + 2^-10, but float rounds it to the tie.
  const double x = 1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40);
  EXPECT_EQ(doubleToHalf(x), 0x3C01);
  EXPECT_EQ(floatToHalf(float(x)), 0x3C00);
}

TEST(Half, StoreAsConvertsPlainlyForOtherTypes) {
  EXPECT_EQ(storeAs<float>(1.0 + std::ldexp(1.0, -30)), 1.0f);
  EXPECT_EQ(storeAs<double>(0.25f), 0.25);
}
