// The float64 meaning of SelectByIndex and GatherByIndex, the picks through reported indices
// that Min/Max/KMin gradients are built from (SPEC.md §6); see EvaluateRules.h.
#include "ir/EvaluateRules.h"

namespace keopsc::ir::evalrules {

void selectByIndex(const Values &idx, const Values &f, int64_t K, int64_t index, Values &out) {
  const size_t d = f.size(), picks = static_cast<size_t>(K);
  // An unpicked component is exactly 0, even where F is not finite.
  for (size_t k = 0; k < picks; ++k)
    for (size_t c = 0; c < d; ++c)
      out[k * d + c] = idx[k * d + c] == static_cast<double>(index) ? f[c] : 0.0;
}

void gatherByIndex(const Values &idx, const Values &e, int64_t K, int64_t index, Values &out) {
  const size_t picks = static_cast<size_t>(K), d = e.size() / picks;
  for (size_t c = 0; c < d; ++c) {
    double s = 0;
    for (size_t k = 0; k < picks; ++k)
      if (idx[k * d + c] == static_cast<double>(index))
        s += e[k * d + c];
    out[c] = s;
  }
}

} // namespace keopsc::ir::evalrules
