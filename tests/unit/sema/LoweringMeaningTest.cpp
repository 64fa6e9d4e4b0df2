// The meaning sema gives to formula syntax, checked against values worked out by hand: the
// conformance suites take their references from sema's IR, so a lowering bug (precedence,
// literal values, inlining) would be invisible there. Lowering only; no passes, no codegen.
#include "frontend/Parser.h"
#include "ir/Evaluate.h"
#include "sema/Sema.h"

#include <cmath>
#include <gtest/gtest.h>
#include <sstream>

using namespace keopsc;

namespace {

/// The value of reduction `r`'s formula at x = (1, 2, 3) (Vi), y = (0.5, -1, 2) (Vj), g = 0.25.
std::vector<double> valueOf(const std::string &formula) {
  std::string text = "alias x = Vi(3);\nalias y = Vj(3);\nalias g = Pm(1);\n"
                     "formula twice(u) = u + u;\n"
                     "reduction r(x, y, g) = Sum(" +
                     formula + ", axis = 1);\n";
  SourceManager sources;
  std::ostringstream messages;
  DiagnosticEngine diags(sources, messages);
  uint32_t buffer = sources.addBuffer("t.kfl", text);
  auto file = frontend::parseFile(buffer, sources, diags);
  EXPECT_TRUE(file) << messages.str();
  if (!file)
    return {};
  ast::Program program;
  program.files.push_back(std::move(*file));
  auto module = sema::analyze(program, "t", sources, diags);
  EXPECT_TRUE(module && !diags.hasErrors()) << formula << ": " << messages.str();
  if (!module || diags.hasErrors())
    return {};
  const ir::Stage &stage = module->entryPoints.at(0).mainStage();
  static const double x[] = {1, 2, 3}, y[] = {0.5, -1, 2}, g[] = {0.25};
  static const double *rows[] = {x, y, g};
  ir::Evaluator eval({stage.formula});
  eval.run([](int pos) { return rows[pos]; });
  return eval.value(stage.formula);
}

using V = std::vector<double>;

} // namespace

TEST(LoweringMeaning, PrecedenceFollowsPython) {
  EXPECT_EQ(valueOf("-x**2"), (V{-1, -4, -9}));                 // -(x**2)
  EXPECT_EQ(valueOf("-g*x"), (V{-0.25, -0.5, -0.75}));          // (-g)*x
  EXPECT_EQ(valueOf("x|y*2"), (V{2 * (0.5 - 2 + 6)}));          // x|(y*2)
  EXPECT_EQ(valueOf("x - y - g"), (V{0.25, 2.75, 0.75}));       // left to right
  EXPECT_EQ(valueOf("x / y / 2"), (V{1, -1, 0.75}));            // left to right
  EXPECT_EQ(valueOf("2**-1 * x"), (V{0.5, 1, 1.5}));            // Pow(2, -1), exactly
  EXPECT_EQ(valueOf("(x*x)**0.5"), (V{1, 2, 3}));               // Sqrt
  EXPECT_EQ(valueOf("(4*x*x)**-0.5"), (V{0.5, 0.25, 1.0 / 6})); // Rsqrt
}

TEST(LoweringMeaning, ConstantsHaveTheirExactValues) {
  EXPECT_EQ(valueOf("1/2*x"), (V{0.5, 1, 1.5}));
  EXPECT_EQ(valueOf("2*3*x - 6*x"), (V{0, 0, 0}));
  EXPECT_EQ(valueOf("RatCst(3, 4) + IntInv(4) + IntCst(-1) + Zero(3)"), (V{0, 0, 0}));
  EXPECT_EQ(valueOf(".5 + 0.5 + 5e-1 + 2."), (V{3.5}));
}

TEST(LoweringMeaning, NamedFormulasAndVectorOpsKeepTheirMeaning) {
  EXPECT_EQ(valueOf("twice(twice(x))"), (V{4, 8, 12}));
  EXPECT_EQ(valueOf("Concat(Elem(x, 2), SqDist(x, y))"), (V{3, 0.25 + 9 + 1}));
  EXPECT_EQ(valueOf("Sum(x) * SqNorm2(y)"), (V{6 * 5.25}));
  EXPECT_DOUBLE_EQ(valueOf("Exp(-g * SqDist(x, y))")[0], std::exp(-0.25 * 10.25));
}

TEST(LoweringMeaning, ComparisonSpellingsMapToTheirOperations) {
  // x = (1, 2, 3) against 2y = (1, -2, 4): `>` and `>=` swap the operands.
  EXPECT_EQ(valueOf("x == 2*y"), (V{1, 0, 0}));
  EXPECT_EQ(valueOf("x != 2*y"), (V{0, 1, 1}));
  EXPECT_EQ(valueOf("x < 2*y"), (V{0, 0, 1}));
  EXPECT_EQ(valueOf("x <= 2*y"), (V{1, 0, 1}));
  EXPECT_EQ(valueOf("x > 2*y"), (V{0, 1, 0}));
  EXPECT_EQ(valueOf("x >= 2*y"), (V{1, 1, 0}));
  EXPECT_EQ(valueOf("x < y + 2"), (V{1, 0, 1})); // comparisons bind loosest
}

TEST(LoweringMeaning, OtherExponentsArePowf) {
  EXPECT_EQ(valueOf("x ** 1.5"), (V{1, std::pow(2.0, 1.5), std::pow(3.0, 1.5)}));
  EXPECT_EQ(valueOf("x ** -1.5")[1], std::pow(2.0, -1.5));
  EXPECT_EQ(valueOf("x ** (1/3)")[2], std::pow(3.0, 1.0 / 3));
  EXPECT_EQ(valueOf("x ** y"), (V{1, 0.5, 9}));
  EXPECT_EQ(valueOf("x ** g")[1], std::pow(2.0, 0.25));
  EXPECT_EQ(valueOf("2 ** y"), (V{std::sqrt(2.0), 0.5, 4}));
  EXPECT_EQ(valueOf("Powf(x, 2)"), (V{1, 4, 9}));
}

TEST(LoweringMeaning, ExactConstantExponentsKeepTheirSpecialForms) {
  // (1/2) and 2.0 are the constants 0.5 and 2: Sqrt and Square, as `0.5` and `2` are. Sqrt and
  // Powf differ at -0 (Sqrt(-0) = -0, pow(-0, 0.5) = +0), Rsqrt and Powf at 0 (0 and +inf).
  EXPECT_TRUE(std::signbit(valueOf("(-(0 * x)) ** (1/2)")[0]));
  EXPECT_TRUE(std::signbit(valueOf("(-(0 * x)) ** 0.5")[0]));
  EXPECT_FALSE(std::signbit(valueOf("(-(0 * x)) ** 0.25")[0]));
  EXPECT_EQ(valueOf("(0 * x) ** -(1/2)")[0], 0.0);
  EXPECT_EQ(valueOf("(0 * x) ** -0.5")[0], 0.0);
  EXPECT_EQ(valueOf("(0 * x) ** -0.25")[0], INFINITY);
  EXPECT_EQ(valueOf("(x - 4) ** (4/2)"), (V{9, 4, 1}));
  EXPECT_EQ(valueOf("(x - 4) ** 3.0"), (V{-27, -8, -1}));
}

TEST(LoweringMeaning, FactorizationHintsMeanTheirFormula) {
  // Sum(y) = 1.5; G need not occur in F.
  EXPECT_EQ(valueOf("Factorize(x * Sum(y), Sum(y))"), (V{1.5, 3, 4.5}));
  EXPECT_EQ(valueOf("Factorize(x - g, SqDist(x, y))"), (V{0.75, 1.75, 2.75}));
  EXPECT_EQ(valueOf("AutoFactorize(x * Sum(y) + Sum(y))"), (V{3, 4.5, 6}));
}
