// AST expression → formula IR, with name resolution and inlining; see ExprLowering.h.
#include "sema/ExprLowering.h"

#include "ir/ListArgs.h"
#include "ir/Module.h"
#include "sema/StaticInt.h"
#include "support/Assert.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace keopsc::sema {
namespace {

constexpr int kMaxDepth = 400;

bool isVariableCallee(const std::string &name) {
  return name == "Var" || name == "Vi" || name == "Vj" || name == "Pm" || name == "Vx" ||
         name == "Vy";
}

std::string describe(const ast::Expr &expr) {
  switch (expr.kind) {
  case ast::ExprKind::String:
    return "a string";
  case ast::ExprKind::List:
    return "a list";
  default:
    return "this expression";
  }
}

/// Depth guard: formulas nest deeply only in generated or hostile input.
struct DepthGuard {
  explicit DepthGuard(int &depth) : depth_(depth) { ++depth_; }
  ~DepthGuard() { --depth_; }
  int &depth_;
};

/// The operation a binary operator spells (SPEC.md §2); `>` and `>=` swap their operands.
/// `**` is handled by lowerPower and never reaches here.
std::pair<ir::OpKind, bool> meaningOf(ast::BinaryOp op) {
  using ast::BinaryOp;
  switch (op) {
  case BinaryOp::Add:
    return {ir::OpKind::Add, false};
  case BinaryOp::Sub:
    return {ir::OpKind::Subtract, false};
  case BinaryOp::Mul:
    return {ir::OpKind::Mult, false};
  case BinaryOp::Div:
    return {ir::OpKind::Divide, false};
  case BinaryOp::Pipe:
    return {ir::OpKind::Scalprod, false};
  case BinaryOp::Lt:
    return {ir::OpKind::LessThan, false};
  case BinaryOp::Le:
    return {ir::OpKind::LessOrEqual, false};
  case BinaryOp::Gt:
    return {ir::OpKind::LessThan, true};
  case BinaryOp::Ge:
    return {ir::OpKind::LessOrEqual, true};
  case BinaryOp::Eq:
    return {ir::OpKind::Equal, false};
  case BinaryOp::Ne:
    return {ir::OpKind::NotEqual, false};
  case BinaryOp::Pow:
    break;
  }
  KEOPSC_UNREACHABLE("'**' is lowered by lowerPower");
}

} // namespace

ExprLowering::ExprLowering(ir::FormulaContext &context, ir::SourceMap &sources,
                           const std::vector<AliasSymbol> &aliases, const Symbols *symbols,
                           DiagnosticEngine &diags)
    : context_(context), sources_(sources), aliases_(aliases), symbols_(symbols), diags_(diags) {}

const ir::Formula *ExprLowering::record(const ir::Formula *node, SourceRange range) {
  if (node)
    sources_.emplace(node, range);
  return node;
}

const ir::Formula *ExprLowering::lower(const ast::Expr &expr) {
  scopes_.assign(1, Scope{});
  return lowerExpr(expr);
}

const ir::Formula *ExprLowering::lowerExpr(const ast::Expr &expr) {
  DepthGuard guard(depth_);
  if (depth_ > kMaxDepth) {
    diags_.report(DiagId::BadDimension, expr.range, {"formula nests too deeply"});
    return nullptr;
  }
  switch (expr.kind) {
  case ast::ExprKind::Integer:
    return lowerIntegerArithmetic(expr);
  case ast::ExprKind::Float:
    return lowerFloat(expr, false);
  case ast::ExprKind::Name:
    return lowerName(expr);
  case ast::ExprKind::Unary:
    return lowerUnary(expr);
  case ast::ExprKind::Binary:
    return lowerBinary(expr);
  case ast::ExprKind::Call:
    return lowerCall(expr);
  case ast::ExprKind::String:
  case ast::ExprKind::List:
    diags_.report(DiagId::ExpectedFormula, expr.range, {describe(expr)});
    return nullptr;
  }
  return nullptr;
}

const ir::Formula *ExprLowering::aliasVar(size_t index, SourceRange use) {
  usedAliases_.insert(index);
  firstUse_.emplace(index, use);
  const AliasSymbol &alias = aliases_[index];
  return record(context_.var(kPlaceholderBase + static_cast<int>(index), alias.dim, alias.cat),
                use);
}

const ir::Formula *ExprLowering::lowerName(const ast::Expr &expr) {
  const std::string &name = expr.text;
  if (auto found = scopes_.back().find(name); found != scopes_.back().end())
    return found->second;
  for (size_t k = 0; k < aliases_.size(); ++k)
    if (aliases_[k].name == name)
      return aliasVar(k, expr.range);
  if (symbols_ && symbols_->poisoned.count(name))
    return nullptr; // its declaration was already reported
  if (symbols_) {
    if (auto f = symbols_->formulas.find(name); f != symbols_->formulas.end()) {
      if (f->second->params && !f->second->params->empty()) {
        diags_.report(DiagId::WrongArgCount, expr.range,
                      {name, std::to_string(f->second->params->size()), "0"});
        return nullptr;
      }
      return inlineFormula(*f->second, expr, {});
    }
    if (symbols_->reductions.count(name)) {
      diags_.report(DiagId::ReductionInFormula, expr.range, {name});
      return nullptr;
    }
  }
  ir::OpKind op;
  if (ir::lookupOp(name, op)) {
    diags_.report(DiagId::ExpectedFormula, expr.range,
                  {"the operation name '" + name + "' without arguments"});
    return nullptr;
  }
  diags_.report(DiagId::UnknownName, expr.range, {name});
  return nullptr;
}

const ir::Formula *ExprLowering::lowerUnary(const ast::Expr &expr) {
  const ast::Expr &operand = *expr.operands[0];
  bool minus = expr.unaryOp == ast::UnaryOp::Minus;
  // A negative literal is a constant, not Minus(constant).
  if (isIntegerArithmetic(expr))
    return lowerIntegerArithmetic(expr);
  if (operand.kind == ast::ExprKind::Float)
    return lowerFloat(operand, minus);
  const ir::Formula *f = lowerExpr(operand);
  if (!f || !minus)
    return f;
  return make(ir::OpKind::Minus, {f}, {}, expr, "-", expr.opRange);
}

const ir::Formula *ExprLowering::lowerBinary(const ast::Expr &expr) {
  using ast::BinaryOp;
  if (expr.binaryOp == BinaryOp::Pow)
    return lowerPower(expr);
  auto [kind, swap] = meaningOf(expr.binaryOp);
  std::string spelling = ast::spelling(expr.binaryOp);
  if (!ir::opInfo(kind).ready) {
    diags_.report(DiagId::NotSupportedYet, expr.opRange,
                  {"'" + spelling + "' (" + ir::opInfo(kind).name + ")"});
    return nullptr;
  }
  if (isIntegerArithmetic(expr))
    return lowerIntegerArithmetic(expr);
  if (kind == ir::OpKind::Divide && isIntegerArithmetic(*expr.operands[1]) &&
      tryStaticInt(*expr.operands[1]) == int64_t{0}) {
    diags_.report(DiagId::DivisionByZero, expr.opRange);
    return nullptr;
  }
  const ir::Formula *a = lowerExpr(*expr.operands[0]);
  const ir::Formula *b = lowerExpr(*expr.operands[1]);
  if (!a || !b)
    return nullptr;
  if (swap) {
    // `f > g` is LessThan(g, f); a dimension error still calls f the left operand.
    ir::DimError error{ir::DimErrorKind::Mismatch, ""};
    if (ir::inferDim(kind, {a, b}, {}, error) == 0)
      return make(kind, {a, b}, {}, expr, spelling, expr.opRange); // reports it
    std::swap(a, b);
  }
  return make(kind, {a, b}, {}, expr, spelling, expr.opRange);
}

const ir::Formula *ExprLowering::lowerCall(const ast::Expr &expr) {
  const std::string &name = expr.text;
  if (symbols_) {
    if (auto f = symbols_->formulas.find(name); f != symbols_->formulas.end()) {
      if (!expr.keywords.empty()) {
        diags_.report(DiagId::KeywordInFormula, expr.keywords[0].nameRange, {name});
        return nullptr;
      }
      size_t expected = f->second->params ? f->second->params->size() : 0;
      if (expr.operands.size() != expected) {
        diags_.report(DiagId::WrongArgCount, expr.opRange,
                      {name, std::to_string(expected), std::to_string(expr.operands.size())});
        return nullptr;
      }
      std::vector<const ir::Formula *> args;
      for (const auto &operand : expr.operands) {
        args.push_back(lowerExpr(*operand));
        if (!args.back())
          return nullptr;
      }
      return inlineFormula(*f->second, expr, std::move(args));
    }
  }
  if (isVariableCallee(name))
    return lowerInlineVariable(expr);
  ir::OpKind kind;
  if (ir::lookupOp(name, kind))
    return lowerOpCall(kind, expr);
  ir::ReductionKind reduction;
  if (ir::lookupReduction(name, reduction) || name == "Genred" ||
      (symbols_ && symbols_->reductions.count(name))) {
    diags_.report(DiagId::ReductionInFormula, expr.opRange, {name});
    return nullptr;
  }
  diags_.report(DiagId::UnknownFunction, expr.opRange, {name});
  return nullptr;
}

// Inline `Vi(pos, dim)`, `Vj(pos, dim)`, `Pm(pos, dim)`, `Var(pos, dim, cat)`: input `pos`.
const ir::Formula *ExprLowering::lowerInlineVariable(const ast::Expr &expr) {
  AliasSymbol variable;
  if (!readVariableDecl(expr, variable, diags_))
    return nullptr;
  if (!variable.pos) {
    diags_.report(DiagId::BadVariable, expr.range,
                  {"a variable inside a formula needs a position, e.g. " + expr.text + "(0, " +
                   std::to_string(variable.dim) + "), or an alias"});
    return nullptr;
  }
  const ir::Formula *var = context_.var(*variable.pos, variable.dim, variable.cat);
  inlineUses_.emplace(var, expr.range);
  return record(var, expr.range);
}

const ir::Formula *ExprLowering::lowerOpCall(ir::OpKind kind, const ast::Expr &expr) {
  const ir::OpInfo &info = ir::opInfo(kind);
  if (!expr.keywords.empty()) {
    diags_.report(DiagId::KeywordInFormula, expr.keywords[0].nameRange, {info.name});
    return nullptr;
  }
  if (kind == ir::OpKind::Grad_WithSavedForward || kind == ir::OpKind::Diff_WithSavedForward) {
    diags_.report(DiagId::InternalOperation, expr.opRange, {info.name});
    return nullptr;
  }
  if (!info.ready) {
    diags_.report(DiagId::NotSupportedYet, expr.opRange, {"'" + std::string(info.name) + "'"});
    return nullptr;
  }
  if (info.lists != ir::ListSchema::NoLists)
    return lowerListOpCall(kind, expr);
  if (info.operands < 0) { // optional trailing operands: TraceOperator's w, SumLinOperator's wl, wr
    const size_t most = kind == ir::OpKind::TraceOperator ? 3 : 4;
    if (expr.operands.size() < 2 || expr.operands.size() > most) {
      diags_.report(
          DiagId::WrongArgCount, expr.opRange,
          {info.name, "2 to " + std::to_string(most), std::to_string(expr.operands.size())});
      return nullptr;
    }
    std::vector<const ir::Formula *> children;
    for (const auto &operand : expr.operands) {
      children.push_back(lowerExpr(*operand));
      if (!children.back())
        return nullptr;
    }
    return make(kind, std::move(children), {}, expr, info.name, expr.opRange);
  }
  size_t expected = static_cast<size_t>(info.operands + info.ints);
  if (expr.operands.size() != expected) {
    diags_.report(DiagId::WrongArgCount, expr.opRange,
                  {info.name, std::to_string(expected), std::to_string(expr.operands.size())});
    return nullptr;
  }
  std::vector<const ir::Formula *> children;
  for (int k = 0; k < info.operands; ++k) {
    children.push_back(lowerExpr(*expr.operands[static_cast<size_t>(k)]));
    if (!children.back())
      return nullptr;
  }
  std::vector<int64_t> ints;
  for (size_t k = static_cast<size_t>(info.operands); k < expected; ++k) {
    auto value = evalStaticInt(*expr.operands[k],
                               "argument " + std::to_string(k + 1) + " of " + info.name, diags_);
    if (!value)
      return nullptr;
    ints.push_back(*value);
  }
  return make(kind, std::move(children), std::move(ints), expr, info.name, expr.opRange);
}

const ir::Formula *ExprLowering::lowerListOpCall(ir::OpKind kind, const ast::Expr &expr) {
  const ir::OpInfo &info = ir::opInfo(kind);
  const ir::ListCount count = ir::listCount(info.lists);
  const size_t operands = static_cast<size_t>(info.operands);
  const size_t given = expr.operands.size();
  if (given < operands + static_cast<size_t>(count.min) ||
      given > operands + static_cast<size_t>(count.max)) {
    std::string expected = std::to_string(operands + static_cast<size_t>(count.min));
    if (count.max != count.min)
      expected += " or " + std::to_string(operands + static_cast<size_t>(count.max));
    diags_.report(DiagId::WrongArgCount, expr.opRange,
                  {info.name, expected, std::to_string(given)});
    return nullptr;
  }
  std::vector<const ir::Formula *> children;
  for (size_t k = 0; k < operands; ++k) {
    children.push_back(lowerExpr(*expr.operands[k]));
    if (!children.back())
      return nullptr;
  }
  std::vector<ir::IntList> lists;
  for (size_t k = operands; k < given; ++k) {
    auto list = evalStaticIntList(*expr.operands[k],
                                  "argument " + std::to_string(k + 1) + " of " + info.name, diags_);
    if (!list)
      return nullptr;
    lists.push_back(std::move(*list));
  }
  return make(kind, std::move(children), ir::encodeLists(lists), expr, info.name, expr.opRange);
}

const ir::Formula *ExprLowering::inlineFormula(const ast::FormulaDecl &decl, const ast::Expr &use,
                                               std::vector<const ir::Formula *> args) {
  if (std::find(inlining_.begin(), inlining_.end(), decl.name) != inlining_.end()) {
    diags_.report(DiagId::RecursiveFormula, use.range, {decl.name});
    return nullptr;
  }
  auto key = std::make_pair(&decl, args);
  if (auto found = inlined_.find(key); found != inlined_.end())
    return found->second;
  Scope scope;
  if (decl.params)
    for (size_t k = 0; k < decl.params->size(); ++k)
      scope[(*decl.params)[k].name] = args[k];
  inlining_.push_back(decl.name);
  scopes_.push_back(std::move(scope));
  const ir::Formula *result = lowerExpr(*decl.body);
  scopes_.pop_back();
  inlining_.pop_back();
  inlined_.emplace(std::move(key), result);
  return result;
}

const ir::Formula *ExprLowering::make(ir::OpKind kind, std::vector<const ir::Formula *> children,
                                      std::vector<int64_t> ints, const ast::Expr &where,
                                      const std::string &spelling, SourceRange at) {
  // Errors underline the whole expression, with the caret on the operator or callee.
  SourceRange whole = where.range;
  whole.caret = at.begin;
  if (whole.begin.line == at.begin.line && at.begin.col >= whole.begin.col)
    at = whole;
  // Factorize(F, G) and AutoFactorize(F) are hints meaning F (SPEC.md §3): G has been lowered
  // and checked like any operand, and hash-consing already shares every repeated subterm.
  if (kind == ir::OpKind::Factorize || kind == ir::OpKind::AutoFactorize)
    return children[0];
  if (ir::opInfo(kind).spellingOnly())
    return makeConstant(kind, ints, at);
  ir::BuildResult result = context_.make(kind, std::move(children), std::move(ints));
  if (!result) {
    const ir::DimError &error = result.error();
    switch (error.kind) {
    case ir::DimErrorKind::Mismatch:
      diags_.report(DiagId::DimMismatch, at, {spelling, error.detail});
      break;
    case ir::DimErrorKind::IndexOutOfRange:
      diags_.report(DiagId::IndexOutOfRange, at, {error.detail});
      break;
    case ir::DimErrorKind::TooWide:
    case ir::DimErrorKind::BadArgument:
      diags_.report(DiagId::BadDimension, at, {error.detail});
      break;
    }
    return nullptr;
  }
  return record(result.node(), whole);
}

} // namespace keopsc::sema
