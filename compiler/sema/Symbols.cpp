// Builds the program-wide symbol table; see Symbols.h.
#include "sema/Symbols.h"

#include "ir/Formula.h"
#include "ir/Module.h"
#include "sema/StaticInt.h"

#include <set>

namespace keopsc::sema {
namespace {

constexpr int kMaxDim = 1 << 20;

struct Declared {
  SourceRange range;
};

class Collector {
public:
  Collector(Symbols &symbols, DiagnosticEngine &diags) : symbols_(symbols), diags_(diags) {}

  void collect(const ast::Program &program) {
    for (size_t f = 0; f < program.files.size(); ++f) {
      bool isMain = f == program.mainIndex();
      for (const ast::Decl &decl : program.files[f].decls)
        std::visit([&](const auto &d) { visit(d, isMain); }, decl);
    }
  }

private:
  bool declare(const std::string &name, SourceRange range) {
    if (isReservedName(name)) {
      diags_.report(DiagId::ReservedName, range, {name});
      return false;
    }
    auto [it, inserted] = declared_.emplace(name, Declared{range});
    if (!inserted) {
      diags_.report(DiagId::Redefinition, range, {name});
      diags_.report(DiagId::PreviousDefinition, it->second.range);
      return false;
    }
    return true;
  }

  void visit(const ast::ImportDecl &, bool) {}

  void visit(const ast::ModuleDecl &decl, bool isMain) {
    if (!isMain)
      return; // an imported file's module name does not rename the library
    symbols_.moduleName = decl.name;
  }

  void visit(const ast::AliasDecl &decl, bool) {
    if (!declare(decl.name, decl.nameRange))
      return;
    AliasSymbol alias;
    alias.name = decl.name;
    alias.range = decl.nameRange;
    alias.order = symbols_.aliases.size();
    if (!readVariableDecl(*decl.value, alias, diags_)) {
      symbols_.poisoned.insert(decl.name);
      return;
    }
    symbols_.aliasIndex[decl.name] = symbols_.aliases.size();
    symbols_.aliases.push_back(alias);
  }

  void visit(const ast::FormulaDecl &decl, bool) {
    if (!declare(decl.name, decl.nameRange))
      return;
    if (decl.params) {
      std::set<std::string> seen;
      for (const ast::Param &p : *decl.params) {
        if (!seen.insert(p.name).second)
          diags_.report(DiagId::DuplicateParam, p.range, {p.name});
        else if (isReservedName(p.name))
          diags_.report(DiagId::ReservedName, p.range, {p.name});
      }
    }
    symbols_.formulas[decl.name] = &decl;
  }

  void visit(const ast::ReductionDecl &decl, bool isMain) {
    if (!declare(decl.name, decl.nameRange) || !isMain)
      return; // imported files contribute aliases and formulas, not entry points
    symbols_.reductions[decl.name] = &decl;
    symbols_.reductionOrder.push_back(&decl);
  }

  void visit(const ast::OptionsDecl &decl, bool isMain) {
    if (!isMain)
      return; // options of imported files do not leak (SPEC.md §5.1)
    for (const ast::OptionEntry &entry : decl.options)
      symbols_.fileOptions.push_back(&entry);
  }

  Symbols &symbols_;
  DiagnosticEngine &diags_;
  std::map<std::string, Declared> declared_;
};

bool readPositiveDim(const ast::Expr &expr, int &dim, DiagnosticEngine &diags) {
  auto value = evalStaticInt(expr, "a dimension", diags);
  if (!value)
    return false;
  if (*value < 1 || *value > kMaxDim) {
    diags.report(DiagId::BadDimension, expr.range,
                 {"dimension must be between 1 and 2^20, got " + std::to_string(*value)});
    return false;
  }
  dim = static_cast<int>(*value);
  return true;
}

bool readPosition(const ast::Expr &expr, std::optional<int> &pos, DiagnosticEngine &diags) {
  auto value = evalStaticInt(expr, "a position", diags);
  if (!value)
    return false;
  // Positions stop at 1023: C functions with more parameters are impractical (SPEC.md sets
  // no limit, so we pick one).
  if (*value < 0 || *value >= 1024) {
    diags.report(DiagId::BadVariable, expr.range,
                 {"variable position must be between 0 and 1023, got " + std::to_string(*value)});
    return false;
  }
  pos = static_cast<int>(*value);
  return true;
}

} // namespace

bool isReservedName(const std::string &name) {
  static const std::set<std::string> extra = {"Var",       "Vi",      "Vj",     "Pm",    "Vx",
                                              "Vy",        "Genred",  "module", "alias", "formula",
                                              "reduction", "options", "import"};
  ir::OpKind op;
  ir::ReductionKind red;
  return extra.count(name) || ir::lookupOp(name, op) || ir::lookupReduction(name, red);
}

bool readVariableDecl(const ast::Expr &expr, AliasSymbol &out, DiagnosticEngine &diags) {
  if (expr.kind != ast::ExprKind::Call || !expr.keywords.empty()) {
    diags.report(DiagId::BadVariable, expr.range,
                 {"expected a variable such as Vi(3), Vj(3), Pm(1) or Var(pos, dim, cat)"});
    return false;
  }
  const std::string &callee = expr.text;
  size_t n = expr.operands.size();
  if (callee == "Var") {
    if (n != 3) {
      diags.report(DiagId::WrongArgCount, expr.range, {"Var", "3", std::to_string(n)});
      return false;
    }
    auto cat = evalStaticInt(*expr.operands[2], "a category", diags);
    if (!cat)
      return false;
    if (*cat < 0 || *cat > 2) {
      diags.report(
          DiagId::BadVariable, expr.operands[2]->range,
          {"variable category must be 0 (i), 1 (j) or 2 (parameter), got " + std::to_string(*cat)});
      return false;
    }
    out.cat = static_cast<ir::Category>(*cat);
    return readPosition(*expr.operands[0], out.pos, diags) &&
           readPositiveDim(*expr.operands[1], out.dim, diags);
  }
  if (callee == "Vi" || callee == "Vj" || callee == "Pm" || callee == "Vx" || callee == "Vy") {
    if (n != 1 && n != 2) {
      diags.report(DiagId::WrongArgCount, expr.range, {callee, "1 or 2", std::to_string(n)});
      return false;
    }
    if (callee == "Vx" || callee == "Vy")
      diags.report(DiagId::OldVariableSpelling, expr.opRange,
                   {callee, callee == "Vx" ? "Vi" : "Vj"});
    out.cat = (callee == "Vi" || callee == "Vx")   ? ir::Category::I
              : (callee == "Vj" || callee == "Vy") ? ir::Category::J
                                                   : ir::Category::Param;
    if (n == 2 && !readPosition(*expr.operands[0], out.pos, diags))
      return false;
    return readPositiveDim(*expr.operands[n - 1], out.dim, diags);
  }
  diags.report(DiagId::BadVariable, expr.range,
               {"expected a variable such as Vi(3), Vj(3), Pm(1) or Var(pos, dim, cat), got '" +
                callee + "(...)'"});
  return false;
}

Symbols collectSymbols(const ast::Program &program, DiagnosticEngine &diags) {
  Symbols symbols;
  Collector(symbols, diags).collect(program);
  return symbols;
}

} // namespace keopsc::sema
