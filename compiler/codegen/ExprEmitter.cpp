// Straight-line C++ for formulas; see ExprEmitter.h.
#include "codegen/ExprEmitter.h"

#include "support/Assert.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace keopsc::codegen {
namespace {

/// Arrays wider than this live in thread-local storage, not on the stack (dims reach 2^20).
constexpr int kStackLimit = 1024;

bool isConstantLeaf(const ir::Formula *f) {
  switch (f->kind()) {
  case ir::OpKind::IntCst:
  case ir::OpKind::RatCst:
  case ir::OpKind::IntInv:
  case ir::OpKind::Zero:
  case ir::OpKind::FloatCst:
    return true;
  default:
    return false;
  }
}

std::string doubleText(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  std::string text = buffer;
  if (text.find_first_of(".eEn") == std::string::npos)
    text += ".0";
  return text;
}

/// An int64_t literal valid for every value (the minimum has no literal of its own).
std::string int64Literal(int64_t value) {
  if (value == INT64_MIN)
    return "(-INT64_C(9223372036854775807) - 1)";
  return "INT64_C(" + std::to_string(value) + ")";
}

} // namespace

ExprEmitter::ExprEmitter(std::string scalar, ir::Dtype dtype,
                         std::function<std::string(int)> inputName)
    : scalar_(std::move(scalar)), dtype_(dtype), inputName_(std::move(inputName)) {}

std::string ExprEmitter::mathFunction(const char *name) const {
  return std::string("std::") + name;
}

std::string ExprEmitter::literal(const ir::Formula *f) const {
  const auto &ints = f->ints();
  switch (f->kind()) {
  case ir::OpKind::IntCst:
    return scalar_ + "(" + std::to_string(ints[0]) + ".0)";
  case ir::OpKind::Zero:
    return scalar_ + "(0)";
  case ir::OpKind::RatCst:
    // Rounded once from float64 (SPEC.md §2: within one ulp).
    return "static_cast<" + scalar_ + ">(" + doubleText(double(ints[0]) / double(ints[1])) + ")";
  case ir::OpKind::IntInv:
    return "static_cast<" + scalar_ + ">(" + doubleText(1.0 / double(ints[0])) + ")";
  case ir::OpKind::FloatCst: {
    // From the literal's own text, so float32 constants round once (SPEC.md §2).
    std::string text = f->text();
    bool isFloat = dtype_ == ir::Dtype::Float32;
    return isFloat ? scalar_ + "(" + text + "f)" : scalar_ + "(" + text + ")";
  }
  default:
    KEOPSC_UNREACHABLE("not a constant leaf");
  }
}

std::string ExprEmitter::element(const ir::Formula *f, const std::string &k) const {
  if (isConstantLeaf(f))
    return literal(f);
  std::string index = f->dim() == 1 ? "0" : k;
  if (f->kind() == ir::OpKind::Var)
    return inputName_(f->varPos()) + "[" + index + "]";
  return names_.at(f) + "[" + index + "]";
}

void ExprEmitter::emit(const std::vector<const ir::Formula *> &nodes, IndentedWriter &out) {
  for (const ir::Formula *f : nodes)
    if (!f->children().empty() && !names_.count(f))
      emitNode(f, out);
}

void ExprEmitter::emitElementwise(const ir::Formula *f, const std::string &body,
                                  IndentedWriter &out) {
  const std::string &name = names_.at(f);
  if (f->dim() == 1) {
    out.line(name + "[0] = " + body + ";");
    return;
  }
  out.line("for (int64_t k = 0; k < " + std::to_string(f->dim()) + "; ++k)");
  out.line("  " + name + "[k] = " + body + ";");
}

void ExprEmitter::emitComponentSum(const ir::Formula *f, const std::string &term, int width,
                                   IndentedWriter &out) {
  auto scope = out.block("");
  out.line(scalar_ + " s = " + scalar_ + "(0);");
  out.line("for (int64_t k = 0; k < " + std::to_string(width) + "; ++k)");
  out.line("  s += " + term + ";");
  out.line(names_.at(f) + "[0] = s;");
}

void ExprEmitter::emitNode(const ir::Formula *f, IndentedWriter &out) {
  std::string name = "v" + std::to_string(nextName_++);
  names_[f] = name;
  std::string storage = f->dim() > kStackLimit ? "static thread_local " : "";
  out.line(storage + scalar_ + " " + name + "[" + std::to_string(f->dim()) + "];");
  auto a = [&](size_t c) { return element(f->child(c), "k"); };
  auto fn = [&](const char *function, const std::string &arg) {
    return mathFunction(function) + "(" + arg + ")";
  };
  int width = 1;
  for (const ir::Formula *c : f->children())
    width = std::max(width, c->dim());
  using ir::OpKind;
  switch (f->kind()) {
  case OpKind::Add:
    return emitElementwise(f, a(0) + " + " + a(1), out);
  case OpKind::Subtract:
    return emitElementwise(f, a(0) + " - " + a(1), out);
  case OpKind::Mult:
    return emitElementwise(f, a(0) + " * " + a(1), out);
  case OpKind::Divide:
    return emitElementwise(f, a(0) + " / " + a(1), out);
  case OpKind::Minus:
    return emitElementwise(f, "-" + a(0), out);
  case OpKind::Inv:
    return emitElementwise(f, scalar_ + "(1) / " + a(0), out);
  case OpKind::Square:
    return emitElementwise(f, a(0) + " * " + a(0), out);
  case OpKind::Pow:
    return emitElementwise(f, "keops_rt::powi(" + a(0) + ", " + int64Literal(f->ints()[0]) + ")",
                           out);
  case OpKind::Sqrt:
    return emitElementwise(f, fn("sqrt", a(0)), out);
  case OpKind::Rsqrt:
    return emitElementwise(f, "keops_rt::rsqrt(" + a(0) + ")", out);
  case OpKind::Exp:
    return emitElementwise(f, fn("exp", a(0)), out);
  case OpKind::Log:
    return emitElementwise(f, fn("log", a(0)), out);
  case OpKind::Abs:
    return emitElementwise(f, fn("fabs", a(0)), out);
  case OpKind::Sum:
    return emitComponentSum(f, a(0), width, out);
  case OpKind::SqNorm2:
    return emitComponentSum(f, a(0) + " * " + a(0), width, out);
  case OpKind::Scalprod:
    return emitComponentSum(f, a(0) + " * " + a(1), width, out);
  case OpKind::SqDist:
    return emitComponentSum(f, "(" + a(0) + " - " + a(1) + ") * (" + a(0) + " - " + a(1) + ")",
                            width, out);
  case OpKind::Elem:
    return emitElementwise(f, element(f->child(0), std::to_string(f->ints()[0])), out);
  case OpKind::Concat: {
    int left = f->child(0)->dim();
    out.line("for (int64_t k = 0; k < " + std::to_string(left) + "; ++k)");
    out.line("  " + name + "[k] = " + a(0) + ";");
    out.line("for (int64_t k = 0; k < " + std::to_string(f->child(1)->dim()) + "; ++k)");
    out.line("  " + name + "[" + std::to_string(left) + " + k] = " + a(1) + ";");
    return;
  }
  default:
    KEOPSC_UNREACHABLE("codegen for an operation sema does not accept yet");
  }
}

} // namespace keopsc::codegen
