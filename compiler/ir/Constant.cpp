// Exact rational and float64 constants; see Constant.h.
#include "ir/Constant.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <numeric>

namespace keopsc::ir {
namespace {

bool onlyTwosAndFives(int64_t q) {
  while (q % 2 == 0)
    q /= 2;
  while (q % 5 == 0)
    q /= 5;
  return q == 1;
}

// 128-bit intermediates keep long division exact; a GNU extension g++ and clang share.
__extension__ typedef unsigned __int128 Wide;
__extension__ typedef __int128 WideSigned;

/// The exact decimal expansion of p/q, q = 2^a·5^b (long division terminates).
std::string exactDecimal(int64_t p, int64_t q) {
  bool negative = p < 0;
  Wide n = static_cast<Wide>(negative ? -static_cast<WideSigned>(p) : p);
  Wide d = static_cast<Wide>(q);
  std::string text = std::to_string(static_cast<unsigned long long>(n / d));
  Wide r = n % d;
  text += '.';
  if (r == 0)
    text += '0';
  while (r != 0) {
    r *= 10;
    text += static_cast<char>('0' + static_cast<int>(r / d));
    r %= d;
  }
  return negative ? "-" + text : text;
}

std::string doubleText(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  std::string text = buffer;
  if (text.find_first_of(".eEn") == std::string::npos)
    text += ".0";
  return text;
}

/// 10^k as int64, or nullopt.
std::optional<int64_t> powerOfTen(int64_t k) {
  int64_t result = 1;
  for (int64_t i = 0; i < k; ++i)
    if (__builtin_mul_overflow(result, int64_t{10}, &result))
      return std::nullopt;
  return result;
}

} // namespace

std::optional<Constant> Constant::rational(int64_t p, int64_t q) {
  if (q == 0)
    return std::nullopt;
  if (p == INT64_MIN || q == INT64_MIN) {
    if (p % 2 != 0 || q % 2 != 0)
      return std::nullopt; // cannot halve both; too close to the edge to bother
    p /= 2;
    q /= 2;
  }
  if (q < 0) {
    p = -p;
    q = -q;
  }
  int64_t g = std::gcd(p < 0 ? -p : p, q);
  return Constant(p / g, q / g);
}

Constant Constant::real(double value) {
  // Every finite float64 is a dyadic rational; keep it exact when it fits.
  if (std::isfinite(value)) {
    double scaled = value;
    for (int k = 0; k <= 62; ++k, scaled *= 2.0) {
      if (std::fabs(scaled) >= 9.2e18)
        break;
      if (scaled == std::floor(scaled))
        return *rational(static_cast<int64_t>(scaled), int64_t{1} << k);
    }
  }
  Constant c(0, 1);
  c.exact_ = false;
  c.value_ = value;
  return c;
}

std::optional<Constant> Constant::parseDecimal(const std::string &text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+'))
    negative = text[i++] == '-';
  int64_t mantissa = 0, exponent = 0;
  bool exact = true, digits = false, fraction = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      fraction = true;
      continue;
    }
    digits = true;
    int64_t next;
    if (__builtin_mul_overflow(mantissa, int64_t{10}, &next) ||
        __builtin_add_overflow(next, int64_t{text[i] - '0'}, &next))
      exact = false;
    else
      mantissa = next;
    exponent -= fraction && exact ? 1 : 0;
    exponent += !fraction && !exact ? 1 : 0;
  }
  if (i < text.size())
    exponent += std::strtoll(text.c_str() + i + 1, nullptr, 10);
  double value = std::strtod(text.c_str(), nullptr);
  if (!digits || !std::isfinite(value))
    return std::nullopt;
  if (exact && exponent >= -18 && exponent <= 18) {
    auto scale = powerOfTen(exponent < 0 ? -exponent : exponent);
    int64_t p = mantissa;
    if (scale && (exponent < 0 || !__builtin_mul_overflow(mantissa, *scale, &p)))
      if (auto r = rational(negative ? -p : p, exponent < 0 ? *scale : 1))
        return r;
  }
  return real(value);
}

double Constant::value() const {
  return exact_ ? static_cast<double>(num_) / static_cast<double>(den_) : value_;
}

std::string Constant::cppLiteral(bool single) const {
  std::string text =
      exact_ && onlyTwosAndFives(den_) ? exactDecimal(num_, den_) : doubleText(value());
  if (!single)
    return "(" + text + ")";
  double v = std::fabs(value());
  if (v > 3.4028234663852886e38 || (v != 0 && v < 1.401298464324817e-45))
    return "static_cast<float>(" + text + ")"; // out of float range: inf or 0, no warning
  return "(" + text + "f)";
}

std::string Constant::text() const {
  if (!exact_)
    return doubleText(value_);
  if (den_ == 1)
    return std::to_string(num_);
  if (onlyTwosAndFives(den_) && den_ <= 1000000)
    return exactDecimal(num_, den_);
  return std::to_string(num_) + "/" + std::to_string(den_);
}

bool Constant::operator==(const Constant &other) const {
  if (exact_ != other.exact_)
    return false;
  if (exact_)
    return num_ == other.num_ && den_ == other.den_;
  return std::memcmp(&value_, &other.value_, sizeof value_) == 0;
}

size_t Constant::hash() const {
  if (!exact_)
    return std::hash<double>()(value_) ^ 0x5bd1e995u;
  return std::hash<int64_t>()(num_) * 31 + std::hash<int64_t>()(den_);
}

std::optional<Constant> add(const Constant &a, const Constant &b) {
  if (!a.exact_ || !b.exact_)
    return std::nullopt;
  int64_t l, r, p, q;
  if (__builtin_mul_overflow(a.num_, b.den_, &l) || __builtin_mul_overflow(b.num_, a.den_, &r) ||
      __builtin_add_overflow(l, r, &p) || __builtin_mul_overflow(a.den_, b.den_, &q))
    return std::nullopt;
  return Constant::rational(p, q);
}

std::optional<Constant> mul(const Constant &a, const Constant &b) {
  if (!a.exact_ || !b.exact_)
    return std::nullopt;
  int64_t p, q;
  if (__builtin_mul_overflow(a.num_, b.num_, &p) || __builtin_mul_overflow(a.den_, b.den_, &q))
    return std::nullopt;
  return Constant::rational(p, q);
}

std::optional<Constant> div(const Constant &a, const Constant &b) {
  if (!a.exact_ || !b.exact_ || b.num_ == 0)
    return std::nullopt;
  int64_t p, q;
  if (__builtin_mul_overflow(a.num_, b.den_, &p) || __builtin_mul_overflow(a.den_, b.num_, &q))
    return std::nullopt;
  return Constant::rational(p, q);
}

std::optional<Constant> neg(const Constant &a) {
  if (!a.exact_)
    return Constant::real(-a.value_);
  if (a.num_ == INT64_MIN)
    return std::nullopt;
  return Constant(-a.num_, a.den_);
}

} // namespace keopsc::ir
