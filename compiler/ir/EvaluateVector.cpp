// The float64 meaning of SPEC.md §3's vector operations; see EvaluateRules.h.
#include "ir/EvaluateRules.h"

#include <algorithm>
#include <cmath>

namespace keopsc::ir::evalrules {
namespace {

size_t index(int64_t k) { return static_cast<size_t>(k); }

double sumOfSquares(const Values &f) {
  double s = 0;
  for (double v : f)
    s += v * v;
  return s;
}

} // namespace

void sumT(const Values &f, Values &out) {
  for (double &v : out)
    v = f[0];
}

// SPEC.md §3: NaN if any component is NaN, and the Arg forms give the first NaN's index;
// otherwise the first extremal component (ties go to the smallest index).
void extremum(const Values &f, Extremum which, Values &out) {
  const bool max = which == Extremum::Max || which == Extremum::ArgMax;
  size_t best = 0;
  for (size_t k = 0; k < f.size(); ++k) {
    if (std::isnan(f[k])) {
      best = k;
      break;
    }
    if (max ? f[k] > f[best] : f[k] < f[best])
      best = k;
  }
  const bool arg = which == Extremum::ArgMax || which == Extremum::ArgMin;
  out[0] = arg ? static_cast<double>(best) : f[best];
}

void norm2(const Values &f, Values &out) { out[0] = std::sqrt(sumOfSquares(f)); }

// f·Rsqrt(Σ f²) with Rsqrt(0) = 0, so the zero vector normalizes to 0 (SPEC.md §3).
void normalize(const Values &f, Values &out) {
  const double s = sumOfSquares(f);
  const double scale = s == 0 ? 0 : 1 / std::sqrt(s);
  for (size_t k = 0; k < f.size(); ++k)
    out[k] = f[k] * scale;
}

void weightedSqNorm(const Values &s, const Values &f, Values &out) {
  const size_t d = f.size();
  double total = 0;
  if (s.size() == 1) { // SqNormIso: s·Σ f²
    total = s[0] * sumOfSquares(f);
  } else if (s.size() == d) { // SqNormDiag: Σ s_k f_k²
    for (size_t k = 0; k < d; ++k)
      total += s[k] * f[k] * f[k];
  } else { // SymSqNorm: Σ_kl s[k·d + l] f_k f_l
    for (size_t k = 0; k < d; ++k)
      for (size_t l = 0; l < d; ++l)
        total += s[k * d + l] * f[k] * f[l];
  }
  out[0] = total;
}

void weightedSqDist(const Values &s, const Values &f, const Values &g, Values &out) {
  Values diff(std::max(f.size(), g.size()));
  for (size_t k = 0; k < diff.size(); ++k)
    diff[k] = f[f.size() == 1 ? 0 : k] - g[g.size() == 1 ? 0 : k];
  weightedSqNorm(s, diff, out);
}

void elemT(const Values &f, int64_t m, Values &out) {
  for (double &v : out)
    v = 0;
  out[index(m)] = f[0];
}

void extract(const Values &f, int64_t start, Values &out) {
  for (size_t k = 0; k < out.size(); ++k)
    out[k] = f[index(start) + k];
}

void extractT(const Values &f, int64_t start, Values &out) {
  for (double &v : out)
    v = 0;
  for (size_t k = 0; k < f.size(); ++k)
    out[index(start) + k] = f[k];
}

// 1 at k = ⌊f + ½⌋ computed exactly (f + ½ itself may round up to the next integer), zeros when
// k falls outside [0, D), NaNs for NaN (SPEC.md §3).
void oneHot(const Values &f, Values &out) {
  const double x = f[0];
  const double below = std::floor(x);
  const double k = x - below >= 0.5 ? below + 1 : below;
  for (size_t c = 0; c < out.size(); ++c)
    out[c] = std::isnan(x) ? x : static_cast<double>(c) == k ? 1.0 : 0.0;
}

} // namespace keopsc::ir::evalrules
