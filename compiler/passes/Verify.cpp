// Re-derives dimensions and checks variables, stages and outputs; see Verify.h.
#include "passes/Verify.h"

#include "support/Assert.h"

#include <algorithm>

namespace keopsc::passes {
namespace {

void verifyVariable(const ir::Formula *f, const std::vector<ir::Input> &inputs) {
  size_t pos = static_cast<size_t>(f->varPos());
  KEOPSC_ASSERT(f->varPos() >= 0 && pos < inputs.size(),
                "variable position beyond the reduction's inputs");
  KEOPSC_ASSERT(inputs[pos].cat == f->varCat() && inputs[pos].dim == f->dim(),
                "variable disagrees with its input's category or dimension");
  KEOPSC_ASSERT(inputs[pos].read, "a read input is marked unused");
}

void verifyNode(const ir::Formula *f, const std::vector<ir::Input> &inputs) {
  const ir::OpInfo &info = ir::opInfo(f->kind());
  KEOPSC_ASSERT(f->dim() >= 1 && f->dim() <= ir::kMaxDim, "dimension out of range");
  KEOPSC_ASSERT(!info.spellingOnly(), "a spelling-only operation reached the IR");
  if (info.operands >= 0)
    KEOPSC_ASSERT(f->children().size() == static_cast<size_t>(info.operands),
                  "wrong number of operands");
  if (info.ints >= 0)
    KEOPSC_ASSERT(f->ints().size() == static_cast<size_t>(info.ints),
                  "wrong number of static integers");
  if (f->kind() == ir::OpKind::Var) {
    verifyVariable(f, inputs);
    return;
  }
  if (info.dims == ir::DimRule::Leaf)
    return;
  // The dimension must be the one the op table's rule gives (nobody may build around it).
  ir::DimError error{ir::DimErrorKind::Mismatch, ""};
  int dim = ir::inferDim(f->kind(), f->children(), f->ints(), error);
  KEOPSC_ASSERT(dim != 0, "a node breaks its operation's dimension rule");
  KEOPSC_ASSERT(dim == f->dim(), "a node's dimension differs from its rule's");
}

bool isPick(const ir::Formula *f) {
  return f->kind() == ir::OpKind::SelectByIndex || f->kind() == ir::OpKind::GatherByIndex;
}

/// Whether `f` is a variable reading an Int64 input (a workspace of reported indices).
bool readsIndices(const ir::Formula *f, const std::vector<ir::Input> &inputs) {
  return f->kind() == ir::OpKind::Var && static_cast<size_t>(f->varPos()) < inputs.size() &&
         inputs[static_cast<size_t>(f->varPos())].dtype == ir::Dtype::Int64;
}

/// Indices are compared, never computed with: an Int64 input is read only as operand 0 of
/// SelectByIndex and GatherByIndex, whose operand 0 is always such a workspace variable.
void verifyIndexReads(const ir::Stage &stage, const std::vector<const ir::Formula *> &nodes,
                      const std::vector<ir::Input> &inputs) {
  for (const ir::Formula *root : {stage.formula, stage.weight})
    KEOPSC_ASSERT(!root || !readsIndices(root, inputs), "a stage's term is an Int64 input");
  for (const ir::Formula *f : nodes) {
    for (size_t k = 0; k < f->children().size(); ++k)
      KEOPSC_ASSERT(!readsIndices(f->child(k), inputs) || (isPick(f) && k == 0),
                    "an Int64 input is read other than as the indices of a pick");
    if (!isPick(f))
      continue;
    KEOPSC_ASSERT(readsIndices(f->child(0), inputs) &&
                      inputs[static_cast<size_t>(f->child(0)->varPos())].origin ==
                          ir::InputOrigin::Workspace,
                  "a pick's indices are not an Int64 workspace variable");
  }
}

void verifyPlan(const ir::Stage &stage, const std::vector<const ir::Formula *> &nodes) {
  if (!stage.plan)
    return;
  KEOPSC_ASSERT(stage.plan->nodes.size() == nodes.size(), "the plan misses nodes of its stage");
  for (const ir::Formula *f : nodes)
    KEOPSC_ASSERT(stage.plan->index.count(f), "a node of the stage has no plan entry");
}

void verifyStage(const ir::EntryPoint &entry, const ir::Stage &stage, size_t index) {
  const ir::ReductionInfo &info = ir::reductionInfo(stage.kind);
  KEOPSC_ASSERT(stage.formula != nullptr, "stage without a formula");
  KEOPSC_ASSERT(stage.axis == 0 || stage.axis == 1, "axis must be 0 or 1");
  KEOPSC_ASSERT(info.takesK == (stage.K >= 1), "K set exactly for k-min reductions");
  KEOPSC_ASSERT(stage.numerics.sumScheme != ir::SumScheme::Auto, "sum scheme left unresolved");
  for (int read : stage.reads)
    KEOPSC_ASSERT(read >= 0 && static_cast<size_t>(read) < index,
                  "a stage reads a stage that does not run before it");
  std::vector<const ir::Formula *> nodes = ir::postOrder({stage.formula, stage.weight});
  for (const ir::Formula *f : nodes)
    verifyNode(f, entry.inputs);
  verifyIndexReads(stage, nodes, entry.inputs);
  verifyPlan(stage, nodes);
}

/// A row-summed stage writes exactly its workspace and the Param-rows output summing it, with
/// the shapes ir::rowSumOutputsOf gives; the sharing follows a C input of the same shape.
void verifyRowSum(const ir::EntryPoint &entry, const ir::Output &o) {
  const ir::Stage &stage = entry.stages[static_cast<size_t>(o.stage)];
  KEOPSC_ASSERT(stage.sumRows, "a Param-rows output of a stage that does not sum its rows");
  KEOPSC_ASSERT(o.sumOf >= 0 && static_cast<size_t>(o.sumOf) < entry.outputs.size(),
                "a row sum of no output");
  KEOPSC_ASSERT(o.sharedAs >= 0 && static_cast<size_t>(o.sharedAs) < entry.inputs.size() &&
                    ir::isCArgument(entry.inputs[static_cast<size_t>(o.sharedAs)]) &&
                    entry.inputs[static_cast<size_t>(o.sharedAs)].cat == ir::Category::Param &&
                    entry.inputs[static_cast<size_t>(o.sharedAs)].dim == o.width,
                "a row sum follows the batch sharing of no Pm input of its shape");
  std::vector<ir::Output> expected =
      ir::rowSumOutputsOf(stage, entry.dtype, o.stage, o.sumOf, o.sharedAs);
  const ir::Output &rows = entry.outputs[static_cast<size_t>(o.sumOf)];
  auto same = [](const ir::Output &a, const ir::Output &b) {
    return a.role == b.role && a.rows == b.rows && a.width == b.width && a.dtype == b.dtype &&
           a.stage == b.stage;
  };
  KEOPSC_ASSERT(same(rows, expected[0]) && same(o, expected[1]),
                "a row sum disagrees with its stage");
}

/// Every output has the shape its stage gives its role; a workspace holds a stage's values.
void verifyOutputs(const ir::EntryPoint &entry) {
  std::vector<bool> written(entry.stages.size(), false);
  for (const ir::Output &o : entry.outputs) {
    KEOPSC_ASSERT(o.stage >= 0 && static_cast<size_t>(o.stage) < entry.stages.size(),
                  "an output of no stage");
    written[static_cast<size_t>(o.stage)] = true;
    KEOPSC_ASSERT((o.rows == ir::Category::Param) == (o.sumOf >= 0),
                  "only row sums have Param rows");
    if (entry.stages[static_cast<size_t>(o.stage)].sumRows) {
      KEOPSC_ASSERT(o.rows == ir::Category::Param || o.role == ir::OutputRole::Workspace,
                    "a row-summed stage writes a C output per row");
      if (o.rows == ir::Category::Param)
        verifyRowSum(entry, o);
      continue; // its workspace is checked with the row sum
    }
    ir::OutputRole role = o.role == ir::OutputRole::Workspace        ? ir::OutputRole::Values
                          : o.role == ir::OutputRole::IndexWorkspace ? ir::OutputRole::Indices
                                                                     : o.role;
    // A workspace of float16 data holds float32 values: later stages read them unrounded.
    ir::Dtype dtype = o.role == ir::OutputRole::Workspace && entry.dtype == ir::Dtype::Float16
                          ? ir::Dtype::Float32
                          : entry.dtype;
    bool matched = false;
    for (const ir::Output &e :
         ir::outputsOf(entry.stages[static_cast<size_t>(o.stage)], dtype, o.stage))
      matched = matched ||
                (e.role == role && e.width == o.width && e.dtype == o.dtype && e.rows == o.rows);
    KEOPSC_ASSERT(matched, "an output's shape disagrees with its stage");
  }
  for (bool w : written)
    KEOPSC_ASSERT(w, "a stage writes no output");
  for (size_t k = 0; k < entry.stages.size(); ++k) {
    size_t sums = 0;
    for (const ir::Output &o : entry.outputs)
      sums += o.sumOf >= 0 && o.stage == static_cast<int>(k) ? 1 : 0;
    KEOPSC_ASSERT(sums == (entry.stages[k].sumRows ? 1u : 0u),
                  "a row-summed stage has exactly one row sum");
  }
}

/// A workspace input is an earlier stage's workspace output of the same shape.
void verifyWorkspace(const ir::EntryPoint &entry, const ir::Input &input) {
  KEOPSC_ASSERT(input.producer >= 0 && static_cast<size_t>(input.producer) < entry.outputs.size(),
                "a workspace input without its output");
  const ir::Output &o = entry.outputs[static_cast<size_t>(input.producer)];
  KEOPSC_ASSERT(!ir::isCArgument(o), "a workspace input reads a C output");
  KEOPSC_ASSERT(o.rows == input.cat && o.width == input.dim && o.dtype == input.dtype,
                "a workspace input disagrees with the output that holds it");
}

/// A stage reads a workspace only if it declares the producing stage in `reads`.
void verifyReads(const ir::EntryPoint &entry, const ir::Stage &stage) {
  for (const ir::Formula *f : ir::postOrder({stage.formula, stage.weight})) {
    if (f->kind() != ir::OpKind::Var)
      continue;
    const ir::Input &input = entry.inputs[static_cast<size_t>(f->varPos())];
    if (input.origin != ir::InputOrigin::Workspace)
      continue;
    int producer = entry.outputs[static_cast<size_t>(input.producer)].stage;
    KEOPSC_ASSERT(std::find(stage.reads.begin(), stage.reads.end(), producer) != stage.reads.end(),
                  "a stage reads a workspace of a stage it does not list in reads");
  }
}

} // namespace

bool verifyModule(ir::Module &module, PassContext &) {
  for (const ir::EntryPoint &entry : module.entryPoints) {
    KEOPSC_ASSERT(!entry.stages.empty(), "entry point without stages");
    for (const ir::Input &input : entry.inputs) {
      KEOPSC_ASSERT((input.origin == ir::InputOrigin::Alias) == !input.name.empty(),
                    "only alias inputs have names");
      if (input.origin == ir::InputOrigin::Workspace)
        verifyWorkspace(entry, input);
    }
    for (size_t k = 0; k < entry.stages.size(); ++k) {
      verifyStage(entry, entry.stages[k], k);
      verifyReads(entry, entry.stages[k]);
    }
    verifyOutputs(entry);
  }
  return true;
}

} // namespace keopsc::passes
