// The module IR: the entry points of one library, the formula context that owns their nodes,
// and the side table from nodes to the source ranges that produced them (for pass diagnostics).
#pragma once

#include "ir/EntryPoint.h"
#include "support/SourceManager.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace keopsc::ir {

/// Where each node was first written (sema fills it; passes look up nodes they report on).
using SourceMap = std::unordered_map<const Formula *, SourceRange>;

struct Module {
  std::string name;
  std::string sourcePath; ///< as given on the command line, for banners
  std::unique_ptr<FormulaContext> context = std::make_unique<FormulaContext>();
  std::vector<EntryPoint> entryPoints;
  SourceMap sources;
};

} // namespace keopsc::ir
