// The CPU kernels of a stage that reads a gradient's forward indices (tests/unit/PickModule.h):
// the int64 workspace row is declared where its category's row is, and each pick compares with
// the loop variable of the index it names (r for the output category, t for the reduced one).
// The whole library source is compiled with the host compiler (-Wall -Wextra -Werror), and the
// gradient of a K-min's values is run on both axes: stage 1 alone on indices filled by hand, and
// the two-stage entry point that recomputes them.
#include "../PickModule.h"
#include "codegen/SourceEmitter.h"
#include "codegen/cpu/CpuKernelEmitter.h"
#include "codegen/header/HeaderEmitter.h"
#include "passes/Autodiff.h"
#include "passes/PlanKernels.h"
#include "passes/Simplify.h"
#include "passes/Verify.h"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

using namespace keopsc;
using ir::OpKind;
using samples::PickVariables;

namespace {

/// Stage 1 of the gradient of KMin(x − y) in x: Σ_j Gather(idx, e) compared with j, plus a pick
/// compared with i (per row) to show both loop variables.
ir::Module gradientModule(int axis) {
  ir::Module module = samples::pickModule(
      [](ir::FormulaContext &ctx, const PickVariables &v) {
        const ir::Formula *byJ = ctx.get(OpKind::GatherByIndex, {v.idx, v.e}, {samples::kPicks, 1});
        const ir::Formula *byI = ctx.get(
            OpKind::SelectByIndex, {v.idx, ctx.get(OpKind::Exp, {v.x})}, {samples::kPicks, 0});
        return ctx.get(OpKind::Add, {byJ, ctx.get(OpKind::Extract, {byI}, {0, 3})});
      },
      axis);
  SourceManager sources;
  std::ostringstream messages;
  DiagnosticEngine diags(sources, messages);
  passes::PassContext context(diags, module.sources, {true});
  EXPECT_TRUE(passes::planKernels(module, context));
  EXPECT_TRUE(passes::verifyModule(module, context));
  return module;
}

std::string cpuKernels(const ir::Module &module) {
  IndentedWriter out;
  codegen::emitCpuKernels(module, module.entryPoints[0], out);
  return out.str();
}

/// The text of stage `k`'s row function.
std::string stageFunction(const std::string &code, int k) {
  const std::string name = "void grad_s" + std::to_string(k) + "_rows(";
  size_t begin = code.find(name), end = code.find("\n}\n", begin);
  return begin == std::string::npos ? "" : code.substr(begin, end - begin);
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST(PickKernel, AxisOneComparesWithTheTermIndexAndTheRowIndex) {
  const std::string stage = stageFunction(cpuKernels(gradientModule(1)), 1);
  ASSERT_FALSE(stage.empty());
  EXPECT_TRUE(contains(stage, "const int64_t *in3 = a.in3 + r * 6;")) << stage;
  EXPECT_TRUE(contains(stage, "if (in3[l * 3 + k] == t)")) << stage;            // Gather, per pair
  EXPECT_TRUE(contains(stage, "in3[k] == r ? v0[k % 3] : float(0);")) << stage; // Select, per row
  // The per-row pick comes before the term loop, the per-pair one inside it.
  EXPECT_LT(stage.find("== r ?"), stage.find("for (int64_t t = "));
  EXPECT_GT(stage.find("== t)"), stage.find("for (int64_t t = "));
}

TEST(PickKernel, AxisZeroSwapsTheLoopVariables) {
  const std::string stage = stageFunction(cpuKernels(gradientModule(0)), 1);
  ASSERT_FALSE(stage.empty());
  EXPECT_TRUE(contains(stage, "const int64_t *in3 = a.in3 + t * 6;")) << stage;
  EXPECT_TRUE(contains(stage, "if (in3[l * 3 + k] == r)")) << stage;
  EXPECT_TRUE(contains(stage, "in3[k] == t ? v1[k % 3] : float(0);")) << stage; // v1 = Exp(x)
}

TEST(PickKernel, TheLibrarySourceCompiles) {
  for (int axis : {1, 0}) {
    const std::string dir = ::testing::TempDir() + "keopsc-pick-" + std::to_string(getpid());
    ASSERT_EQ(std::system(("rm -rf '" + dir + "' && mkdir -p '" + dir + "'").c_str()), 0);
    std::ofstream(dir + "/pick.cpp") << codegen::emitSource(gradientModule(axis), false);
    const std::string build = std::string(KEOPSC_TEST_CXX) +
                              " -std=c++17 -fsyntax-only -Wall -Wextra -Werror '" + dir +
                              "/pick.cpp'";
    EXPECT_EQ(std::system(build.c_str()), 0) << build;
    int cleaned = std::system(("rm -rf '" + dir + "'").c_str());
    (void)cleaned;
  }
}

namespace {

/// Stage 1 of Grad(KMin(F), v) with F = (x − y)², v = x (axis 1) or y (axis 0): the sum of
/// Grad(SelectByIndex(idx, F), v, e) as the autodiff and simplify passes leave it.
ir::Module realGradientModule(int axis) {
  ir::Module module = samples::pickModule(
      [axis](ir::FormulaContext &ctx, const PickVariables &v) {
        const ir::Formula *f = ctx.get(OpKind::Square, {ctx.get(OpKind::Subtract, {v.x, v.y})});
        const ir::Formula *pick = ctx.get(OpKind::SelectByIndex, {v.idx, f}, {samples::kPicks, 1});
        const ir::Formula *grad = passes::expandDerivatives(
            ctx, ctx.get(OpKind::Grad, {pick, axis == 1 ? v.x : v.y, v.e}));
        return passes::simplifyFormula(ctx, grad);
      },
      axis);
  SourceManager sources;
  std::ostringstream messages;
  DiagnosticEngine diags(sources, messages);
  passes::PassContext context(diags, module.sources, {true});
  EXPECT_TRUE(passes::planKernels(module, context));
  EXPECT_TRUE(passes::verifyModule(module, context));
  return module;
}

// Includes the library source (its kernels are internal) and runs stage 1's row function on
// indices filled by hand: in range, repeated, and out of range (matching no pair).
const char *kPickMain = R"(#include "pick.cpp"
#include <cmath>
#include <cstdio>
#include <vector>
int main() {
  const int64_t M = 5, N = 7;
  std::vector<float> x(M * 3), y(N * 3), e(M * 6), out(M * 3, NAN), outY(N * 3, NAN);
  std::vector<int64_t> idx(M * 6);
  unsigned s = 4321;
  auto next = [&] { s = s * 1103515245u + 12345u; return float(s >> 8) / 16777216.0f * 2 - 1; };
  for (float &v : x) v = next();
  for (float &v : y) v = next();
  for (float &v : e) v = next();
  for (size_t k = 0; k < idx.size(); ++k) idx[k] = int64_t(k * 5 % 9) - 1; // -1 .. 7: some miss
  idx[3] = idx[0];                                                          // a repeated pick
  keops_rt::RowSpans spans;
  const grad_args a{M, N, x.data(), y.data(), e.data(), idx.data(), nullptr,
                    AXIS == 1 ? out.data() : outY.data()};
  spans.all = {0, AXIS == 1 ? N : M};
  grad_s1_rows(a, spans, 0, AXIS == 1 ? M : N);
  // eᵢ·∂F at the reported pairs: ∂F/∂x = 2(x − y), ∂F/∂y = −2(x − y).
  std::vector<double> want(AXIS == 1 ? M * 3 : N * 3, 0.0);
  for (int64_t i = 0; i < M; ++i)
    for (int64_t k = 0; k < 2; ++k)
      for (int64_t c = 0; c < 3; ++c) {
        int64_t j = idx[i * 6 + k * 3 + c];
        if (j < 0 || j >= N) continue;
        double g = 2.0 * e[i * 6 + k * 3 + c] * (double(x[i * 3 + c]) - y[j * 3 + c]);
        if (AXIS == 1) want[i * 3 + c] += g; else want[j * 3 + c] -= g;
      }
  const std::vector<float> &got = AXIS == 1 ? out : outY;
  for (size_t k = 0; k < want.size(); ++k)
    if (!(std::fabs(got[k] - want[k]) <= 1e-5 * (1 + std::fabs(want[k])))) {
      std::printf("component %zu: got %.9g, expected %.9g\n", k, got[k], want[k]);
      return 1;
    }
  std::printf("ok\n");
  return 0;
}
)";

} // namespace

// The gradient of a K-min reduction's values through its indices, end to end from the IR:
// autodiff, simplify, plan, verify, CPU codegen, the host compiler, a run against float64.
TEST(PickKernel, TheGradientStageSendsEToTheReportedPairs) {
  for (int axis : {1, 0}) {
    SCOPED_TRACE("axis " + std::to_string(axis));
    const std::string dir = ::testing::TempDir() + "keopsc-pick-run-" + std::to_string(getpid());
    ASSERT_EQ(std::system(("rm -rf '" + dir + "' && mkdir -p '" + dir + "'").c_str()), 0);
    std::ofstream(dir + "/pick.cpp") << codegen::emitSource(realGradientModule(axis), false);
    std::ofstream(dir + "/main.cpp") << kPickMain;
    const std::string build =
        std::string(KEOPSC_TEST_CXX) +
        " -std=c++17 -O1 -Wall -Wextra -Werror -pthread -DAXIS=" + std::to_string(axis) + " -I'" +
        dir + "' '" + dir + "/main.cpp' -o '" + dir + "/prog'";
    ASSERT_EQ(std::system(build.c_str()), 0) << build;
    EXPECT_EQ(std::system(("'" + dir + "/prog'").c_str()), 0);
    int cleaned = std::system(("rm -rf '" + dir + "'").c_str());
    (void)cleaned;
  }
}

namespace {

// Calls the C entry point: stage 0 recomputes the ArgKMin indices (K = 2, per component) into
// the int64 workspace, stage 1 sends e to those pairs. The reference finds the two smallest
// x − y by brute force (ties to the smaller j).
const char *kEntryMain = R"(#include "pick.h"
#include <cmath>
#include <cstdio>
#include <vector>
int main() {
  const int64_t M = 6, N = 9;
  std::vector<float> x(M * 3), y(N * 3), e(M * 6), out((AXIS == 1 ? M : N) * 3, NAN);
  unsigned s = 99;
  auto next = [&] { s = s * 1103515245u + 12345u; return float(s >> 8) / 16777216.0f * 2 - 1; };
  for (float &v : x) v = next();
  for (float &v : y) v = next();
  for (float &v : e) v = next();
  if (pick_grad(M, N, x.data(), y.data(), e.data(), out.data(), nullptr) != KEOPS_OK) return 2;
  std::vector<double> want(out.size(), 0.0);
  for (int64_t i = 0; i < M; ++i)
    for (int64_t c = 0; c < 3; ++c) {
      int64_t best[2] = {-1, -1};
      for (int64_t k = 0; k < 2; ++k)
        for (int64_t j = 0; j < N; ++j) {
          if (k == 1 && j == best[0]) continue;
          float v = x[i * 3 + c] - y[j * 3 + c];
          if (best[k] < 0 || v < x[i * 3 + c] - y[best[k] * 3 + c]) best[k] = j;
        }
      for (int64_t k = 0; k < 2; ++k) {
        int64_t j = best[k];
        double g = 2.0 * e[i * 6 + k * 3 + c] * (double(x[i * 3 + c]) - y[j * 3 + c]);
        if (AXIS == 1) want[i * 3 + c] += g; else want[j * 3 + c] -= g;
      }
    }
  for (size_t k = 0; k < want.size(); ++k)
    if (!(std::fabs(out[k] - want[k]) <= 1e-5 * (1 + std::fabs(want[k])))) {
      std::printf("component %zu: got %.9g, expected %.9g\n", k, out[k], want[k]);
      return 1;
    }
  std::printf("ok axis %d\n", AXIS);
  return 0;
}
)";

} // namespace

// The whole two-stage gradient through its C entry point (the shape sema gives Grad(KMin(F), v)).
TEST(PickKernel, TheEntryPointRecomputesTheIndicesAndSendsEThere) {
  for (int axis : {1, 0}) {
    SCOPED_TRACE("axis " + std::to_string(axis));
    ir::Module module = realGradientModule(axis);
    const std::string dir = ::testing::TempDir() + "keopsc-pick-entry-" + std::to_string(getpid());
    ASSERT_EQ(std::system(("rm -rf '" + dir + "' && mkdir -p '" + dir + "'").c_str()), 0);
    std::ofstream(dir + "/pick.cpp") << codegen::emitSource(module, false);
    std::ofstream(dir + "/pick.h") << codegen::emitHeader(module);
    std::ofstream(dir + "/main.cpp") << kEntryMain;
    const std::string build =
        std::string(KEOPSC_TEST_CXX) +
        " -std=c++17 -O1 -Wall -Wextra -Werror -pthread -DAXIS=" + std::to_string(axis) + " -I'" +
        dir + "' '" + dir + "/pick.cpp' '" + dir + "/main.cpp' -o '" + dir + "/prog'";
    ASSERT_EQ(std::system(build.c_str()), 0) << build;
    EXPECT_EQ(std::system(("'" + dir + "/prog'").c_str()), 0);
    int cleaned = std::system(("rm -rf '" + dir + "'").c_str());
    (void)cleaned;
  }
}
