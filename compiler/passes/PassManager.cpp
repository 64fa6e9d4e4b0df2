// The pass registry and pipeline runner; see PassManager.h.
#include "passes/PassManager.h"

#include "ir/Printer.h"
#include "passes/Autodiff.h"
#include "passes/ExpOfProduct.h"
#include "passes/PlanKernels.h"
#include "passes/PruneStages.h"
#include "passes/Reassociate.h"
#include "passes/Simplify.h"
#include "passes/Verify.h"

namespace keopsc::passes {

const std::vector<PassInfo> &allPasses() {
  static const std::vector<PassInfo> passes = {
#define KEOPSC_PASS(Name, Function, Description) {Name, Function, Description},
#include "passes/Passes.def"
  };
  return passes;
}

const PassInfo *findPass(const std::string &name) {
  for (const PassInfo &pass : allPasses())
    if (name == pass.name)
      return &pass;
  return nullptr;
}

bool runPipeline(ir::Module &module, const std::vector<const PassInfo *> &pipeline,
                 PassContext &context, const std::set<std::string> &printAfter, std::ostream &log) {
  for (const PassInfo *pass : pipeline) {
    if (!pass->run(module, context))
      return false;
    if (context.options().verifyEach && pass->run != verifyModule)
      verifyModule(module, context);
    if (printAfter.count(pass->name))
      log << "// ----- IR after " << pass->name << '\n' << ir::printModule(module);
  }
  return true;
}

} // namespace keopsc::passes
