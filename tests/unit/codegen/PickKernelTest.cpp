// The CPU kernels of a stage that reads a gradient's forward indices (tests/unit/PickModule.h):
// the int64 workspace row is declared where its category's row is, and each pick compares with
// the loop variable of the index it names (r for the output category, t for the reduced one).
// The whole library source is compiled with the host compiler (-Wall -Wextra -Werror).
#include "../PickModule.h"
#include "codegen/SourceEmitter.h"
#include "codegen/cpu/CpuKernelEmitter.h"
#include "passes/PlanKernels.h"
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
  codegen::emitCpuKernels(module.entryPoints[0], out);
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
    std::ofstream(dir + "/pick.cpp") << codegen::emitSource(gradientModule(axis));
    const std::string build = std::string(KEOPSC_TEST_CXX) +
                              " -std=c++17 -fsyntax-only -Wall -Wextra -Werror '" + dir +
                              "/pick.cpp'";
    EXPECT_EQ(std::system(build.c_str()), 0) << build;
    int cleaned = std::system(("rm -rf '" + dir + "'").c_str());
    (void)cleaned;
  }
}
