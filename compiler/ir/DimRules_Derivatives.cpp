// Dimension rules of the calculus operators (SPEC.md §3's calculus table) and of the picks the
// Min/Max/K-min gradients are built from (SPEC.md §6); see DimRulesDetail.h.
#include "ir/DimRulesDetail.h"

namespace keopsc::ir::dimrules {

/// SelectByIndex(idx, F) and GatherByIndex(idx, e), ints (K, cat): the Min/Max/KMin gradient's
/// pick (SPEC.md §6). idx is a variable of K·d indices ([k][c]); F has d components, e has K·d;
/// cat is the category (0: i, 1: j) of the pair's index the indices are compared with.
int pickDim(OpKind kind, const std::vector<const Formula *> &children,
            const std::vector<int64_t> &ints, DimError &error) {
  const std::string name = opInfo(kind).name;
  const Formula *idx = children[0], *f = children[1];
  const int64_t K = ints[0], cat = ints[1];
  if (idx->kind() != OpKind::Var) {
    error = {DimErrorKind::BadArgument, "the indices of " + name + " must be a variable"};
    return 0;
  }
  if (K < 1 || K > kMaxDim)
    return outOfRange(name + " count K = " + str(K) + " must be 1 to 2^20", error);
  if (cat != static_cast<int64_t>(Category::I) && cat != static_cast<int64_t>(Category::J))
    return outOfRange(name + " compares with the index of category " + str(cat) +
                          "; it needs 0 (i) or 1 (j)",
                      error);
  // Select reads F (d) and gives K·d; Gather reads e (K·d) and gives d.
  const int64_t width = kind == OpKind::SelectByIndex ? K * f->dim() : f->dim();
  if (kind == OpKind::GatherByIndex && f->dim() % K != 0) {
    error = {DimErrorKind::Mismatch,
             "e has " + str(f->dim()) + ", not a multiple of K = " + str(K)};
    return 0;
  }
  if (idx->dim() != width) {
    error = {DimErrorKind::Mismatch, "the indices have " + str(idx->dim()) + ", K = " + str(K) +
                                         " picks of dimension " + str(width / K) + " need " +
                                         str(width)};
    return 0;
  }
  return kind == OpKind::SelectByIndex ? checkedWidth(width, name.c_str(), error)
                                       : static_cast<int>(width / K);
}

/// SPEC.md §3's calculus table: v (operand 1) is a variable; Grad's e has F's dimension, Diff's
/// u v's; Divergence takes d_F = d_v, Laplacian a scalar F.
int calculusDim(OpKind kind, const std::vector<const Formula *> &children, DimError &error) {
  const char *name = opInfo(kind).name;
  const Formula *f = children[0], *v = children[1];
  if (v->kind() != OpKind::Var) {
    error = {DimErrorKind::BadArgument, std::string("the second argument of ") + name +
                                            " must be a variable (an alias, Var, Vi, Vj or Pm)"};
    return 0;
  }
  auto need = [&](bool ok, const std::string &detail) {
    if (!ok)
      error = {DimErrorKind::Mismatch, detail};
    return ok;
  };
  if (kind == OpKind::Grad)
    return need(children[2]->dim() == f->dim(),
                "e has " + str(children[2]->dim()) + ", the formula has " + str(f->dim()))
               ? v->dim()
               : 0;
  if (kind == OpKind::AdjointOperator) // Aᵀu for F = A·v (linearity: the autodiff pass)
    return need(children[2]->dim() == f->dim(),
                "u has " + str(children[2]->dim()) + ", the formula has " + str(f->dim()))
               ? v->dim()
               : 0;
  // The weights are optional operands: 1 or the dimension they weight (SPEC.md §3).
  auto weight = [&](size_t k, int d, const char *what) {
    return k >= children.size() || need(children[k]->dim() == 1 || children[k]->dim() == d,
                                        std::string(what) + " has " + str(children[k]->dim()) +
                                            ", it needs 1 or " + str(d));
  };
  if (kind == OpKind::TraceOperator) // Σₖ wₖA_kk (d_F = d_v) or Σₗ w_l A_0l (d_F = 1)
    return need(f->dim() == v->dim() || f->dim() == 1, "the formula has " + str(f->dim()) +
                                                           ", it needs 1 or the variable's " +
                                                           str(v->dim())) &&
                   weight(2, v->dim(), "w")
               ? 1
               : 0;
  if (kind == OpKind::SumLinOperator) // Σₖₗ wl_k A_kl wr_l
    return weight(2, f->dim(), "wl") && weight(3, v->dim(), "wr") ? 1 : 0;
  if (kind == OpKind::Diff)
    return need(children[2]->dim() == v->dim(),
                "u has " + str(children[2]->dim()) + ", the variable has " + str(v->dim()))
               ? f->dim()
               : 0;
  if (kind == OpKind::GradMatrix)
    return checkedWidth(int64_t{f->dim()} * v->dim(), "GradMatrix", error);
  if (kind == OpKind::Divergence)
    return need(f->dim() == v->dim(),
                "the formula has " + str(f->dim()) + ", the variable has " + str(v->dim()))
               ? 1
               : 0;
  // Laplacian
  return need(f->dim() == 1, "the formula has " + str(f->dim()) + ", Laplacian needs 1") ? 1 : 0;
}

} // namespace keopsc::ir::dimrules
