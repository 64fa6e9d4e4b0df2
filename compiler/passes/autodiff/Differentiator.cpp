// Reverse accumulation and the calculus operations; see Differentiator.h.
#include "passes/autodiff/Differentiator.h"

#include "passes/autodiff/Rules.h"
#include "support/Assert.h"

#include <unordered_map>
#include <unordered_set>

namespace keopsc::passes::differentiation {
namespace {

/// Positions of the variables Diff introduces (w in ∂⟨Jᵀw, u⟩/∂w): far above any input's.
constexpr int kFreshPositionBase = 1 << 24;

bool mentions(const ir::Formula *root, const ir::Formula *var) {
  for (const ir::Formula *node : ir::postOrder(root))
    if (node == var)
      return true;
  return false;
}

/// Whether f = A·v for some linear map A, structurally (SPEC.md §3): v itself, a Zero, an op
/// linear in all operands jointly (Ops.def's LA) over such formulas, or an op linear in one
/// operand (L0, L1) whose other operands do not read v. A constant term (x + 1) is affine, not
/// linear; anything else reading v is not linear.
bool isLinearIn(const ir::Formula *root, const ir::Formula *v) {
  std::unordered_set<const ir::Formula *> depends, linear;
  for (const ir::Formula *node : ir::postOrder(root)) {
    if (node == v) {
      depends.insert(node);
      linear.insert(node);
      continue;
    }
    bool reads = false;
    for (const ir::Formula *child : node->children())
      reads |= depends.count(child) == 1;
    if (reads)
      depends.insert(node);
    const ir::OpInfo &info = ir::opInfo(node->kind());
    if (node->kind() == ir::OpKind::Zero ||
        (node->kind() == ir::OpKind::Const && node->constant().value() == 0)) {
      linear.insert(node);
      continue;
    }
    if (!reads)
      continue;
    bool ok = true;
    for (size_t k = 0; k < node->children().size(); ++k) {
      const ir::Formula *child = node->child(k);
      if (info.flags & ir::opflags::LA)
        ok &= linear.count(child) == 1;
      else if (depends.count(child))
        ok &= info.linearIn(int(k)) && linear.count(child) == 1;
    }
    // An op linear in each operand alone is bilinear: only one operand may read v.
    if (!(info.flags & ir::opflags::LA)) {
      int reading = 0;
      for (const ir::Formula *child : node->children())
        reading += depends.count(child) ? 1 : 0;
      ok &= reading == 1;
    }
    if (ok)
      linear.insert(node);
  }
  return linear.count(root) == 1;
}

} // namespace

const ir::Formula *Differentiator::fail(const ir::Formula *node, bool missing) {
  failedAt_ = node;
  ruleMissing_ = missing;
  return nullptr;
}

/// A contribution of the node's dimension flowing to an operand of another one: a broadcast
/// dimension-1 operand receives the sum, a scalar contribution to a vector operand is repeated.
const ir::Formula *Differentiator::fit(const ir::Formula *contribution, int dim) {
  Builder b(ctx_);
  if (contribution->dim() == dim)
    return contribution;
  if (dim == 1)
    return b.sum(contribution);
  KEOPSC_ASSERT(contribution->dim() == 1, "a derivative rule built a contribution of the wrong "
                                          "dimension");
  return b.op(ir::OpKind::SumT, {contribution}, {dim});
}

const ir::Formula *Differentiator::gradient(const ir::Formula *f, const ir::Formula *v,
                                            const ir::Formula *e) {
  KEOPSC_ASSERT(v->kind() == ir::OpKind::Var && e->dim() == f->dim(), "bad gradient request");
  Builder b(ctx_);
  const std::vector<const ir::Formula *> order = ir::postOrder(f);
  std::unordered_set<const ir::Formula *> depends; // nodes that read v
  for (const ir::Formula *node : order)
    for (const ir::Formula *child : node->children())
      if (child == v || depends.count(child))
        depends.insert(node);
  if (f == v)
    return e;
  if (!depends.count(f))
    return b.zero(v->dim());
  std::unordered_map<const ir::Formula *, const ir::Formula *> adjoint = {{f, e}};
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const ir::Formula *node = *it;
    auto found = adjoint.find(node);
    if (node == v || !depends.count(node) || found == adjoint.end())
      continue;
    const ir::OpInfo &info = ir::opInfo(node->kind());
    if (info.grad == ir::GradClass::Zero)
      continue;
    if (info.grad == ir::GradClass::No)
      return fail(node, false);
    for (size_t k = 0; k < node->children().size(); ++k) {
      const ir::Formula *child = node->child(k);
      if (child != v && !depends.count(child))
        continue;
      const Contribution c = adjointOf(b, node, k, found->second);
      if (c.missing || c.none)
        return fail(node, c.missing);
      if (!c.value)
        continue;
      const ir::Formula *value = fit(c.value, child->dim());
      auto [slot, inserted] = adjoint.emplace(child, value);
      if (!inserted)
        slot->second = b.add(slot->second, value);
    }
  }
  auto result = adjoint.find(v);
  return result == adjoint.end() ? b.zero(v->dim()) : result->second;
}

// J·u = ∂⟨Jᵀw, u⟩/∂w for a fresh w: the inner gradient is linear in w, so the outer one no
// longer mentions it.
const ir::Formula *Differentiator::directional(const ir::Formula *f, const ir::Formula *v,
                                               const ir::Formula *u) {
  Builder b(ctx_);
  const ir::Formula *w =
      ctx_.var(kFreshPositionBase + freshVariables_++, f->dim(), ir::Category::Param);
  const ir::Formula *transposed = gradient(f, v, w);
  if (!transposed)
    return nullptr;
  const ir::Formula *result = gradient(b.dot(transposed, u), w, b.integer(1));
  if (!result)
    return nullptr;
  KEOPSC_ASSERT(!mentions(result, w), "Diff left its auxiliary variable in the result");
  return result;
}

/// GradMatrix: row k is ∂F_k/∂v = Grad(F, v, unit k), rows concatenated.
const ir::Formula *Differentiator::rowsOfJacobian(const ir::Formula *f, const ir::Formula *v) {
  Builder b(ctx_);
  const ir::Formula *rows = nullptr;
  for (int k = 0; k < f->dim(); ++k) {
    const ir::Formula *row = gradient(f, v, b.unit(k, f->dim()));
    if (!row)
      return nullptr;
    rows = rows ? b.concat(rows, row) : row;
  }
  return rows;
}

/// Σ_k ∂F_k/∂v_k = Σ_k Grad(F, v, unit k)_k.
const ir::Formula *Differentiator::divergence(const ir::Formula *f, const ir::Formula *v) {
  Builder b(ctx_);
  const ir::Formula *total = nullptr;
  for (int k = 0; k < f->dim(); ++k) {
    const ir::Formula *row = gradient(f, v, b.unit(k, f->dim()));
    if (!row)
      return nullptr;
    const ir::Formula *term = b.elem(row, k);
    total = total ? b.add(total, term) : term;
  }
  return total;
}

/// TraceOperator (SPEC.md §3): Σₖ wₖ·(Aᵀ unit k)_k when d_F = d_v, else (d_F = 1) ⟨w, Aᵀ1⟩;
/// w = 1 when omitted.
const ir::Formula *Differentiator::trace(const ir::Formula *f, const ir::Formula *v,
                                         const ir::Formula *w) {
  Builder b(ctx_);
  if (f->dim() == 1) {
    const ir::Formula *row = gradient(f, v, b.integer(1));
    return !row ? nullptr : w ? b.dot(w, row) : b.sum(row);
  }
  const ir::Formula *total = nullptr;
  for (int k = 0; k < f->dim(); ++k) {
    const ir::Formula *column = gradient(f, v, b.unit(k, f->dim()));
    if (!column)
      return nullptr;
    const ir::Formula *term = b.elem(column, k);
    if (w)
      term = b.mul(w->dim() == 1 ? w : b.elem(w, k), term);
    total = total ? b.add(total, term) : term;
  }
  return total;
}

/// SumLinOperator (SPEC.md §3): Σₖₗ wl_k A_kl wr_l = ⟨Aᵀwl, wr⟩, a weight of 1 when omitted
/// (a scalar wl is repeated to d_F).
const ir::Formula *Differentiator::sumLinear(const ir::Formula *f, const ir::Formula *v,
                                             const ir::Formula *wl, const ir::Formula *wr) {
  Builder b(ctx_);
  const ir::Formula *left = wl ? wl : b.integer(1);
  if (left->dim() != f->dim())
    left = b.op(ir::OpKind::SumT, {left}, {f->dim()});
  const ir::Formula *row = gradient(f, v, left);
  return !row ? nullptr : wr ? b.dot(row, wr) : b.sum(row);
}

const ir::Formula *Differentiator::expand(const ir::Formula *node) {
  using K = ir::OpKind;
  const ir::Formula *f = node->child(0), *v = node->child(1);
  switch (node->kind()) {
  case K::Grad:
    return gradient(f, v, node->child(2));
  case K::Diff:
    return directional(f, v, node->child(2));
  case K::GradMatrix:
    return rowsOfJacobian(f, v);
  case K::Divergence:
    return divergence(f, v);
  case K::AdjointOperator: // Aᵀu = (∂F/∂v)ᵀu for F = A·v
  case K::TraceOperator:
  case K::SumLinOperator:
    if (!isLinearIn(f, v)) {
      notLinear_ = true;
      failedAt_ = node;
      return nullptr;
    }
    if (node->kind() == K::AdjointOperator)
      return gradient(f, v, node->child(2));
    if (node->kind() == K::TraceOperator)
      return trace(f, v, node->children().size() > 2 ? node->child(2) : nullptr);
    return sumLinear(f, v, node->children().size() > 2 ? node->child(2) : nullptr,
                     node->children().size() > 3 ? node->child(3) : nullptr);
  case K::Laplacian: {
    const ir::Formula *g = gradient(f, v, Builder(ctx_).integer(1));
    return g ? divergence(g, v) : nullptr;
  }
  default:
    KEOPSC_UNREACHABLE("expanding a node that is not a calculus operation");
  }
}

} // namespace keopsc::passes::differentiation
