// RandomRanges.cpp: random block-sparse ranges (SPEC.md §5.3) for the conformance families, and
// the pairs (i, j) they select, computed straight from the arrays (not through the runtime's
// spans), so the reference and the library share nothing but the keops_ranges they are given.
#include "Harness.h"

#include <algorithm>
#include <cstdio>

namespace keopsc::conformance {
namespace {

/// [0, length) cut at up to `pieces` - 1 distinct random points: consecutive [a, b) intervals.
std::vector<std::pair<int64_t, int64_t>> cut(std::mt19937_64 &rng, int64_t length, int pieces) {
  std::vector<int64_t> points = {0, length};
  std::uniform_int_distribution<int64_t> at(1, std::max<int64_t>(1, length - 1));
  for (int k = 1; k < pieces && length > 1; ++k)
    points.push_back(at(rng));
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  std::vector<std::pair<int64_t, int64_t>> intervals;
  for (size_t k = 1; k < points.size(); ++k)
    intervals.push_back({points[k - 1], points[k]});
  return intervals;
}

/// One triple: output rows [0, rows) in clusters (some left uncovered, one empty, shuffled), each
/// reducing over a random, shuffled subset of a cut of [0, reduced) (with an empty interval
/// now and then); `mask[row * reduced + t]` marks what row `row` sees.
void makeTriple(std::mt19937_64 &rng, int64_t rows, int64_t reduced, std::vector<int64_t> &ranges,
                std::vector<int64_t> &slices, std::vector<int64_t> &redranges,
                std::vector<uint8_t> &mask) {
  std::bernoulli_distribution keepCluster(0.8), keepSpan(0.6), addEmpty(0.3);
  auto clusters = cut(rng, rows, 6);
  clusters.erase(
      std::remove_if(clusters.begin(), clusters.end(),
                     [&](const std::pair<int64_t, int64_t> &) { return !keepCluster(rng); }),
      clusters.end());
  if (addEmpty(rng))
    clusters.push_back({rows / 2, rows / 2}); // an empty cluster anywhere is fine
  std::shuffle(clusters.begin(), clusters.end(), rng);
  mask.assign(size_t(rows * reduced), 0);
  for (const auto &cluster : clusters) {
    ranges.push_back(cluster.first);
    ranges.push_back(cluster.second);
    auto spans = cut(rng, reduced, 5);
    spans.erase(std::remove_if(spans.begin(), spans.end(),
                               [&](const std::pair<int64_t, int64_t> &) { return !keepSpan(rng); }),
                spans.end());
    if (addEmpty(rng))
      spans.push_back({reduced, reduced});
    std::shuffle(spans.begin(), spans.end(), rng);
    for (const auto &span : spans) {
      redranges.push_back(span.first);
      redranges.push_back(span.second);
      for (int64_t row = cluster.first; row < cluster.second; ++row)
        for (int64_t t = span.first; t < span.second; ++t)
          mask[size_t(row * reduced + t)] = 1;
    }
    slices.push_back(int64_t(redranges.size() / 2));
  }
}

/// Clusters of [0, rows): a random cut, with gaps (rows in no cluster) now and then.
std::vector<int64_t> makeClusters(std::mt19937_64 &rng, int64_t rows) {
  std::bernoulli_distribution keep(0.85);
  std::vector<int64_t> bounds;
  for (const auto &interval : cut(rng, rows, 5))
    if (keep(rng)) {
      bounds.push_back(interval.first);
      bounds.push_back(interval.second);
    }
  return bounds;
}

} // namespace

RandomRanges::RandomRanges(std::mt19937_64 &rng, int64_t M, int64_t N, bool fromBlocks) {
  if (fromBlocks) {
    // The i clusters are rangesI, the j clusters rangesJ; pair (i, j) is seen on both axes when
    // the mask keeps its clusters' block.
    rangesI = makeClusters(rng, M);
    rangesJ = makeClusters(rng, N);
    const int64_t ci = int64_t(rangesI.size() / 2), cj = int64_t(rangesJ.size() / 2);
    std::bernoulli_distribution kept(0.5);
    std::vector<uint8_t> blocks(size_t(ci * cj));
    for (uint8_t &b : blocks)
      b = kept(rng) ? 1 : 0;
    storage.assign(size_t(ci + cj + 4 * ci * cj), -1);
    const keops_status st =
        CONF_RANGES_FROM_BLOCKS(ci, rangesI.data(), cj, rangesJ.data(), blocks.data(),
                                storage.data(), int64_t(storage.size()), &ranges);
    if (st != KEOPS_OK)
      std::fprintf(stderr, "ranges_from_blocks failed: %s\n", CONF_LAST_ERROR());
    overJ.assign(size_t(M * N), 0);
    overI.assign(size_t(M * N), 0);
    for (int64_t a = 0; a < ci; ++a)
      for (int64_t b = 0; b < cj; ++b)
        if (blocks[size_t(a * cj + b)])
          for (int64_t i = rangesI[size_t(2 * a)]; i < rangesI[size_t(2 * a + 1)]; ++i)
            for (int64_t j = rangesJ[size_t(2 * b)]; j < rangesJ[size_t(2 * b + 1)]; ++j)
              overJ[size_t(i * N + j)] = overI[size_t(j * M + i)] = 1;
    return;
  }
  makeTriple(rng, M, N, rangesI, slicesI, redrangesJ, overJ);
  makeTriple(rng, N, M, rangesJ, slicesJ, redrangesI, overI);
  // vector::data() of an empty vector may be NULL, which would mean "triple not given".
  static const int64_t kNone = 0;
  auto at = [](const std::vector<int64_t> &v) { return v.empty() ? &kNone : v.data(); };
  ranges = keops_ranges{int64_t(slicesI.size()),
                        at(rangesI),
                        at(slicesI),
                        int64_t(redrangesJ.size() / 2),
                        at(redrangesJ),
                        int64_t(slicesJ.size()),
                        at(rangesJ),
                        at(slicesJ),
                        int64_t(redrangesI.size() / 2),
                        at(redrangesI)};
}

Problem RandomRanges::restrict(Problem problem) const {
  problem.overJ = &overJ;
  problem.overI = &overI;
  return problem;
}

} // namespace keopsc::conformance
