// Removing unused stages and workspaces; see PruneStages.h.
#include "ir/PruneStages.h"

#include "ir/Rewrite.h"

#include <map>
#include <set>

namespace keopsc::ir {
namespace {

/// The stage that writes the workspace input `var` reads.
size_t producerStage(const EntryPoint &entry, const Formula *var) {
  const Input &in = entry.inputs[static_cast<size_t>(var->varPos())];
  return static_cast<size_t>(entry.outputs[static_cast<size_t>(in.producer)].stage);
}

/// The variables of a stage that read workspaces (positions from `firstInternal` on).
std::vector<const Formula *> workspaceReads(const Stage &stage, size_t firstInternal) {
  std::vector<const Formula *> vars;
  for (const Formula *f : postOrder({stage.formula, stage.weight}))
    if (f->kind() == OpKind::Var && static_cast<size_t>(f->varPos()) >= firstInternal)
      vars.push_back(f);
  return vars;
}

/// The stages the C outputs depend on, through the workspaces each stage reads.
std::vector<bool> neededStages(const EntryPoint &entry, size_t firstInternal) {
  std::vector<bool> needed(entry.stages.size(), false);
  std::vector<size_t> work;
  for (const Output &o : entry.outputs)
    if (isCArgument(o) && !needed[static_cast<size_t>(o.stage)]) {
      needed[static_cast<size_t>(o.stage)] = true;
      work.push_back(static_cast<size_t>(o.stage));
    }
  while (!work.empty()) {
    const Stage &stage = entry.stages[work.back()];
    work.pop_back();
    for (const Formula *var : workspaceReads(stage, firstInternal)) {
      size_t producer = producerStage(entry, var);
      if (!needed[producer]) {
        needed[producer] = true;
        work.push_back(producer);
      }
    }
  }
  return needed;
}

} // namespace

void pruneStages(FormulaContext &context, EntryPoint &entry) {
  size_t firstInternal = 0;
  while (firstInternal < entry.inputs.size() && isCArgument(entry.inputs[firstInternal]))
    ++firstInternal;
  const std::vector<bool> needed = neededStages(entry, firstInternal);

  std::vector<int> stageIndex(entry.stages.size(), -1), outputIndex(entry.outputs.size(), -1);
  std::vector<Stage> stages;
  for (size_t s = 0; s < entry.stages.size(); ++s)
    if (needed[s]) {
      stageIndex[s] = static_cast<int>(stages.size());
      stages.push_back(entry.stages[s]);
    }
  // Every output of a kept stage stays: its finish writes them all.
  std::vector<Output> outputs;
  for (size_t k = 0; k < entry.outputs.size(); ++k) {
    Output o = entry.outputs[k];
    if (stageIndex[static_cast<size_t>(o.stage)] < 0)
      continue;
    o.stage = stageIndex[static_cast<size_t>(o.stage)];
    outputIndex[k] = static_cast<int>(outputs.size());
    outputs.push_back(o);
  }
  for (Output &o : outputs)
    if (o.sumOf >= 0)
      o.sumOf = outputIndex[static_cast<size_t>(o.sumOf)];

  std::set<size_t> read;
  for (const Stage &stage : stages)
    for (const Formula *var : workspaceReads(stage, firstInternal))
      read.insert(static_cast<size_t>(var->varPos()));
  std::vector<Input> inputs(entry.inputs.begin(), entry.inputs.begin() + long(firstInternal));
  std::map<int, int> position;
  for (size_t k = firstInternal; k < entry.inputs.size(); ++k) {
    if (!read.count(k))
      continue;
    Input in = entry.inputs[k];
    in.producer = outputIndex[static_cast<size_t>(in.producer)];
    position[static_cast<int>(k)] = static_cast<int>(inputs.size());
    inputs.push_back(in);
  }

  Rewriter renumber(context, [&](const Formula *node, std::vector<const Formula *> kids) {
    if (node->kind() == OpKind::Var && static_cast<size_t>(node->varPos()) >= firstInternal)
      return context.var(position.at(node->varPos()), node->dim(), node->varCat());
    return node->isLeaf() ? node : rebuild(context, node, std::move(kids));
  });
  for (Stage &stage : stages) {
    stage.formula = renumber.rewrite(stage.formula);
    stage.weight = stage.weight ? renumber.rewrite(stage.weight) : nullptr;
  }
  entry.stages = std::move(stages);
  entry.outputs = std::move(outputs);
  entry.inputs = std::move(inputs);
  for (Stage &stage : entry.stages) {
    std::set<int> reads;
    for (const Formula *var : workspaceReads(stage, firstInternal))
      reads.insert(static_cast<int>(producerStage(entry, var)));
    stage.reads.assign(reads.begin(), reads.end());
  }
}

} // namespace keopsc::ir
