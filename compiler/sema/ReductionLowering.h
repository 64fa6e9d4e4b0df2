// Lowers one `reduction` declaration (native call, KeOps `Name_Reduction` form or Genred) to
// an ir::Reduction: the reduction call, its formulas, its C inputs and its resolved options.
#pragma once

#include "frontend/Ast.h"
#include "ir/Module.h"
#include "sema/Options.h"
#include "sema/Symbols.h"
#include "support/Diagnostics.h"

#include <optional>
#include <set>

namespace keopsc::sema {

/// The reduction a body asks for, independent of its syntax.
struct ReductionCall {
  ir::ReductionKind kind = ir::ReductionKind::Sum;
  SourceRange kindRange;
  const ast::Expr *formula = nullptr;
  const ast::Expr *weight = nullptr;
  std::optional<int> axis;
  OptionSet options; ///< K and (Genred) keyword options given in the call itself
};

/// Formulas with placeholder variables plus the alias table they index (see ExprLowering.h).
struct LoweredBody {
  const ir::Formula *formula = nullptr;
  const ir::Formula *weight = nullptr;
  std::vector<AliasSymbol> aliases;
  std::set<size_t> used;
  std::map<size_t, SourceRange> aliasUses;               ///< first read of each alias
  std::map<const ir::Formula *, SourceRange> inlineUses; ///< first read of inline Vars
  /// Alias index → C input position.
  std::map<size_t, int> positions;
  bool fromGenred = false; ///< positions come from the Genred alias list
};

class ReductionLowering {
public:
  ReductionLowering(const Symbols &symbols, const OptionSet &fileOptions, ir::Module &module,
                    const SourceManager &sources, DiagnosticEngine &diags)
      : symbols_(symbols), fileOptions_(fileOptions), context_(*module.context),
        sourceMap_(module.sources), sources_(sources), diags_(diags), entries_(module.entryPoints) {
  }

  std::optional<ir::EntryPoint> lower(const ast::ReductionDecl &decl);

private:
  // GradientLowering.cpp: `reduction r_dx = Grad(r, x);`, `Diff(r, x)`, nested
  std::optional<ir::EntryPoint> lowerGradient(const ast::ReductionDecl &decl);
  /// The entry point of a Grad or Diff call over a reduction (named, or itself a derivative).
  std::optional<ir::EntryPoint> lowerDerivative(const ast::Expr &body);
  /// The derived reduction's own `[...]`: the base's settings unless given (SPEC.md §6).
  bool applyDerivedOptions(const ast::ReductionDecl &decl, ir::EntryPoint &out);
  /// An entry point lowered before this declaration, or null.
  const ir::EntryPoint *findEntry(const std::string &name) const;
  bool readNativeCall(const ast::Expr &body, ReductionCall &call);
  bool readInternalCall(const ast::Expr &body, ReductionCall &call); ///< Sum_Reduction(F, t)
  bool readGenredCall(const ast::Expr &body, ReductionCall &call, LoweredBody &lowered);
  bool lowerNativeBody(const ReductionCall &call, LoweredBody &lowered);
  bool lowerGenredFormulas(const ReductionCall &call, LoweredBody &lowered);
  // InputAssembly.cpp
  bool assembleInputs(const ast::ReductionDecl &decl, LoweredBody &lowered, ir::EntryPoint &out);
  bool positionsFromList(const ast::ReductionDecl &decl, LoweredBody &lowered);
  bool positionFromParam(const ast::Param &param, size_t k, LoweredBody &lowered);
  bool resolveOptions(const ast::ReductionDecl &decl, const ReductionCall &call,
                      ir::EntryPoint &out, ir::Stage &stage);
  bool checkReduction(const ReductionCall &call, const ir::Stage &stage);
  /// `f` with placeholder alias variables replaced by their input variables.
  const ir::Formula *placeInputs(const ir::Formula *f, const LoweredBody &lowered);
  /// The declaration's body as written, on one line, for comments in generated files.
  std::string quoteSource(const ast::ReductionDecl &decl) const;

  const Symbols &symbols_;
  const OptionSet &fileOptions_;
  const SourceManager &sources() const { return sources_; }

  ir::FormulaContext &context_;
  ir::SourceMap &sourceMap_;
  const SourceManager &sources_;
  DiagnosticEngine &diags_;
  std::vector<ast::ExprPtr> parsedStrings_;    ///< Genred strings, alive while lowering
  const std::vector<ir::EntryPoint> &entries_; ///< the reductions lowered so far
};

} // namespace keopsc::sema
