// The textual form of the AST for --emit=ast and tests (ast::dump, ast::spelling).
// Expressions print as one-line S-expressions; the layout is stable on purpose (lit checks it).
#include "frontend/Ast.h"

#include <cstdio>
#include <string_view>

namespace keopsc::ast {

const char *spelling(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add:
    return "+";
  case BinaryOp::Sub:
    return "-";
  case BinaryOp::Mul:
    return "*";
  case BinaryOp::Div:
    return "/";
  case BinaryOp::Pow:
    return "**";
  case BinaryOp::Pipe:
    return "|";
  case BinaryOp::Lt:
    return "<";
  case BinaryOp::Le:
    return "<=";
  case BinaryOp::Gt:
    return ">";
  case BinaryOp::Ge:
    return ">=";
  case BinaryOp::Eq:
    return "==";
  case BinaryOp::Ne:
    return "!=";
  }
  return "?";
}

namespace {

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02X", byte);
      out += buffer;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

/// Prints with an explicit stack rather than recursion, so that no AST, however deep it was
/// made (by a test, by sema), can overflow the stack here.
class ExprPrinter {
public:
  explicit ExprPrinter(std::string &out) : out_(out) {}

  void print(const Expr *root) {
    work_.push_back({root, {}});
    while (!work_.empty()) {
      Item item = work_.back();
      work_.pop_back();
      if (item.expr)
        expand(*item.expr);
      else
        out_ += item.text;
    }
  }

private:
  struct Item {
    const Expr *expr; ///< an expression to print, or null: then `text`
    std::string_view text;
  };

  void expand(const Expr &expr) {
    switch (expr.kind) {
    case ExprKind::Integer:
    case ExprKind::Float:
    case ExprKind::Name:
      out_ += expr.text;
      return;
    case ExprKind::String:
      out_ += quote(expr.text);
      return;
    case ExprKind::Call:
      out_ += "(";
      out_ += expr.text;
      pushChildren(expr, ")", /*leadingSpace=*/true);
      return;
    case ExprKind::Unary:
      out_ += expr.unaryOp == UnaryOp::Minus ? "(-" : "(+";
      pushChildren(expr, ")", true);
      return;
    case ExprKind::Binary:
      out_ += "(";
      out_ += spelling(expr.binaryOp);
      pushChildren(expr, ")", true);
      return;
    case ExprKind::List:
      out_ += "[";
      pushChildren(expr, "]", false);
      return;
    }
    out_ += "<bad expr>";
  }

  /// Schedules " a b key=c" and the closer; pushed in reverse since the stack pops last first.
  void pushChildren(const Expr &expr, std::string_view closer, bool leadingSpace) {
    work_.push_back({nullptr, closer});
    for (size_t i = expr.keywords.size(); i-- > 0;) {
      const KeywordArg &keyword = expr.keywords[i];
      pushExpr(keyword.value.get());
      work_.push_back({nullptr, "="});
      work_.push_back({nullptr, keyword.name});
      work_.push_back({nullptr, " "});
    }
    for (size_t i = expr.operands.size(); i-- > 0;) {
      pushExpr(expr.operands[i].get());
      if (i > 0 || leadingSpace)
        work_.push_back({nullptr, " "});
    }
  }

  void pushExpr(const Expr *expr) {
    if (expr)
      work_.push_back({expr, {}});
    else
      work_.push_back({nullptr, "<null>"});
  }

  std::string &out_;
  std::vector<Item> work_;
};

std::string exprText(const Expr *expr) {
  if (!expr)
    return "<null>";
  std::string out;
  ExprPrinter(out).print(expr);
  return out;
}

std::string at(const SourceRange &range) {
  return "@" + std::to_string(range.begin.line) + ":" + std::to_string(range.begin.col);
}

std::string params(const std::optional<std::vector<Param>> &list) {
  if (!list)
    return "";
  std::string out = "(";
  for (size_t i = 0; i < list->size(); ++i)
    out += (i ? ", " : "") + (*list)[i].name;
  return out + ")";
}

std::string options(const std::vector<OptionEntry> &entries) {
  std::string out = "[";
  for (size_t i = 0; i < entries.size(); ++i)
    out += (i ? ", " : "") + entries[i].key + "=" + exprText(entries[i].value.get());
  return out + "]";
}

struct DeclPrinter {
  std::string operator()(const ImportDecl &d) const {
    return "import " + quote(d.path) + " " + at(d.range);
  }
  std::string operator()(const ModuleDecl &d) const {
    return "module " + d.name + " " + at(d.range);
  }
  std::string operator()(const AliasDecl &d) const {
    return "alias " + d.name + " " + at(d.nameRange) + " = " + exprText(d.value.get());
  }
  std::string operator()(const FormulaDecl &d) const {
    return "formula " + d.name + params(d.params) + " " + at(d.nameRange) + " = " +
           exprText(d.body.get());
  }
  std::string operator()(const ReductionDecl &d) const {
    std::string out = "reduction " + d.name + params(d.params) + " " + at(d.nameRange) + " = " +
                      exprText(d.body.get());
    if (!d.options.empty())
      out += " " + options(d.options);
    return out;
  }
  std::string operator()(const OptionsDecl &d) const {
    return "options " + at(d.range) + " " + options(d.options);
  }
};

} // namespace

std::string dump(const Program &program) {
  std::string out;
  for (const File &file : program.files) {
    out += "file " + quote(file.path) + "\n";
    for (const Decl &decl : file.decls)
      out += "  " + std::visit(DeclPrinter{}, decl) + "\n";
  }
  return out;
}

std::string dump(const Expr &expr) { return exprText(&expr); }

} // namespace keopsc::ast
