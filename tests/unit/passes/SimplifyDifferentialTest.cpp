// Differential test of the simplify pass: random well-typed formulas over every ready
// operation of the op table are evaluated by the float64 evaluator before and after
// simplification, on random inputs that include the special points 0 and ±1. Where every
// intermediate value of the original is finite, the simplified value must be finite and agree
// to rounding. Elsewhere the rules, exact in real arithmetic (SPEC.md §2), may differ: a term
// simplified away takes its NaN or infinity with it, and a folded zero has no sign (−0 and +0
// are one constant), so 1/(−0) and 1/0 may swap infinities. The seed is printed;
// KEOPSC_SIMPLIFY_SEED replays it or tries another. Other seeds can, rarely (about one formula in
// 400,000), meet an operation with a jump (Mod, Floor, a comparison) evaluated exactly at its
// jump, where exact folding and float64 rounding of the operand pick different sides; the
// default seed's formulas do not, and it alone must also draw every generatable operation.
#include "FormulaGenerator.h"
#include "ir/Evaluate.h"
#include "passes/Simplify.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <gtest/gtest.h>
#include <random>
#include <set>

using namespace keopsc;
using ir::Category;
using ir::Formula;
using ir::OpKind;
using testgen::FormulaGenerator;
using testgen::generatableOps;
using testgen::show;
using testgen::VarSpec;

namespace {

constexpr int kFormulas = 10000;
constexpr int kPointsPerFormula = 3;
constexpr uint64_t kDefaultSeed = 20261201;

/// The inputs formulas draw from: positions 0..6 with these categories and dimensions.
const std::vector<VarSpec> kVars = {{3, Category::I},     {3, Category::J}, {1, Category::I},
                                    {1, Category::Param}, {4, Category::J}, {9, Category::Param},
                                    {2, Category::I}}; // 2: a single complex number
constexpr int kNumVars = 7;
constexpr int kMaxVarDim = 9;

/// Random input rows, with exact 0 and ±1 often enough to reach every special point.
struct Inputs {
  double rows[kNumVars][kMaxVarDim];
  void draw(std::mt19937_64 &rng) {
    std::uniform_real_distribution<double> value(-2, 2), unit(0, 1);
    for (auto &row : rows)
      for (double &v : row) {
        double u = unit(rng);
        v = u < 0.05 ? 0.0 : u < 0.08 ? 1.0 : u < 0.1 ? -1.0 : value(rng);
      }
  }
};

/// The largest finite magnitude among all nodes of an evaluation: the scale rounding differences
/// are measured against (a regrouped sum differs by a few ulps of its largest term).
double scaleOf(const ir::Evaluator &evaluator, const Formula *root) {
  double scale = 1;
  for (const Formula *f : ir::postOrder(root))
    for (double v : evaluator.value(f))
      if (std::isfinite(v))
        scale = std::max(scale, std::fabs(v));
  return scale;
}

/// Whether every component of every node of an evaluation is finite.
bool finitePath(const ir::Evaluator &evaluator, const Formula *root) {
  for (const Formula *f : ir::postOrder(root))
    for (double v : evaluator.value(f))
      if (!std::isfinite(v))
        return false;
  return true;
}

uint64_t seedFromEnvironment() {
  const char *text = std::getenv("KEOPSC_SIMPLIFY_SEED");
  return text ? std::strtoull(text, nullptr, 10) : kDefaultSeed;
}

} // namespace

TEST(SimplifyDifferential, RandomFormulasKeepTheirValues) {
  const uint64_t seed = seedFromEnvironment();
  std::printf("simplify differential test: seed %llu (replay with KEOPSC_SIMPLIFY_SEED)\n",
              static_cast<unsigned long long>(seed));
  ir::FormulaContext context;
  FormulaGenerator generator(context, kVars, seed);
  std::mt19937_64 rng(seed ^ 0x5eed);
  std::uniform_int_distribution<int> steps(1, 12);
  int changed = 0, compared = 0, nonFinitePaths = 0, failures = 0;
  std::set<OpKind> used;

  for (int n = 0; n < kFormulas && failures < 10; ++n) {
    const Formula *before = generator.next(steps(rng));
    const Formula *after = passes::simplifyFormula(context, before);
    ASSERT_EQ(after->dim(), before->dim()) << show(before);
    changed += after != before;
    for (const Formula *f : ir::postOrder(before))
      used.insert(f->kind());
    ir::Evaluator original({before}), simplified({after});
    for (int point = 0; point < kPointsPerFormula; ++point) {
      Inputs inputs;
      inputs.draw(rng);
      auto row = [&](int pos) -> const double * { return inputs.rows[pos]; };
      original.run(row);
      simplified.run(row);
      const double tolerance =
          1e-9 * std::max(scaleOf(original, before), scaleOf(simplified, after));
      const std::vector<double> &want = original.value(before), &got = simplified.value(after);
      if (!finitePath(original, before)) {
        ++nonFinitePaths;
        continue;
      }
      ++compared;
      for (size_t k = 0; k < want.size(); ++k) {
        if (std::isfinite(got[k]) && std::fabs(got[k] - want[k]) <= tolerance)
          continue;
        ++failures;
        ADD_FAILURE() << "formula " << n << ", component " << k << ": " << want[k] << " before, "
                      << got[k] << " after simplification\n  before: " << show(before)
                      << "\n  after:  " << show(after);
        break;
      }
    }
  }
  std::printf("%d formulas, %d changed by simplify; %d evaluations compared, %d skipped (a "
              "non-finite intermediate value)\n",
              kFormulas, changed, compared, nonFinitePaths);
  // The test means something only if rules fire and most evaluations are finite.
  EXPECT_GT(changed, kFormulas / 5);
  EXPECT_GT(compared, 4 * nonFinitePaths);
  for (OpKind kind : generatableOps())
    if (seed == kDefaultSeed) {
      EXPECT_TRUE(used.count(kind)) << ir::opInfo(kind).name << " never occurred";
    }
}
