// Sema's public face: AST in, reduction IR out. All user-input checks after parsing happen in
// sema (names, dimensions, options); later stages may assume a valid module.
#pragma once

#include "frontend/Ast.h"
#include "ir/Module.h"
#include "support/Diagnostics.h"

#include <optional>
#include <string>

namespace keopsc::sema {

/// Resolves names, inlines formulas, infers and checks dimensions and options, and lowers every
/// reduction of the main file into an `ir::EntryPoint`. `moduleName` is the default module name
/// (a `module` declaration overrides it). Returns nullopt after reporting errors.
std::optional<ir::Module> analyze(const ast::Program &program, const std::string &moduleName,
                                  const SourceManager &sources, DiagnosticEngine &diags);

/// `name` with every character that may not appear in a C identifier replaced by '_'.
std::string identifierFrom(std::string name);

} // namespace keopsc::sema
