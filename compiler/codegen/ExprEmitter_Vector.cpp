// Code for SPEC.md §3's vector operations (SumT, Max/Min and their Arg forms, Norm2, Normalize,
// the weighted norms, ElemT, Extract, ExtractT, OneHot); see ExprEmitter.h. Loops use `k` and `l`
// and temporaries live in a block, so nothing clashes with the kernel's own names.
#include "codegen/ExprEmitter.h"
#include "support/Assert.h"

#include <algorithm>

namespace keopsc::codegen {

void ExprEmitter::emitSumT(const ir::Formula *f, IndentedWriter &out) {
  out.line(loopOver(f->dim()));
  out.line("  " + names_.at(f) + "[k] = " + element(f->child(0), "0") + ";");
}

// SPEC.md §3: a NaN component makes the result NaN (the Arg forms report the first NaN's
// index); otherwise the first extremal component wins, so ties go to the smallest index.
void ExprEmitter::emitExtremum(const ir::Formula *f, IndentedWriter &out) {
  using ir::OpKind;
  const bool max = f->kind() == OpKind::Max || f->kind() == OpKind::ArgMax;
  const bool arg = f->kind() == OpKind::ArgMax || f->kind() == OpKind::ArgMin;
  const ir::Formula *x = f->child(0);
  const std::string &name = names_.at(f);
  const std::string type = typeOf(f);
  if (x->dim() == 1) {
    out.line(name + "[0] = " + (arg ? type + "(0)" : element(x, "0")) + ";");
    return;
  }
  auto scope = out.block("");
  out.line(type + " best = " + element(x, "0") + ";");
  if (arg)
    out.line("int64_t position = 0;");
  out.line("for (int64_t k = 1; k < " + std::to_string(x->dim()) +
           " && !keops_rt::isNan(best); ++k) {");
  const std::string next = element(x, "k");
  out.line("  if (" + next + (max ? " > " : " < ") + "best || keops_rt::isNan(" + next + ")) {");
  out.line("    best = " + next + ";");
  if (arg)
    out.line("    position = k;");
  out.line("  }");
  out.line("}");
  out.line(name + "[0] = " + (arg ? type + "(position)" : "best") + ";");
}

void ExprEmitter::emitNorm2(const ir::Formula *f, IndentedWriter &out) {
  const std::string x = element(f->child(0), "k"), type = typeOf(f);
  auto scope = out.block("");
  out.line(type + " s = " + type + "(0);");
  out.line(loopOver(f->child(0)->dim()));
  out.line("  s += " + x + " * " + x + ";");
  out.line(names_.at(f) + "[0] = keops_rt::op_sqrt(s);");
}

// f·Rsqrt(Σ f²): Rsqrt(0) = 0 makes the zero vector normalize to 0 (SPEC.md §3, §7.1).
void ExprEmitter::emitNormalize(const ir::Formula *f, IndentedWriter &out) {
  const std::string x = element(f->child(0), "k"), type = typeOf(f);
  auto scope = out.block("");
  out.line(type + " s = " + type + "(0);");
  out.line(loopOver(f->dim()));
  out.line("  s += " + x + " * " + x + ";");
  out.line("const " + type + " scale = keops_rt::op_rsqrt(s);");
  out.line(loopOver(f->dim()));
  out.line("  " + names_.at(f) + "[k] = " + x + " * scale;");
}

// WeightedSqNorm(s, f), WeightedSqDist(s, f, g) = WeightedSqNorm(s, f - g), and the three forms
// they choose between by the weight's dimension: s·Σ f² (1), Σ s_k f_k² (d), Σ s[kd+l] f_k f_l
// (d²).
void ExprEmitter::emitWeightedSqNorm(const ir::Formula *f, IndentedWriter &out) {
  const ir::Formula *weight = f->child(0);
  const bool difference = f->kind() == ir::OpKind::WeightedSqDist;
  int d = f->child(1)->dim();
  if (difference)
    d = std::max(d, f->child(2)->dim());
  auto component = [&](const std::string &k) {
    return difference ? "(" + element(f->child(1), k) + " - " + element(f->child(2), k) + ")"
                      : element(f->child(1), k);
  };
  const std::string type = typeOf(f), name = names_.at(f);
  auto scope = out.block("");
  out.line(type + " s = " + type + "(0);");
  out.line(loopOver(d));
  if (weight->dim() == 1) {
    out.line("  s += " + component("k") + " * " + component("k") + ";");
    out.line(name + "[0] = " + element(weight, "0") + " * s;");
    return;
  }
  if (weight->dim() == d) {
    out.line("  s += " + element(weight, "k") + " * " + component("k") + " * " + component("k") +
             ";");
  } else {
    KEOPSC_ASSERT(int64_t{weight->dim()} == int64_t{d} * d, "a weight of the wrong dimension");
    out.line("  " + loopOver(d, "l"));
    out.line("    s += " + element(weight, scaled("k", d) + " + l") + " * " + component("k") +
             " * " + component("l") + ";");
  }
  out.line(name + "[0] = s;");
}

void ExprEmitter::emitElemT(const ir::Formula *f, IndentedWriter &out) {
  const std::string &name = names_.at(f);
  out.line(loopOver(f->dim()));
  out.line("  " + name + "[k] = " + typeOf(f) + "(0);");
  out.line(name + "[" + std::to_string(f->ints()[1]) + "] = " + element(f->child(0), "0") + ";");
}

void ExprEmitter::emitExtract(const ir::Formula *f, IndentedWriter &out) {
  const int64_t start = f->ints()[0];
  const std::string index = start == 0 ? "k" : "k + " + std::to_string(start);
  out.line(loopOver(f->dim()));
  out.line("  " + names_.at(f) + "[k] = " + element(f->child(0), index) + ";");
}

void ExprEmitter::emitExtractT(const ir::Formula *f, IndentedWriter &out) {
  const std::string &name = names_.at(f);
  const int64_t start = f->ints()[0];
  out.line(loopOver(f->dim()));
  out.line("  " + name + "[k] = " + typeOf(f) + "(0);");
  out.line(loopOver(f->child(0)->dim()));
  out.line("  " + name + "[" + (start == 0 ? "k" : std::to_string(start) + " + k") +
           "] = " + element(f->child(0), "k") + ";");
}

// 1 at ⌊x + ½⌋, computed exactly: x + ½ may round up to the next integer in the dtype, while
// x - ⌊x⌋ is exact. Out-of-range positions match no k (zeros); NaN gives NaNs (SPEC.md §3).
void ExprEmitter::emitOneHot(const ir::Formula *f, IndentedWriter &out) {
  const std::string type = typeOf(f);
  auto scope = out.block("");
  out.line("const " + type + " x = " + element(f->child(0), "0") + ";");
  out.line("const " + type + " below = std::floor(x);");
  out.line("const " + type + " hot = x - below >= " + type + "(0.5) ? below + " + type +
           "(1) : below;");
  out.line(loopOver(f->dim()));
  out.line("  " + names_.at(f) + "[k] = keops_rt::isNan(x) ? x : hot == " + type + "(k) ? " + type +
           "(1) : " + type + "(0);");
}

} // namespace keopsc::codegen
