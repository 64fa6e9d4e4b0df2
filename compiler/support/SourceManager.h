// Owns the text of every source file keopsc reads and maps locations back to lines.
// It does not parse or report anything; DiagnosticEngine prints with its help.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace keopsc {

/// A position in a source buffer: 1-based line and column (columns count bytes).
struct SourceLoc {
  uint32_t file = 0; ///< 0 means "no location"; buffers are numbered from 1.
  uint32_t line = 0;
  uint32_t col = 0;
  bool valid() const { return file != 0; }
};

/// A half-open range on one line or across lines; `end` is one past the last character.
/// `caret`, when valid, is the point a diagnostic names (an operator inside an expression):
/// it is printed as file:line:col and marked '^' while the rest of the range gets '~'.
struct SourceRange {
  SourceRange() = default;
  SourceRange(SourceLoc b, SourceLoc e, SourceLoc c = {}) : begin(b), end(e), caret(c) {}
  SourceLoc begin;
  SourceLoc end;
  SourceLoc caret;
  SourceLoc point() const { return caret.valid() ? caret : begin; }
  static SourceRange at(SourceLoc loc) { return {loc, {loc.file, loc.line, loc.col + 1}}; }
};

class SourceManager {
public:
  /// Registers a buffer and returns its id (>= 1). `name` is what diagnostics print.
  uint32_t addBuffer(std::string name, std::string text);
  const std::string &name(uint32_t file) const { return buffers_.at(file - 1).name; }
  const std::string &text(uint32_t file) const { return buffers_.at(file - 1).text; }
  /// The text of line `line` (1-based) without its newline; empty if out of range.
  std::string_view lineText(uint32_t file, uint32_t line) const;
  /// The text `range` covers (across lines), or "" for a range without a location.
  std::string_view rangeText(SourceRange range) const;

private:
  struct Buffer {
    std::string name;
    std::string text;
    std::vector<size_t> lineStarts;
  };
  std::vector<Buffer> buffers_;
};

} // namespace keopsc
