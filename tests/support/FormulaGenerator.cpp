// FormulaGenerator.cpp: random well-typed formulas (FormulaGenerator.h).
#include "FormulaGenerator.h"

#include "ir/ListArgs.h"

#include <algorithm>
#include <sstream>
#include <tuple>

namespace keopsc::testgen {

using ir::Formula;
using ir::OpKind;

namespace {
/// A shape of `dim` entries: rank 1, or rank 2 when `split` and dim has a factor.
ir::IntList shapeOf(int dim, bool split) {
  for (int f = 2; split && f * f <= dim; ++f)
    if (dim % f == 0)
      return {f, dim / f};
  return {dim};
}

/// Valid list arguments of TensorDot or Kron for operands of dimensions da and db: Kron on
/// shapes of equal rank; TensorDot contracting a's last axis with b's first when they match,
/// its free axes permuted when `permute`.
std::vector<int64_t> listsFor(OpKind kind, int da, int db, bool split, bool permute) {
  ir::IntList a = shapeOf(da, split), b = shapeOf(db, split);
  if (kind == OpKind::Kron) {
    if (a.size() != b.size())
      a = {da}, b = {db};
    return ir::encodeLists({a, b});
  }
  ir::IntList ca, cb;
  if (a.back() == b.front())
    ca = {static_cast<int64_t>(a.size()) - 1}, cb = {0};
  std::vector<ir::IntList> lists = {a, b, ca, cb};
  const size_t freeCount = a.size() + b.size() - 2 * ca.size();
  if (permute && freeCount > 1) {
    ir::IntList p;
    for (size_t m = 0; m < freeCount; ++m)
      p.push_back(static_cast<int64_t>(freeCount - 1 - m)); // reversed
    lists.push_back(p);
  }
  return ir::encodeLists(lists);
}

} // namespace

std::vector<OpKind> generatableOps() {
  std::vector<OpKind> ops;
  for (int k = 0; k < ir::kNumOps; ++k) {
    const ir::OpInfo &info = ir::opInfo(static_cast<OpKind>(k));
    if (info.ready && info.operands > 0 && !info.spellingOnly() && !info.internal() &&
        !info.calculus() && // the autodiff pass removes them before simplify
        (info.ints >= 0 || info.lists != ir::ListSchema::NoLists))
      ops.push_back(static_cast<OpKind>(k));
  }
  return ops;
}

FormulaGenerator::FormulaGenerator(ir::FormulaContext &context, const std::vector<VarSpec> &vars,
                                   uint64_t seed)
    : context_(context), rng_(seed), ops_(generatableOps()) {
  for (size_t pos = 0; pos < vars.size(); ++pos)
    leaves_.push_back(context_.var(static_cast<int>(pos), vars[pos].dim, vars[pos].cat));
  // The constants the rules care about (0, 1, −1, 2), a rational, a vector constant.
  for (auto [p, q, dim] : {std::tuple{0, 1, 1},
                           {0, 1, 3},
                           {1, 1, 1},
                           {-1, 1, 1},
                           {2, 1, 1},
                           {1, 2, 1},
                           {-3, 7, 1},
                           {3, 1, 3},
                           {1, 1, 3}})
    leaves_.push_back(context_.constant(*ir::Constant::rational(p, q), dim));
}

const Formula *FormulaGenerator::next(int steps) {
  std::vector<const Formula *> pool = leaves_;
  const Formula *last = pick(pool);
  for (int step = 0; step < steps; ++step)
    for (int attempt = 0; attempt < 20; ++attempt)
      if (const Formula *f = tryOne(pool)) {
        pool.push_back(f);
        last = f;
        break;
      }
  return last;
}

const Formula *FormulaGenerator::pick(const std::vector<const Formula *> &pool) {
  // Recent nodes more often, so formulas grow deep as well as wide.
  std::uniform_int_distribution<size_t> any(0, pool.size() - 1);
  size_t a = any(rng_), b = any(rng_);
  return pool[std::max(a, b)];
}

const Formula *FormulaGenerator::tryOne(const std::vector<const Formula *> &pool) {
  OpKind kind = ops_[std::uniform_int_distribution<size_t>(0, ops_.size() - 1)(rng_)];
  const ir::OpInfo &info = ir::opInfo(kind);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<const Formula *> children;
  for (int k = 0; k < info.operands; ++k) {
    const Formula *c = k > 0 && unit(rng_) < 0.25 ? children.back() : pick(pool);
    if (unit(rng_) < 0.1)
      c = context_.get(OpKind::Minus, {c});
    children.push_back(c);
  }
  std::vector<int64_t> ints;
  std::uniform_int_distribution<int64_t> small(-3, 4);
  for (int k = 0; k < info.ints; ++k)
    ints.push_back(small(rng_));
  if (info.lists != ir::ListSchema::NoLists)
    ints =
        listsFor(kind, children[0]->dim(), children[1]->dim(), unit(rng_) < 0.5, unit(rng_) < 0.5);
  ir::BuildResult built = context_.make(kind, std::move(children), std::move(ints));
  return built ? built.node() : nullptr;
}

std::string show(const Formula *f, int depth) {
  std::ostringstream out;
  if (f->kind() == OpKind::Var) {
    out << "v" << f->varPos();
    return out.str();
  }
  if (f->kind() == OpKind::Const) {
    out << f->constant().text();
    if (f->dim() > 1)
      out << "[" << f->dim() << "]";
    return out.str();
  }
  out << ir::opInfo(f->kind()).name << "(";
  if (depth > 12)
    out << "...";
  else
    for (size_t k = 0; k < f->children().size(); ++k)
      out << (k ? ", " : "") << show(f->child(k), depth + 1);
  if (ir::opInfo(f->kind()).lists != ir::ListSchema::NoLists)
    for (const ir::IntList &list : ir::decodeLists(f->ints()))
      out << ", " << ir::listText(list);
  else
    for (int64_t n : f->ints())
      out << ", " << n;
  out << ")";
  return out.str();
}

} // namespace keopsc::testgen
