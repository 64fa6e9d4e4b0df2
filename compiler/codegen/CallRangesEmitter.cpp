// Checking a call's ranges and building its spans; see CallRangesEmitter.h.
#include "codegen/CallRangesEmitter.h"

namespace keopsc::codegen {

void emitReturnIfFailed(IndentedWriter &out) {
  out.line("if (status != KEOPS_OK)");
  out.line("  return status;");
}

void emitCallRanges(const ir::EntryPoint &entry, const std::string &rowsM, const std::string &rowsN,
                    IndentedWriter &out) {
  bool overJ = false, overI = false;
  for (const ir::Stage &stage : entry.stages)
    (stage.axis == 1 ? overJ : overI) = true;
  out.line("keops_rt::CallRanges ranges;");
  out.line("status = keops_rt::buildCallRanges(o.ranges, " + rowsM + ", " + rowsN + ", " +
           (overJ ? "true" : "false") + ", " + (overI ? "true" : "false") + ", ranges, err);");
  emitReturnIfFailed(out);
}

} // namespace keopsc::codegen
