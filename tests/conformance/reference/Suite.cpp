// Suite.cpp: loading a suite's .kfl through the frontend and sema; see Suite.h.
// No passes run: the reference evaluates the formulas as the user wrote them.
#include "reference/Suite.h"

#include "frontend/Parser.h"
#include "sema/Sema.h"
#include "support/Diagnostics.h"

namespace keopsc::conformance {

std::unique_ptr<Suite> Suite::load(const std::string &path, const std::string &moduleName,
                                   const std::string &importDir, std::ostream &errors) {
  auto sources = std::make_unique<SourceManager>();
  DiagnosticEngine diags(*sources, errors);
  auto program = frontend::loadProgram(path, {importDir}, *sources, diags);
  if (!program)
    return nullptr;
  auto module = sema::analyze(*program, moduleName, *sources, diags);
  if (!module || diags.hasErrors())
    return nullptr;
  return std::unique_ptr<Suite>(new Suite(std::move(sources), std::move(*module)));
}

const ir::EntryPoint *Suite::entry(const std::string &name) const {
  for (const ir::EntryPoint &e : module_.entryPoints)
    if (e.name == name)
      return &e;
  return nullptr;
}

} // namespace keopsc::conformance
