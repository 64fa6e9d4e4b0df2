// Constant values of the formula IR: an exact rational (what integer and rational literals,
// decimal literals that fit, and exact folding give) or a float64. Keyed by value, never by
// spelling, so `0.5`, `.5` and `1/2` are one node. It does no formula building.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace keopsc::ir {

class Constant {
public:
  /// n / 1.
  static Constant integer(int64_t n) { return Constant(n, 1); }
  /// p / q reduced, with q > 0; nullopt if q = 0 or the reduced form overflows int64.
  static std::optional<Constant> rational(int64_t p, int64_t q);
  /// A float64 value; exact decimals should come through parseDecimal instead.
  static Constant real(double value);
  /// A decimal literal's exact value ("0.5", ".5", "2.", "1e-3"): a rational when it fits in
  /// int64 / int64, else the float64 nearest the text. nullopt if not finite.
  static std::optional<Constant> parseDecimal(const std::string &text);

  bool exact() const { return exact_; }
  int64_t num() const { return num_; }
  int64_t den() const { return den_; }
  double value() const; ///< the float64 value (rounded once for exact rationals)
  bool isZero() const { return exact_ ? num_ == 0 : value_ == 0.0; }
  bool isInteger() const { return exact_ && den_ == 1; }

  /// A C++ literal for the nearest value in float (`single`) or double: decimals whose
  /// denominator is 2^a·5^b are written exactly (rounded once by the compiler); others through
  /// float64 (within one ulp, SPEC.md §2).
  std::string cppLiteral(bool single) const;
  /// How the printer shows it: "3", "1/2", "0.1" (exact), or "%.17g".
  std::string text() const;

  bool operator==(const Constant &other) const;
  size_t hash() const;

  // Exact arithmetic; nullopt when a result is not exact (overflow, a float64 operand) or
  // undefined (division by zero).
  friend std::optional<Constant> add(const Constant &a, const Constant &b);
  friend std::optional<Constant> mul(const Constant &a, const Constant &b);
  friend std::optional<Constant> div(const Constant &a, const Constant &b);
  friend std::optional<Constant> neg(const Constant &a);

private:
  Constant(int64_t p, int64_t q) : exact_(true), num_(p), den_(q), value_(0) {}
  bool exact_ = true;
  int64_t num_ = 0;
  int64_t den_ = 1;
  double value_ = 0; ///< only when !exact_
};

std::optional<Constant> add(const Constant &a, const Constant &b);
std::optional<Constant> mul(const Constant &a, const Constant &b);
std::optional<Constant> div(const Constant &a, const Constant &b);
std::optional<Constant> neg(const Constant &a);

} // namespace keopsc::ir
