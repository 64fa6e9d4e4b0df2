// Runs IR → IR passes over a module in the order Passes.def or --passes= gives, optionally
// printing the IR after chosen passes. It owns the pipeline, not what any pass does.
#pragma once

#include "ir/Module.h"

#include <functional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace keopsc::passes {

struct PassInfo {
  const char *name;
  void (*run)(ir::Module &);
  const char *description;
};

/// Every pass, in default pipeline order.
const std::vector<PassInfo> &allPasses();
/// The pass named `name`, or nullptr.
const PassInfo *findPass(const std::string &name);

/// Runs `pipeline` on `module`; after each pass in `printAfter`, prints the IR to `log`.
void runPipeline(ir::Module &module, const std::vector<const PassInfo *> &pipeline,
                 const std::set<std::string> &printAfter, std::ostream &log);

} // namespace keopsc::passes
