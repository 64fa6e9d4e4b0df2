// Reduction-level derivatives (SPEC.md §6) as new entry points built from another entry
// point's stages: `Grad(r, x)` sweeps r's stages backwards (reverse mode), `Diff(r, x)`
// forwards, so derived reductions nest to any depth. Each stage s contributes through a pair
// term H_s whose sum over the reduced index has the derivative of s's values when s's own
// results (out, lse, indices) are held fixed:
//   Sum: F;   LogSumExp: e^(F − out), times G with a weight;   SumSoftMaxWeight:
//   e^(F − lse)·(G − out);   Min/Max/K-min values: F at the reported indices.
// Those results are recomputed by r's stages inside the new entry point, into internal
// workspaces. The formula-level Grad and Diff nodes built here are expanded by the autodiff pass.
#pragma once

#include "ir/EntryPoint.h"

#include <string>
#include <variant>

namespace keopsc::sema {

enum class DerivativeKind {
  Gradient,   ///< Grad(r, x): appends e (r's values' shape), writes x's shape
  Directional ///< Diff(r, x): appends u (x's shape), writes r's values' shape
};

/// Why a derivative entry point cannot be built.
struct DerivativeError {
  bool noGradient = false; ///< true: r's reduction has no gradient (Arg*, Max_SumShiftExp*)
  std::string what;        ///< the reduction's name, or what is not supported yet
};

/// `name`, with '_' appended until no input of `entry` has it: the appended e's (or u's) name.
std::string unusedInputName(const ir::EntryPoint &entry, std::string name);

/// The entry point of the derivative of `base` with respect to its C input `pos`, with the
/// appended input named `appendedName`. Name, location and options are the caller's.
std::variant<ir::EntryPoint, DerivativeError> differentiateEntry(ir::FormulaContext &context,
                                                                 const ir::EntryPoint &base,
                                                                 int pos, DerivativeKind kind,
                                                                 const std::string &appendedName);

} // namespace keopsc::sema
