// Tests of the autodiff pass's differentiation (SPEC.md §3 calculus table, §6): every
// differentiable operation's rule against float64 central finite differences of the evaluator
// at random points away from kinks (≤ 1e-6 relative, norm-wise), first and second order, Diff,
// GradMatrix, Divergence and Laplacian; every differentiable operation has a rule; step-like
// operations give zero; an operation without a derivative is refused. The seed is printed.
#include "passes/Autodiff.h"

#include "../SampleNodes.h"
#include "ir/Evaluate.h"
#include "passes/autodiff/Differentiator.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <random>
#include <set>
#include <sstream>

using namespace keopsc;
using ir::Category;
using ir::Formula;
using ir::OpKind;

namespace {

constexpr uint64_t kSeed = 20261202;

/// Differentiable operations whose rule is not written yet (each must be missing: the list only
/// shrinks). Empty when issue 10's rules are complete.
const std::set<OpKind> kRulesNotYet = {};

/// Operands SPEC.md §3 marks "n" in an otherwise differentiable operation: Grad through them is
/// refused ("no derivative"), not a missing rule.
const std::set<std::pair<OpKind, size_t>> kNoDerivativeIn = {{OpKind::SoftDTW_SqDist, 2}};

/// Operations a rule is checked on: ready formula nodes whose derivative class is Yes.
std::vector<OpKind> differentiableOps() {
  std::vector<OpKind> ops;
  for (int k = 0; k < ir::kNumOps; ++k) {
    const ir::OpInfo &info = ir::opInfo(static_cast<OpKind>(k));
    if (info.ready && info.grad == ir::GradClass::Yes && !info.spellingOnly() && !info.calculus() &&
        info.dims != ir::DimRule::Leaf)
      ops.push_back(static_cast<OpKind>(k));
  }
  return ops;
}

/// A sample node of `kind` (tests/unit/SampleNodes.h) with a nonzero power for Pow and bounds
/// 0 ≤ 1 for ClampInt (its sample's 0, 0 is a constant).
const Formula *sample(ir::FormulaContext &ctx, OpKind kind) {
  if (kind == OpKind::Pow)
    return ctx.get(kind, {ctx.var(0, 3, Category::I)}, {3});
  if (kind == OpKind::ClampInt)
    return ctx.get(kind, {ctx.var(0, 3, Category::I)}, {0, 1});
  return samples::sampleNode(ctx, kind, [](int) { return Category::Param; });
}

/// Values of positions 0..n: random in [0.2, 0.8] (inside every domain, away from 0 and ±1),
/// and the pair (i, j) SelectByIndex and GatherByIndex compare with (no index in [0.2, 0.8]
/// equals it: the picks' own tests choose theirs).
struct Point {
  std::vector<std::vector<double>> values;
  int64_t i = 0, j = 0;
  std::function<const double *(int)> rows() const {
    return [this](int pos) { return values[size_t(pos)].data(); };
  }
};

Point randomPoint(std::mt19937_64 &rng, const std::vector<int> &dims) {
  std::uniform_real_distribution<double> u(0.2, 0.8);
  Point p;
  for (int d : dims) {
    p.values.emplace_back(size_t(d));
    for (double &v : p.values.back())
      v = u(rng);
  }
  return p;
}

/// Moves operand 0's values where an operation has more than one regime: IfElse's condition
/// to [−0.3, 0.3] (both branches), ClampInt's f to [−0.4, 1.4] (below, inside, above [0, 1]).
/// Kinks are still met with probability ~1e-5 per component, never at the fixed seed.
void spreadOperand(OpKind kind, Point &p) {
  for (double &v : p.values[0]) {
    if (kind == OpKind::IfElse)
      v -= 0.5;
    if (kind == OpKind::ClampInt)
      v = 3 * v - 1;
  }
}

std::vector<double> eval(const Formula *f, const Point &p) {
  ir::Evaluator e({f});
  e.run(p.rows(), p.i, p.j);
  return e.value(f);
}

double dot(const std::vector<double> &a, const std::vector<double> &b) {
  double s = 0;
  for (size_t k = 0; k < a.size(); ++k)
    s += a[k] * b[k];
  return s;
}

double norm(const std::vector<double> &a) { return std::sqrt(dot(a, a)); }

/// ∂⟨e, F⟩/∂v by central differences, F evaluated in float64.
std::vector<double> finiteGradient(const Formula *f, Point p, int v, const std::vector<double> &e) {
  std::vector<double> g(p.values[size_t(v)].size());
  for (size_t l = 0; l < g.size(); ++l) {
    const double x = p.values[size_t(v)][l], h = 1e-5 * std::max(1.0, std::fabs(x));
    p.values[size_t(v)][l] = x + h;
    const double up = dot(e, eval(f, p));
    p.values[size_t(v)][l] = x - h;
    const double down = dot(e, eval(f, p));
    p.values[size_t(v)][l] = x;
    g[l] = (up - down) / (2 * h);
  }
  return g;
}

/// |got − want| ≤ 1e-6·|want| (+1e-9 for a zero gradient), norm-wise.
::testing::AssertionResult closeNormwise(const std::vector<double> &got,
                                         const std::vector<double> &want) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure() << "sizes " << got.size() << " and " << want.size();
  std::vector<double> diff(got.size());
  for (size_t k = 0; k < got.size(); ++k)
    diff[k] = got[k] - want[k];
  const double error = norm(diff), bound = 1e-6 * norm(want) + 1e-9;
  if (error <= bound)
    return ::testing::AssertionSuccess();
  std::ostringstream text;
  text << "|diff| " << error << " > " << bound << "; got";
  for (double g : got)
    text << ' ' << g;
  text << "; finite differences";
  for (double w : want)
    text << ' ' << w;
  return ::testing::AssertionFailure() << text.str();
}

/// The sample's variables (positions 0..n-1) and their dimensions.
std::vector<int> operandDims(const Formula *f) {
  std::vector<int> dims;
  for (const Formula *c : f->children())
    dims.push_back(c->dim());
  return dims;
}

TEST(Autodiff, EveryDifferentiableOperationHasARuleOrIsListedAsNotYet) {
  ir::FormulaContext ctx;
  for (OpKind kind : differentiableOps()) {
    const Formula *f = sample(ctx, kind);
    const Formula *e = ctx.var(int(f->children().size()), f->dim(), Category::Param);
    bool anyMissing = false;
    for (size_t v = 0; v < f->children().size(); ++v) {
      if (kNoDerivativeIn.count({kind, v}))
        continue;
      const Formula *grad = ctx.get(OpKind::Grad, {f, f->child(v), e});
      anyMissing |= passes::expandDerivatives(ctx, grad) == nullptr;
    }
    EXPECT_EQ(anyMissing, kRulesNotYet.count(kind) == 1)
        << ir::opInfo(kind).name
        << (anyMissing ? " has no derivative rule" : " has a rule: remove it from kRulesNotYet");
  }
}

/// Checks f's rules against finite differences for each operand v (positions 0..n-1; e at n,
/// u and e2 at n + 1): Grad(F, v, e) = (∂F/∂v)ᵀ e, Diff(F, v, u) = (∂F/∂v)·u, and second order,
/// Grad(Grad(F, v, e), v, e2), where the first derivative's operations all have rules.
void checkRules(ir::FormulaContext &ctx, const Formula *f, std::mt19937_64 &rng, int &checked,
                int &secondOrder) {
  const OpKind kind = f->kind();
  const int n = int(f->children().size());
  std::vector<int> dims = operandDims(f);
  dims.push_back(f->dim()); // e at position n
  const Formula *e = ctx.var(n, f->dim(), Category::Param);
  for (int v = 0; v < n; ++v) {
    if (kNoDerivativeIn.count({kind, size_t(v)}))
      continue;
    std::ostringstream trace;
    trace << ir::opInfo(kind).name << " (dims";
    for (int d : operandDims(f))
      trace << ' ' << d;
    trace << "), operand " << v;
    SCOPED_TRACE(trace.str());
    const Formula *var = f->child(size_t(v));
    dims.push_back(var->dim()); // u, e2 at position n + 1
    Point p = randomPoint(rng, dims);
    spreadOperand(kind, p);
    const Formula *grad = passes::expandDerivatives(ctx, ctx.get(OpKind::Grad, {f, var, e}));
    ASSERT_NE(grad, nullptr);
    EXPECT_TRUE(closeNormwise(eval(grad, p), finiteGradient(f, p, v, p.values[size_t(n)])));
    const Formula *u = ctx.var(n + 1, var->dim(), Category::Param);
    const Formula *diff = passes::expandDerivatives(ctx, ctx.get(OpKind::Diff, {f, var, u}));
    ASSERT_NE(diff, nullptr);
    // ⟨e, J u⟩ = ⟨Jᵀ e, u⟩
    EXPECT_NEAR(dot(p.values[size_t(n)], eval(diff, p)),
                dot(eval(grad, p), p.values[size_t(n + 1)]),
                1e-9 * (1 + std::fabs(dot(eval(grad, p), p.values[size_t(n + 1)]))));
    const Formula *second = passes::expandDerivatives(
        ctx, ctx.get(OpKind::Grad, {ctx.get(OpKind::Grad, {f, var, e}), var,
                                    ctx.var(n + 1, var->dim(), Category::Param)}));
    if (second) {
      EXPECT_TRUE(
          closeNormwise(eval(second, p), finiteGradient(grad, p, v, p.values[size_t(n + 1)])));
      ++secondOrder;
    }
    dims.pop_back();
    ++checked;
  }
}

// Every rule, first order, Diff and second order, on each operation's sample node.
TEST(Autodiff, EveryRuleAgreesWithFiniteDifferences) {
  std::printf("seed %llu\n", (unsigned long long)kSeed);
  std::mt19937_64 rng(kSeed);
  int checked = 0, secondOrder = 0;
  for (OpKind kind : differentiableOps()) {
    if (kRulesNotYet.count(kind))
      continue;
    ir::FormulaContext ctx;
    checkRules(ctx, sample(ctx, kind), rng, checked, secondOrder);
  }
  std::printf("%d gradients checked, %d of them to second order\n", checked, secondOrder);
  EXPECT_GT(checked, 30);
}

/// A node of `kind` over variables of the given dimensions at positions 0, 1, ...
const Formula *nodeOf(ir::FormulaContext &ctx, OpKind kind, const std::vector<int> &dims,
                      std::vector<int64_t> ints = {}) {
  std::vector<const Formula *> children;
  for (size_t k = 0; k < dims.size(); ++k)
    children.push_back(ctx.var(int(k), dims[k], Category::Param));
  return ctx.get(kind, children, std::move(ints));
}

// The shapes the samples do not reach: broadcast operands (rules B and C, either side), the
// other weight layouts, scalar-sized matrices, TensorDot with several contracted axes, none, all
// (a scalar result), without p; Kron of other ranks.
TEST(Autodiff, RulesAgreeWithFiniteDifferencesOnOtherShapes) {
  std::mt19937_64 rng(kSeed + 2);
  using K = OpKind;
  ir::FormulaContext ctx;
  const std::vector<const Formula *> nodes = {
      nodeOf(ctx, K::Atan2, {1, 3}),
      nodeOf(ctx, K::Atan2, {3, 1}),
      nodeOf(ctx, K::Mod, {3, 1, 1}),
      nodeOf(ctx, K::Mod, {1, 3, 3}),
      nodeOf(ctx, K::Clamp, {3, 1, 1}),
      nodeOf(ctx, K::Clamp, {1, 3, 3}),
      nodeOf(ctx, K::IfElse, {1, 3, 3}),
      nodeOf(ctx, K::IfElse, {3, 1, 3}),
      nodeOf(ctx, K::IfElse, {3, 3, 1}),
      nodeOf(ctx, K::Normalize, {1}),
      nodeOf(ctx, K::WeightedSqNorm, {1, 3}),
      nodeOf(ctx, K::WeightedSqNorm, {3, 3}),
      nodeOf(ctx, K::WeightedSqNorm, {1, 1}),
      nodeOf(ctx, K::SymSqNorm, {4, 2}),
      nodeOf(ctx, K::SqNormDiag, {1, 1}),
      nodeOf(ctx, K::WeightedSqDist, {1, 3, 3}),
      nodeOf(ctx, K::WeightedSqDist, {3, 3, 3}),
      nodeOf(ctx, K::WeightedSqDist, {9, 1, 3}),
      nodeOf(ctx, K::WeightedSqDist, {3, 3, 1}),
      nodeOf(ctx, K::MatVecMult, {3, 1}),
      nodeOf(ctx, K::MatVecMult, {2, 2}),
      nodeOf(ctx, K::VecMatMult, {1, 3}),
      nodeOf(ctx, K::VecMatMult, {2, 8}),
      nodeOf(ctx, K::TensorProd, {1, 3}),
      nodeOf(ctx, K::TensorProd, {2, 3}),
      nodeOf(ctx, K::TensorDot, {12, 12}, ir::encodeLists({{2, 3, 2}, {3, 2, 2}, {1, 2}, {0, 2}})),
      nodeOf(ctx, K::TensorDot, {6, 4}, ir::encodeLists({{2, 3}, {4}, {}, {}, {2, 0, 1}})),
      nodeOf(ctx, K::TensorDot, {6, 6}, ir::encodeLists({{2, 3}, {3, 2}, {0, 1}, {1, 0}})),
      nodeOf(ctx, K::TensorDot, {24, 6}, ir::encodeLists({{2, 3, 4}, {3, 2}, {1}, {0}, {1, 2, 0}})),
      nodeOf(ctx, K::Kron, {2, 3}, ir::encodeLists({{2}, {3}})),
      nodeOf(ctx, K::Kron, {4, 6}, ir::encodeLists({{2, 1, 2}, {1, 3, 2}})),
      nodeOf(ctx, K::ComplexAdd, {2, 4}),
      nodeOf(ctx, K::ComplexSubtract, {2, 4}),
      nodeOf(ctx, K::ComplexMult, {2, 4}),
      nodeOf(ctx, K::ComplexMult, {4, 4}),
      nodeOf(ctx, K::ComplexMult, {2, 2}),
      nodeOf(ctx, K::ComplexDivide, {2, 4}),
      nodeOf(ctx, K::ComplexDivide, {4, 4}),
      nodeOf(ctx, K::ComplexRealScal, {4, 1}),
      nodeOf(ctx, K::ComplexSum, {2}),
      nodeOf(ctx, K::ComplexSumT, {2}, {2}),
      nodeOf(ctx, K::ComplexExp, {6}),
      nodeOf(ctx, K::ComplexExp1j, {1}),
      nodeOf(ctx, K::ComplexAngle, {6}),
      nodeOf(ctx, K::SoftDTW_SqDist, {1, 3, 1}),
      nodeOf(ctx, K::SoftDTW_SqDist, {3, 1, 1}),
      nodeOf(ctx, K::SoftDTW_SqDist, {1, 1, 1}),
      nodeOf(ctx, K::SoftDTW_SqDist, {5, 5, 1}),
  };
  int checked = 0, secondOrder = 0;
  for (const Formula *f : nodes)
    checkRules(ctx, f, rng, checked, secondOrder);
  std::printf("%d gradients checked, %d of them to second order\n", checked, secondOrder);
  EXPECT_EQ(checked, 101);
}

/// Grad(f, f's operand `operand`, e) at the given values of positions 0..n (e last).
std::vector<double> gradientAt(ir::FormulaContext &ctx, const Formula *f, size_t operand,
                               const std::vector<std::vector<double>> &values) {
  const Formula *e = ctx.var(int(values.size()) - 1, f->dim(), Category::Param);
  const Formula *g =
      passes::expandDerivatives(ctx, ctx.get(OpKind::Grad, {f, f->child(operand), e}));
  EXPECT_NE(g, nullptr);
  if (!g)
    return {};
  Point p;
  p.values = values;
  return eval(g, p);
}

using Values = std::vector<double>;

// SPEC.md §3: Clamp's bounds are inclusive: [a ≤ f ≤ b] to f, [f < a] to a, [f > b] to b, also
// where a = b (KeOps: NaN).
TEST(Autodiff, ClampGradientAtItsBoundsGoesToF) {
  ir::FormulaContext ctx;
  const std::vector<Values> at = {{0.2, 0.8, 0.5, 0.1, 0.9}, // f
                                  {0.2, 0.2, 0.5, 0.2, 0.2}, // a
                                  {0.8, 0.8, 0.5, 0.8, 0.8}, // b
                                  {1, 2, 3, 4, 5}};          // e
  const Formula *g5 =
      ctx.get(OpKind::Clamp,
              {ctx.var(0, 5, Category::I), ctx.var(1, 5, Category::I), ctx.var(2, 5, Category::I)});
  EXPECT_EQ(gradientAt(ctx, g5, 0, at), (Values{1, 2, 3, 0, 0}));
  EXPECT_EQ(gradientAt(ctx, g5, 1, at), (Values{0, 0, 0, 4, 0}));
  EXPECT_EQ(gradientAt(ctx, g5, 2, at), (Values{0, 0, 0, 0, 5}));
  // Inverted bounds (a > b): the value is a wherever f < a, b elsewhere (SPEC.md's order).
  const std::vector<Values> inverted = {
      {0.1, 0.5, 0.9}, {0.7, 0.7, 0.7}, {0.3, 0.3, 0.3}, {1, 2, 3}};
  const Formula *c3 =
      ctx.get(OpKind::Clamp,
              {ctx.var(0, 3, Category::I), ctx.var(1, 3, Category::I), ctx.var(2, 3, Category::I)});
  EXPECT_EQ(gradientAt(ctx, c3, 0, inverted), (Values{0, 0, 0}));
  EXPECT_EQ(gradientAt(ctx, c3, 1, inverted), (Values{1, 2, 0}));
  EXPECT_EQ(gradientAt(ctx, c3, 2, inverted), (Values{0, 0, 3}));
}

TEST(Autodiff, ClampIntGradientIsOneOnItsClosedInterval) {
  ir::FormulaContext ctx;
  const Formula *f = ctx.get(OpKind::ClampInt, {ctx.var(0, 5, Category::I)}, {0, 1});
  EXPECT_EQ(gradientAt(ctx, f, 0, {{-0.5, 0, 0.5, 1, 1.5}, {1, 2, 3, 4, 5}}),
            (Values{0, 2, 3, 4, 0}));
}

// SPEC.md §3: IfElse sends the adjoint to a where c ≥ 0 (c = 0 included), else to b, and
// nothing through c.
TEST(Autodiff, IfElseGradientGoesToABranchNotThroughTheCondition) {
  ir::FormulaContext ctx;
  const Formula *f =
      ctx.get(OpKind::IfElse,
              {ctx.var(0, 3, Category::I), ctx.var(1, 3, Category::I), ctx.var(2, 3, Category::I)});
  const std::vector<Values> at = {{-0.5, 0, 0.5}, {1, 1, 1}, {2, 2, 2}, {1, 2, 3}};
  EXPECT_EQ(gradientAt(ctx, f, 0, at), (Values{0, 0, 0}));
  EXPECT_EQ(gradientAt(ctx, f, 1, at), (Values{0, 2, 3}));
  EXPECT_EQ(gradientAt(ctx, f, 2, at), (Values{1, 0, 0}));
  // A scalar condition against vector branches, and a scalar branch: summed (rule B).
  const Formula *mixed =
      ctx.get(OpKind::IfElse,
              {ctx.var(0, 1, Category::I), ctx.var(1, 1, Category::I), ctx.var(2, 3, Category::I)});
  EXPECT_EQ(gradientAt(ctx, mixed, 1, {{0}, {1}, {2, 2, 2}, {1, 2, 3}}), (Values{6}));
  EXPECT_EQ(gradientAt(ctx, mixed, 2, {{0}, {1}, {2, 2, 2}, {1, 2, 3}}), (Values{0, 0, 0}));
}

// SPEC.md §3's values at the kinks and domain edges: SinXDivX′(0) = 0 (KeOps: NaN), Asin′ and
// Acos′ infinite at 1 (KeOps: 0), Normalize and ComplexAbs with gradient 0 at 0 (Rsqrt(0) = 0).
TEST(Autodiff, KinkValuesFollowTheSpec) {
  ir::FormulaContext ctx;
  const Formula *x = ctx.var(0, 2, Category::I);
  const std::vector<Values> at = {{0, 0.5}, {1, 1}};
  const std::vector<double> sinc = gradientAt(ctx, ctx.get(OpKind::SinXDivX, {x}), 0, at);
  EXPECT_EQ(sinc[0], 0);
  EXPECT_NEAR(sinc[1], (std::cos(0.5) - std::sin(0.5) / 0.5) / 0.5, 1e-15);
  const std::vector<Values> edge = {{1, -1}, {1, 1}};
  const std::vector<double> asin = gradientAt(ctx, ctx.get(OpKind::Asin, {x}), 0, edge);
  EXPECT_TRUE(std::isinf(asin[0]) && asin[0] > 0 && std::isinf(asin[1]) && asin[1] > 0);
  const std::vector<double> acos = gradientAt(ctx, ctx.get(OpKind::Acos, {x}), 0, edge);
  EXPECT_TRUE(std::isinf(acos[0]) && acos[0] < 0 && std::isinf(acos[1]) && acos[1] < 0);
  const Formula *x3 = ctx.var(0, 3, Category::I);
  EXPECT_EQ(gradientAt(ctx, ctx.get(OpKind::Normalize, {x3}), 0, {{0, 0, 0}, {1, 2, 3}}),
            (Values{0, 0, 0}));
  const Formula *z = ctx.var(0, 4, Category::I);
  EXPECT_TRUE(
      closeNormwise(gradientAt(ctx, ctx.get(OpKind::ComplexAbs, {z}), 0, {{0, 0, 3, 4}, {1, 1}}),
                    Values{0, 0, 0.6, 0.8}));
}

// The calculus operations on a Gaussian-like formula of x = Vi(3), y = Vj(3).
TEST(Autodiff, GradMatrixDivergenceAndLaplacianMatchTheirDefinitions) {
  ir::FormulaContext ctx;
  std::mt19937_64 rng(kSeed + 1);
  const Formula *x = ctx.var(0, 3, Category::I), *y = ctx.var(1, 3, Category::J);
  const Formula *gauss =
      ctx.get(OpKind::Exp, {ctx.get(OpKind::Minus, {ctx.get(OpKind::SqDist, {x, y})})});
  const Formula *field = ctx.get(OpKind::Mult, {gauss, ctx.get(OpKind::Mult, {x, y})}); // dim 3
  const Point p = randomPoint(rng, {3, 3});
  // GradMatrix entry [k·3 + l] = ∂F_k/∂x_l.
  const Formula *jac = passes::expandDerivatives(ctx, ctx.get(OpKind::GradMatrix, {field, x}));
  ASSERT_NE(jac, nullptr);
  ASSERT_EQ(jac->dim(), 9);
  std::vector<double> expected;
  for (int k = 0; k < 3; ++k) {
    std::vector<double> unit(3, 0.0);
    unit[size_t(k)] = 1;
    for (double g : finiteGradient(field, p, 0, unit))
      expected.push_back(g);
  }
  EXPECT_TRUE(closeNormwise(eval(jac, p), expected));
  const Formula *div = passes::expandDerivatives(ctx, ctx.get(OpKind::Divergence, {field, x}));
  ASSERT_NE(div, nullptr);
  EXPECT_NEAR(eval(div, p)[0], expected[0] + expected[4] + expected[8], 1e-8);
  // Laplacian = trace of the Hessian: finite differences of the exact gradient.
  const Formula *lap = passes::expandDerivatives(ctx, ctx.get(OpKind::Laplacian, {gauss, x}));
  const Formula *grad = passes::expandDerivatives(
      ctx, ctx.get(OpKind::Grad, {gauss, x, ctx.constant(ir::Constant::integer(1))}));
  ASSERT_NE(lap, nullptr);
  double trace = 0;
  for (int k = 0; k < 3; ++k) {
    std::vector<double> unit(3, 0.0);
    unit[size_t(k)] = 1;
    trace += finiteGradient(grad, p, 0, unit)[size_t(k)];
  }
  EXPECT_NEAR(eval(lap, p)[0], trace, 1e-7 * (1 + std::fabs(trace)));
}

TEST(Autodiff, NestedGradientOfAnAffineFormulaIsZero) {
  // SPEC.md §6: Grad(Grad(x + Var(1,3,1), x, Var(2,3,0)), x, Var(3,3,0)) is Zero(3).
  ir::FormulaContext ctx;
  const Formula *x = ctx.var(0, 3, Category::I);
  const Formula *inner =
      ctx.get(OpKind::Grad, {ctx.get(OpKind::Add, {x, ctx.var(1, 3, Category::J)}), x,
                             ctx.var(2, 3, Category::I)});
  const Formula *outer =
      passes::expandDerivatives(ctx, ctx.get(OpKind::Grad, {inner, x, ctx.var(3, 3, Category::I)}));
  ASSERT_NE(outer, nullptr);
  EXPECT_EQ(outer, ctx.zero(3));
}

// SPEC.md §3: SoftDTW_SqDist is differentiable in the sequences, not in γ; Grad with respect to
// γ is the "no derivative" diagnostic, not a missing rule.
TEST(Autodiff, SoftDtwHasNoDerivativeInGamma) {
  ir::FormulaContext ctx;
  const Formula *f = nodeOf(ctx, OpKind::SoftDTW_SqDist, {4, 3, 1});
  passes::differentiation::Differentiator d(ctx);
  EXPECT_EQ(d.gradient(f, f->child(2), ctx.var(3, 1, Category::Param)), nullptr);
  EXPECT_EQ(d.failedAt(), f);
  EXPECT_FALSE(d.ruleMissing());
  EXPECT_NE(d.gradient(f, f->child(0), ctx.var(3, 1, Category::Param)), nullptr);
}

// AdjointOperator(F, v, u) = Aᵀu for F = A·v (SPEC.md §3), against finite differences of
// ⟨u, F⟩; F's linearity is checked structurally: affine, bilinear-in-v and nonlinear formulas,
// and formulas that do not read v, are refused as "not linear", not as a missing rule.
TEST(Autodiff, AdjointOperatorTransposesLinearFormulasAndRefusesOthers) {
  using K = OpKind;
  ir::FormulaContext ctx;
  std::mt19937_64 rng(kSeed + 3);
  const Formula *m = ctx.var(0, 6, Category::Param), *x = ctx.var(1, 3, Category::I);
  const Formula *y = ctx.var(2, 3, Category::J);
  auto get = [&](K kind, std::vector<const Formula *> children, std::vector<int64_t> ints = {}) {
    return ctx.get(kind, std::move(children), std::move(ints));
  };
  const std::vector<const Formula *> linear = {
      get(K::Subtract,
          {get(K::Mult, {get(K::MatVecMult, {m, x}), get(K::Sum, {y})}), get(K::Elem, {x}, {0})}),
      get(K::Concat, {get(K::Divide, {x, y}), ctx.zero(2)}),
      get(K::Scalprod, {y, get(K::Minus, {x})}),
      get(K::TensorDot, {m, x}, ir::encodeLists({{2, 3}, {3}, {1}, {0}})),
      get(K::ComplexMult, {get(K::Real2Complex, {x}), get(K::Extract, {y}, {0, 2})}),
      x,
  };
  for (const Formula *f : linear) {
    const Formula *u = ctx.var(3, f->dim(), Category::I);
    const Formula *adjoint = passes::expandDerivatives(ctx, get(K::AdjointOperator, {f, x, u}));
    ASSERT_NE(adjoint, nullptr) << ir::opInfo(f->kind()).name;
    const Point p = randomPoint(rng, {6, 3, 3, f->dim()});
    EXPECT_TRUE(closeNormwise(eval(adjoint, p), finiteGradient(f, p, 1, p.values[3])))
        << ir::opInfo(f->kind()).name;
  }
  const std::vector<const Formula *> notLinear = {
      get(K::Add, {get(K::MatVecMult, {m, x}), get(K::Elem, {y}, {0})}), // affine
      get(K::Add, {x, ctx.constant(ir::Constant::integer(1))}),
      get(K::Mult, {x, x}),
      get(K::Divide, {y, x}),
      get(K::Exp, {x}),
      get(K::Scalprod, {x, get(K::Add, {x, y})}),
      y, // does not read x, but is not zero
  };
  for (const Formula *f : notLinear) {
    const Formula *u = ctx.var(3, f->dim(), Category::I);
    passes::differentiation::Differentiator d(ctx);
    const Formula *node = get(K::AdjointOperator, {f, x, u});
    EXPECT_EQ(d.expand(node), nullptr) << ir::opInfo(f->kind()).name;
    EXPECT_TRUE(d.notLinear()) << ir::opInfo(f->kind()).name;
    EXPECT_EQ(passes::expandDerivatives(ctx, node), nullptr);
  }
}

// TraceOperator and SumLinOperator (SPEC.md §3) of linear formulas against A from finite
// differences (A_kl = ∂F_k/∂x_l), with and without their weights; nonlinear ones refused.
TEST(Autodiff, TraceAndSumLinOperatorsMatchTheMatrixOfTheLinearFormula) {
  using K = OpKind;
  ir::FormulaContext ctx;
  std::mt19937_64 rng(kSeed + 4);
  const Formula *m = ctx.var(0, 9, Category::Param), *x = ctx.var(1, 3, Category::I);
  const Formula *y = ctx.var(2, 3, Category::J);
  const Formula *w1 = ctx.var(3, 1, Category::J), *w3 = ctx.var(4, 3, Category::J);
  const Point p = randomPoint(rng, {9, 3, 3, 1, 3});
  const Formula *square = ctx.get(
      K::Add, {ctx.get(K::MatVecMult, {m, x}), ctx.get(K::Mult, {y, ctx.get(K::Elem, {x}, {2})})});
  const Formula *row = ctx.get(K::Scalprod, {y, x});                                    // d_F = 1
  const Formula *wide = ctx.get(K::Concat, {square, ctx.get(K::Extract, {x}, {0, 2})}); // 5×3
  auto matrix = [&](const Formula *f) {                                                 // A[k][l]
    std::vector<std::vector<double>> a;
    for (int k = 0; k < f->dim(); ++k) {
      std::vector<double> unit(size_t(f->dim()), 0.0);
      unit[size_t(k)] = 1;
      a.push_back(finiteGradient(f, p, 1, unit));
    }
    return a;
  };
  auto value = [&](K kind, std::vector<const Formula *> operands) {
    const Formula *g = passes::expandDerivatives(ctx, ctx.get(kind, std::move(operands)));
    EXPECT_NE(g, nullptr);
    return g ? eval(g, p)[0] : std::nan("");
  };
  const auto a = matrix(square), r = matrix(row), v = matrix(wide);
  const double s1 = p.values[3][0];
  const std::vector<double> &s3 = p.values[4], &ys = p.values[2];
  double trace = 0, weighted = 0, rowSum = 0, rowWeighted = 0, all = 0;
  for (size_t k = 0; k < 3; ++k) {
    trace += a[k][k];
    weighted += s3[k] * a[k][k];
    rowSum += r[0][k];
    rowWeighted += s3[k] * r[0][k];
  }
  for (size_t k = 0; k < 5; ++k)
    for (size_t l = 0; l < 3; ++l)
      all += v[k][l];
  const double tol = 1e-7;
  EXPECT_NEAR(value(K::TraceOperator, {square, x}), trace, tol);
  EXPECT_NEAR(value(K::TraceOperator, {square, x, w3}), weighted, tol);
  EXPECT_NEAR(value(K::TraceOperator, {square, x, w1}), s1 * trace, tol);
  EXPECT_NEAR(value(K::TraceOperator, {row, x}), rowSum, tol);
  EXPECT_NEAR(value(K::TraceOperator, {row, x, w3}), rowWeighted, tol);
  EXPECT_NEAR(value(K::SumLinOperator, {wide, x}), all, tol);
  EXPECT_NEAR(value(K::SumLinOperator, {wide, x, w1}), s1 * all, tol);
  // wl = y (d_F = 3) on the 3×3 formula, wr of d_v = 3 or a scalar.
  double bilinear = 0, leftOnly = 0;
  for (size_t k = 0; k < 3; ++k)
    for (size_t l = 0; l < 3; ++l) {
      bilinear += ys[k] * a[k][l] * s3[l];
      leftOnly += ys[k] * a[k][l] * s1;
    }
  EXPECT_NEAR(value(K::SumLinOperator, {square, x, y, w3}), bilinear, tol);
  EXPECT_NEAR(value(K::SumLinOperator, {square, x, y, w1}), leftOnly, tol);
  passes::differentiation::Differentiator d(ctx);
  EXPECT_EQ(d.expand(ctx.get(K::TraceOperator, {ctx.get(K::Square, {x}), x})), nullptr);
  EXPECT_TRUE(d.notLinear());
  passes::differentiation::Differentiator d2(ctx);
  EXPECT_EQ(d2.expand(ctx.get(K::SumLinOperator, {ctx.get(K::Add, {x, y}), x})), nullptr);
  EXPECT_TRUE(d2.notLinear());
}

TEST(Autodiff, StepLikeOperationsHaveZeroGradientsAndBSplineNone) {
  ir::FormulaContext ctx;
  const Formula *x = ctx.var(0, 3, Category::I), *e = ctx.var(1, 3, Category::I);
  for (OpKind kind : {OpKind::Sign, OpKind::Step, OpKind::Floor}) {
    const Formula *g =
        passes::expandDerivatives(ctx, ctx.get(OpKind::Grad, {ctx.get(kind, {x}), x, e}));
    EXPECT_EQ(g, ctx.zero(3)) << ir::opInfo(kind).name;
  }
  const Formula *spline =
      samples::sampleNode(ctx, OpKind::BSpline, [](int) { return Category::Param; });
  EXPECT_EQ(passes::expandDerivatives(
                ctx, ctx.get(OpKind::Grad, {spline, spline->child(1),
                                            ctx.var(7, spline->dim(), Category::Param)})),
            nullptr);
}

} // namespace

// SelectByIndex and GatherByIndex (the picks Min/Max/KMin gradients are built from, SPEC.md §6)
// through nonlinear operands, against finite differences at fixed integer indices: pair j = 4
// picks components of both picks, j = 9 one, j = 3 none. First and second order, in an i- and a
// j-variable; the indices (exact integers: a step h breaks every equality) get nothing.
TEST(Autodiff, PicksThroughReportedIndicesAgreeWithFiniteDifferences) {
  std::mt19937_64 rng(kSeed + 3);
  using K = OpKind;
  ir::FormulaContext ctx;
  const int64_t picks = 2, d = 3, catJ = 1;
  const std::vector<double> indices = {4, 7, 4, 5, 4, 9}; // [k][c]
  const Formula *idx = ctx.var(0, int(picks * d), Category::I);
  const Formula *x = ctx.var(1, int(d), Category::I), *y = ctx.var(2, int(d), Category::J);
  const Formula *f = ctx.get(K::Mult, {ctx.get(K::Exp, {x}), ctx.get(K::Sin, {y})});
  const Formula *select = ctx.get(K::SelectByIndex, {idx, f}, {picks, catJ});
  const Formula *gather = ctx.get(
      K::GatherByIndex, {idx, ctx.get(K::Square, {ctx.get(K::Concat, {x, y})})}, {picks, catJ});
  int checked = 0, nonzero = 0;
  for (const Formula *pick : {select, gather})
    for (int v : {1, 2})
      for (int64_t j : {4, 9, 3}) {
        SCOPED_TRACE(std::string(ir::opInfo(pick->kind()).name) + " in operand " +
                     std::to_string(v) + " at j = " + std::to_string(j));
        const Formula *var = v == 1 ? x : y;
        // e at position 3, e2 at position 4.
        Point p = randomPoint(rng, {int(picks * d), int(d), int(d), pick->dim(), int(d)});
        p.values[0] = indices;
        p.j = j;
        const Formula *e = ctx.var(3, pick->dim(), Category::Param);
        const Formula *grad = passes::expandDerivatives(ctx, ctx.get(K::Grad, {pick, var, e}));
        ASSERT_NE(grad, nullptr);
        const std::vector<double> want = finiteGradient(pick, p, v, p.values[3]);
        EXPECT_TRUE(closeNormwise(eval(grad, p), want));
        nonzero += norm(want) > 0;
        const Formula *second =
            passes::expandDerivatives(ctx, ctx.get(K::Grad, {ctx.get(K::Grad, {pick, var, e}), var,
                                                             ctx.var(4, int(d), Category::Param)}));
        ASSERT_NE(second, nullptr);
        EXPECT_TRUE(closeNormwise(eval(second, p), finiteGradient(grad, p, v, p.values[4])));
        const Formula *toIndices = passes::expandDerivatives(ctx, ctx.get(K::Grad, {pick, idx, e}));
        ASSERT_NE(toIndices, nullptr);
        EXPECT_EQ(eval(toIndices, p), std::vector<double>(indices.size(), 0.0));
        ++checked;
      }
  EXPECT_EQ(checked, 12);
  // j = 3 picks nothing; j = 9 only y's part of the gathered e (component 5).
  EXPECT_EQ(nonzero, 7);
}

// Each pick's adjoint in its values is the other pick over the same indices, K and category.
TEST(Autodiff, TheAdjointOfAPickIsTheOtherPick) {
  using K = OpKind;
  ir::FormulaContext ctx;
  const Formula *idx = ctx.var(0, 6, Category::I), *x = ctx.var(1, 3, Category::J);
  const Formula *e6 = ctx.var(2, 6, Category::Param), *e3 = ctx.var(3, 3, Category::Param);
  const Formula *select = ctx.get(K::SelectByIndex, {idx, x}, {2, 0});
  EXPECT_EQ(passes::expandDerivatives(ctx, ctx.get(K::Grad, {select, x, e6})),
            ctx.get(K::GatherByIndex, {idx, e6}, {2, 0}));
  const Formula *x6 = ctx.var(4, 6, Category::J);
  const Formula *gather = ctx.get(K::GatherByIndex, {idx, x6}, {2, 1});
  EXPECT_EQ(passes::expandDerivatives(ctx, ctx.get(K::Grad, {gather, x6, e3})),
            ctx.get(K::SelectByIndex, {idx, e3}, {2, 1}));
  // Linear in their values (Ops.def's L1): AdjointOperator accepts them.
  EXPECT_EQ(passes::expandDerivatives(ctx, ctx.get(K::AdjointOperator, {select, x, e6})),
            ctx.get(K::GatherByIndex, {idx, e6}, {2, 0}));
}
