// Parts.cpp: the sharding entry points (README, "Sharding"): a reduction split over parts of its
// reduced axis by _partial, the parts' states merged by _merge in a random order, and _finalize's
// outputs checked against the float64 reference and, for the reductions that select terms
// (Min/Max, the K-min family, every index), bitwise against the one-call entry point. On the
// emulated GPU's libraries each part runs on the CPU or the GPU at random.
#include "Harness.h"

#include <algorithm>
#include <cstring>

namespace keopsc::conformance {
namespace {

/// Cut points 0 = c_0 ≤ c_1 ≤ … ≤ c_P = reduced, some repeated (empty parts).
std::vector<int64_t> randomCuts(std::mt19937_64 &rng, int64_t reduced) {
  const int64_t parts = 1 + int64_t(rng() % 6);
  std::vector<int64_t> cuts = {0, reduced};
  for (int64_t p = 1; p < parts; ++p)
    cuts.push_back(rng() % 4 == 0 ? cuts[size_t(rng() % cuts.size())]
                                  : int64_t(rng() % uint64_t(reduced + 1)));
  std::sort(cuts.begin(), cuts.end());
  return cuts;
}

/// Reductions whose results are terms of the data, not sums: exact whatever the parts.
bool selectsTerms(Family f) {
  return f == Family::MinMax || f == Family::ArgKMin || f == Family::KMinArgKMin ||
         f == Family::KMin;
}

/// The inputs of the part [lo, hi) of the reduced axis: the reduced category's rows from lo.
Buffers partBuffers(const Case &c, const Data &d, int64_t lo) {
  Buffers io{d.x.data(), d.y.data(), d.b.data(), d.g.data(), nullptr, nullptr, nullptr};
  const size_t shift = size_t(lo) * size_t(d.D);
  if (c.axis == 1) {
    io.y += shift;
    io.b += shift;
  } else {
    io.x += shift;
  }
  return io;
}

/// A part's options: on the emulated GPU's libraries the CPU, the GPU or the automatic choice
/// (there the emulated GPU) at random, so parts of both backends merge and finalize together;
/// elsewhere the automatic choice, the CPU.
keops_options partOptions(std::mt19937_64 &rng) {
  keops_options o = KEOPS_OPTIONS_DEFAULT;
#if defined(CONF_GPU_EMULATED)
  const keops_backend backends[] = {KEOPS_BACKEND_CPU, KEOPS_BACKEND_CUDA, KEOPS_BACKEND_AUTO};
  o.backend = backends[rng() % 3];
#else
  (void)rng;
#endif
  return o;
}

const char *backendName(int32_t b) {
  return b == KEOPS_BACKEND_CPU ? "cpu" : b == KEOPS_BACKEND_CUDA ? "cuda" : "auto";
}

template <class T> bool sameBits(const std::vector<T> &a, const std::vector<T> &b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

void runPartsOfCase(const Case &c, const Data &d, const Problem &problem, const Reference &ref,
                    std::mt19937_64 &rng) {
  const int64_t reduced = c.axis == 1 ? d.N : d.M, rows = ref.rows;
  if (c.k > reduced) // the one-call entry point refuses it (checked elsewhere)
    return;
  const std::vector<int64_t> cuts = randomCuts(rng, reduced);
  std::vector<keops_options> options;
  std::string call = "partial/merge/finalize, parts at";
  for (int64_t cut : cuts)
    call += " " + std::to_string(cut);
  call += ", on";
  for (size_t p = 0; p + 1 < cuts.size(); ++p) {
    options.push_back(partOptions(rng));
    call += std::string(" ") + backendName(options.back().backend);
  }
  const Where w{&c, d.M, d.N, call.c_str()};
  // Each part's states start as garbage: _partial must write them all.
  std::vector<std::vector<unsigned char>> states;
  for (size_t p = 0; p + 1 < cuts.size(); ++p) {
    states.emplace_back(size_t(rows * c.stateBytes), 0xA5);
    const int64_t lo = cuts[p], length = cuts[p + 1] - cuts[p];
    const keops_status st = c.partial(c.axis == 1 ? d.M : length, c.axis == 1 ? length : d.N,
                                      partBuffers(c, d, lo), lo, states.back().data(), &options[p]);
    if (!expectStatus(w, st, KEOPS_OK))
      return;
  }
  // Merge in a random order: any two live states, the second folded into the first.
  std::vector<size_t> live(states.size());
  for (size_t p = 0; p < live.size(); ++p)
    live[p] = p;
  while (live.size() > 1) {
    const size_t i = size_t(rng() % live.size());
    size_t j = size_t(rng() % (live.size() - 1));
    j += j >= i ? 1 : 0;
    if (!expectStatus(w, c.merge(rows, states[live[i]].data(), states[live[j]].data()), KEOPS_OK))
      return;
    live.erase(live.begin() + std::ptrdiff_t(j));
  }
  Outputs got(c, rows);
  const keops_status st = c.finalize(rows, states[live[0]].data(), got.buffers(d));
  if (!guardsIntact(w, got) || !expectStatus(w, st, KEOPS_OK))
    return;
  const std::vector<double> values = got.valuesAsDouble(), shifted = got.shiftedAsDouble();
  MismatchLog log{w};
  const Got outputs{values.empty() ? nullptr : values.data(),
                    got.indices.empty() ? nullptr : got.indices.data(),
                    shifted.empty() ? nullptr : shifted.data()};
  // Each merge of two non-empty states rescales sums by an exponential (the LogSumExp family)
  // and adds them: roundings in the accumulator that one call does not make (3 u_a at most; 6
  // a merge). And the bound of SPEC.md §7.4 is within an ulp of what the final m + ln s can
  // round to when |ref| is large against max|F|, so a different s from the same terms may land
  // an ulp or two further: 16 more. (Seed 20044819716429: float64 Kahan LogSumExp at 8.04 out
  // of parts at 0 4841 12289 was 2 ulps off, 1.2 bounds.)
  int64_t merges = -1;
  for (size_t p = 0; p + 1 < cuts.size(); ++p)
    merges += cuts[p + 1] > cuts[p];
  const Widening widening{0, 16 + 6.0 * double(std::max<int64_t>(merges, 0))};
  gReport.headroom(checkOutputs(ref, problem, outputs, log, widening), c);
  if (!selectsTerms(c.family))
    return;
  Outputs whole(c, rows);
  if (!expectStatus(w, c.main(d.M, d.N, whole.buffers(d), nullptr), KEOPS_OK))
    return;
  if (!sameBits(got.values, whole.values) || !sameBits(got.indices, whole.indices))
    fail(w, "the merged parts differ from the one-call result");
}

} // namespace

void runParts(const std::vector<const Case *> &cases, const Data &d,
              const std::vector<Reference> &refs, std::mt19937_64 &rng) {
  const Problem problem = d.problem();
  for (size_t e = 0; e < cases.size(); ++e)
    runPartsOfCase(*cases[e], d, problem, refs[e], rng);
}

} // namespace keopsc::conformance
