// Code for the complex operations (SPEC.md §3) on interleaved (re, im) pairs: loops over pairs,
// rule C's broadcasting of a single complex number, and calls of keops/portable/complex.h for
// the arithmetic that is more than a sum. Part of ExprEmitter (ExprEmitter.h).
#include "codegen/ExprEmitter.h"
#include "support/Assert.h"

namespace keopsc::codegen {
namespace {

/// A loop over `count` values of k, with braces (bodies write both parts of a pair).
std::string loopOverK(int count) {
  return "for (int64_t k = 0; k < " + std::to_string(count) + "; ++k)";
}

} // namespace

std::string ExprEmitter::complexPart(const ir::Formula *operand, const ir::Formula *node,
                                     int part) const {
  // Rule C: a single complex number (dimension 2) against a wider result is repeated.
  if (operand->dim() == 2 && node->dim() > 2)
    return element(operand, std::to_string(part));
  return element(operand, part == 0 ? "2 * k" : "2 * k + 1");
}

void ExprEmitter::emitComplex(const ir::Formula *f, IndentedWriter &out) {
  const std::string &name = names_.at(f);
  const ir::Formula *a = f->child(0);
  const std::string zero = hooks_.valueType(kindOf(f)) + "(0)";
  auto re = [&](size_t c) { return complexPart(f->child(c), f, 0); };
  auto im = [&](size_t c) { return complexPart(f->child(c), f, 1); };
  auto pair = [&](const std::string &real, const std::string &imag) {
    auto loop = out.block(loopOverK(f->dim() / 2));
    out.line(name + "[2 * k] = " + real + ";");
    out.line(name + "[2 * k + 1] = " + imag + ";");
  };
  auto call = [&](const std::string &fn, const std::string &args) {
    out.line(loopOverK(f->dim() / 2));
    out.line("  keops_rt::" + fn + "(" + args + ", " + name + " + 2 * k);");
  };
  auto toReal = [&](const std::string &value) {
    out.line(loopOverK(f->dim()));
    out.line("  " + name + "[k] = " + value + ";");
  };
  // An if-chain, not a switch: ExprEmitter::emitNode's switch is the exhaustive one.
  using K = ir::OpKind;
  const K kind = f->kind();
  if (kind == K::ComplexReal)
    return toReal(re(0));
  if (kind == K::ComplexImag)
    return toReal(im(0));
  if (kind == K::ComplexSquareAbs)
    return toReal("keops_rt::op_csquareabs(" + re(0) + ", " + im(0) + ")");
  if (kind == K::ComplexAbs)
    return toReal("keops_rt::op_cabs(" + re(0) + ", " + im(0) + ")");
  if (kind == K::ComplexAngle)
    return toReal("keops_rt::op_cangle(" + re(0) + ", " + im(0) + ")");
  if (kind == K::Real2Complex)
    return pair(element(a, "k"), zero);
  if (kind == K::Imag2Complex)
    return pair(zero, element(a, "k"));
  if (kind == K::Conj)
    return pair(re(0), "-" + im(0));
  if (kind == K::ComplexAdd)
    return pair(re(0) + " + " + re(1), im(0) + " + " + im(1));
  if (kind == K::ComplexSubtract)
    return pair(re(0) + " - " + re(1), im(0) + " - " + im(1));
  if (kind == K::ComplexMult)
    return call("op_cmult", re(0) + ", " + im(0) + ", " + re(1) + ", " + im(1));
  if (kind == K::ComplexDivide)
    return call("op_cdivide", re(0) + ", " + im(0) + ", " + re(1) + ", " + im(1));
  if (kind == K::ComplexExp)
    return call("op_cexp", re(0) + ", " + im(0));
  if (kind == K::ComplexExp1j)
    return call("op_cexp1j", element(a, "k"));
  if (kind == K::ComplexSumT) // a single complex number: complexPart repeats it
    return pair(re(0), im(0));
  if (kind == K::ComplexSum)
    return emitComplexSum(f, out);
  KEOPSC_ASSERT(kind == K::ComplexRealScal, "not a complex operation");
  // The real scalar is whichever operand has dimension 1 (the other is even).
  const ir::Formula *scalar = a->dim() == 1 ? a : f->child(1);
  const ir::Formula *z = a->dim() == 1 ? f->child(1) : a;
  toReal(element(scalar, "0") + " * " + element(z, "k"));
}

void ExprEmitter::emitComplexSum(const ir::Formula *f, IndentedWriter &out) {
  const ir::Formula *a = f->child(0);
  std::string type = hooks_.valueType(kindOf(f));
  auto scope = out.block("");
  out.line(type + " sumRe = " + type + "(0), sumIm = " + type + "(0);");
  {
    auto loop = out.block(loopOverK(a->dim() / 2));
    out.line("sumRe += " + element(a, "2 * k") + ";");
    out.line("sumIm += " + element(a, "2 * k + 1") + ";");
  }
  const std::string &name = names_.at(f);
  out.line(name + "[0] = sumRe;");
  out.line(name + "[1] = sumIm;");
}

} // namespace keopsc::codegen
