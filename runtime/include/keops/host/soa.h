// keops/host/soa.h: the reduced-axis inputs of a SIMD CPU stage, transposed once per call so
// that the kernels load W consecutive reduced indices of one component with one vector load.
// Each input of each batch becomes D rows of `npad` values (the reduced length rounded up to a
// multiple of kPad, every ISA's lane count; the padding is zero and masked out by the kernels).
#ifndef KEOPS_HOST_SOA_H
#define KEOPS_HOST_SOA_H

#include "keops/host/parallel.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace keops_rt {
namespace {

template <class T> class SoaInputs {
public:
  static constexpr int64_t kPad = 64;
  /// Room for `inputs` inputs (C argument positions) of `batches` batches, `length` rows each.
  SoaInputs(int64_t batches, int inputs, int64_t length)
      : npad_((length + kPad - 1) / kPad * kPad), inputs_(inputs),
        data_(static_cast<size_t>(batches * inputs)),
        pointers_(static_cast<size_t>(batches * inputs), nullptr) {}
  /// Transposes input `k` of batch `b`: `length` rows of `dim` values, on up to `threads`
  /// threads (0: all) when it is large. The storage is written once, by the transposition
  /// itself (first touching fresh pages costs as much as the copy), in blocks of kPad rows.
  void add(int64_t b, int k, const T *rows, int64_t length, int64_t dim, int threads) {
    const size_t slot = static_cast<size_t>(b * inputs_ + k);
    data_[slot].reset(new T[static_cast<size_t>(dim * npad_)]);
    T *out = data_[slot].get();
    const int64_t blocks = npad_ / kPad;
    // A value copied costs about a sixteenth of a term evaluation (parallelRows' unit).
    parallelRows(blocks, double(kPad * dim) / 16.0, threads, [&](int64_t begin, int64_t end) {
      for (int64_t block = begin; block < end; ++block)
        transposeBlock(out, rows, length, dim, block * kPad);
    });
    pointers_[slot] = out;
  }
  /// Batch b's inputs by C position (null for those not transposed).
  const T *const *of(int64_t b) const { return pointers_.data() + b * inputs_; }
  int64_t npad() const { return npad_; }

private:
  /// Rows [j0, j0 + kPad) as kPad values per component (the rows stay in L1 meanwhile); zeros
  /// past the last row.
  void transposeBlock(T *out, const T *rows, int64_t length, int64_t dim, int64_t j0) const {
    const int64_t j1 = std::min(length, j0 + kPad);
    for (int64_t d = 0; d < dim; ++d) {
      T *column = out + d * npad_;
      for (int64_t j = j0; j < j1; ++j)
        column[j] = rows[j * dim + d];
      for (int64_t j = std::max(j0, j1); j < j0 + kPad; ++j)
        column[j] = T(0);
    }
  }

  int64_t npad_;
  int64_t inputs_;
  std::vector<std::unique_ptr<T[]>> data_;
  std::vector<const T *> pointers_;
};

} // namespace
} // namespace keops_rt

#endif
