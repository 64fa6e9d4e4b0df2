// Builds the keopsc AST from an ANTLR parse tree that parsed without syntax errors: one method
// per grammar rule. It reports what the grammar accepts but KFL does not (rejected operators,
// chained comparisons, bad escapes, too-deep nesting); it does not resolve names (sema does).
#pragma once

#include "frontend/Ast.h"
#include "frontend/SyntaxErrorListener.h"
#include "kfl/KFLParser.h"
#include "support/Diagnostics.h"

#include <string>
#include <string_view>
#include <unordered_map>

namespace keopsc::frontend {

/// ASTs deeper than this are rejected, so that every later stage may recurse over expressions
/// (and destroy them) without running out of stack.
constexpr unsigned kMaxExprDepth = 1000;

/// The hint of RejectedOperator for a rejected operator token: the function form that does what
/// the user probably meant.
const char *rejectedOperatorHint(size_t tokenType);

class AstBuilder {
public:
  /// `text` is the input the tokens index into; `locator` maps them into the source.
  AstBuilder(std::string_view text, const TokenLocator &locator, DiagnosticEngine &diags)
      : text_(text), locator_(locator), diags_(diags) {}

  /// Declarations in order; check failed() afterwards.
  std::vector<ast::Decl> buildFile(kfl::KFLParser::FileContext &ctx);
  ast::ExprPtr buildFormulaString(kfl::KFLParser::FormulaStringContext &ctx);
  ast::ExprPtr buildAliasString(kfl::KFLParser::AliasStringContext &ctx, std::string *aliasName,
                                SourceRange *aliasNameRange);

  /// True once any error was reported; the result must then be discarded.
  bool failed() const { return failed_; }

private:
  // Declarations.
  std::optional<ast::Decl> buildDecl(kfl::KFLParser::DeclContext &ctx);
  ast::ImportDecl buildImport(kfl::KFLParser::ImportDeclContext &ctx);
  ast::ModuleDecl buildModule(kfl::KFLParser::ModuleDeclContext &ctx);
  ast::AliasDecl buildAlias(kfl::KFLParser::AliasDeclContext &ctx);
  ast::FormulaDecl buildFormula(kfl::KFLParser::FormulaDeclContext &ctx);
  ast::ReductionDecl buildReduction(kfl::KFLParser::ReductionDeclContext &ctx);
  ast::OptionsDecl buildOptions(kfl::KFLParser::OptionsDeclContext &ctx);
  std::vector<ast::Param> buildParams(kfl::KFLParser::ParamListContext &ctx);
  std::vector<ast::OptionEntry> buildOptionList(kfl::KFLParser::OptionListContext &ctx);

  // Expressions, lowest precedence first. Each returns nullptr after reporting an error.
  ast::ExprPtr buildExpr(kfl::KFLParser::ExprContext &ctx);
  ast::ExprPtr buildComparison(kfl::KFLParser::ComparisonContext &ctx);
  ast::ExprPtr buildPipe(kfl::KFLParser::PipeContext &ctx);
  ast::ExprPtr buildBitwise(kfl::KFLParser::BitwiseContext &ctx);
  ast::ExprPtr buildArith(kfl::KFLParser::ArithContext &ctx);
  ast::ExprPtr buildTerm(kfl::KFLParser::TermContext &ctx);
  ast::ExprPtr buildFactor(kfl::KFLParser::FactorContext &ctx);
  ast::ExprPtr buildPower(kfl::KFLParser::PowerContext &ctx);
  ast::ExprPtr buildAtom(kfl::KFLParser::AtomContext &ctx);
  ast::ExprPtr buildCall(kfl::KFLParser::CallAtomContext &ctx);
  ast::ExprPtr buildParen(kfl::KFLParser::ParenAtomContext &ctx);
  ast::ExprPtr buildList(kfl::KFLParser::ListAtomContext &ctx);
  ast::ExprPtr buildString(antlr4::Token *token);
  ast::ExprPtr buildLeaf(ast::ExprKind kind, antlr4::Token *token);

  // Helpers.
  /// Folds `operands[0] ops[0] operands[1] ...` to the left, rejecting operators KFL lacks.
  template <class Operand, class Build>
  ast::ExprPtr foldLeft(const std::vector<Operand *> &operands,
                        const std::vector<antlr4::Token *> &ops, Build build);
  /// Applies prefix operators right to left: `- - x` is Minus(Minus(x)).
  ast::ExprPtr applyUnary(const std::vector<kfl::KFLParser::UnaryOpContext *> &ops,
                          ast::ExprPtr operand, antlr4::Token *last);
  ast::ExprPtr makeBinary(ast::BinaryOp op, antlr4::Token *opToken, ast::ExprPtr lhs,
                          ast::ExprPtr rhs, SourceRange range);
  /// Records the depth of a finished node; rejects it (nullptr) beyond kMaxExprDepth.
  ast::ExprPtr seal(ast::ExprPtr expr);
  void rejectOperator(antlr4::Token *token);
  std::string text(const antlr4::Token *token) const;
  std::string identText(kfl::KFLParser::IdentContext &ctx) const { return text(ctx.getStart()); }
  SourceRange rangeOf(const antlr4::Token *token) const { return locator_.range(token); }
  SourceRange rangeOf(antlr4::ParserRuleContext &ctx) const { return locator_.range(ctx); }
  SourceRange rangeOf(const antlr4::Token *first, const antlr4::Token *last) const {
    return locator_.range(first, last);
  }
  void error(DiagId id, SourceRange range, const std::vector<std::string> &args);

  std::string_view text_;
  TokenLocator locator_;
  DiagnosticEngine &diags_;
  bool failed_ = false;
  bool reportedDepth_ = false;
  std::unordered_map<const ast::Expr *, unsigned> depth_;
};

} // namespace keopsc::frontend
