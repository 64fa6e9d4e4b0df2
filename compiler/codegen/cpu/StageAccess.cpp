// The split of CPU stages' output rows over the threads; see StageAccess.h.
#include "codegen/cpu/StageAccess.h"

namespace keopsc::codegen {

void emitParallelRows(const ir::Stage &stage, const std::vector<std::string> &body,
                      IndentedWriter &out) {
  std::string rows = stage.axis == 1 ? "a.M" : "a.N";
  std::string reduced = stage.axis == 1 ? "a.N" : "a.M";
  auto call = out.block("keops_rt::parallelRows(B * " + rows + ", double(" + reduced + ") * " +
                            std::to_string(stage.formula->dim() + 1) +
                            ", o.num_threads, [&](int64_t begin, int64_t end)",
                        ");");
  out.line("keops_rt::forEachBatch(begin, end, " + rows +
           ", [&](int64_t b, int64_t lo, int64_t hi) {");
  for (const std::string &line : body)
    out.line("  " + line);
  out.line("});");
}

} // namespace keopsc::codegen
