// The float64 meaning of SPEC.md §3's linear algebra on row-major flattened vectors; see
// EvaluateRules.h. TensorDot and Kron are written from their definitions (numpy.tensordot over
// every pair of entries, numpy.kron's index formula), not from the strides codegen uses.
#include "ir/EvaluateRules.h"

namespace keopsc::ir::evalrules {
namespace {

/// The multi-index of flat position `flat` in a row-major array of shape `shape`.
IntList unravel(int64_t flat, const IntList &shape) {
  IntList index(shape.size());
  for (size_t k = shape.size(); k-- > 0;) {
    index[k] = flat % shape[k];
    flat /= shape[k];
  }
  return index;
}

/// The multi-indices of every entry of a row-major array of shape `shape`, in order.
std::vector<IntList> allIndices(const IntList &shape, size_t count) {
  std::vector<IntList> indices;
  for (size_t flat = 0; flat < count; ++flat)
    indices.push_back(unravel(static_cast<int64_t>(flat), shape));
  return indices;
}

int64_t ravel(const IntList &index, const IntList &shape) {
  int64_t flat = 0;
  for (size_t k = 0; k < shape.size(); ++k)
    flat = flat * shape[k] + index[k];
  return flat;
}

} // namespace

// out_r = Σ_k A[r·d_b + k]·b_k.
void matVecMult(const Values &a, const Values &b, Values &out) {
  const size_t db = b.size();
  for (size_t r = 0; r < out.size(); ++r) {
    double s = 0;
    for (size_t k = 0; k < db; ++k)
      s += a[r * db + k] * b[k];
    out[r] = s;
  }
}

// out_c = Σ_k b_k·A[k·n + c].
void vecMatMult(const Values &b, const Values &a, Values &out) {
  const size_t n = out.size();
  for (size_t c = 0; c < n; ++c) {
    double s = 0;
    for (size_t k = 0; k < b.size(); ++k)
      s += b[k] * a[k * n + c];
    out[c] = s;
  }
}

void tensorProd(const Values &a, const Values &b, Values &out) {
  for (size_t k = 0; k < a.size(); ++k)
    for (size_t l = 0; l < b.size(); ++l)
      out[k * b.size() + l] = a[k] * b[l];
}

// numpy.tensordot(A, B, axes=(ca, cb)): every pair of entries whose contracted indices agree
// adds its product at the free indices (A's, then B's), free axis m at output position p[m].
void tensorDot(const TensorDotArgs &args, const Values &a, const Values &b, Values &out) {
  const IntList freeA = freeAxes(args.da, args.ca), freeB = freeAxes(args.db, args.cb);
  IntList freeDims;
  for (int64_t axis : freeA)
    freeDims.push_back(args.da[static_cast<size_t>(axis)]);
  for (int64_t axis : freeB)
    freeDims.push_back(args.db[static_cast<size_t>(axis)]);
  IntList outShape(freeDims.size());
  for (size_t m = 0; m < freeDims.size(); ++m)
    outShape[static_cast<size_t>(args.p[m])] = freeDims[m];

  for (double &v : out)
    v = 0;
  const std::vector<IntList> indicesA = allIndices(args.da, a.size());
  const std::vector<IntList> indicesB = allIndices(args.db, b.size());
  IntList position(freeDims.size());
  for (size_t ia = 0; ia < a.size(); ++ia) {
    const IntList &indexA = indicesA[ia];
    for (size_t ib = 0; ib < b.size(); ++ib) {
      const IntList &indexB = indicesB[ib];
      bool agree = true;
      for (size_t t = 0; t < args.ca.size(); ++t)
        agree = agree &&
                indexA[static_cast<size_t>(args.ca[t])] == indexB[static_cast<size_t>(args.cb[t])];
      if (!agree)
        continue;
      size_t m = 0;
      for (int64_t axis : freeA)
        position[static_cast<size_t>(args.p[m++])] = indexA[static_cast<size_t>(axis)];
      for (int64_t axis : freeB)
        position[static_cast<size_t>(args.p[m++])] = indexB[static_cast<size_t>(axis)];
      out[static_cast<size_t>(ravel(position, outShape))] += a[ia] * b[ib];
    }
  }
}

// numpy.kron of the reshaped tensors: entry (i, j) goes to index i_r·db_r + j_r on axis r of a
// tensor of shape da_r·db_r.
void kron(const IntList &da, const IntList &db, const Values &a, const Values &b, Values &out) {
  IntList shape(da.size()), position(da.size());
  for (size_t r = 0; r < da.size(); ++r)
    shape[r] = da[r] * db[r];
  const std::vector<IntList> indicesA = allIndices(da, a.size());
  const std::vector<IntList> indicesB = allIndices(db, b.size());
  for (size_t ia = 0; ia < a.size(); ++ia) {
    const IntList &indexA = indicesA[ia];
    for (size_t ib = 0; ib < b.size(); ++ib) {
      const IntList &indexB = indicesB[ib];
      for (size_t r = 0; r < da.size(); ++r)
        position[r] = indexA[r] * db[r] + indexB[r];
      out[static_cast<size_t>(ravel(position, shape))] = a[ia] * b[ib];
    }
  }
}

} // namespace keopsc::ir::evalrules
