// Conditioning.h: how much a random formula amplifies rounding on given data, measured with
// the float64 evaluator by perturbing every operation's result as a lower precision's rounding
// would. SPEC.md §7.4's constants assume well-conditioned formulas; random ones often are not,
// so the fuzzer widens c_F by what it measures, or redraws data that no precision could meet.
#pragma once

#include "ir/EntryPoint.h"
#include "reference/Reference.h"

#include <random>

namespace keopsc::difffuzz {

/// The largest |F̃ − F| / (u_c · max(|F|, m/64)) over every pair (i, j) and component of the
/// formula and weight, where F̃ is evaluated with every input and every operation's result
/// multiplied by (1 + δ), δ = ±4·u_c (two draws, the second the first's negation), and m is the
/// largest |F| of that component in the pair's output row for a summing reduction (0 for the
/// others, whose values are bounded relative to themselves). Infinity when an intermediate value is
/// not finite, or beyond `limit` in magnitude (what the compute precision can hold).
double roundingAmplification(const ir::EntryPoint &entry, const conformance::Problem &problem,
                             double uc, double limit, std::mt19937_64 &rng);

/// Whether the compute precision's range drops terms that matter: in a reduction of e^(F − m)
/// (the LogSumExp family, SumSoftMaxWeight), m is the row's largest F whatever its weight, so
/// when that term's weight is 0 the weighted terms may lie so far below it that e^(F − m) falls
/// under `smallestNormal` (subnormal or 0 in the compute type, not in float64): true when such
/// terms carry more than `uc` of a row's weighted sum Σ e^(F − m)·|G_k|. Run 17000000, module 269:
/// float32 LogSumExpWeight with 0/1 weights, −inf where float64 has 4.09, as KeOps would give.
bool shiftedTermsUnderflow(const ir::EntryPoint &entry, const conformance::Problem &problem,
                           double smallestNormal, double uc);

/// Whether any operation of the reduction's formula rounds its result (anything but selecting,
/// comparing, negating or taking magnitudes of exact values): then the reference's exact ties
/// may be split by the compiled terms' rounding.
bool termsRound(const ir::EntryPoint &entry);

} // namespace keopsc::difffuzz
