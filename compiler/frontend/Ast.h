// The KFL abstract syntax tree: what the user wrote, with source locations, and nothing
// resolved. Built by the frontend from the ANTLR parse tree; read by sema. No ANTLR types here.
#pragma once

#include "support/SourceManager.h"

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace keopsc::ast {

enum class ExprKind {
  Integer, ///< decimal integer literal; `text` holds its digits
  Float,   ///< float literal (0.5, .5, 2., 1e-3); `text` holds it as written
  Name,    ///< identifier; `text`
  String,  ///< string literal; `text` holds the unescaped contents
  Call,    ///< `text(operands..., keywords...)`
  Unary,   ///< `unaryOp operands[0]`
  Binary,  ///< `operands[0] binaryOp operands[1]`
  List,    ///< `[a, b, ...]` or a parenthesised tuple `(a, b)`; elements in `operands`
};

enum class UnaryOp { Minus, Plus };
enum class BinaryOp { Add, Sub, Mul, Div, Pow, Pipe, Lt, Le, Gt, Ge, Eq, Ne };

/// Spelling of a binary operator as the user wrote it ("+", "**", "|", "<=", ...).
const char *spelling(BinaryOp op);

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct KeywordArg {
  std::string name;
  SourceRange nameRange;
  ExprPtr value;
};

/// One node type for all expressions keeps the builder and sema small; `kind` says which
/// fields are meaningful.
struct Expr {
  ExprKind kind = ExprKind::Integer;
  SourceRange range;   ///< the whole expression
  SourceRange opRange; ///< the operator token, or the callee name of a Call
  std::string text;
  UnaryOp unaryOp = UnaryOp::Minus;
  BinaryOp binaryOp = BinaryOp::Add;
  std::vector<ExprPtr> operands;
  std::vector<KeywordArg> keywords; ///< Call only
  /// String only: where the contents start, when every character maps 1:1 to a source column
  /// (no escapes, one line). Formula strings are parsed with locations relative to it.
  std::optional<SourceLoc> contentStart;
};

struct Param {
  std::string name;
  SourceRange range;
};

struct OptionEntry {
  std::string key;
  SourceRange keyRange;
  ExprPtr value;
};

struct ImportDecl {
  std::string path;
  SourceRange range;
};

struct ModuleDecl {
  std::string name;
  SourceRange range;
};

struct AliasDecl {
  std::string name;
  SourceRange nameRange;
  ExprPtr value; ///< Vi(3), Vj(0, 3), Pm(1), Var(0, 3, 1)
};

struct FormulaDecl {
  std::string name;
  SourceRange nameRange;
  std::optional<std::vector<Param>> params; ///< absent: `formula f = ...`
  ExprPtr body;
};

struct ReductionDecl {
  std::string name;
  SourceRange nameRange;
  std::optional<std::vector<Param>> params; ///< absent: declaration order of used aliases
  ExprPtr body;                             ///< Sum(...), Genred(...), Grad(r, x), ...
  std::vector<OptionEntry> options;         ///< the trailing `[...]`
};

struct OptionsDecl {
  std::vector<OptionEntry> options;
  SourceRange range;
};

using Decl =
    std::variant<ImportDecl, ModuleDecl, AliasDecl, FormulaDecl, ReductionDecl, OptionsDecl>;

/// One parsed .kfl file.
struct File {
  uint32_t bufferId = 0;
  std::string path; ///< as opened (for import cycles and messages)
  std::vector<Decl> decls;
};

/// The main file and everything it imports, imports first (each file once).
struct Program {
  std::vector<File> files; ///< dependencies before dependents; main file last
  size_t mainIndex() const { return files.size() - 1; }
};

/// Prints the AST in a stable, readable form (for --emit=ast and lit tests).
std::string dump(const Program &program);
std::string dump(const Expr &expr);

} // namespace keopsc::ast
