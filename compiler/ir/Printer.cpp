// The SSA printer of module IR; see Printer.h.
#include "ir/Printer.h"

#include "ir/ListArgs.h"

#include <sstream>
#include <unordered_map>

namespace keopsc::ir {
namespace {

std::string inputName(const Input &input, size_t position) {
  return input.origin == InputOrigin::Alias ? input.name : "$" + std::to_string(position);
}

/// A node's static integers as the user wrote them: plain, or as lists (TensorDot, Kron).
std::string staticArgs(const Formula *f) {
  std::string text;
  if (opInfo(f->kind()).lists == ListSchema::NoLists) {
    for (int64_t v : f->ints())
      text += ", " + std::to_string(v);
    return text;
  }
  for (const IntList &list : decodeLists(f->ints()))
    text += ", " + listText(list);
  return text;
}

std::string ints(const std::vector<int64_t> &values) {
  std::string text;
  for (int64_t v : values)
    text += ", " + std::to_string(v);
  return text;
}

class StagePrinter {
public:
  StagePrinter(const EntryPoint &entry, const Stage &stage, std::ostringstream &out)
      : entry_(entry), stage_(stage), out_(out) {}

  void print(const std::vector<const Formula *> &roots) {
    for (const Formula *f : postOrder(roots))
      printNode(f);
  }
  const std::string &name(const Formula *f) { return names_.at(f); }

private:
  std::string rhs(const Formula *f) {
    if (f->kind() == OpKind::Var) {
      size_t pos = static_cast<size_t>(f->varPos());
      std::string var = "Var(" + std::to_string(f->varPos()) + ints({f->dim()}) +
                        ints({static_cast<int64_t>(f->varCat())}) + ")";
      return pos < entry_.inputs.size() && entry_.inputs[pos].origin == InputOrigin::Alias
                 ? entry_.inputs[pos].name
                 : var;
    }
    if (f->kind() == OpKind::Const)
      return "Const(" + f->constant().text() + ")";
    std::string text = std::string(opInfo(f->kind()).name) + "(";
    for (size_t k = 0; k < f->children().size(); ++k)
      text += (k ? ", " : "") + names_.at(f->child(k));
    if (f->children().empty() && !f->ints().empty())
      return text + staticArgs(f).substr(2) + ")";
    return text + staticArgs(f) + ")";
  }

  void printNode(const Formula *f) {
    std::string name = "%" + std::to_string(names_.size());
    names_[f] = name;
    out_ << "    " << name << " = " << rhs(f) << " : " << f->dim();
    if (stage_.plan) {
      const PlannedNode &planned = stage_.plan->of(f);
      out_ << "  ; " << levelName(planned.level) << ", " << storageName(planned.storage);
      if (planned.storage == Storage::Scratch)
        out_ << " @" << planned.scratchOffset;
    }
    out_ << '\n';
  }

  const EntryPoint &entry_;
  const Stage &stage_;
  std::ostringstream &out_;
  std::unordered_map<const Formula *, std::string> names_;
};

void printSignature(const EntryPoint &entry, std::ostringstream &out) {
  out << "entry " << entry.name << '(';
  for (size_t k = 0; k < entry.inputs.size(); ++k) {
    const Input &input = entry.inputs[k];
    out << (k ? ", " : "") << describeInput(input, k);
    if (input.origin == InputOrigin::Workspace)
      out << " = stage " << entry.outputs[static_cast<size_t>(input.producer)].stage;
  }
  out << ") -> (";
  for (size_t k = 0; k < entry.outputs.size(); ++k) {
    const Output &o = entry.outputs[k];
    out << (k ? ", " : "") << o.name << ": " << categoryCall(o.rows) << '(' << o.width << ") "
        << dtypeName(o.dtype) << (isCArgument(o) ? "" : " workspace");
    if (o.sumOf >= 0) // a row sum: one row per batch, or one in all when that input is shared
      out << " = sum of " << entry.outputs[static_cast<size_t>(o.sumOf)].name << ", batches as "
          << inputName(entry.inputs[static_cast<size_t>(o.sharedAs)],
                       static_cast<size_t>(o.sharedAs));
  }
  out << ") dtype=" << dtypeName(entry.dtype) << '\n';
}

void printStage(const EntryPoint &entry, size_t index, std::ostringstream &out) {
  const Stage &stage = entry.stages[index];
  out << "  stage " << index << ": " << reductionInfo(stage.kind).name << " axis=" << stage.axis;
  if (reductionInfo(stage.kind).takesK)
    out << " K=" << stage.K;
  if (isSumming(stage.kind))
    out << " acc=" << dtypeName(stage.numerics.accDtype)
        << " scheme=" << sumSchemeName(stage.numerics.sumScheme);
  if (stage.sumRows)
    out << " sum-rows";
  if (stage.plan)
    out << " scratch=" << stage.plan->scratchElements;
  if (stage.plan && stage.plan->chunkedTerm)
    out << " chunked";
  out << '\n';
  StagePrinter printer(entry, stage, out);
  printer.print({stage.formula, stage.weight});
  out << "    F = " << printer.name(stage.formula) << '\n';
  if (stage.weight)
    out << "    G = " << printer.name(stage.weight) << '\n';
}

} // namespace

std::string describeInput(const Input &input, size_t position) {
  std::string text = inputName(input, position) + ": " + categoryCall(input.cat) + "(" +
                     std::to_string(input.dim) + ")";
  return input.read ? text : text + " unused";
}

std::string printModule(const Module &module) {
  std::ostringstream out;
  out << "module " << module.name << '\n';
  for (const EntryPoint &entry : module.entryPoints) {
    printSignature(entry, out);
    for (size_t k = 0; k < entry.stages.size(); ++k)
      printStage(entry, k, out);
  }
  return out.str();
}

} // namespace keopsc::ir
