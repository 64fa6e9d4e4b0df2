// Formats and prints diagnostics; see Diagnostics.h.
#include "support/Diagnostics.h"

namespace keopsc {
namespace {

struct DiagInfo {
  Severity severity;
  const char *format;
};

const DiagInfo kDiagInfos[] = {
#define KEOPSC_DIAG(Id, Sev, Format) {Severity::Sev, Format},
#include "support/DiagnosticKinds.def"
};

const char *severityName(Severity severity) {
  switch (severity) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  }
  return "error";
}

} // namespace

Severity DiagnosticEngine::severity(DiagId id) { return kDiagInfos[static_cast<int>(id)].severity; }

std::string DiagnosticEngine::format(DiagId id, const std::vector<std::string> &args) {
  std::string result;
  const char *text = kDiagInfos[static_cast<int>(id)].format;
  for (const char *p = text; *p; ++p) {
    if (p[0] == '{' && p[1] >= '0' && p[1] <= '9' && p[2] == '}') {
      size_t index = static_cast<size_t>(p[1] - '0');
      if (index < args.size())
        result += args[index];
      p += 2;
      continue;
    }
    result += *p;
  }
  return result;
}

void DiagnosticEngine::report(DiagId id, SourceRange range, const std::vector<std::string> &args) {
  Severity sev = severity(id);
  if (sev == Severity::Error && ++errors_ > kMaxErrors)
    return;
  // Warnings are capped too, so a generated file cannot flood the terminal.
  if (sev == Severity::Warning && ++warnings_ > kMaxWarnings) {
    if (warnings_ == kMaxWarnings + 1)
      out_ << "keopsc: note: too many warnings, not printing more\n";
    return;
  }
  if (range.begin.valid())
    printLocation(range);
  else
    out_ << "keopsc: ";
  out_ << severityName(sev) << ": " << format(id, args) << '\n';
  if (range.begin.valid())
    printSnippet(range);
  if (sev == Severity::Error && errors_ == kMaxErrors)
    out_ << "keopsc: note: too many errors, stopping here\n";
}

void DiagnosticEngine::report(DiagId id, const std::vector<std::string> &args) {
  report(id, SourceRange{}, args);
}

void DiagnosticEngine::printLocation(SourceRange range) {
  SourceLoc at = range.point();
  out_ << sources_.name(at.file) << ':' << at.line << ':' << at.col << ": ";
}

// Prints the source line, then a caret under the start and '~' under the rest of the range
// (clang style), so the reader sees exactly which operand is meant.
void DiagnosticEngine::printSnippet(SourceRange range) {
  std::string_view line = sources_.lineText(range.begin.file, range.begin.line);
  out_ << line << '\n';
  uint32_t begin = range.begin.col == 0 ? 1 : range.begin.col;
  uint32_t end = begin + 1;
  if (range.end.file == range.begin.file && range.end.line == range.begin.line &&
      range.end.col > begin)
    end = range.end.col;
  if (end > line.size() + 1)
    end = static_cast<uint32_t>(line.size()) + 1;
  if (end <= begin)
    end = begin + 1;
  uint32_t caret = begin;
  SourceLoc point = range.point();
  if (point.line == range.begin.line && point.col >= begin && point.col < end)
    caret = point.col;
  std::string marker;
  for (uint32_t col = 1; col < begin; ++col)
    marker += (col - 1 < line.size() && line[col - 1] == '\t') ? '\t' : ' ';
  for (uint32_t col = begin; col < end; ++col)
    marker += col == caret ? '^' : '~';
  out_ << marker << '\n';
}

} // namespace keopsc
