// What the scalar stage emitters (the CPU's row loop and the GPU's per-thread schedule) share:
// the compute type, the reduction state's C++ type, how float16 inputs are widened, and the
// expression emitter's hooks for one output row against one reduced row at a time.
#pragma once

#include "codegen/ExprEmitter.h"
#include "ir/EntryPoint.h"
#include "support/IndentedWriter.h"

#include <initializer_list>
#include <string>
#include <vector>

namespace keopsc::codegen {

/// The type formulas and reduction states compute in: float16 data (uint16_t binary16 storage)
/// is widened to float when read and rounded once when a result is stored (SPEC.md §7.1).
ir::Dtype computeDtype(ir::Dtype storage);

/// float16 rows up to this many elements are widened once into a local float array where they
/// are declared; wider ones (rare, and too large for the stack) convert at every load.
constexpr int kMaxWidenedRow = 1024;
bool convertsOnLoad(const ir::Input &in);

/// The C++ type of a stage's reduction state (keops/portable/reductions.h).
std::string stateType(const ir::Stage &stage, ir::Dtype dtype);

/// Loads and scratch of a scalar stage: inputs are rows named in<pos> (float copies of float16
/// rows, or uint16_t pointers converted at each load when convertsOnLoad); the pair's indices are
/// `r` (output category) and `t` (reduced one).
class ScalarHooks final : public ExprEmitter::Hooks {
public:
  ScalarHooks(std::string scalar, const ir::EntryPoint &entry, const ir::Stage &stage)
      : scalar_(std::move(scalar)), entry_(entry), stage_(stage) {}
  std::string load(const ir::Formula *var, const std::string &k) const override;
  std::string valueType(ValueKind) const override { return scalar_; }
  std::string scratch(int64_t offset) const override {
    return "scratch + " + std::to_string(offset);
  }
  std::string pairIndex(ir::Category cat) const override;

private:
  std::string scalar_;
  const ir::EntryPoint &entry_;
  const ir::Stage &stage_;
};

/// The statements of a scalar stage that do not depend on the loop around them, written into the
/// caller's scopes: `a` is the entry's argument struct, `state` the stage's state, `r` and `t` the
/// output and reduced rows, `scratch` the plan's scratch buffer (declared by the caller).
class ScalarStageBody {
public:
  ScalarStageBody(const ir::EntryPoint &entry, size_t index, IndentedWriter &out);

  /// The compute type's C++ name.
  const std::string &scalar() const { return scalar_; }
  /// Row pointers `in<k>` of the inputs of `cat` this stage reads, at row `index` (an
  /// expression; unused for parameters). float16 rows are widened into local arrays.
  void declareInputs(ir::Category cat, const std::string &index);
  /// The same but for input `skipped` (a chunked term's W, read a chunk at a time).
  void declareInputsBut(ir::Category cat, const std::string &index, size_t skipped);
  /// The parameters, the nodes that depend on nothing else, and the term and weight buffers
  /// of constant terms.
  void emitConstantsAndParameters();
  /// Output row r's inputs and the nodes that depend on them only.
  void emitRowValues();
  /// The term of (r, t) added to the state; reduced row t's inputs are declared.
  void emitTermAdd();
  /// The nodes of f that depend on the reduced row, for pair (r, t); reduced row t's inputs are
  /// declared.
  void emitPairValuesOf(const ir::Formula *f);
  /// Component k (an expression) of f's value.
  std::string element(const ir::Formula *f, const std::string &k) const {
    return exprs_.element(f, k);
  }
  /// state.finish into row r of the stage's outputs (or workspaces).
  void emitFinish();
  /// The plan's nodes at any of `levels`, in post-order.
  std::vector<const ir::Formula *> nodesAt(std::initializer_list<ir::Level> levels) const;

private:
  bool widens(const ir::Formula *f) const;
  void emitWidenedInputs();
  std::string termPointer() const;
  bool weightNeedsBuffer() const;
  std::string weightPointer() const;
  std::string outputRow(ir::OutputRole role) const;

  const ir::EntryPoint &entry_;
  const ir::Stage &stage_;
  size_t index_;
  IndentedWriter &out_;
  const ir::KernelPlan &plan_;
  std::string scalar_; ///< the compute type: float for float16 data (uint16_t arrays)
  ScalarHooks hooks_;
  ExprEmitter exprs_;
};

} // namespace keopsc::codegen
