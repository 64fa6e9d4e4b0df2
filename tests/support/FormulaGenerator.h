// FormulaGenerator.h: random well-typed formulas over every ready operation of the op table,
// for the differential tests (the simplify pass's, tests/unit/passes; the end-to-end fuzzer's,
// tests/fuzz/differential). Subterms are shared, so x − x and x·x occur. Not the evaluation.
#pragma once

#include "ir/Formula.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace keopsc::testgen {

/// An input a formula may read: position p of the list is variable p.
struct VarSpec {
  int dim;
  ir::Category cat;
};

/// Operations a random formula may use: ready, built by sema or passes (not spellings or
/// internal nodes), with fixed arity (static integers, or list arguments made by listsFor).
std::vector<ir::OpKind> generatableOps();

class FormulaGenerator {
public:
  FormulaGenerator(ir::FormulaContext &context, const std::vector<VarSpec> &vars, uint64_t seed);

  /// A random formula of up to `steps` operations.
  const ir::Formula *next(int steps);

private:
  const ir::Formula *pick(const std::vector<const ir::Formula *> &pool);
  const ir::Formula *tryOne(const std::vector<const ir::Formula *> &pool);

  ir::FormulaContext &context_;
  std::mt19937_64 rng_;
  std::vector<ir::OpKind> ops_;
  std::vector<const ir::Formula *> leaves_;
};

/// A formula as nested calls with v<pos> for variables, for failure messages.
std::string show(const ir::Formula *f, int depth = 0);

} // namespace keopsc::testgen
