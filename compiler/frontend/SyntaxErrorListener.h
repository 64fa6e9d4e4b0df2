// Turns ANTLR's syntax errors into keopsc diagnostics, and maps ANTLR token positions to
// SourceLocs. It does not build the AST (AstBuilder) nor drive the parse (Parser.cpp).
#pragma once

#include "support/Diagnostics.h"

#include <antlr4-runtime.h>
#include <cstddef>
#include <optional>
#include <string_view>

namespace keopsc::frontend {

/// Maps positions in one ANTLR input (a whole buffer, or the contents of a string literal) to
/// locations in a SourceManager buffer. ANTLR counts lines from 1 and columns from 0; the
/// inputs are fed byte by byte, so columns are byte offsets like SourceLoc's.
class TokenLocator {
public:
  /// Positions in buffer `file` itself.
  static TokenLocator forBuffer(uint32_t file);
  /// The contents of a one-line string literal: line 1, column 0 maps to `contentStart`.
  static TokenLocator forString(SourceLoc contentStart);
  /// Everything maps to `range` (a literal whose characters do not map 1:1 to columns).
  static TokenLocator fixed(SourceRange range);

  /// True when every character maps to its own column (contents of strings inside this input
  /// can then be mapped too).
  bool exact() const { return !fixed_; }
  SourceLoc loc(size_t line, size_t charPos) const;
  SourceRange range(const antlr4::Token *token) const;
  /// From the start of `first` to one past the end of `last`.
  SourceRange range(const antlr4::Token *first, const antlr4::Token *last) const;
  SourceRange range(antlr4::ParserRuleContext &ctx) const;
  /// One past the last character of `token`.
  SourceLoc endOf(const antlr4::Token *token) const;

private:
  uint32_t file_ = 0;
  uint32_t baseLine_ = 1; ///< where input line 1 lands
  uint32_t baseCol_ = 1;  ///< where input line 1, column 0 lands
  std::optional<SourceRange> fixed_;
};

/// Replaces ANTLR's console listener on the lexer and the parser: every syntax error becomes a
/// SyntaxError diagnostic worded for a KFL user ("expected ';' after reduction declaration").
class SyntaxErrorListener : public antlr4::BaseErrorListener {
public:
  /// `text` is the input ANTLR reads (token indices are byte offsets into it); `inString`
  /// words end of input as the end of a formula string rather than of a file.
  SyntaxErrorListener(DiagnosticEngine &diags, const TokenLocator &locator, std::string_view text,
                      bool inString)
      : diags_(diags), locator_(locator), text_(text), inString_(inString) {}

  void syntaxError(antlr4::Recognizer *recognizer, antlr4::Token *offendingSymbol, size_t line,
                   size_t charPositionInLine, const std::string &msg,
                   std::exception_ptr e) override;

  /// Errors reported so far (the parse fails if this is not zero).
  unsigned errorCount() const { return errors_; }
  /// Reports an error found outside ANTLR (bracket nesting) and counts it.
  void report(DiagId id, SourceRange range, const std::vector<std::string> &args);

private:
  bool isCascade(antlr4::Parser &parser, size_t tokenIndex) const;
  std::string describeToken(const antlr4::Token *token) const;
  std::string messageFor(antlr4::Parser &parser, const antlr4::Token *offending,
                         const antlr4::misc::IntervalSet &expected, SourceRange &range) const;
  std::string describeExpected(const antlr4::misc::IntervalSet &expected,
                               const antlr4::dfa::Vocabulary &vocabulary) const;

  DiagnosticEngine &diags_;
  TokenLocator locator_;
  std::string_view text_;
  bool inString_;
  unsigned errors_ = 0;
  /// Where the last message went; see isCascade().
  std::optional<size_t> lastErrorToken_;
};

} // namespace keopsc::frontend
