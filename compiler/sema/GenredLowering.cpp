// The verbatim pykeops form `Genred("F", ["x = Vi(3)", ...], reduction_op = "Sum", axis = 1,
// ...)`: its strings are parsed by the frontend's expression rules; its aliases are local.
#include "frontend/Parser.h"
#include "sema/ExprLowering.h"
#include "sema/ReductionLowering.h"
#include "sema/StaticInt.h"

namespace keopsc::sema {

bool ReductionLowering::readGenredCall(const ast::Expr &body, ReductionCall &call,
                                       LoweredBody &lowered) {
  static const char *positional[] = {"formula", "aliases", "reduction_op", "axis"};
  if (body.operands.size() < 2 || body.operands.size() > 4) {
    diags_.report(DiagId::GenredArgument, body.opRange,
                  {"Genred needs a formula string and a list of alias strings"});
    return false;
  }
  std::map<std::string, const ast::Expr *> args;
  for (size_t k = 0; k < body.operands.size(); ++k)
    args[positional[k]] = body.operands[k].get();
  bool ok = true;
  for (const ast::KeywordArg &kw : body.keywords) {
    if (args.count(kw.name)) {
      diags_.report(DiagId::DuplicateOption, kw.nameRange, {kw.name});
      ok = false;
    }
    args[kw.name] = kw.value.get();
  }
  if (!ok)
    return false;

  const ast::Expr *formula = args["formula"];
  const ast::Expr *aliases = args["aliases"];
  if (formula->kind != ast::ExprKind::String) {
    diags_.report(DiagId::GenredArgument, formula->range, {"the Genred formula must be a string"});
    return false;
  }
  if (aliases->kind != ast::ExprKind::List) {
    diags_.report(DiagId::GenredArgument, aliases->range,
                  {"Genred aliases must be a list of strings such as [\"x = Vi(3)\"]"});
    return false;
  }

  // Reduction kind: reduction_op, default "Sum" as in pykeops.
  call.kind = ir::ReductionKind::Sum;
  call.kindRange = body.opRange;
  if (const ast::Expr *op = args.count("reduction_op") ? args["reduction_op"] : nullptr) {
    call.kindRange = op->range;
    if (op->kind != ast::ExprKind::String || !ir::lookupReduction(op->text, call.kind)) {
      diags_.report(DiagId::UnknownReduction, op->range, {op->text});
      return false;
    }
  }
  call.axis = 0; // pykeops's default
  if (const ast::Expr *axis = args.count("axis") ? args["axis"] : nullptr) {
    auto value = evalStaticInt(*axis, "axis", diags_);
    if (!value)
      return false;
    if (*value != 0 && *value != 1) {
      diags_.report(DiagId::BadAxis, axis->range, {std::to_string(*value)});
      return false;
    }
    call.axis = static_cast<int>(*value);
  }
  for (const auto &[key, value] : args) {
    if (key == "formula" || key == "aliases" || key == "reduction_op" || key == "axis" ||
        key == "formula2")
      continue;
    SourceRange keyRange = value->range;
    for (const ast::KeywordArg &kw : body.keywords)
      if (kw.name == key)
        keyRange = kw.nameRange;
    ok &= readOption(key, keyRange, *value, true, call.options, diags_);
  }
  if (!ok)
    return false;

  // Strings → expressions, kept alive in parsedStrings_.
  auto parse = [&](const ast::Expr &literal, bool aliasForm, std::string *name,
                   SourceRange *nameRange) -> const ast::Expr * {
    ast::ExprPtr parsed =
        frontend::parseExprString(literal, aliasForm, name, nameRange, sources(), diags_);
    if (!parsed)
      return nullptr;
    parsedStrings_.push_back(std::move(parsed));
    return parsedStrings_.back().get();
  };
  call.formula = parse(*formula, false, nullptr, nullptr);
  ok = call.formula != nullptr;
  if (const ast::Expr *formula2 = args.count("formula2") ? args["formula2"] : nullptr) {
    if (formula2->kind != ast::ExprKind::String) {
      diags_.report(DiagId::GenredArgument, formula2->range, {"formula2 must be a string"});
      return false;
    }
    call.weight = parse(*formula2, false, nullptr, nullptr);
    ok &= call.weight != nullptr;
  }

  lowered.fromGenred = true;
  std::set<std::string> names;
  for (size_t k = 0; k < aliases->operands.size(); ++k) {
    const ast::Expr &literal = *aliases->operands[k];
    if (literal.kind != ast::ExprKind::String) {
      diags_.report(DiagId::GenredArgument, literal.range,
                    {"each Genred alias must be a string such as \"x = Vi(3)\""});
      ok = false;
      continue;
    }
    AliasSymbol alias;
    SourceRange nameRange = literal.range;
    const ast::Expr *value = parse(literal, true, &alias.name, &nameRange);
    if (!value || !readVariableDecl(*value, alias, diags_)) {
      ok = false;
      continue;
    }
    if (!alias.name.empty() && !names.insert(alias.name).second) {
      diags_.report(DiagId::Redefinition, nameRange, {alias.name});
      ok = false;
      continue;
    }
    if (alias.name.empty())
      alias.name = "arg" + std::to_string(alias.pos ? *alias.pos : static_cast<int>(k));
    alias.range = nameRange;
    alias.order = k;
    int pos = alias.pos ? *alias.pos : static_cast<int>(k);
    lowered.positions[lowered.aliases.size()] = pos;
    lowered.aliases.push_back(alias);
  }
  return ok;
}

bool ReductionLowering::lowerGenredFormulas(const ReductionCall &call, LoweredBody &lowered) {
  ExprLowering lowering(context_, sourceMap_, lowered.aliases, nullptr, diags_);
  lowered.formula = lowering.lower(*call.formula);
  if (call.weight)
    lowered.weight = lowering.lower(*call.weight);
  lowered.used = lowering.usedAliases();
  return lowered.formula && (!call.weight || lowered.weight);
}

} // namespace keopsc::sema
