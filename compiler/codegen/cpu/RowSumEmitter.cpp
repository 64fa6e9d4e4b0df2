// Row sums of Pm gradients; see RowSumEmitter.h.
#include "codegen/cpu/RowSumEmitter.h"

#include "codegen/Signature.h"

namespace keopsc::codegen {

/// Pm gradients: each row-summed stage's workspace (B blocks of rows) is summed into its C
/// output, one row per batch or one for all when the Pm is batch_shared, after every stage ran.
void emitRowSums(const ir::EntryPoint &entry, IndentedWriter &out) {
  for (size_t k = 0; k < entry.outputs.size(); ++k) {
    const ir::Output &o = entry.outputs[k];
    if (o.sumOf < 0)
      continue;
    const ir::Stage &stage = entry.stages[static_cast<size_t>(o.stage)];
    const ir::Output &rows = entry.outputs[static_cast<size_t>(o.sumOf)];
    std::string scheme = stage.numerics.sumScheme == ir::SumScheme::Kahan    ? "Kahan"
                         : stage.numerics.sumScheme == ir::SumScheme::Direct ? "Direct"
                                                                             : "Pairwise";
    out.line("keops_rt::sumRowGroups<" + std::string(ir::dtypeCType(stage.numerics.accDtype)) +
             ">(keops_rt::RowSumScheme::" + scheme + ", a." +
             outputName(static_cast<size_t>(o.sumOf)) + ", B * a." + rowsOf(rows.rows) +
             ", keops_rt::inputBlocks(o, " + std::to_string(o.sharedAs) + "), " +
             std::to_string(o.width) + ", a." + outputName(k) + ");");
  }
}

} // namespace keopsc::codegen
