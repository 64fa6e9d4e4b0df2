// The CUDA run function of an entry point; see CudaKernelEmitter.h.
#include "codegen/cuda/CudaKernelEmitter.h"

#include "codegen/CallRangesEmitter.h"
#include "codegen/Signature.h"
#include "codegen/cuda/GpuStageEmitter.h"
#include "support/Assert.h"

namespace keopsc::codegen {
namespace {

/// The arrays the kernels use (emitGpuRunOpening's `copies`): the caller's (device memory), or
/// device copies of the caller's host arrays (the dispatcher's kGpuCopyArrays). The ArrayArg table
/// lists the C inputs, then the C outputs (EntryEmitter's emitArrayTable).
void emitDeviceArrays(const ir::EntryPoint &entry, IndentedWriter &out) {
  int index = 0;
  for (size_t k = 0; k < entry.inputs.size(); ++k)
    if (ir::isCArgument(entry.inputs[k]))
      out.line("a." + inputName(k) + " = static_cast<const " +
               ir::dtypeCType(entry.inputs[k].dtype) + " *>(copies.at(" + std::to_string(index++) +
               "));");
  for (size_t k = 0; k < entry.outputs.size(); ++k)
    if (ir::isCArgument(entry.outputs[k]))
      out.line("a." + outputName(k) + " = static_cast<" + ir::dtypeCType(entry.outputs[k].dtype) +
               " *>(copies.at(" + std::to_string(index++) + "));");
}

/// Device workspaces for the stage results later stages (or row sums) read, B blocks each, and
/// the internal inputs that alias them.
void emitWorkspaces(const ir::EntryPoint &entry, IndentedWriter &out) {
  for (size_t k = 0; k < entry.outputs.size(); ++k) {
    const ir::Output &o = entry.outputs[k];
    if (ir::isCArgument(o))
      continue;
    std::string type = ir::dtypeCType(o.dtype), name = "workspace" + std::to_string(k);
    out.line("keops_rt::GpuBuffer<" + type + "> " + name + "(ctx);");
    out.line("int64_t " + name + "Size = 0;");
    out.line("status = keops_rt::workspaceElements(B, a." + std::string(rowsOf(o.rows)) + ", " +
             std::to_string(o.width) + ", int64_t(sizeof(" + type + ")), " + name + "Size, err);");
    emitReturnIfFailed(out);
    out.line("status = " + name + ".allocate(" + name + "Size, err);");
    emitReturnIfFailed(out);
    out.line("a." + outputName(k) + " = " + name + ".get();");
  }
  for (size_t k = 0; k < entry.inputs.size(); ++k) {
    const ir::Input &in = entry.inputs[k];
    if (!ir::isCArgument(in))
      out.line("a." + inputName(k) + " = a." + outputName(static_cast<size_t>(in.producer)) + ";");
  }
}

/// Every stage in order, each one launch over every batch (stream order makes a later stage see
/// an earlier one's results), GPU_1D or GPU_2D as cuda_scheme says (AUTO: by size,
/// keops_rt::gpu2dPays); stages over the same ranges share their row tables.
void emitStageLaunches(const ir::EntryPoint &entry, IndentedWriter &out) {
  out.line("const " + entry.name + "_steps steps = " + entry.name + "_batch_steps(a, o);");
  out.line("keops_rt::GpuRowTables tables(ctx);");
  for (size_t k = 0; k < entry.stages.size(); ++k) {
    const ir::Stage &stage = entry.stages[k];
    const char *extent =
        stage.axis == 1 ? "{B, a.M, a.N, ranges.overJ}" : "{B, a.N, a.M, ranges.overI}";
    out.line(std::string("status = keops_rt::gpuRun<") + gpuStageName(entry, k) +
             ">(ctx, tables, a, steps, " + extent + ", o.cuda_scheme, err);");
    emitReturnIfFailed(out);
  }
}

/// Pm gradients: the row-summed workspaces into their C outputs (keops/portable/row_sum.h).
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
    out.line("status = keops_rt::gpuRowSums<" +
             std::string(ir::dtypeCType(stage.numerics.accDtype)) + ">(ctx, " +
             "keops_rt::RowSumScheme::" + scheme + ", a." +
             outputName(static_cast<size_t>(o.sumOf)) + ", B * a." + rowsOf(rows.rows) +
             ", keops_rt::inputBlocks(o, " + std::to_string(o.sharedAs) + "), " +
             std::to_string(o.width) + ", a." + outputName(k) + ", err);");
    emitReturnIfFailed(out);
  }
}

} // namespace

std::string cudaRunSymbol(const ir::Module &module, const ir::EntryPoint &entry) {
  return entryName(module, entry, "_cuda_run");
}

std::string cudaRunDeclaration(const ir::Module &module, const ir::EntryPoint &entry) {
  return "extern \"C\" keops_status " + cudaRunSymbol(module, entry) +
         "(const void *args, const keops_options *opts, const void *arrays, int arrayCount, "
         "int mode, char *error, size_t errorSize)";
}

std::string gpuMemorySymbol(const ir::Module &module) { return module.name + "_gpu_memory"; }

std::string gpuMemoryDeclaration(const ir::Module &module) {
  return "extern \"C\" int " + gpuMemorySymbol(module) + "(const void *arrays, int arrayCount)";
}

std::string gpuCountSymbol(const ir::Module &module) { return module.name + "_gpu_count"; }

std::string gpuCountDeclaration(const ir::Module &module) {
  return "extern \"C\" int " + gpuCountSymbol(module) + "(void)";
}

void emitGpuRunOpening(IndentedWriter &out) {
  out.line("const keops_options &o = *opts;");
  out.line("keops_rt::GpuContext ctx;");
  out.line("keops_status status = keops_rt::gpuOpen(o, ctx, err);");
  emitReturnIfFailed(out);
  out.line("const keops_rt::GpuCloser closer{ctx};");
  out.line("const keops_rt::ArrayArg *table = static_cast<const keops_rt::ArrayArg *>(arrays);");
  out.line("const bool copy = (mode & keops_rt::kGpuCopyArrays) != 0;");
  out.line("status = copy ? KEOPS_OK : keops_rt::gpuCheckPointers(ctx, table, arrayCount, err);");
  emitReturnIfFailed(out);
  out.line("keops_rt::GpuCopies copies(ctx, table, arrayCount, copy);");
  out.line("status = copies.upload(err);");
  emitReturnIfFailed(out);
}

void emitGpuRunClosing(IndentedWriter &out) {
  out.line("status = copies.download(err);");
  emitReturnIfFailed(out);
  out.line("return (mode & keops_rt::kGpuSynchronize) ? keops_rt::gpuSynchronize(ctx, err) : "
           "KEOPS_OK;");
}

void emitCudaRun(const ir::Module &module, const ir::EntryPoint &entry, IndentedWriter &out) {
  for (const ir::Stage &stage : entry.stages)
    KEOPSC_ASSERT(stage.plan.has_value(), "codegen needs the plan-kernels pass");
  auto fn = out.block(cudaRunDeclaration(module, entry));
  out.line("const keops_rt::ErrorSink err{error, errorSize};");
  auto body = out.block("return keops_rt::guarded(err, [&]() -> keops_status", ");");
  out.line(gpuArgsType(entry) + " a{};"); // with a GPU partial: states null, rows finished
  out.line("static_cast<" + entry.name + "_args &>(a) = *static_cast<const " + entry.name +
           "_args *>(args);");
  emitGpuRunOpening(out);
  emitDeviceArrays(entry, out);
  out.line("const int64_t B = keops_rt::batchCount(o);");
  emitCallRanges(entry, "a.M", "a.N", out);
  emitWorkspaces(entry, out);
  emitStageLaunches(entry, out);
  emitRowSums(entry, out);
  emitGpuRunClosing(out);
}

} // namespace keopsc::codegen
