// Suite.h: a conformance suite's .kfl loaded through keopsc's own frontend and sema, so the
// harness sees the IR of every entry point its library was built from. Not the references.
#pragma once

#include "ir/Module.h"
#include "support/SourceManager.h"

#include <memory>
#include <ostream>
#include <string>

namespace keopsc::conformance {

class Suite {
public:
  /// Parses and analyses `path` as keopsc does for the library `lib<moduleName>.a` (imports
  /// searched beside the file, then in `importDir`). Diagnostics go to `errors`; nullptr on
  /// failure.
  static std::unique_ptr<Suite> load(const std::string &path, const std::string &moduleName,
                                     const std::string &importDir, std::ostream &errors);

  /// The entry point called `name` (the reduction's name, without the module prefix), or null.
  const ir::EntryPoint *entry(const std::string &name) const;
  const ir::Module &module() const { return module_; }

private:
  Suite(std::unique_ptr<SourceManager> sources, ir::Module module)
      : sources_(std::move(sources)), module_(std::move(module)) {}

  std::unique_ptr<SourceManager> sources_;
  ir::Module module_;
};

} // namespace keopsc::conformance
