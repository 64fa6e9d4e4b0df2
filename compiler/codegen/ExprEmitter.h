// Prints formula IR as straight-line C++ statements from a kernel plan: one array per distinct
// node (CSE comes from hash-consing), stored where the plan says. Shared by every backend,
// which supplies hooks for loads, value types and scratch space. It knows nothing about loops
// or reductions.
#pragma once

#include "ir/KernelPlan.h"
#include "ir/ReductionInfo.h"
#include "support/IndentedWriter.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace keopsc::codegen {

/// Whether a value is the same for every reduced index of a tile (Uniform) or changes along
/// it (Varying). SIMD and CUDA backends give the two kinds different types.
enum class ValueKind { Uniform, Varying };
ValueKind kindOf(ir::Level level);

class ExprEmitter {
public:
  /// What differs between backends.
  class Hooks {
  public:
    virtual ~Hooks() = default;
    /// The C++ expression of component `k` (an expression) of input variable `var`.
    virtual std::string load(const ir::Formula *var, const std::string &k) const = 0;
    /// The C++ element type of a value of this kind.
    virtual std::string valueType(ValueKind kind) const = 0;
    /// A pointer expression to element `offset` of this thread's scratch buffer.
    virtual std::string scratch(int64_t offset) const = 0;
  };

  ExprEmitter(const ir::KernelPlan &plan, ir::Dtype dtype, const Hooks &hooks);

  /// Emits statements computing `nodes` (in post-order; their operands already emitted or
  /// listed earlier). Leaves get no statement.
  void emit(const std::vector<const ir::Formula *> &nodes, IndentedWriter &out);
  /// The element `k` (a C++ expression) of an emitted node or leaf, broadcasting dim-1 values.
  std::string element(const ir::Formula *f, const std::string &k) const;
  /// The name of the array holding an emitted non-leaf node.
  const std::string &arrayName(const ir::Formula *f) const { return names_.at(f); }
  ValueKind kindOf(const ir::Formula *f) const;

private:
  void emitNode(const ir::Formula *f, IndentedWriter &out);
  void declare(const ir::Formula *f, IndentedWriter &out);
  void emitElementwise(const ir::Formula *f, IndentedWriter &out);
  void emitComponentSum(const ir::Formula *f, const std::string &term, IndentedWriter &out);
  void emitConcat(const ir::Formula *f, IndentedWriter &out);
  std::string literal(const ir::Formula *f) const;
  // ExprEmitter_Complex.cpp: the complex family on interleaved (re, im) pairs.
  void emitComplex(const ir::Formula *f, IndentedWriter &out);
  void emitComplexSum(const ir::Formula *f, IndentedWriter &out);
  /// Part 0 (re) or 1 (im) of pair k of `operand`, repeating a single complex number (rule C).
  std::string complexPart(const ir::Formula *operand, const ir::Formula *node, int part) const;
  // ExprEmitter_Special.cpp: BSpline and SoftDTW_SqDist.
  void emitBSpline(const ir::Formula *f, IndentedWriter &out);
  void emitSoftDtw(const ir::Formula *f, IndentedWriter &out);
  /// Declares `type local[dim]` holding the operand's components.
  void copyToLocal(const ir::Formula *operand, const std::string &local, const std::string &type,
                   IndentedWriter &out) const;

  const ir::KernelPlan &plan_;
  ir::Dtype dtype_;
  const Hooks &hooks_;
  std::unordered_map<const ir::Formula *, std::string> names_;
};

} // namespace keopsc::codegen
