// Joint sums of the SIMD CPU kernels; see SimdJointSums.h.
#include "codegen/cpu/SimdJointSums.h"

#include "ir/Formula.h"

namespace keopsc::codegen {
namespace {

/// From this many components on, a SqDist or Scalprod is a joint sum.
constexpr int kJointSumDim = 8;

/// Component `k` of joint sum f, added to partial sum `acc`<row> of every row.
void emitJointTerms(const ir::Formula *f, bool rowFirst, const ir::Formula *row,
                    const ir::Formula *red, const ExprEmitter &reduced,
                    const std::vector<ExprEmitter> &rows, const std::string &k,
                    const std::string &acc, IndentedWriter &out) {
  out.line("{");
  out.line("  const V y = " + reduced.element(red, k) + ";");
  for (size_t q = 0; q < rows.size(); ++q) {
    std::string x = rows[q].element(row, k), s = acc + std::to_string(q);
    if (f->kind() == ir::OpKind::SqDist)
      out.line("  " + s + " += (" + x + " - y) * (" + x + " - y);");
    else
      out.line("  " + s + " += " + (rowFirst ? x + " * y" : "y * " + x) + ";");
  }
  out.line("}");
}

} // namespace

std::vector<const ir::Formula *> simdJointSums(const ir::KernelPlan &plan) {
  std::vector<const ir::Formula *> sums;
  for (const ir::PlannedNode &planned : plan.nodes) {
    const ir::Formula *f = planned.node;
    if (planned.level != ir::Level::Pair ||
        (f->kind() != ir::OpKind::SqDist && f->kind() != ir::OpKind::Scalprod))
      continue;
    const ir::Formula *a = f->child(0), *b = f->child(1);
    if (a->dim() != b->dim() || a->dim() < kJointSumDim)
      continue;
    ir::Level la = plan.of(a).level, lb = plan.of(b).level;
    if ((la == ir::Level::OutputRow && lb == ir::Level::ReducedRow) ||
        (la == ir::Level::ReducedRow && lb == ir::Level::OutputRow))
      sums.push_back(f);
  }
  return sums;
}

std::vector<std::vector<std::string>> emitSimdJointSums(const ir::KernelPlan &plan,
                                                        const ExprEmitter &reduced,
                                                        const std::vector<ExprEmitter> &rows,
                                                        IndentedWriter &out) {
  std::vector<std::vector<std::string>> names;
  const std::vector<const ir::Formula *> sums = simdJointSums(plan);
  for (size_t n = 0; n < sums.size(); ++n) {
    const ir::Formula *f = sums[n];
    const bool rowFirst = plan.of(f->child(0)).level == ir::Level::OutputRow;
    const ir::Formula *row = f->child(rowFirst ? 0 : 1), *red = f->child(rowFirst ? 1 : 0);
    names.emplace_back();
    for (size_t q = 0; q < rows.size(); ++q) {
      names.back().push_back("q" + std::to_string(q) + "_" + std::to_string(n));
      out.line("V " + names.back().back() + "[1];");
    }
    // Two partial sums per row (even and odd components) halve the chains of dependent adds.
    auto scope = out.block("");
    for (size_t q = 0; q < rows.size(); ++q)
      out.line("V even" + std::to_string(q) + " = V(0), odd" + std::to_string(q) + " = V(0);");
    const int dim = f->child(0)->dim();
    {
      auto loop = out.block("for (int64_t k = 0; k + 1 < " + std::to_string(dim) + "; k += 2)");
      emitJointTerms(f, rowFirst, row, red, reduced, rows, "k", "even", out);
      emitJointTerms(f, rowFirst, row, red, reduced, rows, "(k + 1)", "odd", out);
    }
    if (dim % 2) {
      auto last = out.block("");
      emitJointTerms(f, rowFirst, row, red, reduced, rows, std::to_string(dim - 1), "even", out);
    }
    for (size_t q = 0; q < rows.size(); ++q)
      out.line(names.back()[q] + "[0] = even" + std::to_string(q) + " + odd" + std::to_string(q) +
               ";");
  }
  return names;
}

} // namespace keopsc::codegen
