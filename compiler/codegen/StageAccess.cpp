// Inputs and output rows of stages; see StageAccess.h.
#include "codegen/StageAccess.h"

#include "codegen/Signature.h"

namespace keopsc::codegen {

std::vector<const ir::Formula *> plannedNodesAt(const ir::KernelPlan &plan,
                                                std::initializer_list<ir::Level> levels) {
  std::vector<const ir::Formula *> nodes;
  for (const ir::PlannedNode &planned : plan.nodes)
    for (ir::Level level : levels)
      if (planned.level == level)
        nodes.push_back(planned.node);
  return nodes;
}

std::vector<size_t> inputsRead(const ir::EntryPoint &entry, const ir::KernelPlan &plan,
                               ir::Category cat) {
  std::vector<bool> read(entry.inputs.size(), false);
  for (const ir::PlannedNode &planned : plan.nodes)
    if (planned.node->kind() == ir::OpKind::Var)
      read[static_cast<size_t>(planned.node->varPos())] = true;
  std::vector<size_t> inputs;
  for (size_t k = 0; k < entry.inputs.size(); ++k)
    if (read[k] && entry.inputs[k].cat == cat)
      inputs.push_back(k);
  return inputs;
}

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
