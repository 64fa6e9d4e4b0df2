// The CUDA run function of an entry point; see CudaKernelEmitter.h.
#include "codegen/cuda/CudaKernelEmitter.h"

#include "codegen/Signature.h"
#include "codegen/cuda/GpuStageEmitter.h"
#include "support/Assert.h"

namespace keopsc::codegen {
namespace {

void emitReturnIfFailed(IndentedWriter &out) {
  out.line("if (status != KEOPS_OK)");
  out.line("  return status;");
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

/// Every stage of batch b, in order (stream order makes a later stage see an earlier one's
/// results), each GPU_1D or GPU_2D as cuda_scheme says (AUTO: by size, keops_rt::gpu2dPays).
void emitStageLaunches(const ir::EntryPoint &entry, IndentedWriter &out) {
  auto loop = out.block("for (int64_t b = 0; b < B; ++b)");
  out.line("const " + entry.name + "_args s = " + entry.name + "_batch(a, o, b);");
  for (size_t k = 0; k < entry.stages.size(); ++k) {
    const ir::Stage &stage = entry.stages[k];
    const char *rows = stage.axis == 1 ? "s.M" : "s.N";
    const char *reduced = stage.axis == 1 ? "s.N" : "s.M";
    out.line(std::string("status = keops_rt::gpuRun<") + gpuStageName(entry, k) + ">(ctx, s, " +
             rows + ", " + reduced + ", o.cuda_scheme, err);");
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
         "char *error, size_t errorSize)";
}

std::string gpuMemorySymbol(const ir::Module &module) { return module.name + "_gpu_memory"; }

std::string gpuMemoryDeclaration(const ir::Module &module) {
  return "extern \"C\" int " + gpuMemorySymbol(module) + "(const void *arrays, int arrayCount)";
}

void emitCudaRun(const ir::Module &module, const ir::EntryPoint &entry, IndentedWriter &out) {
  for (const ir::Stage &stage : entry.stages)
    KEOPSC_ASSERT(stage.plan.has_value(), "codegen needs the plan-kernels pass");
  auto fn = out.block(cudaRunDeclaration(module, entry));
  out.line("const keops_rt::ErrorSink err{error, errorSize};");
  auto body = out.block("return keops_rt::guarded(err, [&]() -> keops_status", ");");
  out.line(entry.name + "_args a = *static_cast<const " + entry.name + "_args *>(args);");
  out.line("const keops_options &o = *opts;");
  out.line("if (o.ranges)");
  out.line("  return err.fail(KEOPS_ERROR_NOT_SUPPORTED, \"" + module.name + "_" + entry.name +
           "_cuda: block-sparse ranges are not supported by the CUDA backend yet (the CPU "
           "backend takes them)\");");
  out.line("keops_rt::GpuContext ctx;");
  out.line("keops_status status = keops_rt::gpuOpen(o, ctx, err);");
  emitReturnIfFailed(out);
  out.line("const keops_rt::GpuCloser closer{ctx};");
  out.line("status = keops_rt::gpuCheckPointers(ctx, static_cast<const keops_rt::ArrayArg *>("
           "arrays), arrayCount, err);");
  emitReturnIfFailed(out);
  out.line("const int64_t B = keops_rt::batchCount(o);");
  emitWorkspaces(entry, out);
  emitStageLaunches(entry, out);
  emitRowSums(entry, out);
  out.line("return KEOPS_OK;");
}

} // namespace keopsc::codegen
