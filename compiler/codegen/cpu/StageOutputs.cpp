// Output rows of CPU stages; see StageOutputs.h.
#include "codegen/cpu/StageOutputs.h"

#include "codegen/Signature.h"

namespace keopsc::codegen {

std::string stageOutputRow(const ir::EntryPoint &entry, size_t index, ir::OutputRole role,
                           const std::string &row) {
  for (size_t k = 0; k < entry.outputs.size(); ++k) {
    const ir::Output &o = entry.outputs[k];
    if (o.stage == static_cast<int>(index) && o.role == role)
      return "a." + outputName(k) + " + " + row + " * " + std::to_string(o.width);
  }
  return "nullptr";
}

std::string stageValuesRow(const ir::EntryPoint &entry, size_t index, const std::string &row) {
  std::string values = entry.stages[index].sumRows
                           ? "nullptr"
                           : stageOutputRow(entry, index, ir::OutputRole::Values, row);
  return values == "nullptr" ? stageOutputRow(entry, index, ir::OutputRole::Workspace, row)
                             : values;
}

} // namespace keopsc::codegen
