// The symbol table sema builds from all files of a program: aliases, named formulas and
// reductions, with their declaration order. It resolves names; it does not lower formulas.
#pragma once

#include "frontend/Ast.h"
#include "ir/Formula.h"
#include "support/Diagnostics.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace keopsc::sema {

/// A declared variable: `alias x = Vi(3);`, `Vj(1, 3)`, `Var(0, 3, 1)`.
struct AliasSymbol {
  std::string name;
  SourceRange range;
  ir::Category cat = ir::Category::I;
  int dim = 1;
  std::optional<int> pos; ///< explicit position, if written
  size_t order = 0;       ///< declaration order across the program
};

struct Symbols {
  std::vector<AliasSymbol> aliases;
  std::map<std::string, size_t> aliasIndex;
  std::map<std::string, const ast::FormulaDecl *> formulas;
  std::map<std::string, const ast::ReductionDecl *> reductions; ///< main file only
  std::vector<const ast::ReductionDecl *> reductionOrder;
  std::vector<const ast::OptionEntry *> fileOptions; ///< main file's `options [...]`
  /// Aliases whose declaration was reported as an error: uses stay silent (no cascade).
  std::set<std::string> poisoned;
  std::string moduleName;

  const AliasSymbol *findAlias(const std::string &name) const {
    auto found = aliasIndex.find(name);
    return found == aliasIndex.end() ? nullptr : &aliases[found->second];
  }
};

/// True for names the language reserves (operations, reductions, Var/Vi/Vj/Pm, Genred, ...).
bool isReservedName(const std::string &name);

/// Reads a variable declaration such as `Vi(3)`, `Vj(0, 3)`, `Pm(2)`, `Var(1, 3, 1)` (and
/// `Vx`/`Vy` with a warning). Reports errors and returns false on failure.
bool readVariableDecl(const ast::Expr &expr, AliasSymbol &out, DiagnosticEngine &diags);

/// Collects every declaration of `program`; reports redefinitions and bad alias values.
Symbols collectSymbols(const ast::Program &program, DiagnosticEngine &diags);

} // namespace keopsc::sema
