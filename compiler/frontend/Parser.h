// The frontend's public face: .kfl text in, AST out (plus syntax and import diagnostics).
// ANTLR is an implementation detail behind this header; nothing here names an ANTLR type.
#pragma once

#include "frontend/Ast.h"
#include "support/Diagnostics.h"

#include <optional>
#include <string>
#include <vector>

namespace keopsc::frontend {

/// Parses one registered buffer (no import resolution). Syntax errors are reported through
/// `diags` (several per file where the parser can recover); returns nullopt if any occurred.
std::optional<ast::File> parseFile(uint32_t bufferId, const SourceManager &sources,
                                   DiagnosticEngine &diags);

/// Reads `path`, parses it and, recursively, every `import "..."` it contains. An import is
/// looked up relative to the importing file's directory first, then in `includeDirs` in order.
/// Each file is loaded once; cycles are errors. Returns nullopt after reporting any error.
std::optional<ast::Program> loadProgram(const std::string &path,
                                        const std::vector<std::string> &includeDirs,
                                        SourceManager &sources, DiagnosticEngine &diags);

/// Parses the contents of a string literal (a Genred formula string, "x = Vi(3)" alias string)
/// with the same expression rules as .kfl bodies. Locations point into the .kfl file where the
/// string's characters map 1:1 to columns, else to the string literal itself.
/// `allowAliasForm`: accept an optional leading `name =` (alias strings); the name is returned
/// in `aliasName` (empty if absent). Returns nullptr after reporting an error.
ast::ExprPtr parseExprString(const ast::Expr &stringLiteral, bool allowAliasForm,
                             std::string *aliasName, SourceRange *aliasNameRange,
                             const SourceManager &sources, DiagnosticEngine &diags);

} // namespace keopsc::frontend
