// Lowers one AST expression to formula IR: resolves names (formula parameters, aliases, named
// formulas), inlines named formulas, checks arities and dimensions. It does not decide input
// positions: aliases become placeholder variables that ReductionLowering renumbers.
#pragma once

#include "frontend/Ast.h"
#include "ir/Formula.h"
#include "ir/Module.h"
#include "sema/Symbols.h"
#include "support/Diagnostics.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace keopsc::sema {

/// Aliases are lowered to Var(kPlaceholderBase + alias index, dim, cat) until positions are known.
constexpr int kPlaceholderBase = 1 << 24;

class ExprLowering {
public:
  /// `aliases` is the table placeholders index into; `symbols` gives named formulas and
  /// reductions (nullptr inside Genred strings, which see only their own aliases).
  /// Every node built is recorded in `sources` with the range that wrote it (first wins).
  ExprLowering(ir::FormulaContext &context, ir::SourceMap &sources,
               const std::vector<AliasSymbol> &aliases, const Symbols *symbols,
               DiagnosticEngine &diags);

  /// Returns nullptr after reporting an error.
  const ir::Formula *lower(const ast::Expr &expr);

  /// Indices into `aliases` of the aliases read so far.
  const std::set<size_t> &usedAliases() const { return usedAliases_; }
  /// Where each alias (by index) and each inline variable node was first read.
  const std::map<size_t, SourceRange> &aliasUses() const { return firstUse_; }
  const std::map<const ir::Formula *, SourceRange> &inlineUses() const { return inlineUses_; }

private:
  using Scope = std::map<std::string, const ir::Formula *>;

  const ir::Formula *lowerExpr(const ast::Expr &expr);
  const ir::Formula *lowerFloat(const ast::Expr &expr, bool negate);
  const ir::Formula *lowerName(const ast::Expr &expr);
  const ir::Formula *lowerUnary(const ast::Expr &expr);
  const ir::Formula *lowerBinary(const ast::Expr &expr);
  const ir::Formula *lowerPower(const ast::Expr &expr);
  const ir::Formula *lowerCall(const ast::Expr &expr);
  const ir::Formula *lowerInlineVariable(const ast::Expr &expr);
  const ir::Formula *lowerOpCall(ir::OpKind kind, const ast::Expr &expr);
  /// TensorDot and Kron: operands, then integer lists (SPEC.md §2), encoded by ir/ListArgs.h.
  const ir::Formula *lowerListOpCall(ir::OpKind kind, const ast::Expr &expr);
  const ir::Formula *inlineFormula(const ast::FormulaDecl &decl, const ast::Expr &use,
                                   std::vector<const ir::Formula *> args);
  const ir::Formula *aliasVar(size_t index, SourceRange use);
  // ConstantLowering.cpp
  const ir::Formula *lowerIntegerArithmetic(const ast::Expr &expr);
  /// True for expressions made only of integer literals and unary/binary + - *.
  static bool isIntegerArithmetic(const ast::Expr &expr, int depth = 0);
  /// Builds `kind(children, ints)`, reporting the IR's dimension error if any; `where` and
  /// `spelling` name the operation in messages.
  const ir::Formula *make(ir::OpKind kind, std::vector<const ir::Formula *> children,
                          std::vector<int64_t> ints, const ast::Expr &where,
                          const std::string &spelling, SourceRange at);
  /// The constant a spelling (IntCst, RatCst, IntInv, Zero) names, or nullptr after an error.
  const ir::Formula *makeConstant(ir::OpKind kind, const std::vector<int64_t> &ints,
                                  SourceRange at);
  const ir::Formula *record(const ir::Formula *node, SourceRange range);

  ir::FormulaContext &context_;
  ir::SourceMap &sources_;
  const std::vector<AliasSymbol> &aliases_;
  const Symbols *symbols_;
  DiagnosticEngine &diags_;
  std::vector<Scope> scopes_;
  std::vector<std::string> inlining_; ///< named formulas being inlined (recursion check)
  std::set<size_t> usedAliases_;
  std::map<size_t, SourceRange> firstUse_;
  std::map<const ir::Formula *, SourceRange> inlineUses_;
  /// Named formulas already inlined, by declaration and argument nodes: lowering is a pure
  /// function of both, so `f(u) * f(u) + f(u)` nested n deep costs n lowerings, not 3^n.
  std::map<std::pair<const ast::FormulaDecl *, std::vector<const ir::Formula *>>,
           const ir::Formula *>
      inlined_;
  int depth_ = 0;
};

} // namespace keopsc::sema
