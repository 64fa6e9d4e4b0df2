// Evaluates static integer arguments (`Elem(x, 1)`, `Pow(x, -2)`, `K = 5`, `Vi(0, 3)`) exactly,
// with 64-bit overflow checks. It does not lower formulas.
#pragma once

#include "frontend/Ast.h"
#include "support/Diagnostics.h"

#include <optional>
#include <string>
#include <vector>

namespace keopsc::sema {

/// The integer value of `expr` if it is an integer constant expression (literals, unary +/-,
/// + - * of integer constants). Reports `ExpectedInteger` (naming `what`) or overflow otherwise.
std::optional<int64_t> evalStaticInt(const ast::Expr &expr, const std::string &what,
                                     DiagnosticEngine &diags);

/// The integers of a list argument (`[4, 7]`, `(4, 7)`, `(4,)`, `[]`), each an integer constant
/// expression. Reports `ExpectedIntegerList` (naming `what`) if `expr` is not a list.
std::optional<std::vector<int64_t>>
evalStaticIntList(const ast::Expr &expr, const std::string &what, DiagnosticEngine &diags);

/// Like evalStaticInt but silent: nullopt if `expr` is not an integer constant.
std::optional<int64_t> tryStaticInt(const ast::Expr &expr);

} // namespace keopsc::sema
