// Argument structs, validation and C entry points; see EntryEmitter.h.
#include "codegen/EntryEmitter.h"

#include "codegen/CallRangesEmitter.h"
#include "codegen/Signature.h"
#include "codegen/cuda/CudaKernelEmitter.h"

#include <string>
#include <utility>
#include <vector>

namespace keopsc::codegen {
namespace {

/// The blocks output `o` holds: one per batch, or one for all batches when it is a row sum that
/// follows a batch_shared input.
std::string outputBlocks(const ir::Output &o) {
  return o.sharedAs >= 0 ? "keops_rt::inputBlocks(o, " + std::to_string(o.sharedAs) + ")" : "B";
}

/// The ArrayArg table of every input and output, for keops_rt::checkArrays. With a batch, each
/// array holds B blocks (a shared input one).
void emitArrayTable(const ir::EntryPoint &entry, IndentedWriter &out) {
  out.line("const keops_rt::ArrayArg arrays[] = {");
  for (size_t k = 0; k < entry.inputs.size(); ++k) {
    const ir::Input &in = entry.inputs[k];
    if (!ir::isCArgument(in))
      continue;
    out.line("    {\"" + headerName(entry, inputName(k)) + "\", " + inputName(k) +
             ", keops_rt::inputBlocks(o, " + std::to_string(k) + "), " + rowsOf(in.cat) + ", " +
             std::to_string(in.dim) + ", int64_t(sizeof(" + ir::dtypeCType(in.dtype) +
             ")), false},");
  }
  for (size_t k = 0; k < entry.outputs.size(); ++k) {
    const ir::Output &o = entry.outputs[k];
    if (!ir::isCArgument(o))
      continue;
    out.line("    {\"" + o.name + "\", " + outputName(k) + ", " + outputBlocks(o) + ", " +
             rowsOf(o.rows) + ", " + std::to_string(o.width) + ", int64_t(sizeof(" +
             ir::dtypeCType(o.dtype) + ")), true},");
  }
  out.line("};");
}

/// K larger than the reduced length of any k-min stage is an error (SPEC.md §7.3).
void emitKChecks(const ir::EntryPoint &entry, IndentedWriter &out) {
  for (const ir::Stage &stage : entry.stages) {
    if (!ir::reductionInfo(stage.kind).takesK)
      continue;
    std::string reduced = stage.axis == 1 ? "N" : "M";
    std::string k = std::to_string(stage.K);
    out.line("if (" + k + " > " + reduced + ")");
    out.line("  return err.fail(KEOPS_ERROR_K_TOO_LARGE, \"K = " + k +
             " is larger than the reduced length " + reduced + " = %lld\", (long long)" + reduced +
             ");");
  }
}

/// `cuda` (which backend runs the call) from the route and the options; an automatic choice
/// waits for the arrays (emitGpuMemoryRoute) unless the entry has one backend only.
void emitBackendChoice(const ir::EntryPoint &entry, IndentedWriter &out) {
  out.line("const bool automatic = route == keops_rt::Route::Dispatch && o.backend == "
           "KEOPS_BACKEND_AUTO;");
  out.line("bool cuda = route == keops_rt::Route::Cuda ||");
  out.line("            (route == keops_rt::Route::Dispatch && o.backend == KEOPS_BACKEND_CUDA);");
  if (!entry.cpuBackend)
    out.line("cuda = cuda || automatic; // the entry's only backend");
  else
    out.line("(void)automatic;");
}

void emitAvailability(const ir::Module &module, const ir::EntryPoint &entry, bool withCuda,
                      IndentedWriter &out) {
  if (!entry.cpuBackend) {
    out.line("if (!cuda)");
    out.line("  return err.fail(KEOPS_ERROR_BACKEND_UNAVAILABLE, \"" + entry.name +
             " was compiled without the cpu backend (backends option)\");");
  }
  if (!entry.cudaBackend || !withCuda) {
    std::string why = entry.cudaBackend
                          ? ": this library has no CUDA code (keopsc built it with "
                            "--backends=cpu, or found no nvcc)"
                          : " was compiled without the cuda backend (backends option)";
    out.line("if (cuda)");
    out.line("  return err.fail(KEOPS_ERROR_BACKEND_UNAVAILABLE, \"" + module.name + "_" +
             entry.name + why + "\");");
  }
}

/// Where the arrays live decides an automatic call (SPEC.md §5.2): GPU memory goes to CUDA, host
/// memory too when a GPU is visible and the call is large enough for the copies to pay
/// (keops_rt::gpuCopiesPay), else to the CPU. A mix is an error, and so is GPU memory on the CPU
/// backend. An emulated GPU's memory is host memory: there every automatic call goes to the
/// emulated GPU (keopsc --cuda-emulate, tests).
void emitGpuMemoryRoute(const ir::Module &module, const ir::EntryPoint &entry,
                        IndentedWriter &out) {
  const std::string who = module.name + "_" + entry.name;
  out.line("const int gpuMemory = " + gpuMemorySymbol(module) +
           "(arrays, int(sizeof arrays / sizeof arrays[0]));");
  out.line("if (gpuMemory == keops_rt::kMixedMemory)");
  out.line("  return err.fail(KEOPS_ERROR_BACKEND_MISMATCH, \"" + who +
           ": some arrays are GPU memory and some host memory (pass all of them in one kind)\");");
  if (entry.cpuBackend) {
    out.line("if (automatic)");
    out.line("  cuda = gpuMemory != keops_rt::kHostMemory ||");
    out.line("         (keops_rt::gpuCopiesPay(B, M, N) && " + gpuCountSymbol(module) + "() > 0);");
  }
  out.line("if (!cuda && gpuMemory == keops_rt::kGpuMemory)");
  out.line("  return err.fail(KEOPS_ERROR_BACKEND_MISMATCH, \"" + who +
           ": GPU memory passed to the CPU backend (use the cuda backend, or host arrays)\");");
}

/// Internal arrays for stage results later stages read (B blocks with a batch), allocated once
/// the arguments are valid (an allocation failure is KEOPS_ERROR_OUT_OF_MEMORY through
/// keops_rt::guarded).
void emitWorkspaces(const ir::EntryPoint &entry, IndentedWriter &out) {
  for (size_t k = 0; k < entry.outputs.size(); ++k) {
    const ir::Output &o = entry.outputs[k];
    if (ir::isCArgument(o))
      continue;
    std::string type = ir::dtypeCType(o.dtype);
    std::string rows = rowsOf(o.rows), width = std::to_string(o.width);
    std::string total = "workspaceRows" + std::to_string(k);
    out.line("int64_t " + total + " = 0;");
    out.line("if (__builtin_mul_overflow(B, " + rows + ", &" + total + ") || " + total +
             " > int64_t(PTRDIFF_MAX / sizeof(" + type + ")) / " + width + ")");
    out.line("  return err.fail(KEOPS_ERROR_OUT_OF_MEMORY, \"a workspace of %lld x %lld x " +
             width + " elements is too large\", (long long)B, (long long)" + rows + ");");
    std::string size = "size_t(" + total + ") * " + width;
    out.line("std::unique_ptr<" + type + "[]> workspace" + std::to_string(k) + "(new " + type +
             "[" + size + "]);");
    out.line(type + " *" + outputName(k) + " = workspace" + std::to_string(k) + ".get();");
  }
  for (size_t k = 0; k < entry.inputs.size(); ++k) {
    const ir::Input &in = entry.inputs[k];
    if (!ir::isCArgument(in))
      out.line("const " + std::string(ir::dtypeCType(in.dtype)) + " *" + inputName(k) + " = " +
               outputName(static_cast<size_t>(in.producer)) + ";");
  }
}

/// The cuda backend once the arguments are valid: the CUDA source's run function, with the
/// arguments (workspaces are its own) and the array table. `_cuda` passes device memory and only
/// enqueues; the dispatcher has host arrays copied (an emulated GPU's too, to test the copies),
/// and returns with the outputs complete (SPEC.md §5.2).
void emitCudaForward(const ir::Module &module, const ir::EntryPoint &entry, IndentedWriter &out) {
  std::string fields = "M, N";
  for (size_t k = 0; k < entry.inputs.size(); ++k)
    fields += ir::isCArgument(entry.inputs[k]) ? ", " + inputName(k) : std::string(", nullptr");
  for (size_t k = 0; k < entry.outputs.size(); ++k)
    fields += ir::isCArgument(entry.outputs[k]) ? ", " + outputName(k) : std::string(", nullptr");
  auto branch = out.block("if (cuda)");
  out.line("const " + entry.name + "_args a{" + fields + "};");
  out.line("const int mode = route != keops_rt::Route::Dispatch ? keops_rt::kGpuDeviceArrays");
  out.line("                 : gpuMemory == keops_rt::kGpuMemory");
  out.line("                     ? keops_rt::kGpuSynchronize");
  out.line("                     : keops_rt::kGpuSynchronize | keops_rt::kGpuCopyArrays;");
  out.line("return " + cudaRunSymbol(module, entry) +
           "(&a, &o, arrays, int(sizeof arrays / sizeof arrays[0]), mode, err.buffer, err.size);");
}

/// `<entry>_call(cuda, ...)`: every check, then the backend's run function.
void emitCall(const ir::Module &module, const ir::EntryPoint &entry, bool withCuda,
              IndentedWriter &out) {
  auto fn = out.block("keops_status " + entry.name + "_call(keops_rt::Route route, " +
                      parameterList(entry, false) + ")");
  out.line("const keops_rt::ErrorSink err{lastError, sizeof lastError};");
  out.line("err.clear();");
  auto body = out.block("return keops_rt::guarded(err, [&]() -> keops_status", ");");
  out.line("keops_options o;");
  out.line("keops_status status = keops_rt::checkOptions(opts, o, err);");
  emitReturnIfFailed(out);
  out.line("status = keops_rt::checkBatchShared(o, " + std::to_string(ir::cInputCount(entry)) +
           ", err);");
  emitReturnIfFailed(out);
  emitBackendChoice(entry, out);
  emitAvailability(module, entry, withCuda, out);
  out.line("if (M < 0 || N < 0)");
  out.line("  return err.fail(KEOPS_ERROR_INVALID_SIZE, \"M and N must be >= 0, got M = %lld, "
           "N = %lld\", (long long)M, (long long)N);");
  out.line("const int64_t B = keops_rt::batchCount(o);");
  emitArrayTable(entry, out);
  out.line("status = keops_rt::checkArrays(arrays, int(sizeof arrays / sizeof arrays[0]), err);");
  emitReturnIfFailed(out);
  if (withCuda && entry.cudaBackend)
    emitGpuMemoryRoute(module, entry, out);
  emitKChecks(entry, out);
  emitCallRanges(entry, "M", "N", out);
  if (withCuda && entry.cudaBackend)
    emitCudaForward(module, entry, out);
  emitWorkspaces(entry, out);
  std::string fields = "M, N";
  for (size_t k = 0; k < entry.inputs.size(); ++k)
    fields += ", " + inputName(k);
  for (size_t k = 0; k < entry.outputs.size(); ++k)
    fields += ", " + outputName(k);
  out.line("const " + entry.name + "_args a{" + fields + "};");
  out.line("return " + entry.name + "_cpu_run(a, o, ranges);");
}

} // namespace

void emitArgsStruct(const ir::EntryPoint &entry, IndentedWriter &out) {
  auto scope = out.block("struct " + entry.name + "_args", ";");
  out.line("int64_t M;");
  out.line("int64_t N;");
  for (size_t k = 0; k < entry.inputs.size(); ++k)
    out.line("const " + std::string(ir::dtypeCType(entry.inputs[k].dtype)) + " *" + inputName(k) +
             ";");
  for (size_t k = 0; k < entry.outputs.size(); ++k)
    out.line(std::string(ir::dtypeCType(entry.outputs[k].dtype)) + " *" + outputName(k) + ";");
}

void emitBatchArgs(const ir::EntryPoint &entry, IndentedWriter &out) {
  const std::string args = entry.name + "_args", steps = entry.name + "_steps";
  std::vector<std::string> fields;
  for (size_t k = 0; k < entry.inputs.size(); ++k)
    fields.push_back(inputName(k));
  for (size_t k = 0; k < entry.outputs.size(); ++k)
    fields.push_back(outputName(k));
  {
    auto type = out.block("struct " + steps, ";");
    for (const std::string &field : fields)
      out.line("int64_t " + field + ";");
  }
  // inline (KEOPS_HD includes it): nvcc gives functions of an anonymous namespace external
  // (uniquified) names otherwise.
  {
    auto fn = out.block("inline " + steps + " " + entry.name + "_batch_steps(const " + args +
                        " &a, const keops_options &o)");
    out.line(steps + " st{};");
    if (ir::cInputCount(entry) == 0)
      out.line("(void)o;");
    auto rows = [](ir::Category cat) -> std::string {
      return cat == ir::Category::Param ? "1" : std::string("a.") + rowsOf(cat);
    };
    for (size_t k = 0; k < entry.inputs.size(); ++k) {
      const ir::Input &in = entry.inputs[k];
      std::string block = rows(in.cat) + " * " + std::to_string(in.dim);
      if (ir::isCArgument(in))
        block = "keops_rt::sharedInput(o, " + std::to_string(k) + ") ? 0 : " + block;
      out.line("st." + inputName(k) + " = " + block + ";");
    }
    for (size_t k = 0; k < entry.outputs.size(); ++k) {
      const ir::Output &o = entry.outputs[k];
      std::string block = rows(o.rows) + " * " + std::to_string(o.width);
      if (o.sharedAs >= 0) // one block for every batch when that input is shared
        block = "keops_rt::sharedInput(o, " + std::to_string(o.sharedAs) + ") ? 0 : " + block;
      out.line("st." + outputName(k) + " = " + block + ";");
    }
    out.line("return st;");
  }
  {
    auto fn = out.block("KEOPS_HD " + args + " " + entry.name + "_at_batch(const " + args +
                        " &a, const " + steps + " &st, int64_t b)");
    out.line(args + " s = a;");
    for (const std::string &field : fields)
      out.line("s." + field + " = a." + field + " + b * st." + field + ";");
    out.line("return s;");
  }
  auto fn = out.block("inline " + args + " " + entry.name + "_batch(const " + args +
                      " &a, const keops_options &o, int64_t b)");
  out.line("return " + entry.name + "_at_batch(a, " + entry.name + "_batch_steps(a, o), b);");
}

void emitEntryFunctions(const ir::Module &module, const ir::EntryPoint &entry, bool withCuda,
                        IndentedWriter &out) {
  if (withCuda && entry.cudaBackend)
    out.line(cudaRunDeclaration(module, entry) + ";");
  out.line("namespace {");
  emitCall(module, entry, withCuda, out);
  out.line("} // namespace");
  std::string params = parameterList(entry, false), args = argumentList(entry);
  const std::pair<const char *, const char *> routes[] = {
      {"_cpu", "Cpu"}, {"_cuda", "Cuda"}, {"", "Dispatch"}};
  for (const auto &[suffix, route] : routes) {
    auto fn = out.block("extern \"C\" keops_status " + entryName(module, entry, suffix) + "(" +
                        params + ")");
    out.line("return " + entry.name + "_call(keops_rt::Route::" + route + ", " + args + ");");
  }
}

} // namespace keopsc::codegen
