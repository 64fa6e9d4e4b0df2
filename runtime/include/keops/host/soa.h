// keops/host/soa.h: the reduced-axis inputs of a SIMD CPU stage, transposed once per call so
// that the kernels load W consecutive reduced indices of one component with one vector load.
// Each input of each batch becomes D rows of `npad` values (the reduced length rounded up to a
// multiple of kPad, every ISA's lane count; the padding is zero and masked out by the kernels).
#ifndef KEOPS_HOST_SOA_H
#define KEOPS_HOST_SOA_H

#include <cstdint>
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
  /// Transposes input `k` of batch `b`: `length` rows of `dim` values.
  void add(int64_t b, int k, const T *rows, int64_t length, int64_t dim) {
    const size_t slot = static_cast<size_t>(b * inputs_ + k);
    std::vector<T> &t = data_[slot];
    t.assign(static_cast<size_t>(dim * npad_), T(0));
    for (int64_t j = 0; j < length; ++j)
      for (int64_t d = 0; d < dim; ++d)
        t[static_cast<size_t>(d * npad_ + j)] = rows[j * dim + d];
    pointers_[slot] = t.data();
  }
  /// Batch b's inputs by C position (null for those not transposed).
  const T *const *of(int64_t b) const { return pointers_.data() + b * inputs_; }
  int64_t npad() const { return npad_; }

private:
  int64_t npad_;
  int64_t inputs_;
  std::vector<std::vector<T>> data_;
  std::vector<const T *> pointers_;
};

} // namespace
} // namespace keops_rt

#endif
