// The float64 meaning of the complex operations (SPEC.md §3): complex vectors are interleaved
// (re, im) pairs; rule C lets a single complex number (dimension 2) stand for a vector of them.
// Written from the SPEC's definitions, independently of the runtime (keops/portable/complex.h).
#include "ir/EvaluateRules.h"
#include "support/Assert.h"

#include <cmath>
#include <complex>

namespace keopsc::ir::evalrules {
namespace {

using Complex = std::complex<double>;

/// Complex number k of an interleaved vector; a single complex number is repeated (rule C).
Complex pairAt(const std::vector<double> &v, size_t k) {
  size_t at = v.size() == 2 ? 0 : 2 * k;
  return {v[at], v[at + 1]};
}

void store(std::vector<double> &out, size_t k, Complex z) {
  out[2 * k] = z.real();
  out[2 * k + 1] = z.imag();
}

/// Rule C operations: f op g pair by pair. Products are spelled out (not std::complex's
/// operators, which may rescale or treat infinities specially) so they mean SPEC.md's formulas.
Complex binary(OpKind kind, Complex f, Complex g) {
  double a = f.real(), b = f.imag(), c = g.real(), d = g.imag();
  if (kind == OpKind::ComplexAdd)
    return {a + c, b + d};
  if (kind == OpKind::ComplexSubtract)
    return {a - c, b - d};
  if (kind == OpKind::ComplexMult)
    return {a * c - b * d, a * d + b * c};
  KEOPSC_ASSERT(kind == OpKind::ComplexDivide, "not a rule C operation");
  double norm = c * c + d * d; // f·conj(g)/|g|²
  return {(a * c + b * d) / norm, (b * c - a * d) / norm};
}

/// An operation from n complex numbers to n reals (ComplexReal, ComplexAbs, ...).
template <class Fn> void toReal(const std::vector<double> &f, std::vector<double> &out, Fn fn) {
  for (size_t k = 0; k < out.size(); ++k)
    out[k] = fn(f[2 * k], f[2 * k + 1]);
}

/// An operation from n complex numbers to n complex numbers (Conj, ComplexExp).
template <class Fn> void toComplex(const std::vector<double> &f, std::vector<double> &out, Fn fn) {
  for (size_t k = 0; 2 * k < out.size(); ++k)
    store(out, k, fn(f[2 * k], f[2 * k + 1]));
}

/// An operation from n reals to n complex numbers (Real2Complex, ComplexExp1j, ...).
template <class Fn> void fromReal(const std::vector<double> &f, std::vector<double> &out, Fn fn) {
  for (size_t k = 0; k < f.size(); ++k)
    store(out, k, fn(f[k]));
}

} // namespace

// If-chains rather than a switch: the evaluator's switch over every operation (Evaluate.cpp)
// is the exhaustive one; this file sees the complex family only.
void complexOp(OpKind kind, const std::vector<int64_t> &ints, const std::vector<double> &a,
               const std::vector<double> &b, std::vector<double> &out) {
  using K = OpKind;
  if (kind == K::ComplexReal)
    return toReal(a, out, [](double re, double) { return re; });
  if (kind == K::ComplexImag)
    return toReal(a, out, [](double, double im) { return im; });
  if (kind == K::ComplexSquareAbs)
    return toReal(a, out, [](double re, double im) { return re * re + im * im; });
  if (kind == K::ComplexAbs)
    return toReal(a, out, [](double re, double im) { return std::sqrt(re * re + im * im); });
  if (kind == K::ComplexAngle) // in (−π, π], of the real values: −0 counts as +0
    return toReal(a, out, [](double re, double im) {
      return std::atan2(im == 0 ? 0.0 : im, re == 0 ? 0.0 : re);
    });
  if (kind == K::Conj)
    return toComplex(a, out, [](double re, double im) { return Complex(re, -im); });
  if (kind == K::ComplexExp)
    return toComplex(a, out, [](double re, double im) {
      return Complex(std::exp(re) * std::cos(im), std::exp(re) * std::sin(im));
    });
  if (kind == K::Real2Complex)
    return fromReal(a, out, [](double x) { return Complex(x, 0); });
  if (kind == K::Imag2Complex)
    return fromReal(a, out, [](double x) { return Complex(0, x); });
  if (kind == K::ComplexExp1j)
    return fromReal(a, out, [](double x) { return Complex(std::cos(x), std::sin(x)); });
  if (kind == K::ComplexAdd || kind == K::ComplexSubtract || kind == K::ComplexMult ||
      kind == K::ComplexDivide) {
    for (size_t k = 0; 2 * k < out.size(); ++k)
      store(out, k, binary(kind, pairAt(a, k), pairAt(b, k)));
    return;
  }
  if (kind == K::ComplexSum) {
    Complex s = 0;
    for (size_t k = 0; 2 * k < a.size(); ++k)
      s += pairAt(a, k);
    return store(out, 0, s);
  }
  if (kind == K::ComplexSumT) {
    for (int64_t k = 0; 2 * k < ints[0]; ++k)
      store(out, size_t(k), pairAt(a, 0));
    return;
  }
  KEOPSC_ASSERT(kind == K::ComplexRealScal, "not a complex operation");
  // The real scalar is whichever operand has dimension 1 (the other is even).
  const std::vector<double> &scalar = a.size() == 1 ? a : b, &z = a.size() == 1 ? b : a;
  for (size_t k = 0; k < out.size(); ++k)
    out[k] = scalar[0] * z[k];
}

} // namespace keopsc::ir::evalrules
