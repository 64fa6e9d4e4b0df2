// Per-row output shapes of stages and the outputs each reduction writes; see EntryPoint.h.
#include "ir/EntryPoint.h"

#include "support/Assert.h"

namespace keopsc::ir {

int Stage::valuesPerRow() const {
  const ReductionInfo &info = reductionInfo(kind);
  if (info.outputs == OutputShape::Indices)
    return 0;
  int d = weight ? weight->dim() : formula->dim();
  return info.takesK ? K * d : d;
}

int Stage::indicesPerRow() const {
  const ReductionInfo &info = reductionInfo(kind);
  if (info.outputs != OutputShape::Indices && info.outputs != OutputShape::ValuesAndIndices)
    return 0;
  int d = formula->dim();
  return info.takesK ? K * d : d;
}

std::vector<Output> outputsOf(const Stage &stage, Dtype dtype, int stageIndex) {
  Category rows = stage.outputCat();
  int values = stage.valuesPerRow(), indices = stage.indicesPerRow();
  switch (reductionInfo(stage.kind).outputs) {
  case OutputShape::Values:
    return {{"out", OutputRole::Values, rows, values, dtype, stageIndex}};
  case OutputShape::Indices:
    return {{"out", OutputRole::Indices, rows, indices, Dtype::Int64, stageIndex}};
  case OutputShape::ValuesAndIndices:
    return {{"out_values", OutputRole::Values, rows, values, dtype, stageIndex},
            {"out_indices", OutputRole::Indices, rows, indices, Dtype::Int64, stageIndex}};
  case OutputShape::Pair:
    return {{"out_m", OutputRole::MaxShift, rows, 1, dtype, stageIndex},
            {"out_s", OutputRole::ShiftedSum, rows, values, dtype, stageIndex}};
  }
  KEOPSC_UNREACHABLE("bad output shape");
}

std::vector<Output> rowSumOutputsOf(const Stage &stage, Dtype dtype, int stageIndex, int firstIndex,
                                    int sharedAs) {
  KEOPSC_ASSERT(stage.sumRows && reductionInfo(stage.kind).outputs == OutputShape::Values,
                "a row sum of a stage without one values output");
  const int width = stage.valuesPerRow();
  Output rows;
  rows.name = "rows";
  rows.role = OutputRole::Workspace;
  rows.rows = stage.outputCat();
  rows.width = width;
  rows.dtype = stage.numerics.accDtype; // unrounded: the sum rounds once
  rows.stage = stageIndex;
  Output out{"out", OutputRole::Values, Category::Param, width, dtype, stageIndex};
  out.sumOf = firstIndex;
  out.sharedAs = sharedAs;
  return {rows, out};
}

const char *levelName(Level level) {
  switch (level) {
  case Level::Constant:
    return "constant";
  case Level::Parameter:
    return "parameter";
  case Level::OutputRow:
    return "output-row";
  case Level::ReducedRow:
    return "reduced-row";
  case Level::Pair:
    return "pair";
  }
  KEOPSC_UNREACHABLE("bad level");
}

const char *storageName(Storage storage) {
  switch (storage) {
  case Storage::Inline:
    return "inline";
  case Storage::Local:
    return "local";
  case Storage::Scratch:
    return "scratch";
  }
  KEOPSC_UNREACHABLE("bad storage");
}

size_t cInputCount(const EntryPoint &entry) {
  size_t count = 0;
  for (const Input &input : entry.inputs)
    count += isCArgument(input) ? 1 : 0;
  return count;
}

size_t cOutputCount(const EntryPoint &entry) {
  size_t count = 0;
  for (const Output &output : entry.outputs)
    count += isCArgument(output) ? 1 : 0;
  return count;
}

} // namespace keopsc::ir
