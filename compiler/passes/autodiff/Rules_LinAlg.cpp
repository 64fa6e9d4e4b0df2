// Derivative rules of the LinAlg operations (SPEC.md §3); see Rules.h. Matrices are row-major
// flattened vectors; every adjoint is again a product, so the rules stay in the LinAlg family.
#include "ir/ListArgs.h"
#include "passes/autodiff/Rules.h"

#include <algorithm>

namespace keopsc::passes::differentiation {
namespace {

using ir::IntList;

/// The adjoint of O = TensorDot(A, B) (A = operand `k`) for the output adjoint G: contract G
/// with the other operand over that operand's free axes, then send each remaining axis to the
/// axis of operand k it stands for.
const ir::Formula *tensorDotAdjoint(Builder &b, const ir::TensorDotArgs &args,
                                    const ir::Formula *other, size_t k, const ir::Formula *g) {
  const IntList freeA = ir::freeAxes(args.da, args.ca), freeB = ir::freeAxes(args.db, args.cb);
  // G's shape: free axis m of the product sits at position p[m].
  IntList shape(freeA.size() + freeB.size());
  for (size_t m = 0; m < freeA.size(); ++m)
    shape[size_t(args.p[m])] = args.da[size_t(freeA[m])];
  for (size_t m = 0; m < freeB.size(); ++m)
    shape[size_t(args.p[freeA.size() + m])] = args.db[size_t(freeB[m])];
  // Operand k's side (mine) and the other's (theirs).
  const IntList &mineFree = k == 0 ? freeA : freeB, &theirsFree = k == 0 ? freeB : freeA;
  const IntList &mineContracted = k == 0 ? args.ca : args.cb;
  const IntList &theirsContracted = k == 0 ? args.cb : args.ca;
  const IntList &theirDims = k == 0 ? args.db : args.da;
  const size_t theirsOffset = k == 0 ? freeA.size() : 0, mineOffset = k == 0 ? 0 : freeA.size();
  // Contract G's positions of the other operand's free axes with those axes.
  IntList contractG, contractOther;
  for (size_t m = 0; m < theirsFree.size(); ++m) {
    contractG.push_back(args.p[theirsOffset + m]);
    contractOther.push_back(theirsFree[m]);
  }
  // Result axes: G's free axes by increasing position (operand k's free axes), then the other
  // operand's free axes there, i.e. its contracted ones, by increasing axis.
  IntList permutation;
  std::vector<std::pair<int64_t, int64_t>> gFree; // (position in G, axis of operand k)
  for (size_t m = 0; m < mineFree.size(); ++m)
    gFree.emplace_back(args.p[mineOffset + m], mineFree[m]);
  std::sort(gFree.begin(), gFree.end());
  for (const auto &entry : gFree)
    permutation.push_back(entry.second);
  std::vector<std::pair<int64_t, int64_t>> otherFree; // (axis of the other, axis of operand k)
  for (size_t t = 0; t < theirsContracted.size(); ++t)
    otherFree.emplace_back(theirsContracted[t], mineContracted[t]);
  std::sort(otherFree.begin(), otherFree.end());
  for (const auto &entry : otherFree)
    permutation.push_back(entry.second);
  return b.op(ir::OpKind::TensorDot, {g, other},
              ir::encodeLists({shape, theirDims, contractG, contractOther, permutation}));
}

} // namespace

Contribution linAlgAdjoint(Builder &b, const ir::Formula *y, size_t k, const ir::Formula *a) {
  using K = ir::OpKind;
  switch (y->kind()) {
  case K::MatVecMult: { // out = A v: a⊗v to A, Aᵀa to v
    const ir::Formula *m = y->child(0), *v = y->child(1);
    return {k == 0 ? b.op(K::TensorProd, {a, v}) : b.op(K::VecMatMult, {a, m})};
  }
  case K::VecMatMult: { // out = vᵀA: A a to v, v⊗a to A
    const ir::Formula *v = y->child(0), *m = y->child(1);
    return {k == 0 ? b.op(K::MatVecMult, {m, a}) : b.op(K::TensorProd, {v, a})};
  }
  case K::TensorProd: { // out = u⊗v: (a as a d_u×d_v matrix) v to u, uᵀa to v
    const ir::Formula *u = y->child(0), *v = y->child(1);
    return {k == 0 ? b.op(K::MatVecMult, {a, v}) : b.op(K::VecMatMult, {u, a})};
  }
  case K::TensorDot:
  case K::Kron: // a TensorDot with interleaving p (ir::tensorDotArgs expands it)
    return {tensorDotAdjoint(b, ir::tensorDotArgs(y), y->child(1 - k), k, a)};
  default: // Rules.cpp dispatches only this family's ops here
    return missingRule();
  }
}

} // namespace keopsc::passes::differentiation
