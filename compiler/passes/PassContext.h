// What a pass gets besides the module: the diagnostics engine, the table from formula nodes to
// the source ranges sema recorded (so a pass reports at the user's file:line:col), and options.
// It owns no IR.
#pragma once

#include "ir/Module.h"
#include "support/Diagnostics.h"

namespace keopsc::passes {

struct PassOptions {
  bool verifyEach = false; ///< run the verifier after every pass
};

class PassContext {
public:
  PassContext(DiagnosticEngine &diags, const ir::SourceMap &sources, PassOptions options = {})
      : diags_(diags), sources_(sources), options_(options) {}

  DiagnosticEngine &diags() { return diags_; }
  const PassOptions &options() const { return options_; }
  /// Where `node` was written; an empty range for nodes a pass created from nothing.
  SourceRange rangeOf(const ir::Formula *node) const {
    auto found = sources_.find(node);
    return found == sources_.end() ? SourceRange() : found->second;
  }

private:
  DiagnosticEngine &diags_;
  const ir::SourceMap &sources_;
  PassOptions options_;
};

} // namespace keopsc::passes
