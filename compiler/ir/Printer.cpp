// Formula and module printer; see Printer.h.
#include "ir/Printer.h"

#include <sstream>
#include <unordered_map>

namespace keopsc::ir {
namespace {

const char *categoryCall(Category cat) {
  switch (cat) {
  case Category::I:
    return "Vi";
  case Category::J:
    return "Vj";
  case Category::Param:
    return "Pm";
  }
  return "Var";
}

std::string leafText(const Formula *f, const std::vector<Input> &inputs) {
  const auto &ints = f->ints();
  switch (f->kind()) {
  case OpKind::Var: {
    size_t pos = static_cast<size_t>(f->varPos());
    if (pos < inputs.size() && inputs[pos].cat == f->varCat() && inputs[pos].dim == f->dim() &&
        inputs[pos].name.rfind("arg", 0) != 0)
      return inputs[pos].name;
    return "Var(" + std::to_string(ints[0]) + ", " + std::to_string(ints[1]) + ", " +
           std::to_string(ints[2]) + ")";
  }
  case OpKind::FloatCst:
    return f->text();
  default:
    break;
  }
  std::string text = opInfo(f->kind()).name;
  text += '(';
  for (size_t k = 0; k < ints.size(); ++k)
    text += (k ? ", " : "") + std::to_string(ints[k]);
  return text + ')';
}

} // namespace

std::string printFormula(const Formula *formula, const std::vector<Input> &inputs) {
  // Post-order with memoized texts: shared subterms print fully each time, never recursing.
  std::unordered_map<const Formula *, std::string> text;
  for (const Formula *f : postOrder(formula)) {
    if (f->children().empty()) {
      text[f] = leafText(f, inputs);
      continue;
    }
    std::string out = opInfo(f->kind()).name;
    out += '(';
    bool first = true;
    for (const Formula *c : f->children()) {
      out += (first ? "" : ", ") + text[c];
      first = false;
    }
    for (int64_t v : f->ints())
      out += ", " + std::to_string(v);
    text[f] = out + ')';
  }
  return text[formula];
}

std::string printModule(const Module &module) {
  std::ostringstream out;
  out << "module " << module.name << '\n';
  for (const Reduction &r : module.reductions) {
    out << "reduction " << r.name << '(';
    for (size_t k = 0; k < r.inputs.size(); ++k) {
      const Input &in = r.inputs[k];
      out << (k ? ", " : "") << in.name << ": " << categoryCall(in.cat) << '(' << in.dim << ')';
      if (!in.used)
        out << " unused";
    }
    out << ") = " << reductionInfo(r.kind).name << " axis=" << r.axis;
    if (reductionInfo(r.kind).takesK)
      out << " K=" << r.K;
    out << " dtype=" << dtypeName(r.dtype) << " acc=" << dtypeName(r.accDtype)
        << " scheme=" << sumSchemeName(r.sumScheme) << '\n';
    out << "  F[" << r.formula->dim() << "] = " << printFormula(r.formula, r.inputs) << '\n';
    if (r.weight)
      out << "  G[" << r.weight->dim() << "] = " << printFormula(r.weight, r.inputs) << '\n';
  }
  return out.str();
}

} // namespace keopsc::ir
