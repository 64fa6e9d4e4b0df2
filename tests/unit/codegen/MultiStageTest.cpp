// An entry point with two stages, end to end: stage 0 reduces LogSumExp over j into a workspace,
// stage 1 reads it per row to sum softmax weights times b (SumSoftMaxWeight built from stages,
// as gradients that recompute a forward pass will be). The IR is built by hand, planned,
// emitted, compiled with the host compiler and run against a float64 two-pass reference, plain,
// batched and with ranges.
#include "codegen/SourceEmitter.h"
#include "codegen/header/HeaderEmitter.h"
#include "passes/PlanKernels.h"
#include "passes/Verify.h"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

using namespace keopsc;
using ir::Category;
using ir::OpKind;

namespace {

ir::Input alias(const char *name, Category cat, int dim) {
  return {name, ir::InputOrigin::Alias, cat, dim, true, ir::Dtype::Float64};
}

/// softmax(x, y, b)_i = Σ_j e^(F_ij − lse_i) b_j with F = −(x − y)², lse_i = log Σ_j e^F_ij.
ir::Module softmaxModule() {
  ir::Module module;
  module.name = "ms";
  module.sourcePath = "multi-stage.kfl";
  ir::FormulaContext &ctx = *module.context;
  ir::EntryPoint entry;
  entry.name = "softmax";
  entry.dtype = ir::Dtype::Float64;
  entry.inputs = {alias("x", Category::I, 1),
                  alias("y", Category::J, 1),
                  alias("b", Category::J, 2),
                  {"", ir::InputOrigin::Workspace, Category::I, 1, true, ir::Dtype::Float64, 0}};
  const ir::Formula *f =
      ctx.get(OpKind::Minus,
              {ctx.get(OpKind::Square, {ctx.get(OpKind::Subtract, {ctx.var(0, 1, Category::I),
                                                                   ctx.var(1, 1, Category::J)})})});
  ir::Stage forward;
  forward.kind = ir::ReductionKind::LogSumExp;
  forward.formula = f;
  forward.numerics = {ir::Dtype::Float64, ir::SumScheme::Block};
  ir::Stage weighted = forward;
  weighted.kind = ir::ReductionKind::Sum;
  weighted.formula =
      ctx.get(OpKind::Mult,
              {ctx.get(OpKind::Exp, {ctx.get(OpKind::Subtract, {f, ctx.var(3, 1, Category::I)})}),
               ctx.var(2, 2, Category::J)});
  weighted.reads = {0};
  entry.stages = {forward, weighted};
  entry.outputs = {{"lse", ir::OutputRole::Workspace, Category::I, 1, ir::Dtype::Float64, 0},
                   {"out", ir::OutputRole::Values, Category::I, 2, ir::Dtype::Float64, 1}};
  module.entryPoints.push_back(entry);
  return module;
}

// Checks the plain call, a batch of two (y shared: stage 1 reads each batch's own workspace
// block) and ranges (rows [0, 10) reduce over j in [5, 20), the other rows over nothing: 0).
const char *kMain = R"(#include "ms.h"
#include <cmath>
#include <cstdio>
#include <vector>
const int64_t M = 37, N = 53;
// The float64 two-pass softmax of row i over j in [j0, j1), in out[0..1].
static void reference(const double *x, const double *y, const double *b, int64_t i, int64_t j0,
                      int64_t j1, double *out) {
  double m = -INFINITY, z = 0, s0 = 0, s1 = 0;
  for (int64_t j = j0; j < j1; ++j) m = std::fmax(m, -(x[i] - y[j]) * (x[i] - y[j]));
  for (int64_t j = j0; j < j1; ++j) {
    double w = std::exp(-(x[i] - y[j]) * (x[i] - y[j]) - m);
    z += w; s0 += w * b[2 * j]; s1 += w * b[2 * j + 1];
  }
  out[0] = j0 < j1 ? s0 / z : 0;
  out[1] = j0 < j1 ? s1 / z : 0;
}
static bool close(const char *what, int64_t i, const double *got, const double *want) {
  if (std::fabs(got[0] - want[0]) <= 1e-12 && std::fabs(got[1] - want[1]) <= 1e-12) return true;
  std::printf("%s row %lld: got %.17g %.17g, expected %.17g %.17g\n", what, (long long)i, got[0],
              got[1], want[0], want[1]);
  return false;
}
int main() {
  std::vector<double> x(2 * M), y(N), b(4 * N), out(4 * M, NAN);
  unsigned s = 12345;
  auto next = [&] { s = s * 1103515245u + 12345u; return double(s >> 8) / 16777216.0 * 4 - 2; };
  for (double &v : x) v = next();
  for (double &v : y) v = next();
  for (double &v : b) v = next();
  if (ms_softmax(M, N, x.data(), y.data(), b.data(), out.data(), nullptr) != KEOPS_OK) return 2;
  if (ms_softmax_cuda(M, N, x.data(), y.data(), b.data(), out.data(), nullptr) !=
      KEOPS_ERROR_BACKEND_UNAVAILABLE) return 3;
  double want[2];
  for (int64_t i = 0; i < M; ++i) {
    reference(x.data(), y.data(), b.data(), i, 0, N, want);
    if (!close("plain", i, &out[2 * i], want)) return 1;
  }
  keops_options o = KEOPS_OPTIONS_DEFAULT;
  const uint8_t shared[] = {0, 1, 0};
  o.batch = 2;
  o.batch_shared = shared;
  out.assign(out.size(), NAN);
  if (ms_softmax(M, N, x.data(), y.data(), b.data(), out.data(), &o) != KEOPS_OK) return 4;
  for (int64_t batch = 0; batch < 2; ++batch)
    for (int64_t i = 0; i < M; ++i) {
      reference(&x[batch * M], y.data(), &b[batch * 2 * N], i, 0, N, want);
      if (!close("batch", i, &out[2 * (batch * M + i)], want)) return 1;
    }
  const int64_t rangesI[] = {0, 10}, slicesI[] = {1}, redrangesJ[] = {5, 20};
  keops_ranges r = {1, rangesI, slicesI, 1, redrangesJ, 0, nullptr, nullptr, 0, nullptr};
  o = KEOPS_OPTIONS_DEFAULT;
  o.ranges = &r;
  out.assign(out.size(), NAN);
  if (ms_softmax(M, N, x.data(), y.data(), b.data(), out.data(), &o) != KEOPS_OK) return 5;
  for (int64_t i = 0; i < M; ++i) {
    reference(x.data(), y.data(), b.data(), i, i < 10 ? 5 : 0, i < 10 ? 20 : 0, want);
    if (!close("ranges", i, &out[2 * i], want)) return 1;
  }
  std::printf("ok\n");
  return 0;
}
)";

void write(const std::string &path, const std::string &text) { std::ofstream(path) << text; }

} // namespace

TEST(MultiStage, ASecondStageReadsTheFirstStagesWorkspace) {
  ir::Module module = softmaxModule();
  SourceManager sources;
  std::ostringstream messages;
  DiagnosticEngine diags(sources, messages);
  passes::PassContext context(diags, module.sources, {true});
  ASSERT_TRUE(passes::planKernels(module, context));
  ASSERT_TRUE(passes::verifyModule(module, context));

  std::string header = codegen::emitHeader(module);
  EXPECT_NE(header.find("ms_softmax(int64_t M, int64_t N, const double *x, const double *y, "
                        "const double *b, double *out, const keops_options *opts);"),
            std::string::npos)
      << header; // the workspace is not a parameter

  std::string dir = ::testing::TempDir() + "keopsc-multistage-" + std::to_string(getpid());
  ASSERT_EQ(std::system(("rm -rf '" + dir + "' && mkdir -p '" + dir + "'").c_str()), 0);
  write(dir + "/ms.cpp", codegen::emitSource(module, false));
  write(dir + "/ms.h", header);
  write(dir + "/main.cpp", kMain);
  std::string build = std::string(KEOPSC_TEST_CXX) +
                      " -std=c++17 -O1 -Wall -Wextra -Werror -pthread -I'" + dir + "' '" + dir +
                      "/ms.cpp' '" + dir + "/main.cpp' -o '" + dir + "/prog'";
  ASSERT_EQ(std::system(build.c_str()), 0) << build;
  EXPECT_EQ(std::system(("'" + dir + "/prog'").c_str()), 0);
  int cleaned = std::system(("rm -rf '" + dir + "'").c_str());
  (void)cleaned; // a leftover temporary directory fails nothing
}
