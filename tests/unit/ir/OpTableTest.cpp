// Tests generated from the op table (Ops.def): every operation has one name, and every ready
// one has what the pipeline needs — a runtime function when element-wise, an evaluator rule, a
// codegen rule (tests/unit/codegen/) and a conformance case in the per-op suite.
#include "SampleNodes.h"
#include "ir/Evaluate.h"
#include "ir/Formula.h"

#include <cctype>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sstream>

using namespace keopsc::ir;

namespace {

std::string lower(std::string text) {
  for (char &c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

/// Operations that reach the evaluator and backends: not leaves, spellings (constants,
/// Factorize, AutoFactorize: lowered by sema, never built) or calculus (replaced by the autodiff
/// pass; tests/unit/passes/AutodiffTest.cpp covers them).
bool isNode(const OpInfo &info) {
  return info.dims != DimRule::Leaf && !info.spellingOnly() && !info.calculus();
}

} // namespace

TEST(OpTable, HasEverySpecOperationOnceWithItsName) {
  // SPEC.md §3 lists 99 entries; keopsc adds the internal Const, ExpOfProduct, SelectByIndex
  // and GatherByIndex nodes.
  EXPECT_EQ(kNumOps, 103);
  std::set<std::string> names;
  for (int k = 0; k < kNumOps; ++k) {
    OpKind kind = static_cast<OpKind>(k);
    const OpInfo &info = opInfo(kind);
    std::string name = info.name;
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << name;
    OpKind found;
    EXPECT_EQ(lookupOp(name, found), !info.internal()) << name;
    if (!info.internal()) {
      EXPECT_EQ(found, kind);
    }
  }
  OpKind ignored;
  EXPECT_FALSE(lookupOp("NoSuchOp", ignored));
  EXPECT_FALSE(lookupOp("Const", ignored));
}

TEST(OpTable, ElementwiseOpsHaveARuntimeFunctionAndOthersNone) {
  for (int k = 0; k < kNumOps; ++k) {
    const OpInfo &info = opInfo(static_cast<OpKind>(k));
    EXPECT_EQ(info.elementwise(), info.math != nullptr) << info.name;
    if (info.elementwise()) {
      EXPECT_NE(info.dims, DimRule::Custom) << info.name;
    }
  }
}

TEST(OpTable, EveryReadyOperationHasAnEvaluatorRule) {
  FormulaContext ctx;
  for (int k = 0; k < kNumOps; ++k) {
    OpKind kind = static_cast<OpKind>(k);
    const OpInfo &info = opInfo(kind);
    if (!info.ready || !isNode(info))
      continue;
    const Formula *f = keopsc::samples::sampleNode(ctx, kind, [](int) { return Category::I; });
    Evaluator eval({f});
    std::vector<double> row(16, 1.0); // the widest sample operand has 12 components
    // A missing rule aborts: "internal error". The pair (0, 0) is for SelectByIndex and
    // GatherByIndex.
    eval.run([&](int) { return row.data(); }, 0, 0);
    EXPECT_EQ(eval.value(f).size(), static_cast<size_t>(f->dim())) << info.name;
  }
}

TEST(OpTable, EveryReadyOperationHasAConformanceCase) {
  std::ifstream file(KEOPSC_OPS_SUITE);
  ASSERT_TRUE(file) << KEOPSC_OPS_SUITE;
  std::stringstream text;
  text << file.rdbuf();
  std::string suite = text.str();
  for (int k = 0; k < kNumOps; ++k) {
    const OpInfo &info = opInfo(static_cast<OpKind>(k));
    if (!info.ready || info.internal() || info.calculus() || static_cast<OpKind>(k) == OpKind::Var)
      continue;
    std::string name = info.name;
    bool called = suite.find(name + "(") != std::string::npos;
    bool named = suite.find("Case(\"" + lower(name)) != std::string::npos;
    EXPECT_TRUE(called || named) << name << " has no case in " << KEOPSC_OPS_SUITE;
  }
}
