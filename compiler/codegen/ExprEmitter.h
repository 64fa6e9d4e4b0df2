// Prints formula IR as straight-line C++ statements from a kernel plan: one array per distinct
// node (CSE comes from hash-consing), stored where the plan says. Shared by every backend,
// which supplies hooks for loads, value types and scratch space. It knows nothing about loops
// or reductions.
#pragma once

#include "ir/KernelPlan.h"
#include "ir/ReductionInfo.h"
#include "support/IndentedWriter.h"

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace keopsc::codegen {

/// Whether a value is the same for every reduced index of a tile (Uniform) or changes along
/// it (Varying). SIMD and CUDA backends give the two kinds different types.
enum class ValueKind { Uniform, Varying };
ValueKind kindOf(ir::Level level);

/// `for (int64_t var = 0; var < count; ++var)`, the loop header every emitter uses.
std::string loopOver(int64_t count, const std::string &var = "k");
/// `var * stride`, plain `var` for stride 1: terms of generated index expressions.
std::string scaled(const std::string &var, int64_t stride);

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
    /// The C++ expression (an int64_t) of the current pair's index of category `cat` (I or J),
    /// in the loop where the stage evaluates a node of that level: SelectByIndex and
    /// GatherByIndex compare their indices with it.
    virtual std::string pairIndex(ir::Category cat) const = 0;
    /// A Uniform value (a C++ expression) as an operand of a Varying one: SIMD backends
    /// broadcast it to every lane; scalar ones use it as it is.
    virtual std::string broadcast(const std::string &uniform) const { return uniform; }
  };

  /// `prefix` starts the names of the arrays it declares: emitters whose statements share a
  /// scope (one per register-blocked row of a SIMD kernel) need different ones.
  ExprEmitter(const ir::KernelPlan &plan, ir::Dtype dtype, const Hooks &hooks,
              std::string prefix = "v");
  /// An emitter with this one's emitted nodes, its own hooks and name prefix: it computes more
  /// nodes from the values this one declared (a row's pair terms from its row's values).
  ExprEmitter derive(const Hooks &hooks, std::string prefix) const;
  /// Takes the emitted nodes of `other` as emitted here too (their arrays are in scope).
  void adoptNames(const ExprEmitter &other);
  /// Records that the caller computed `f` into the array `name` (a backend's own schedule).
  void bind(const ir::Formula *f, const std::string &name) { names_[f] = name; }

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
  /// f = Σₖ term(k) over the widest operand; `term` spells the k-th term for an index expression.
  void emitComponentSum(const ir::Formula *f,
                        const std::function<std::string(const std::string &)> &term,
                        IndentedWriter &out);
  void emitConcat(const ir::Formula *f, IndentedWriter &out);
  std::string literal(const ir::Formula *f) const;
  /// The C++ type of a temporary that is part of `f`'s value.
  std::string typeOf(const ir::Formula *f) const { return hooks_.valueType(kindOf(f)); }

  // Vector operations (ExprEmitter_Vector.cpp).
  void emitSumT(const ir::Formula *f, IndentedWriter &out);
  void emitExtremum(const ir::Formula *f, IndentedWriter &out);
  void emitNorm2(const ir::Formula *f, IndentedWriter &out);
  void emitNormalize(const ir::Formula *f, IndentedWriter &out);
  void emitWeightedSqNorm(const ir::Formula *f, IndentedWriter &out);
  void emitElemT(const ir::Formula *f, IndentedWriter &out);
  void emitExtract(const ir::Formula *f, IndentedWriter &out);
  void emitExtractT(const ir::Formula *f, IndentedWriter &out);
  void emitOneHot(const ir::Formula *f, IndentedWriter &out);

  // Linear algebra (ExprEmitter_LinAlg.cpp).
  void emitMatVecMult(const ir::Formula *f, IndentedWriter &out);
  void emitVecMatMult(const ir::Formula *f, IndentedWriter &out);
  void emitTensorProd(const ir::Formula *f, IndentedWriter &out);
  void emitTensorDot(const ir::Formula *f, IndentedWriter &out);

  // Complex numbers on interleaved (re, im) pairs (ExprEmitter_Complex.cpp).
  void emitComplex(const ir::Formula *f, IndentedWriter &out);
  void emitComplexSum(const ir::Formula *f, IndentedWriter &out);
  /// Part 0 (re) or 1 (im) of pair k of `operand`, repeating a single complex number (rule C).
  std::string complexPart(const ir::Formula *operand, const ir::Formula *node, int part) const;

  // Picks through reported indices: SelectByIndex, GatherByIndex (ExprEmitter_Index.cpp).
  void emitSelectByIndex(const ir::Formula *f, IndentedWriter &out);
  void emitGatherByIndex(const ir::Formula *f, IndentedWriter &out);

  // Special functions: BSpline, SoftDTW_SqDist (ExprEmitter_Special.cpp).
  void emitBSpline(const ir::Formula *f, IndentedWriter &out);
  void emitSoftDtw(const ir::Formula *f, IndentedWriter &out);
  /// Declares `type local[dim]` holding the operand's components.
  void copyToLocal(const ir::Formula *operand, const std::string &local, const std::string &type,
                   IndentedWriter &out) const;

  const ir::KernelPlan &plan_;
  ir::Dtype dtype_;
  const Hooks &hooks_;
  std::string prefix_;
  std::unordered_map<const ir::Formula *, std::string> names_;
};

} // namespace keopsc::codegen
