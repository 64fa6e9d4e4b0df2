// Derivative rules of the Special operations (SPEC.md §3); see Rules.h.
#include "passes/autodiff/Rules.h"

#include <vector>

namespace keopsc::passes::differentiation {
namespace {

using Table = std::vector<std::vector<const ir::Formula *>>;

/// softmin_γ(u, v, w) = −γ ln Σ e^(−u/γ), shifted by the minimum m so no term overflows.
const ir::Formula *softmin(Builder &b, const ir::Formula *u, const ir::Formula *v,
                           const ir::Formula *w, const ir::Formula *gamma) {
  const ir::Formula *all = b.concat(b.concat(u, v), w);
  const ir::Formula *m = b.op(ir::OpKind::Min, {all});
  const ir::Formula *terms = b.op(ir::OpKind::Exp, {b.div(b.sub(m, all), gamma)});
  return b.sub(m, b.mul(gamma, b.op(ir::OpKind::Log, {b.sum(terms)})));
}

/// SoftDTW_SqDist(x, y, γ)'s adjoint to x (k = 0) or y (k = 1), unrolled over the table of
/// partial costs r (SPEC.md §3): E(i, j) = ∂value/∂r(i, j) flows back from the three cells that
/// read r(i, j), with weight 1 along the first row and column and the soft-min weight
/// e^((softmin(s) − r(i, j))/γ) ≤ 1 into an inner cell s. Then ∂/∂x_i = Σ_j E(i, j)·2(x_i − y_j)
/// and ∂/∂y_j is minus the sum over i. O(d_x·d_y) nodes.
const ir::Formula *softDtwAdjoint(Builder &b, const ir::Formula *node, size_t k,
                                  const ir::Formula *a) {
  const ir::Formula *x = node->child(0), *y = node->child(1), *gamma = node->child(2);
  const size_t nx = size_t(x->dim()), ny = size_t(y->dim());
  Table diff(nx, std::vector<const ir::Formula *>(ny)), r = diff, soft = diff, e = diff;
  for (size_t i = 0; i < nx; ++i)
    for (size_t j = 0; j < ny; ++j) {
      diff[i][j] = b.sub(b.elem(x, int64_t(i)), b.elem(y, int64_t(j)));
      const ir::Formula *cost = b.square(diff[i][j]);
      if (i == 0 && j == 0)
        r[i][j] = cost;
      else if (i == 0)
        r[i][j] = b.add(r[i][j - 1], cost);
      else if (j == 0)
        r[i][j] = b.add(r[i - 1][j], cost);
      else {
        soft[i][j] = softmin(b, r[i - 1][j - 1], r[i - 1][j], r[i][j - 1], gamma);
        r[i][j] = b.add(cost, soft[i][j]);
      }
    }
  // ∂r(s)/∂r(i, j) for a cell s that reads r(i, j).
  auto weight = [&](size_t si, size_t sj, size_t i, size_t j) -> const ir::Formula * {
    if (si == 0 || sj == 0) // first row or column: a plain running sum
      return nullptr;
    return b.op(ir::OpKind::Exp, {b.div(b.sub(soft[si][sj], r[i][j]), gamma)});
  };
  auto flow = [&](const ir::Formula *total, size_t si, size_t sj, size_t i, size_t j) {
    const ir::Formula *w = weight(si, sj, i, j);
    const ir::Formula *term = w ? b.mul(e[si][sj], w) : e[si][sj];
    return total ? b.add(total, term) : term;
  };
  for (size_t i = nx; i-- > 0;)
    for (size_t j = ny; j-- > 0;) {
      if (i == nx - 1 && j == ny - 1) {
        e[i][j] = a;
        continue;
      }
      const ir::Formula *total = nullptr;
      if (i + 1 < nx && j + 1 < ny)
        total = flow(total, i + 1, j + 1, i, j);
      if (i + 1 < nx)
        total = flow(total, i + 1, j, i, j);
      if (j + 1 < ny)
        total = flow(total, i, j + 1, i, j);
      e[i][j] = total;
    }
  // Σ over the other sequence of E·2(x_i − y_j), one component per entry of operand k.
  const ir::Formula *result = nullptr;
  for (size_t l = 0; l < (k == 0 ? nx : ny); ++l) {
    const ir::Formula *entry = nullptr;
    for (size_t m = 0; m < (k == 0 ? ny : nx); ++m) {
      const size_t i = k == 0 ? l : m, j = k == 0 ? m : l;
      const ir::Formula *term = b.mul(e[i][j], diff[i][j]);
      entry = entry ? b.add(entry, term) : term;
    }
    entry = b.mul(b.integer(k == 0 ? 2 : -2), entry);
    result = result ? b.concat(result, entry) : entry;
  }
  return result;
}

} // namespace

Contribution specialAdjoint(Builder &b, const ir::Formula *y, size_t k, const ir::Formula *a) {
  switch (y->kind()) {
  case ir::OpKind::SoftDTW_SqDist: // differentiable in the sequences, not in γ (SPEC.md §3)
    return k == 2 ? noDerivative() : Contribution{softDtwAdjoint(b, y, k, a)};
  default: // Rules.cpp dispatches only this family's ops here
    return missingRule();
  }
}

} // namespace keopsc::passes::differentiation
