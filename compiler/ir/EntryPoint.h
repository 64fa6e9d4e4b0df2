// Entry points and stages: what sema produces and passes and codegen consume. An entry point is
// a C signature (explicit inputs and outputs, each with dtype, per-row shape and role) computed
// by one or more stages; a stage is a formula (and weight) reduced over one axis into a state.
#pragma once

#include "ir/Formula.h"
#include "ir/KernelPlan.h"
#include "ir/ReductionInfo.h"
#include "support/SourceManager.h"

#include <optional>
#include <string>
#include <vector>

namespace keopsc::ir {

/// Where an input comes from; the printer and the header name it accordingly.
enum class InputOrigin : uint8_t {
  Alias,  ///< a named alias (`x`)
  Inline, ///< an inline variable at its position (`Vi(0, 3)`, `Var(0, 3, 0)`)
  Gap,    ///< a position nothing declares: passed, validated, never read
  /// An earlier stage's per-row result (e.g. the forward pass a gradient recomputes): internal
  /// storage the entry point allocates, not a C argument; Input::producer names its output.
  Workspace,
};

/// What an output holds (DESIGN.md §4).
enum class OutputRole : uint8_t {
  Values,     ///< the reduction's values (K-min: [row][K][D])
  Indices,    ///< int64 indices (Arg*, K-min)
  MaxShift,   ///< m of a raw Max_SumShiftExp pair
  ShiftedSum, ///< s of a raw Max_SumShiftExp pair
  Workspace,  ///< a stage's values kept for later stages (not a C argument)
  /// A stage's int64 indices kept for later stages (a Min/Max gradient's reported pairs).
  IndexWorkspace,
};

struct Input {
  std::string name; ///< the alias name; "" for inline and gap inputs
  InputOrigin origin = InputOrigin::Alias;
  Category cat = Category::I;
  int dim = 1;
  bool read = true; ///< false: an ignored input (still validated)
  Dtype dtype = Dtype::Float32;
  int producer = -1; ///< Workspace only: the index of the output that holds it
};

struct Output {
  std::string name; ///< the C parameter name: out, out_values, out_indices, out_m, out_s
  OutputRole role = OutputRole::Values;
  Category rows = Category::I; ///< I: M rows (axis 1); J: N rows (axis 0)
  int width = 1;               ///< elements per row
  Dtype dtype = Dtype::Float32;
  int stage = 0; ///< the stage that writes it
  /// Param rows only (a row-summed stage's C output, see Stage::sumRows): the index of the
  /// workspace output whose rows it sums, one row of `width` per batch block.
  int sumOf = -1;
  /// Param rows only: the C input whose batch_shared flag it follows; when that input is shared,
  /// the output is one block summing every batch. -1: one block per batch.
  int sharedAs = -1;
};

/// Numerics of a summing state (SPEC.md §7).
struct Numerics {
  Dtype accDtype = Dtype::Float32;        ///< resolved: never "auto" here
  SumScheme sumScheme = SumScheme::Block; ///< resolved: never Auto here
};

struct Stage {
  ReductionKind kind = ReductionKind::Sum;
  int axis = 1; ///< 1: reduce over j (output per i); 0: over i
  int K = 0;    ///< k-min reductions only
  const Formula *formula = nullptr;
  const Formula *weight = nullptr; ///< G of weighted reductions
  Numerics numerics;
  /// Earlier stages whose per-row results this one reads (gradients recomputing a forward).
  std::vector<int> reads;
  /// Gradients with respect to a Pm input (SPEC.md §6): the per-row results go to a workspace
  /// output in the accumulator dtype, then are summed over all rows, in a fixed order, into a
  /// Param-rows C output (Output::sumOf).
  bool sumRows = false;
  /// Filled by the plan-kernels pass; backends emit from it.
  std::optional<KernelPlan> plan;

  Category outputCat() const { return axis == 1 ? Category::I : Category::J; }
  Category reducedCat() const { return axis == 1 ? Category::J : Category::I; }
  /// Values per output row (D, K*D, or the weight's dim); 0 without a value output.
  int valuesPerRow() const;
  /// Indices per output row; 0 without an index output.
  int indicesPerRow() const;
};

/// What a `Grad(r, x)` entry point differentiates: r's name and x's index among r's inputs (the
/// PyTorch face builds autograd rules from these).
struct GradientOf {
  std::string base;
  int input = -1;
};

struct EntryPoint {
  std::string name; ///< the reduction's name; C symbols are <module>_<name>[_cpu|_cuda]
  SourceRange loc;
  std::string sourceText; ///< the declaration's body as the user wrote it (for comments)
  Dtype dtype = Dtype::Float32;
  std::vector<Input> inputs; ///< C argument order, then workspaces (internal)
  std::vector<Output> outputs;
  std::vector<Stage> stages;
  bool fastMath = false;
  bool enableChunks = true;
  bool cpuBackend = true;
  bool cudaBackend = true;
  /// Set on gradients of a named reduction (`Grad(r, x)`, written or added for autograd).
  std::optional<GradientOf> gradientOf;

  /// The one-stage reductions of today; later entry points have several.
  const Stage &mainStage() const { return stages.back(); }
};

/// The outputs a stage of `kind` writes, with their C names (DESIGN.md §4).
std::vector<Output> outputsOf(const Stage &stage, Dtype dtype, int stageIndex);

/// For a row-summed stage (Stage::sumRows): its workspace of per-row values (in the accumulator
/// dtype) and the C output `out` of Param rows that sums them, following input `sharedAs`'s batch
/// sharing. `firstIndex` is the index the workspace will have among the entry's outputs.
std::vector<Output> rowSumOutputsOf(const Stage &stage, Dtype dtype, int stageIndex, int firstIndex,
                                    int sharedAs);

/// Whether the array is a parameter of the C entry points (workspaces are internal).
inline bool isCArgument(const Input &input) { return input.origin != InputOrigin::Workspace; }
inline bool isCArgument(const Output &output) {
  return output.role != OutputRole::Workspace && output.role != OutputRole::IndexWorkspace;
}
/// How many of the entry's inputs, and outputs, are C parameters.
size_t cInputCount(const EntryPoint &entry);
size_t cOutputCount(const EntryPoint &entry);

} // namespace keopsc::ir
