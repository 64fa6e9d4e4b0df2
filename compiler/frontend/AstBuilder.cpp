// Parse tree → AST, one method per grammar rule (see AstBuilder.h). The parse tree is known to
// be free of syntax errors here, so every child the grammar requires is present.
#include "frontend/AstBuilder.h"

#include <algorithm>
#include <set>

namespace keopsc::frontend {

using kfl::KFLParser;

const char *rejectedOperatorHint(size_t tokenType) {
  switch (tokenType) {
  case KFLParser::PERCENT:
    return "Mod(f, n, o)";
  case KFLParser::LINE_COMMENT: // `//` in a formula string
    return "Floor(f / g)";
  case KFLParser::AT:
    return "TensorDot or MatVecMult";
  case KFLParser::CARET:
    return "** or Pow";
  case KFLParser::LSHIFT:
  case KFLParser::RSHIFT:
    return "a multiplication or division by a power of 2";
  default: // and, or, not, &, ~
    return "IfElse/Step/comparisons";
  }
}

namespace {

std::optional<ast::BinaryOp> binaryOpFor(size_t tokenType) {
  switch (tokenType) {
  case KFLParser::PLUS:
    return ast::BinaryOp::Add;
  case KFLParser::MINUS:
    return ast::BinaryOp::Sub;
  case KFLParser::STAR:
    return ast::BinaryOp::Mul;
  case KFLParser::SLASH:
    return ast::BinaryOp::Div;
  case KFLParser::POW:
    return ast::BinaryOp::Pow;
  case KFLParser::PIPE:
    return ast::BinaryOp::Pipe;
  case KFLParser::LT:
    return ast::BinaryOp::Lt;
  case KFLParser::LE:
    return ast::BinaryOp::Le;
  case KFLParser::GT:
    return ast::BinaryOp::Gt;
  case KFLParser::GE:
    return ast::BinaryOp::Ge;
  case KFLParser::EQ:
    return ast::BinaryOp::Eq;
  case KFLParser::NE:
    return ast::BinaryOp::Ne;
  default:
    return std::nullopt; // rejected operators
  }
}

/// Unescapes a quoted literal (quotes included). On a bad escape returns false and sets
/// `badOffset` to the offset of its backslash within `quoted`.
bool unescapeLiteral(std::string_view quoted, std::string &out, bool &hadEscapes,
                     size_t &badOffset) {
  hadEscapes = false;
  std::string_view body = quoted.substr(1, quoted.size() >= 2 ? quoted.size() - 2 : 0);
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\' || i + 1 >= body.size()) {
      out += body[i];
      continue;
    }
    hadEscapes = true;
    char next = body[++i];
    switch (next) {
    case '\\':
    case '"':
    case '\'':
      out += next;
      break;
    case 'n':
      out += '\n';
      break;
    case 't':
      out += '\t';
      break;
    default:
      badOffset = i; // body[i - 1] is the backslash, and body starts at quoted[1]
      return false;
    }
  }
  return true;
}

std::vector<antlr4::Token *> startTokens(const std::vector<antlr4::ParserRuleContext *> &ctxs) {
  std::vector<antlr4::Token *> tokens;
  for (auto *ctx : ctxs)
    tokens.push_back(ctx->getStart());
  return tokens;
}

template <class Ctx> std::vector<antlr4::ParserRuleContext *> upcast(const std::vector<Ctx *> &v) {
  return {v.begin(), v.end()};
}

std::vector<antlr4::Token *> symbols(const std::vector<antlr4::tree::TerminalNode *> &nodes) {
  std::vector<antlr4::Token *> tokens;
  for (auto *node : nodes)
    tokens.push_back(node->getSymbol());
  return tokens;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Binary levels: flat loops folded to the left (`**` aside), so a long sum never recurses in
// the parser; the depth check in seal() bounds the tree.

template <class Operand, class Build>
ast::ExprPtr AstBuilder::foldLeft(const std::vector<Operand *> &operands,
                                  const std::vector<antlr4::Token *> &ops, Build build) {
  ast::ExprPtr result = build(*operands.front());
  for (size_t i = 1; i < operands.size(); ++i) {
    antlr4::Token *op = ops[i - 1];
    std::optional<ast::BinaryOp> binary = binaryOpFor(op->getType());
    if (!binary) // reported before the right operand, so messages come in source order
      rejectOperator(op);
    ast::ExprPtr rhs = build(*operands[i]);
    if (!binary) {
      result = nullptr;
      continue;
    }
    SourceRange range = rangeOf(operands.front()->getStart(), operands[i]->getStop());
    result = makeBinary(*binary, op, std::move(result), std::move(rhs), range);
  }
  return result;
}

ast::ExprPtr AstBuilder::buildExpr(KFLParser::ExprContext &ctx) {
  // Every `and` / `or` is rejected; the level exists for the message.
  return foldLeft(ctx.comparison(), startTokens(upcast(ctx.logicalOp())),
                  [this](KFLParser::ComparisonContext &c) { return buildComparison(c); });
}

ast::ExprPtr AstBuilder::buildComparison(KFLParser::ComparisonContext &ctx) {
  auto ops = ctx.compareOp();
  if (ops.size() > 1) {
    // Python would read a < b < c as (a < b) and (b < c); KeOps has no such thing.
    error(DiagId::ChainedComparison, rangeOf(ops[1]->getStart()), {});
    for (auto *operand : ctx.pipe())
      buildPipe(*operand); // still report what is wrong inside
    return nullptr;
  }
  return foldLeft(ctx.pipe(), startTokens(upcast(ops)),
                  [this](KFLParser::PipeContext &c) { return buildPipe(c); });
}

ast::ExprPtr AstBuilder::buildPipe(KFLParser::PipeContext &ctx) {
  return foldLeft(ctx.bitwise(), symbols(ctx.PIPE()),
                  [this](KFLParser::BitwiseContext &c) { return buildBitwise(c); });
}

ast::ExprPtr AstBuilder::buildBitwise(KFLParser::BitwiseContext &ctx) {
  // Every ^ & << >> is rejected; the level exists for the message.
  return foldLeft(ctx.arith(), startTokens(upcast(ctx.bitwiseOp())),
                  [this](KFLParser::ArithContext &c) { return buildArith(c); });
}

ast::ExprPtr AstBuilder::buildArith(KFLParser::ArithContext &ctx) {
  return foldLeft(ctx.term(), startTokens(upcast(ctx.arithOp())),
                  [this](KFLParser::TermContext &c) { return buildTerm(c); });
}

ast::ExprPtr AstBuilder::buildTerm(KFLParser::TermContext &ctx) {
  return foldLeft(ctx.factor(), startTokens(upcast(ctx.termOp())),
                  [this](KFLParser::FactorContext &c) { return buildFactor(c); });
}

ast::ExprPtr AstBuilder::buildFactor(KFLParser::FactorContext &ctx) {
  return applyUnary(ctx.unaryOp(), buildPower(*ctx.power()), ctx.getStop());
}

// power: atom powerTail*, powerTail: '**' unaryOp* atom. `**` is right-associative and a
// tail's unary operators wrap everything to its right: x ** -y ** 2 = x ** (-(y ** 2)).
ast::ExprPtr AstBuilder::buildPower(KFLParser::PowerContext &ctx) {
  auto tails = ctx.powerTail();
  antlr4::Token *last = ctx.getStop();
  if (tails.empty())
    return buildAtom(*ctx.atom());
  ast::ExprPtr result = buildAtom(*tails.back()->atom());
  for (size_t k = tails.size(); k-- > 0;) {
    result = applyUnary(tails[k]->unaryOp(), std::move(result), last);
    KFLParser::AtomContext *baseCtx = k == 0 ? ctx.atom() : tails[k - 1]->atom();
    ast::ExprPtr base = buildAtom(*baseCtx);
    result = makeBinary(ast::BinaryOp::Pow, tails[k]->POW()->getSymbol(), std::move(base),
                        std::move(result), rangeOf(baseCtx->getStart(), last));
  }
  return result;
}

ast::ExprPtr AstBuilder::applyUnary(const std::vector<KFLParser::UnaryOpContext *> &ops,
                                    ast::ExprPtr operand, antlr4::Token *last) {
  for (size_t k = ops.size(); k-- > 0;) {
    antlr4::Token *op = ops[k]->getStart();
    size_t type = op->getType();
    if (type != KFLParser::MINUS && type != KFLParser::PLUS) {
      rejectOperator(op); // ~, not
      operand = nullptr;
      continue;
    }
    if (!operand)
      continue;
    auto node = std::make_unique<ast::Expr>();
    node->kind = ast::ExprKind::Unary;
    node->unaryOp = type == KFLParser::MINUS ? ast::UnaryOp::Minus : ast::UnaryOp::Plus;
    node->range = rangeOf(op, last);
    node->opRange = rangeOf(op);
    node->operands.push_back(std::move(operand));
    operand = seal(std::move(node));
  }
  return operand;
}

ast::ExprPtr AstBuilder::makeBinary(ast::BinaryOp op, antlr4::Token *opToken, ast::ExprPtr lhs,
                                    ast::ExprPtr rhs, SourceRange range) {
  if (!lhs || !rhs)
    return nullptr;
  auto node = std::make_unique<ast::Expr>();
  node->kind = ast::ExprKind::Binary;
  node->binaryOp = op;
  node->range = range;
  node->opRange = rangeOf(opToken);
  node->operands.push_back(std::move(lhs));
  node->operands.push_back(std::move(rhs));
  return seal(std::move(node));
}

// ---------------------------------------------------------------------------------------------
// Atoms

ast::ExprPtr AstBuilder::buildAtom(KFLParser::AtomContext &ctx) {
  if (auto *atom = dynamic_cast<KFLParser::IntAtomContext *>(&ctx))
    return buildLeaf(ast::ExprKind::Integer, atom->INT()->getSymbol());
  if (auto *atom = dynamic_cast<KFLParser::FloatAtomContext *>(&ctx))
    return buildLeaf(ast::ExprKind::Float, atom->FLOAT()->getSymbol());
  if (auto *atom = dynamic_cast<KFLParser::StringAtomContext *>(&ctx))
    return buildString(atom->STRING()->getSymbol());
  if (auto *atom = dynamic_cast<KFLParser::NameAtomContext *>(&ctx))
    return buildLeaf(ast::ExprKind::Name, atom->ident()->getStart());
  if (auto *atom = dynamic_cast<KFLParser::CallAtomContext *>(&ctx))
    return buildCall(*atom);
  if (auto *atom = dynamic_cast<KFLParser::ParenAtomContext *>(&ctx))
    return buildParen(*atom);
  if (auto *atom = dynamic_cast<KFLParser::ListAtomContext *>(&ctx))
    return buildList(*atom);
  error(DiagId::SyntaxError, rangeOf(ctx), {"expected an expression"});
  return nullptr;
}

ast::ExprPtr AstBuilder::buildLeaf(ast::ExprKind kind, antlr4::Token *token) {
  auto node = std::make_unique<ast::Expr>();
  node->kind = kind;
  node->text = text(token);
  node->range = node->opRange = rangeOf(token);
  return seal(std::move(node));
}

ast::ExprPtr AstBuilder::buildString(antlr4::Token *token) {
  std::string quoted = text(token);
  auto node = std::make_unique<ast::Expr>();
  node->kind = ast::ExprKind::String;
  node->range = node->opRange = rangeOf(token);
  bool hadEscapes = false;
  size_t badOffset = 0;
  if (!unescapeLiteral(quoted, node->text, hadEscapes, badOffset)) {
    SourceLoc at = locator_.loc(token->getLine(), token->getCharPositionInLine() + badOffset);
    error(DiagId::BadStringLiteral, {at, {at.file, at.line, at.col + 2}},
          {"unknown escape sequence '" + quoted.substr(badOffset, 2) + "'"});
    return nullptr;
  }
  // Formula strings are parsed later with locations inside the literal, when they map 1:1.
  if (!hadEscapes && locator_.exact())
    node->contentStart = locator_.loc(token->getLine(), token->getCharPositionInLine() + 1);
  return seal(std::move(node));
}

ast::ExprPtr AstBuilder::buildCall(KFLParser::CallAtomContext &ctx) {
  auto node = std::make_unique<ast::Expr>();
  node->kind = ast::ExprKind::Call;
  node->text = identText(*ctx.ident());
  node->range = rangeOf(ctx);
  node->opRange = rangeOf(*ctx.ident());
  bool ok = true;
  std::set<std::string> seen;
  for (auto *argument : ctx.argument()) {
    ast::ExprPtr value = buildExpr(*argument->expr());
    ok = ok && value;
    if (auto *name = argument->ident()) {
      std::string key = identText(*name);
      if (!seen.insert(key).second) {
        error(DiagId::SyntaxError, rangeOf(*name), {"keyword argument '" + key + "' repeated"});
        ok = false;
      }
      node->keywords.push_back({key, rangeOf(*name), std::move(value)});
    } else if (!node->keywords.empty()) {
      error(DiagId::SyntaxError, rangeOf(*argument),
            {"positional argument follows keyword argument"});
      ok = false;
    } else {
      node->operands.push_back(std::move(value));
    }
  }
  return ok ? seal(std::move(node)) : nullptr;
}

// `(e)` is grouping; `()`, `(e,)` and `(a, b)` are tuples, which KFL treats as lists.
ast::ExprPtr AstBuilder::buildParen(KFLParser::ParenAtomContext &ctx) {
  auto exprs = ctx.expr();
  if (exprs.size() == 1 && ctx.COMMA().empty())
    return buildExpr(*exprs.front());
  auto node = std::make_unique<ast::Expr>();
  node->kind = ast::ExprKind::List;
  node->range = node->opRange = rangeOf(ctx);
  bool ok = true;
  for (auto *expr : exprs) {
    node->operands.push_back(buildExpr(*expr));
    ok = ok && node->operands.back();
  }
  return ok ? seal(std::move(node)) : nullptr;
}

ast::ExprPtr AstBuilder::buildList(KFLParser::ListAtomContext &ctx) {
  auto node = std::make_unique<ast::Expr>();
  node->kind = ast::ExprKind::List;
  node->range = node->opRange = rangeOf(ctx);
  bool ok = true;
  for (auto *expr : ctx.expr()) {
    node->operands.push_back(buildExpr(*expr));
    ok = ok && node->operands.back();
  }
  return ok ? seal(std::move(node)) : nullptr;
}

// ---------------------------------------------------------------------------------------------
// Helpers

ast::ExprPtr AstBuilder::seal(ast::ExprPtr expr) {
  unsigned depth = 0;
  auto childDepth = [this](const ast::ExprPtr &child) {
    auto it = depth_.find(child.get());
    return it == depth_.end() ? 1u : it->second;
  };
  for (const ast::ExprPtr &operand : expr->operands)
    depth = std::max(depth, childDepth(operand));
  for (const ast::KeywordArg &keyword : expr->keywords)
    depth = std::max(depth, childDepth(keyword.value));
  ++depth;
  if (depth > kMaxExprDepth) {
    if (!reportedDepth_)
      error(DiagId::NestingTooDeep, expr->range, {std::to_string(kMaxExprDepth)});
    reportedDepth_ = true;
    failed_ = true;
    return nullptr;
  }
  // Entries of freed nodes are stale but harmless: a node is always sealed (and its entry
  // overwritten) before anything reads it as a child.
  depth_[expr.get()] = depth;
  return expr;
}

void AstBuilder::rejectOperator(antlr4::Token *token) {
  error(DiagId::RejectedOperator, rangeOf(token),
        {text(token), rejectedOperatorHint(token->getType())});
}

std::string AstBuilder::text(const antlr4::Token *token) const {
  size_t start = token->getStartIndex();
  size_t stop = token->getStopIndex();
  if (start >= text_.size() || stop < start)
    return {};
  return std::string(text_.substr(start, stop - start + 1));
}

void AstBuilder::error(DiagId id, SourceRange range, const std::vector<std::string> &args) {
  failed_ = true;
  diags_.report(id, range, args);
}

} // namespace keopsc::frontend
