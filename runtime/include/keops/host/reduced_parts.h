// keops/host/reduced_parts.h: how a SIMD CPU stage's work is split between threads. Rows go in
// groups of kSimdRowGroup. A stage with few output rows splits its reduced index into parts, so
// that threads share long rows: each part reduces every row into a state, then the
// parts' states of each row are merged in part order and finished. The split depends only on
// the row count and the reduced length, never on the thread count: results do not depend on the
// number of threads (DESIGN.md §5).
#ifndef KEOPS_HOST_REDUCED_PARTS_H
#define KEOPS_HOST_REDUCED_PARTS_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>

namespace keops_rt {
namespace {

/// The SIMD kernels' super-row. A kernel blocks the rows of a call in groups of 4 from its first
/// row, in super-rows of this many; the compiler may contract a row's arithmetic differently in
/// a 4-row block and in a lone row, so threads split rows on multiples of this only: every row
/// then takes the same path, and gets the same bits, whatever the thread count.
constexpr int64_t kSimdRowGroup = 32;

struct ReducedSplit {
  int64_t parts;  ///< 1: no split
  int64_t length; ///< reduced indices per part (the last one may be shorter)
};

/// Parts of at least kMinPart reduced indices, their length a multiple of kAlign (so that
/// block_sum's blocks and the kernels' tiles never straddle two parts), until rows × parts
/// reaches kUnits work units; no split from kUnits rows on.
inline ReducedSplit reducedSplit(int64_t rows, int64_t reduced) {
  constexpr int64_t kUnits = 64, kMinPart = 4096, kAlign = 1024;
  if (rows <= 0 || rows >= kUnits || reduced < 2 * kMinPart)
    return {1, reduced};
  const int64_t parts = std::min((kUnits + rows - 1) / rows, reduced / kMinPart);
  const int64_t length = ((reduced + parts - 1) / parts + kAlign - 1) / kAlign * kAlign;
  return {(reduced + length - 1) / length, length};
}

/// parts × rows states of `bytes` each (a multiple of their alignment, at most 64), part by part.
class PartStates {
public:
  PartStates(int64_t parts, int64_t rows, int64_t bytes)
      : bytes_(bytes), stride_(rows * bytes),
        data_(static_cast<char *>(
            ::operator new(static_cast<size_t>(parts *stride_), std::align_val_t(64)))) {}
  ~PartStates() { ::operator delete(data_, std::align_val_t(64)); }
  PartStates(const PartStates &) = delete;
  PartStates &operator=(const PartStates &) = delete;
  /// Part p's state of row `row`.
  void *at(int64_t p, int64_t row) { return data_ + p * stride_ + row * bytes_; }
  /// Bytes from a part's state of a row to the next part's.
  int64_t stride() const { return stride_; }

private:
  int64_t bytes_;
  int64_t stride_;
  char *data_;
};

} // namespace
} // namespace keops_rt

#endif
