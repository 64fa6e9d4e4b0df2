// Runs IR → IR passes over a module in the order Passes.def or --passes= gives, optionally
// verifying after each and printing the IR after chosen passes. It owns the pipeline, not what
// any pass does.
#pragma once

#include "ir/Module.h"
#include "passes/PassContext.h"

#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace keopsc::passes {

/// A pass: IR in, IR out. It may report diagnostics and fail (returns false).
using PassFunction = bool (*)(ir::Module &, PassContext &);

struct PassInfo {
  const char *name;
  PassFunction run;
  const char *description;
};

/// Every pass, in default pipeline order.
const std::vector<PassInfo> &allPasses();
/// The pass named `name`, or nullptr.
const PassInfo *findPass(const std::string &name);

/// Runs `pipeline` on `module`; after each pass in `printAfter`, prints the IR to `log`. Stops
/// at the first pass that fails (its diagnostics are already reported); returns false then.
bool runPipeline(ir::Module &module, const std::vector<const PassInfo *> &pipeline,
                 PassContext &context, const std::set<std::string> &printAfter, std::ostream &log);

} // namespace keopsc::passes
