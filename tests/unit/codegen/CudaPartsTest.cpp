// The CUDA source split into parts for nvcc processes side by side (emitCudaSources): every
// part holds the runtime, every entry point's code is in exactly one part and in order, the
// module's device queries in the first only, the parts about equal; one part is --emit=cu's
// single file. (That the parts compile and link into one library, and run, is shown by the
// emulated-GPU conformance suites and the lit test codegen/cuda-parts.test.)
#include "codegen/cuda/CudaSourceEmitter.h"
#include "passes/PlanKernels.h"
#include "passes/Verify.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

using namespace keopsc;
using ir::Category;
using ir::OpKind;

namespace {

/// `count` entry points e0, e1, … summing x·y·(k+1) over j; every third has a second term, so
/// that the entries differ in size. A cpu-only entry in the middle has no CUDA code.
ir::Module sumsModule(int count) {
  ir::Module module;
  module.name = "parts";
  module.sourcePath = "parts.kfl";
  ir::FormulaContext &ctx = *module.context;
  const ir::Formula *x = ctx.var(0, 1, Category::I), *y = ctx.var(1, 1, Category::J);
  for (int k = 0; k < count; ++k) {
    ir::EntryPoint entry;
    entry.name = "e" + std::to_string(k);
    entry.dtype = ir::Dtype::Float32;
    entry.inputs = {{"x", ir::InputOrigin::Alias, Category::I, 1, true, ir::Dtype::Float32},
                    {"y", ir::InputOrigin::Alias, Category::J, 1, true, ir::Dtype::Float32}};
    const ir::Formula *term = ctx.get(
        OpKind::Mult, {ctx.get(OpKind::Mult, {x, y}), ctx.constant(ir::Constant::integer(k + 1))});
    if (k % 3 == 0)
      term = ctx.get(OpKind::Add, {term, ctx.get(OpKind::Exp, {ctx.get(OpKind::Minus, {y})})});
    ir::Stage stage;
    stage.kind = ir::ReductionKind::Sum;
    stage.formula = term;
    stage.numerics = {ir::Dtype::Float32, ir::SumScheme::Block};
    entry.stages = {stage};
    entry.outputs = ir::outputsOf(stage, ir::Dtype::Float32, 0);
    entry.cudaBackend = k != count / 2;
    module.entryPoints.push_back(entry);
  }
  return module;
}

ir::Module planned(int count) {
  ir::Module module = sumsModule(count);
  SourceManager sources;
  std::ostringstream messages;
  DiagnosticEngine diags(sources, messages);
  passes::PassContext context(diags, module.sources, {true});
  EXPECT_TRUE(passes::planKernels(module, context)) << messages.str();
  EXPECT_TRUE(passes::verifyModule(module, context)) << messages.str();
  return module;
}

size_t occurrences(const std::string &text, const std::string &what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++count;
  return count;
}

} // namespace

TEST(CudaParts, EveryEntryIsInExactlyOnePartInOrder) {
  const ir::Module module = planned(41);
  const std::string whole = codegen::emitCudaSource(module);
  const std::vector<std::string> parts = codegen::emitCudaSources(module, 3);
  ASSERT_EQ(parts.size(), 3u);
  // The runtime ends where the first part's device queries start.
  const size_t queries = whole.find("extern \"C\" int parts_gpu_memory(");
  ASSERT_NE(queries, std::string::npos) << whole.substr(0, 2000);
  const std::string prologue = whole.substr(0, queries);
  std::string joined;
  for (size_t p = 0; p < parts.size(); ++p) {
    ASSERT_EQ(parts[p].compare(0, prologue.size(), prologue), 0) << "part " << p;
    joined += parts[p].substr(prologue.size());
    EXPECT_EQ(occurrences(parts[p], "parts_gpu_memory("), p == 0 ? 1u : 0u);
  }
  EXPECT_EQ(prologue + joined, whole); // the same code, in the same order
  for (int k = 0; k < 41; ++k)
    EXPECT_EQ(occurrences(joined, "// ---- e" + std::to_string(k) + ":"), k == 20 ? 0u : 1u)
        << "e" << k;
  // About equal: no part's own code more than twice another's.
  std::vector<size_t> sizes;
  for (const std::string &part : parts)
    sizes.push_back(part.size() - prologue.size());
  EXPECT_LE(*std::max_element(sizes.begin(), sizes.end()),
            2 * *std::min_element(sizes.begin(), sizes.end()));
}

TEST(CudaParts, OnePartIsTheWholeSourceAndPartsNeverOutnumberEntries) {
  const ir::Module module = planned(5);
  const std::vector<std::string> one = codegen::emitCudaSources(module, 1);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], codegen::emitCudaSource(module));
  EXPECT_EQ(codegen::emitCudaSources(module, 64).size(), 4u); // 4 entries have CUDA code
  EXPECT_EQ(codegen::emitCudaSources(module, 0).size(), 1u);
}
