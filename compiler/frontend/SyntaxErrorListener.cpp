// Words ANTLR's syntax errors for KFL users and maps token positions to SourceLocs.
// Recovery itself is ANTLR's default strategy; this file only decides what the user reads.
#include "frontend/SyntaxErrorListener.h"

#include "kfl/KFLParser.h"

#include <cstdio>
#include <initializer_list>

namespace keopsc::frontend {

using kfl::KFLParser;

// ---------------------------------------------------------------------------------------------
// TokenLocator

TokenLocator TokenLocator::forBuffer(uint32_t file) {
  TokenLocator locator;
  locator.file_ = file;
  return locator;
}

TokenLocator TokenLocator::forString(SourceLoc contentStart) {
  TokenLocator locator;
  locator.file_ = contentStart.file;
  locator.baseLine_ = contentStart.line;
  locator.baseCol_ = contentStart.col;
  return locator;
}

TokenLocator TokenLocator::fixed(SourceRange range) {
  TokenLocator locator;
  locator.file_ = range.begin.file;
  locator.fixed_ = range;
  return locator;
}

SourceLoc TokenLocator::loc(size_t line, size_t charPos) const {
  if (fixed_)
    return fixed_->begin;
  if (line <= 1)
    return {file_, baseLine_, static_cast<uint32_t>(baseCol_ + charPos)};
  return {file_, static_cast<uint32_t>(baseLine_ + line - 1), static_cast<uint32_t>(charPos + 1)};
}

SourceLoc TokenLocator::endOf(const antlr4::Token *token) const {
  if (fixed_)
    return fixed_->end;
  size_t start = token->getStartIndex();
  size_t stop = token->getStopIndex();
  // EOF and empty tokens have stop < start; give them one column so a caret shows.
  size_t length = (stop == INVALID_INDEX || stop < start) ? 1 : stop - start + 1;
  return loc(token->getLine(), token->getCharPositionInLine() + length);
}

SourceRange TokenLocator::range(const antlr4::Token *token) const { return range(token, token); }

SourceRange TokenLocator::range(const antlr4::Token *first, const antlr4::Token *last) const {
  if (fixed_)
    return *fixed_;
  if (!first)
    return {};
  if (!last)
    last = first;
  return {loc(first->getLine(), first->getCharPositionInLine()), endOf(last)};
}

SourceRange TokenLocator::range(antlr4::ParserRuleContext &ctx) const {
  return range(ctx.getStart(), ctx.getStop());
}

// ---------------------------------------------------------------------------------------------
// Wording

namespace {

bool contains(const antlr4::misc::IntervalSet &set, std::initializer_list<size_t> types) {
  for (size_t type : types)
    if (set.contains(type))
      return true;
  return false;
}

/// The declaration being parsed, for "expected ';' after ...".
std::string enclosingDeclaration(antlr4::RuleContext *ctx) {
  for (; ctx; ctx = dynamic_cast<antlr4::RuleContext *>(ctx->parent)) {
    switch (ctx->getRuleIndex()) {
    case KFLParser::RuleImportDecl:
      return "import";
    case KFLParser::RuleModuleDecl:
      return "module declaration";
    case KFLParser::RuleAliasDecl:
      return "alias declaration";
    case KFLParser::RuleFormulaDecl:
      return "formula declaration";
    case KFLParser::RuleReductionDecl:
      return "reduction declaration";
    case KFLParser::RuleOptionsDecl:
      return "options declaration";
    default:
      break;
    }
  }
  return "declaration";
}

std::string joinAlternatives(const std::vector<std::string> &items) {
  std::string result;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0)
      result += i + 1 == items.size() ? " or " : ", ";
    result += items[i];
  }
  return result;
}

// Tokens that may continue an expression; listing them all buries the useful alternative
// (usually a closing bracket or a comma), so they are left out of "expected ..." lists.
const std::initializer_list<size_t> kContinuationTokens = {
    KFLParser::POW,    KFLParser::STAR,   KFLParser::SLASH,  KFLParser::PERCENT, KFLParser::AT,
    KFLParser::PLUS,   KFLParser::MINUS,  KFLParser::LSHIFT, KFLParser::RSHIFT,  KFLParser::AMP,
    KFLParser::CARET,  KFLParser::PIPE,   KFLParser::LT,     KFLParser::LE,      KFLParser::GT,
    KFLParser::GE,     KFLParser::EQ,     KFLParser::NE,     KFLParser::AND,     KFLParser::OR,
    KFLParser::LPAREN, KFLParser::ASSIGN, KFLParser::LBRACK};

const std::initializer_list<size_t> kExpressionStarts = {
    KFLParser::INT,    KFLParser::FLOAT, KFLParser::STRING, KFLParser::ID,    KFLParser::LPAREN,
    KFLParser::LBRACK, KFLParser::MINUS, KFLParser::PLUS,   KFLParser::TILDE, KFLParser::NOT};

const std::initializer_list<size_t> kKeywords = {KFLParser::IMPORT,    KFLParser::MODULE,
                                                 KFLParser::ALIAS,     KFLParser::FORMULA,
                                                 KFLParser::REDUCTION, KFLParser::OPTIONS};

} // namespace

std::string SyntaxErrorListener::describeExpected(const antlr4::misc::IntervalSet &expected,
                                                  const antlr4::dfa::Vocabulary &vocabulary) const {
  antlr4::misc::IntervalSet rest = expected;
  std::vector<std::string> items;
  auto removeAll = [&rest](std::initializer_list<size_t> types) {
    for (size_t type : types)
      rest.remove(type);
  };
  if (contains(rest, {KFLParser::INT, KFLParser::FLOAT})) {
    items.push_back("an expression");
    removeAll(kExpressionStarts);
    removeAll(kKeywords);
  } else if (rest.contains(size_t(KFLParser::ID))) {
    items.push_back("a name");
    rest.remove(size_t(KFLParser::ID));
    removeAll(kKeywords);
  } else if (contains(rest, {KFLParser::ALIAS, KFLParser::REDUCTION})) {
    items.push_back("a declaration (import, module, alias, formula, reduction or options)");
    removeAll(kKeywords);
    rest.remove(antlr4::Token::EOF);
  }
  antlr4::misc::IntervalSet withoutContinuations = rest;
  for (size_t type : kContinuationTokens)
    withoutContinuations.remove(type);
  if (!items.empty() || !withoutContinuations.isEmpty())
    rest = withoutContinuations;
  for (ssize_t type : rest.toList()) {
    if (static_cast<size_t>(type) == antlr4::Token::EOF) {
      items.push_back(inString_ ? "the end of the string" : "the end of the file");
      continue;
    }
    std::string literal = vocabulary.getLiteralName(type);
    items.push_back(literal.empty() ? vocabulary.getDisplayName(type) : literal);
  }
  return joinAlternatives(items);
}

std::string SyntaxErrorListener::describeToken(const antlr4::Token *token) const {
  if (!token || token->getType() == antlr4::Token::EOF)
    return inString_ ? "the end of the string" : "the end of the file";
  size_t start = token->getStartIndex();
  size_t stop = token->getStopIndex();
  if (start >= text_.size() || stop < start)
    return "'" + token->getText() + "'";
  std::string_view spelling = text_.substr(start, stop - start + 1);
  if (spelling.size() > 24)
    return "'" + std::string(spelling.substr(0, 21)) + "...'";
  return "'" + std::string(spelling) + "'";
}

namespace {

/// The token before `token` that the parser saw (comments are on the hidden channel).
const antlr4::Token *previousVisibleToken(antlr4::Parser &parser, const antlr4::Token *token) {
  size_t index = token->getTokenIndex();
  antlr4::TokenStream *tokens = parser.getTokenStream();
  if (index == INVALID_INDEX || index > tokens->size())
    return nullptr;
  while (index-- > 0) {
    antlr4::Token *previous = tokens->get(index);
    if (previous->getChannel() == antlr4::Token::DEFAULT_CHANNEL)
      return previous;
  }
  return nullptr;
}

/// A message for tokens that only exist to be reported (see the end of KFL.g4).
std::optional<std::string> badTokenMessage(const antlr4::Token *token, std::string_view text) {
  size_t start = token->getStartIndex();
  unsigned char first = start < text.size() ? static_cast<unsigned char>(text[start]) : 0;
  switch (token->getType()) {
  case KFLParser::ERROR_CHAR: {
    if (first >= 0x21 && first < 0x7f)
      return std::string("unexpected character '") + static_cast<char>(first) + "'";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "unexpected %sbyte 0x%02X in the source",
                  first >= 0x80 ? "non-ASCII " : "", first);
    return std::string(buffer);
  }
  case KFLParser::UNTERMINATED_STRING:
    return std::string("missing terminating ") + (first == '\'' ? "'" : "\"") +
           " character at the end of the line";
  case KFLParser::UNTERMINATED_COMMENT:
    return std::string("unterminated /* comment");
  default:
    return std::nullopt;
  }
}

} // namespace

std::string SyntaxErrorListener::messageFor(antlr4::Parser &parser, const antlr4::Token *offending,
                                            const antlr4::misc::IntervalSet &expected,
                                            SourceRange &range) const {
  if (auto message = badTokenMessage(offending, text_))
    return *message;
  // A missing ';' is best shown right after the declaration it ends, as clang does; the
  // offending token is often on the next line.
  if (expected.contains(size_t(KFLParser::SEMI))) {
    if (const antlr4::Token *previous = previousVisibleToken(parser, offending))
      range = SourceRange::at(locator_.endOf(previous));
    return "expected ';' after " + enclosingDeclaration(parser.getContext());
  }
  std::string wanted = describeExpected(expected, parser.getVocabulary());
  if (wanted.empty())
    return "unexpected " + describeToken(offending);
  return "expected " + wanted + ", found " + describeToken(offending);
}

void SyntaxErrorListener::syntaxError(antlr4::Recognizer *recognizer,
                                      antlr4::Token *offendingSymbol, size_t line,
                                      size_t charPositionInLine, const std::string &msg,
                                      std::exception_ptr e) {
  auto *parser = dynamic_cast<antlr4::Parser *>(recognizer);
  if (!parser || !offendingSymbol) {
    // The lexer has a catch-all token and should never get here; word ANTLR's message anyway.
    report(DiagId::SyntaxError, SourceRange::at(locator_.loc(line, charPositionInLine)),
           {"invalid input: " + msg});
    return;
  }
  size_t tokenIndex = offendingSymbol->getTokenIndex();
  if (isCascade(*parser, tokenIndex)) {
    ++errors_; // still an error, but most likely a consequence of the one reported
    return;
  }
  lastErrorToken_ = tokenIndex;

  antlr4::misc::IntervalSet expected;
  bool haveExpected = false;
  if (e) {
    try {
      std::rethrow_exception(e);
    } catch (antlr4::RecognitionException &recognition) {
      expected = recognition.getExpectedTokens();
      haveExpected = true;
    } catch (...) {
    }
  }
  if (!haveExpected)
    expected = parser->getExpectedTokens();
  SourceRange range = locator_.range(offendingSymbol);
  std::string message = messageFor(*parser, offendingSymbol, expected, range);
  report(DiagId::SyntaxError, range, {message});
}

// ANTLR's recovery resynchronises poorly inside a broken declaration and then reports errors
// that are artefacts of the first one. One message per declaration: after an error, stay quiet
// until a ';' has gone by.
bool SyntaxErrorListener::isCascade(antlr4::Parser &parser, size_t tokenIndex) const {
  if (!lastErrorToken_)
    return false;
  if (tokenIndex == INVALID_INDEX || tokenIndex <= *lastErrorToken_)
    return true;
  antlr4::TokenStream *tokens = parser.getTokenStream();
  for (size_t i = *lastErrorToken_; i < tokenIndex && i < tokens->size(); ++i)
    if (tokens->get(i)->getType() == KFLParser::SEMI)
      return false;
  return true;
}

void SyntaxErrorListener::report(DiagId id, SourceRange range,
                                 const std::vector<std::string> &args) {
  ++errors_;
  diags_.report(id, range, args);
}

} // namespace keopsc::frontend
