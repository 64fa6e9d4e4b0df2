// Code for the special functions (SPEC.md §3): BSpline and SoftDTW_SqDist copy their vector
// operands into local arrays and call keops/portable/special.h, whose sizes are template
// arguments. Part of ExprEmitter (ExprEmitter.h).
#include "codegen/ExprEmitter.h"

namespace keopsc::codegen {

void ExprEmitter::copyToLocal(const ir::Formula *operand, const std::string &local,
                              const std::string &type, IndentedWriter &out) const {
  out.line(type + " " + local + "[" + std::to_string(operand->dim()) + "];");
  out.line("for (int64_t k = 0; k < " + std::to_string(operand->dim()) + "; ++k)");
  out.line("  " + local + "[k] = " + element(operand, "k") + ";");
}

void ExprEmitter::emitBSpline(const ir::Formula *f, IndentedWriter &out) {
  const ir::Formula *knots = f->child(0);
  std::string type = hooks_.valueType(kindOf(f));
  auto scope = out.block("");
  copyToLocal(knots, "knots", type, out);
  out.line("keops_rt::op_bspline<" + std::to_string(knots->dim()) + ", " +
           std::to_string(f->ints()[0]) + ">(knots, " + type + "(" + element(f->child(1), "0") +
           "), " + names_.at(f) + ");");
}

void ExprEmitter::emitSoftDtw(const ir::Formula *f, IndentedWriter &out) {
  const ir::Formula *x = f->child(0), *y = f->child(1);
  std::string type = hooks_.valueType(kindOf(f));
  auto scope = out.block("");
  copyToLocal(x, "seqX", type, out);
  copyToLocal(y, "seqY", type, out);
  out.line(names_.at(f) + "[0] = keops_rt::op_softdtw_sqdist<" + std::to_string(x->dim()) + ", " +
           std::to_string(y->dim()) + ">(seqX, seqY, " + type + "(" + element(f->child(2), "0") +
           "));");
}

} // namespace keopsc::codegen
