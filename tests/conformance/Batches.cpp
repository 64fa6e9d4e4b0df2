// Batches.cpp: batched calls (SPEC.md §5.4): B problems in one call, each block checked against the
// float64 reference of its own problem; with every input batched and with shared inputs (one
// block that every batch reads). Not the unbatched families.
#include "Harness.h"

#include <cstdio>

namespace keopsc::conformance {
namespace {

const int64_t kBatch = 3;

/// B problems of (M, N): x, y, b hold B blocks, g B vectors; `sharedInputs` flags (x, y, b, g)
/// whose first block serves every batch.
struct BatchData {
  Data all; ///< B × M rows of x, B × N rows of y and b, B values of g
  const uint8_t *shared;

  Problem problem(int64_t batch) const {
    const int64_t D = all.D, M = all.M / kBatch, N = all.N / kBatch;
    auto block = [&](int input, int64_t stride) { return shared[input] ? 0 : batch * stride; };
    return {M,
            N,
            {all.xd.data() + block(0, M * D), all.yd.data() + block(1, N * D),
             all.bd.data() + block(2, N * D), all.gd.data() + block(3, 1)}};
  }
};

BatchData makeBatchData(std::mt19937_64 &rng, Family f, int D, int64_t M, int64_t N,
                        const uint8_t *shared) {
  BatchData d{makeData(rng, f, D, kBatch * M, kBatch * N), shared};
  fill(rng, 0.5 / D, 1.5 / D, size_t(kBatch), d.all.g, d.all.gd);
  return d;
}

void runBatchedCase(const Case &c, const BatchData &d, const std::vector<Reference> &refs,
                    const char *callName) {
  const int64_t M = d.all.M / kBatch, N = d.all.N / kBatch;
  const Where w{&c, M, N, callName};
  const int64_t rows = refs.front().rows;
  Outputs o(c, kBatch * rows);
  keops_options opts = KEOPS_OPTIONS_DEFAULT;
  opts.batch = kBatch;
  opts.batch_shared = d.shared;
  const keops_status st = c.main(M, N, o.buffers(d.all), &opts);
  if (!guardsIntact(w, o))
    return;
  if (c.k > refs.front().reduced) {
    if (expectStatus(w, st, KEOPS_ERROR_K_TOO_LARGE))
      stillPoisoned(w, o);
    return;
  }
  if (!expectStatus(w, st, KEOPS_OK))
    return;
  const std::vector<double> values = o.valuesAsDouble(), shifted = o.shiftedAsDouble();
  for (int64_t b = 0; b < kBatch; ++b) {
    MismatchLog log{w};
    const Got got{values.empty() ? nullptr : values.data() + b * rows * c.valuesPerRow,
                  o.indices.empty() ? nullptr : o.indices.data() + b * rows * c.indicesPerRow,
                  shifted.empty() ? nullptr : shifted.data() + b * rows * c.shiftedPerRow};
    gReport.headroom(checkOutputs(refs[size_t(b)], d.problem(b), got, log), c);
  }
}

} // namespace

void runBatches(const std::vector<const Case *> &cases, Family f, int D, int64_t M, int64_t N,
                std::mt19937_64 &rng) {
  static const uint8_t kNoneShared[] = {0, 0, 0, 0}, kYAndGShared[] = {0, 1, 0, 1};
  std::vector<const ir::EntryPoint *> entries;
  for (const Case *c : cases)
    entries.push_back(c->entry);
  for (const uint8_t *shared : {kNoneShared, kYAndGShared}) {
    const BatchData d = makeBatchData(rng, f, D, M, N, shared);
    std::vector<std::vector<Reference>> perBatch; // [batch][case]
    for (int64_t b = 0; b < kBatch; ++b)
      perBatch.push_back(computeReferences(entries, d.problem(b)));
    for (size_t e = 0; e < cases.size(); ++e) {
      std::vector<Reference> refs;
      for (int64_t b = 0; b < kBatch; ++b)
        refs.push_back(perBatch[size_t(b)][e]);
      runBatchedCase(*cases[e], d, refs,
                     shared == kNoneShared ? "main(batch=3)" : "main(batch=3, y and g shared)");
    }
  }
}

} // namespace keopsc::conformance
