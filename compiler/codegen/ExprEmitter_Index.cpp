// Code for the picks through reported indices (SelectByIndex, GatherByIndex: the Min/Max/KMin
// gradients of SPEC.md §6); see ExprEmitter.h. The indices are an int64_t row compared with the
// pair's index the backend names (Hooks::pairIndex); an unpicked component is exactly 0, even
// where F or e is not finite, as in the evaluator.
#include "codegen/ExprEmitter.h"

namespace keopsc::codegen {
namespace {

ir::Category pickCategory(const ir::Formula *f) { return static_cast<ir::Category>(f->ints()[1]); }

} // namespace

// out[k·d + c] = F_c where idx[k·d + c] is the pair's index, else 0.
void ExprEmitter::emitSelectByIndex(const ir::Formula *f, IndentedWriter &out) {
  const ir::Formula *idx = f->child(0), *values = f->child(1);
  const std::string index = hooks_.pairIndex(pickCategory(f)), type = typeOf(f);
  out.line(loopOver(f->dim()));
  out.line("  " + names_.at(f) + "[k] = " + element(idx, "k") + " == " + index + " ? " +
           element(values, "k % " + std::to_string(values->dim())) + " : " + type + "(0);");
}

// out[c] = Σ_l e[l·d + c] over the l whose index idx[l·d + c] is the pair's, in the order of l.
void ExprEmitter::emitGatherByIndex(const ir::Formula *f, IndentedWriter &out) {
  const ir::Formula *idx = f->child(0), *e = f->child(1);
  const std::string index = hooks_.pairIndex(pickCategory(f)), type = typeOf(f);
  const std::string d = std::to_string(f->dim()), at = "l * " + d + " + k";
  out.line(loopOver(f->dim()) + " {");
  out.line("  " + type + " s = " + type + "(0);");
  out.line("  " + loopOver(f->ints()[0], "l"));
  out.line("    if (" + element(idx, at) + " == " + index + ")");
  out.line("      s += " + element(e, at) + ";");
  out.line("  " + names_.at(f) + "[k] = s;");
  out.line("}");
}

} // namespace keopsc::codegen
