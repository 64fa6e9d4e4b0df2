// Derivative rules of the Complex operations (SPEC.md §3); see Rules.h.
#include "passes/autodiff/Rules.h"

namespace keopsc::passes::differentiation {

Contribution complexAdjoint(Builder &, const ir::Formula *y, size_t, const ir::Formula *) {
  switch (y->kind()) {
  default: // Rules.cpp dispatches only this family's ops here
    return missingRule();
  }
}

} // namespace keopsc::passes::differentiation
