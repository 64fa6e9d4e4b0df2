// The user-facing error channel: file:line:col diagnostics with the source line and a caret.
// Compiler bugs do not come here; they use KEOPSC_ASSERT (support/Assert.h).
#pragma once

#include "support/SourceManager.h"

#include <ostream>
#include <string>
#include <vector>

namespace keopsc {

enum class DiagId {
#define KEOPSC_DIAG(Id, Severity, Format) Id,
#include "support/DiagnosticKinds.def"
};

enum class Severity { Note, Warning, Error };

class DiagnosticEngine {
public:
  DiagnosticEngine(const SourceManager &sources, std::ostream &out)
      : sources_(sources), out_(out) {}

  /// Reports `id` at `range`, filling the format's {0}, {1}, ... with `args`.
  void report(DiagId id, SourceRange range, const std::vector<std::string> &args = {});
  /// Reports a diagnostic without a source location (driver errors).
  void report(DiagId id, const std::vector<std::string> &args = {});

  unsigned errorCount() const { return errors_; }
  bool hasErrors() const { return errors_ != 0; }
  /// Beyond this many errors the engine stops printing; callers may keep going.
  static constexpr unsigned kMaxErrors = 20;
  static constexpr unsigned kMaxWarnings = 50;

  static std::string format(DiagId id, const std::vector<std::string> &args);
  static Severity severity(DiagId id);

private:
  void printLocation(SourceRange range);
  void printSnippet(SourceRange range);

  const SourceManager &sources_;
  std::ostream &out_;
  unsigned errors_ = 0;
  unsigned warnings_ = 0;
};

} // namespace keopsc
