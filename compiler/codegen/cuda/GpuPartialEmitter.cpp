// The CUDA half of `_partial`; see GpuPartialEmitter.h.
#include "codegen/cuda/GpuPartialEmitter.h"

#include "codegen/CallRangesEmitter.h"
#include "codegen/PartialState.h"
#include "codegen/Signature.h"
#include "codegen/cuda/CudaKernelEmitter.h"
#include "codegen/cuda/GpuStageEmitter.h"

namespace keopsc::codegen {
namespace {

/// The part's inputs (the caller's device memory, or device copies of its host arrays) and its
/// states, which follow them in the ArrayArg table.
void emitDeviceArrays(const ir::EntryPoint &entry, IndentedWriter &out) {
  for (size_t k = 0; k < entry.inputs.size(); ++k)
    out.line("pa." + inputName(k) + " = static_cast<const " +
             ir::dtypeCType(entry.inputs[k].dtype) + " *>(copies.at(" + std::to_string(k) + "));");
  out.line("pa.states = copies.at(" + std::to_string(entry.inputs.size()) + ");");
}

} // namespace

std::string gpuPartialRunSymbol(const ir::Module &module, const ir::EntryPoint &entry) {
  return entryName(module, entry, "_partial_cuda_run");
}

std::string gpuPartialRunDeclaration(const ir::Module &module, const ir::EntryPoint &entry) {
  return "extern \"C\" keops_status " + gpuPartialRunSymbol(module, entry) +
         "(const void *args, int64_t offset, const keops_options *opts, const void *arrays, "
         "int arrayCount, int mode, char *error, size_t errorSize)";
}

void emitGpuPartialRun(const ir::Module &module, const ir::EntryPoint &entry, IndentedWriter &out) {
  const ir::Stage &stage = entry.stages[0];
  auto fn = out.block(gpuPartialRunDeclaration(module, entry));
  out.line("const keops_rt::ErrorSink err{error, errorSize};");
  auto body = out.block("return keops_rt::guarded(err, [&]() -> keops_status", ");");
  out.line(gpuArgsType(entry) + " pa{};");
  out.line("static_cast<" + entry.name + "_args &>(pa) = *static_cast<const " + entry.name +
           "_args *>(args);");
  out.line("pa.offset = offset;");
  emitGpuRunOpening(out);
  emitDeviceArrays(entry, out);
  out.line("const " + entry.name + "_steps steps = " + entry.name + "_batch_steps(pa, o);");
  emitCallRanges(entry, "pa.M", "pa.N", out);
  out.line("keops_rt::GpuRowTables tables(ctx);");
  const char *extent =
      stage.axis == 1 ? "{1, pa.M, pa.N, ranges.overJ}" : "{1, pa.N, pa.M, ranges.overI}";
  out.line("status = keops_rt::gpuRun<" + gpuStageName(entry, 0) + ">(ctx, tables, pa, steps, " +
           extent + ", o.cuda_scheme, err);");
  emitReturnIfFailed(out);
  emitGpuRunClosing(out);
}

} // namespace keopsc::codegen
