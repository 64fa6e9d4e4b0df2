// Input numbering of a reduction: positions from the argument list or the declaration order,
// explicit and inline positions, gaps; one category and dimension per position. It builds the
// entry point's inputs only; formulas and options are ReductionLowering.cpp's.
#include "sema/ExprLowering.h"
#include "sema/ReductionLowering.h"

#include <set>

namespace keopsc::sema {
namespace {

std::string describeVar(ir::Category cat, int dim) {
  return std::string(ir::categoryCall(cat)) + "(" + std::to_string(dim) + ")";
}

/// Inputs by position while they are being placed, with where each was first seen.
class InputTable {
public:
  explicit InputTable(DiagnosticEngine &diags) : diags_(diags) {}

  /// Places `input` at `pos`; a second variable at a position must agree with the first.
  bool place(int pos, ir::Input input, SourceRange range) {
    auto [it, inserted] = inputs_.emplace(pos, input);
    if (inserted) {
      where_[pos] = range;
      return true;
    }
    ir::Input &old = it->second;
    if (old.cat != input.cat || old.dim != input.dim) {
      diags_.report(DiagId::ConflictingVariable, range,
                    {std::to_string(pos), old.cat != input.cat ? "categories" : "dimensions",
                     describeVar(old.cat, old.dim), describeVar(input.cat, input.dim)});
      return false;
    }
    // An inline variable may read an aliased position again (SPEC.md §2): it is then read.
    old.read = old.read || input.read;
    return true;
  }

  /// Positions 0 .. highest, gaps as ignored inputs (SPEC.md §2), with their warnings.
  void emit(const ast::ReductionDecl &decl, std::vector<ir::Input> &out) {
    int count = inputs_.empty() ? 0 : inputs_.rbegin()->first + 1;
    for (int pos = 0; pos < count; ++pos) {
      auto found = inputs_.find(pos);
      if (found == inputs_.end()) {
        out.push_back(
            {"", ir::InputOrigin::Gap, ir::Category::Param, 1, false, ir::Dtype::Float32});
        diags_.report(DiagId::InputGap, decl.nameRange, {std::to_string(pos), decl.name});
        continue;
      }
      if (!found->second.read)
        diags_.report(DiagId::UnusedInput, where_[pos], {found->second.name, decl.name});
      out.push_back(found->second);
    }
  }

private:
  DiagnosticEngine &diags_;
  std::map<int, ir::Input> inputs_;
  std::map<int, SourceRange> where_;
};

/// No argument list: explicit positions first, then the used aliases in declaration order.
void positionsByDeclaration(LoweredBody &lowered) {
  std::set<int> taken;
  for (size_t index : lowered.used)
    if (lowered.aliases[index].pos) {
      lowered.positions[index] = *lowered.aliases[index].pos;
      taken.insert(*lowered.aliases[index].pos);
    }
  int next = 0;
  for (size_t index : lowered.used) {
    if (lowered.aliases[index].pos)
      continue;
    while (taken.count(next))
      ++next;
    lowered.positions[index] = next;
    taken.insert(next);
  }
}

} // namespace

bool ReductionLowering::positionFromParam(const ast::Param &param, size_t k, LoweredBody &lowered) {
  auto found = symbols_.aliasIndex.find(param.name);
  if (symbols_.poisoned.count(param.name))
    return false; // its declaration was already reported
  if (found == symbols_.aliasIndex.end()) {
    diags_.report(symbols_.formulas.count(param.name) ? DiagId::ParamNotAlias : DiagId::UnknownName,
                  param.range, {param.name});
    return false;
  }
  const AliasSymbol &alias = lowered.aliases[found->second];
  if (alias.pos && *alias.pos != static_cast<int>(k)) {
    diags_.report(DiagId::BadVariable, param.range,
                  {"alias '" + alias.name + "' is declared at position " +
                   std::to_string(*alias.pos) + " but is argument " + std::to_string(k)});
    return false;
  }
  lowered.positions[found->second] = static_cast<int>(k);
  return true;
}

bool ReductionLowering::positionsFromList(const ast::ReductionDecl &decl, LoweredBody &lowered) {
  bool ok = true;
  std::set<std::string> seen;
  for (size_t k = 0; k < decl.params->size(); ++k) {
    const ast::Param &param = (*decl.params)[k];
    if (!seen.insert(param.name).second) {
      diags_.report(DiagId::DuplicateParam, param.range, {param.name});
      ok = false;
      continue;
    }
    ok &= positionFromParam(param, k, lowered);
  }
  for (size_t index : lowered.used)
    if (!lowered.positions.count(index)) {
      diags_.report(DiagId::AliasNotListed, lowered.aliasUses.at(index),
                    {lowered.aliases[index].name, decl.name});
      ok = false;
    }
  return ok;
}

// Numbers the C inputs: the argument list (or declaration order), explicit positions, inline
// variables; then checks that each position has one dimension and one category.
bool ReductionLowering::assembleInputs(const ast::ReductionDecl &decl, LoweredBody &lowered,
                                       ir::EntryPoint &out) {
  if (decl.params && !lowered.fromGenred) {
    if (!positionsFromList(decl, lowered))
      return false;
  } else if (!lowered.fromGenred) {
    positionsByDeclaration(lowered);
  }
  InputTable table(diags_);
  bool ok = true;
  for (const auto &[index, pos] : lowered.positions) {
    const AliasSymbol &alias = lowered.aliases[index];
    ir::Input input{alias.name, ir::InputOrigin::Alias,        alias.cat,
                    alias.dim,  lowered.used.count(index) > 0, ir::Dtype::Float32};
    auto use = lowered.aliasUses.find(index);
    ok &= table.place(pos, input, use != lowered.aliasUses.end() ? use->second : alias.range);
  }
  for (const ir::Formula *root : {lowered.formula, lowered.weight})
    for (const ir::Formula *node : ir::postOrder(root))
      if (node->kind() == ir::OpKind::Var && node->varPos() < kPlaceholderBase)
        ok &= table.place(
            node->varPos(),
            {"", ir::InputOrigin::Inline, node->varCat(), node->dim(), true, ir::Dtype::Float32},
            lowered.inlineUses.count(node) ? lowered.inlineUses.at(node) : decl.nameRange);
  if (ok)
    table.emit(decl, out.inputs);
  return ok;
}

} // namespace keopsc::sema
