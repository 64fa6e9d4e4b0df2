// RandomModule.h: the .kfl text of a module of random reductions: a random formula (and weight)
// under a random reduction of every ready kind, axis, dtype, K and summation option. Not the
// calls or the checks (Differential.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace keopsc::difffuzz {

struct DrawnModule {
  std::string text;               ///< the .kfl source
  std::vector<std::string> names; ///< its reductions, in order
};

/// `count` reductions r0, r1, … drawn from `seed`; each takes every alias of the module, in
/// order, so they all share one C signature shape (kAliases).
DrawnModule drawModule(uint64_t seed, int count);

/// The module's aliases, "a0 = Vi(3)" style, in order.
const std::vector<std::string> &aliasDeclarations();

} // namespace keopsc::difffuzz
