// A pass builds IR without sema: Add(a, b) through FormulaContext::make, with the dimension
// checked by the IR and a mismatch reported at the user's file:line:col through PassContext.
#include "passes/PassContext.h"

#include "ir/Module.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace keopsc;

namespace {

/// A toy pass: adds the first two inputs' variables, reporting a mismatch where `a` was written.
bool addFirstTwo(ir::Module &module, passes::PassContext &context, const ir::Formula *&out) {
  ir::FormulaContext &ctx = *module.context;
  const ir::EntryPoint &entry = module.entryPoints.at(0);
  const ir::Formula *a = ctx.var(0, entry.inputs[0].dim, entry.inputs[0].cat);
  const ir::Formula *b = ctx.var(1, entry.inputs[1].dim, entry.inputs[1].cat);
  ir::BuildResult sum = ctx.make(ir::OpKind::Add, {a, b}, {});
  if (!sum) {
    context.diags().report(DiagId::DimMismatch, context.rangeOf(a), {"+", sum.error().detail});
    return false;
  }
  out = sum.node();
  return true;
}

class PassBuildsNodes : public ::testing::Test {
protected:
  void SetUp() override {
    file = sources.addBuffer("k.kfl", "alias a = Vi(3);\nreduction r = Sum(a + b, axis = 1);\n");
  }
  ir::Module moduleWith(int dimA, int dimB) {
    ir::Module module;
    ir::EntryPoint entry;
    entry.inputs = {{"a", ir::InputOrigin::Alias, ir::Category::I, dimA, true, ir::Dtype::Float32},
                    {"b", ir::InputOrigin::Alias, ir::Category::J, dimB, true, ir::Dtype::Float32}};
    module.entryPoints.push_back(entry);
    // Where sema would have recorded `a` (line 2, column 19).
    module.sources[module.context->var(0, dimA, ir::Category::I)] =
        SourceRange({file, 2, 19}, {file, 2, 20});
    return module;
  }

  SourceManager sources;
  uint32_t file = 0;
  std::ostringstream messages;
  DiagnosticEngine diags{sources, messages};
};

} // namespace

TEST_F(PassBuildsNodes, AddOfEqualDimensionsBuildsOneNode) {
  ir::Module module = moduleWith(3, 3);
  passes::PassContext context(diags, module.sources);
  const ir::Formula *sum = nullptr;
  ASSERT_TRUE(addFirstTwo(module, context, sum));
  EXPECT_EQ(sum->kind(), ir::OpKind::Add);
  EXPECT_EQ(sum->dim(), 3);
  EXPECT_FALSE(diags.hasErrors());
}

TEST_F(PassBuildsNodes, MismatchedDimensionsAreReportedAtTheSource) {
  ir::Module module = moduleWith(3, 2);
  passes::PassContext context(diags, module.sources);
  const ir::Formula *sum = nullptr;
  EXPECT_FALSE(addFirstTwo(module, context, sum));
  EXPECT_EQ(sum, nullptr);
  EXPECT_EQ(diags.errorCount(), 1u);
  EXPECT_NE(messages.str().find("k.kfl:2:19: error: dimension mismatch in '+': left has 3, "
                                "right has 2"),
            std::string::npos)
      << messages.str();
}
