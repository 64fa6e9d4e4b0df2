// The chunked terms of the SIMD CPU kernels; see SimdChunkedTerm.h.
#include "codegen/cpu/SimdChunkedTerm.h"

#include "support/Assert.h"

namespace keopsc::codegen {

void emitChunkedScalarBuffer(const std::string &scalar, int rows, int blockLength,
                             IndentedWriter &out) {
  out.line("alignas(64) " + scalar + " scalars[" + std::to_string(rows) + "][" +
           std::to_string(blockLength) + "];");
}

void emitChunkedScalarStore(SimdStateKind kind, const std::string &value, int q,
                            IndentedWriter &out) {
  const std::string dead =
      kind == SimdStateKind::ChunkedSum ? "V::Scalar(0)" : "-keops_rt::infinity<V::Scalar>()";
  out.line("keops_rt::simd::storeLive(" + value + ", live, scalars[" + std::to_string(q) +
           "] + (t - t0), " + dead + ");");
}

void emitChunkedBlock(const ir::Stage &stage, SimdStateKind kind, int rows, int blockLength,
                      IndentedWriter &out) {
  KEOPSC_ASSERT(stage.plan && stage.plan->chunkedTerm, "a chunked block without a chunked term");
  const std::string w =
      "soa" + std::to_string(stage.plan->chunkedTerm->input->varPos()) + " + b0, npad, b1 - b0";
  const std::string head = std::to_string(rows), block = std::to_string(blockLength);
  std::string states;
  for (int q = 0; q < rows; ++q)
    states += (q ? ", st" : "st") + std::to_string(q) +
              (kind == SimdStateKind::ChunkedSum ? ".total" : "");
  if (kind == SimdStateKind::ChunkedSum) {
    out.line("V *const totals[] = {" + states + "};");
    out.line("keops_rt::simd::addChunkedProducts<" + head + ", " +
             std::to_string(stage.formula->dim()) + ">(totals, scalars[0], " + block + ", " + w +
             ");");
    return;
  }
  KEOPSC_ASSERT(kind == SimdStateKind::ChunkedShiftExp, "a chunked block of another state");
  std::string pointers;
  for (int q = 0; q < rows; ++q)
    pointers += (q ? ", &st" : "&st") + std::to_string(q);
  out.line("State *const rows[] = {" + pointers + "};");
  out.line("keops_rt::simd::addChunkedShiftExp<" + head + ">(rows, scalars[0], " + block + ", " +
           w + ");");
}

} // namespace keopsc::codegen
