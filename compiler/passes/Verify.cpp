// Checks formula dimensions, variables against inputs, and reduction shapes; see Verify.h.
#include "passes/Verify.h"

#include "support/Assert.h"

namespace keopsc::passes {
namespace {

void verifyVariable(const ir::Formula *f, const std::vector<ir::Input> &inputs) {
  size_t pos = static_cast<size_t>(f->varPos());
  KEOPSC_ASSERT(pos < inputs.size(), "variable position beyond the reduction's inputs");
  KEOPSC_ASSERT(inputs[pos].cat == f->varCat() && inputs[pos].dim == f->dim(),
                "variable disagrees with its input's category or dimension");
  KEOPSC_ASSERT(inputs[pos].used, "a read input is marked unused");
}

void verifyNode(const ir::Formula *f, const std::vector<ir::Input> &inputs) {
  const ir::OpInfo &info = ir::opInfo(f->kind());
  KEOPSC_ASSERT(f->dim() >= 1 && f->dim() <= (1 << 20), "dimension out of range");
  if (info.operands >= 0)
    KEOPSC_ASSERT(f->children().size() == static_cast<size_t>(info.operands),
                  "wrong number of operands");
  if (info.ints >= 0 && f->kind() != ir::OpKind::FloatCst)
    KEOPSC_ASSERT(f->ints().size() == static_cast<size_t>(info.ints),
                  "wrong number of static integers");
  if (f->kind() == ir::OpKind::Var)
    verifyVariable(f, inputs);
  if (info.dims == ir::DimRule::Same)
    KEOPSC_ASSERT(f->dim() == f->child(0)->dim(), "element-wise result has another dimension");
  if (info.dims == ir::DimRule::Scalar)
    KEOPSC_ASSERT(f->dim() == 1, "scalar operation with a vector result");
}

void verifyReduction(const ir::Reduction &r) {
  const ir::ReductionInfo &info = ir::reductionInfo(r.kind);
  KEOPSC_ASSERT(r.formula != nullptr, "reduction without a formula");
  KEOPSC_ASSERT(r.axis == 0 || r.axis == 1, "axis must be 0 or 1");
  KEOPSC_ASSERT(info.takesK == (r.K >= 1), "K set exactly for k-min reductions");
  KEOPSC_ASSERT(r.sumScheme != ir::SumScheme::Auto, "sum scheme left unresolved");
  for (const ir::Formula *root : {r.formula, r.weight})
    if (root)
      for (const ir::Formula *f : ir::postOrder(root))
        verifyNode(f, r.inputs);
}

} // namespace

void verifyModule(ir::Module &module) {
  for (const ir::Reduction &r : module.reductions)
    verifyReduction(r);
}

} // namespace keopsc::passes
