// Parse tree → AST for the entry rules and declarations (import, module, alias, formula,
// reduction, options); expressions are built in AstBuilder.cpp.
#include "frontend/AstBuilder.h"

namespace keopsc::frontend {

using kfl::KFLParser;

std::vector<ast::Decl> AstBuilder::buildFile(KFLParser::FileContext &ctx) {
  std::vector<ast::Decl> decls;
  for (auto *decl : ctx.decl())
    if (auto built = buildDecl(*decl))
      decls.push_back(std::move(*built));
  return decls;
}

ast::ExprPtr AstBuilder::buildFormulaString(KFLParser::FormulaStringContext &ctx) {
  return buildExpr(*ctx.expr());
}

ast::ExprPtr AstBuilder::buildAliasString(KFLParser::AliasStringContext &ctx,
                                          std::string *aliasName, SourceRange *aliasNameRange) {
  if (auto *name = ctx.ident()) {
    if (aliasName)
      *aliasName = identText(*name);
    if (aliasNameRange)
      *aliasNameRange = rangeOf(*name);
  }
  return buildExpr(*ctx.expr());
}

std::optional<ast::Decl> AstBuilder::buildDecl(KFLParser::DeclContext &ctx) {
  if (auto *import = ctx.importDecl())
    return buildImport(*import);
  if (auto *module = ctx.moduleDecl())
    return buildModule(*module);
  if (auto *alias = ctx.aliasDecl())
    return buildAlias(*alias);
  if (auto *formula = ctx.formulaDecl())
    return buildFormula(*formula);
  if (auto *reduction = ctx.reductionDecl())
    return buildReduction(*reduction);
  if (auto *options = ctx.optionsDecl())
    return buildOptions(*options);
  return std::nullopt;
}

ast::ImportDecl AstBuilder::buildImport(KFLParser::ImportDeclContext &ctx) {
  ast::ImportDecl decl;
  // The path literal, not the keyword: import diagnostics underline the path.
  decl.range = rangeOf(ctx.STRING()->getSymbol());
  if (ast::ExprPtr path = buildString(ctx.STRING()->getSymbol()))
    decl.path = path->text;
  return decl;
}

ast::ModuleDecl AstBuilder::buildModule(KFLParser::ModuleDeclContext &ctx) {
  return {identText(*ctx.ident()), rangeOf(*ctx.ident())};
}

ast::AliasDecl AstBuilder::buildAlias(KFLParser::AliasDeclContext &ctx) {
  ast::AliasDecl decl;
  decl.name = identText(*ctx.ident());
  decl.nameRange = rangeOf(*ctx.ident());
  decl.value = buildExpr(*ctx.expr());
  return decl;
}

ast::FormulaDecl AstBuilder::buildFormula(KFLParser::FormulaDeclContext &ctx) {
  ast::FormulaDecl decl;
  decl.name = identText(*ctx.ident());
  decl.nameRange = rangeOf(*ctx.ident());
  if (auto *params = ctx.paramList())
    decl.params = buildParams(*params);
  decl.body = buildExpr(*ctx.expr());
  return decl;
}

ast::ReductionDecl AstBuilder::buildReduction(KFLParser::ReductionDeclContext &ctx) {
  ast::ReductionDecl decl;
  decl.name = identText(*ctx.ident());
  decl.nameRange = rangeOf(*ctx.ident());
  if (auto *params = ctx.paramList())
    decl.params = buildParams(*params);
  decl.body = buildExpr(*ctx.expr());
  if (auto *options = ctx.optionList())
    decl.options = buildOptionList(*options);
  return decl;
}

ast::OptionsDecl AstBuilder::buildOptions(KFLParser::OptionsDeclContext &ctx) {
  ast::OptionsDecl decl;
  decl.options = buildOptionList(*ctx.optionList());
  decl.range = rangeOf(ctx);
  return decl;
}

std::vector<ast::Param> AstBuilder::buildParams(KFLParser::ParamListContext &ctx) {
  std::vector<ast::Param> params;
  for (auto *ident : ctx.ident())
    params.push_back({identText(*ident), rangeOf(*ident)});
  return params;
}

std::vector<ast::OptionEntry> AstBuilder::buildOptionList(KFLParser::OptionListContext &ctx) {
  std::vector<ast::OptionEntry> entries;
  for (auto *option : ctx.option())
    entries.push_back(
        {identText(*option->ident()), rangeOf(*option->ident()), buildExpr(*option->expr())});
  return entries;
}

} // namespace keopsc::frontend
