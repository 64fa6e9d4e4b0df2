// The sharding entry points; see PartialEmitter.h.
#include "codegen/cpu/PartialEmitter.h"

#include "codegen/CallRangesEmitter.h"
#include "codegen/PartialState.h"
#include "codegen/ScalarStage.h"
#include "codegen/Signature.h"
#include "codegen/StageAccess.h"
#include "codegen/cpu/CpuKernelEmitter.h"
#include "codegen/cpu/SimdCoverage.h"
#include "codegen/cpu/SimdStageRun.h"
#include "codegen/cuda/CudaKernelEmitter.h"
#include "codegen/cuda/GpuPartialEmitter.h"

#include <functional>
#include <string>

namespace keopsc::codegen {
namespace {

class PartialEmitter {
public:
  PartialEmitter(const ir::Module &module, const ir::EntryPoint &entry, bool withCuda,
                 IndentedWriter &out)
      : module_(module), entry_(entry), stage_(entry.stages[0]), out_(out),
        gpu_(withCuda && hasGpuPartial(entry)),
        stored_(storedStateType(stage_, computeDtype(entry.dtype))),
        bytes_(std::to_string(storedStateBytes(stage_, computeDtype(entry.dtype)))),
        rows_(stage_.axis == 1 ? "M" : "N"), reduced_(stage_.axis == 1 ? "N" : "M") {}

  void emit() {
    out_.line("namespace {");
    out_.line("using " + entry_.name + "_stored = " + stored_ + ";");
    out_.line("static_assert(sizeof(" + entry_.name + "_stored) == " + bytes_ + ", \"" +
              stateBytesMacro(module_, entry_) + " disagrees with the state's layout\");");
    emitPartialRows();
    out_.line("} // namespace");
    if (gpu_)
      out_.line(gpuPartialRunDeclaration(module_, entry_) + ";");
    emitPartial();
    emitMerge();
    emitFinalize();
  }

private:
  std::string symbol(const char *suffix) const {
    return "extern \"C\" keops_status " + entryName(module_, entry_, suffix);
  }

  /// Output rows [begin, end) over every reduced row of the part; each row's stored state into
  /// `states`, its indices (numbered within the part) moved by `offset` into the whole axis'.
  void emitPartialRows() {
    ScalarStageBody body(entry_, 0, out_);
    auto fn = out_.block("void " + entry_.name + "_partial_rows(const " + entry_.name +
                         "_args &a, int64_t offset, int64_t begin, int64_t end, void *states)");
    emitScalarThreadSetup(entry_, stage_, body, out_);
    auto rowLoop = out_.block("for (int64_t r = begin; r < end; ++r)");
    body.emitRowValues();
    out_.line("state.init();");
    {
      auto termLoop = out_.block("for (int64_t t = 0; t < a." + reduced_ + "; ++t)");
      body.declareInputs(stage_.reducedCat(), "t");
      body.emitTermAdd();
    }
    out_.line("auto &stored = keops_rt::storedState(state);");
    out_.line("keops_rt::shiftIndices(stored, offset);");
    out_.line("keops_rt::storeState(states, r, stored);");
  }

  /// The part through the stage's SIMD kernel, as the one-call entry point runs it (the same
  /// super-rows of output rows, so the same bits per term): the reduced inputs transposed, each
  /// group of rows reduced into this ISA's states, then stored as portable states.
  void emitSimdPart() {
    std::string condition = "true";
    if (const int64_t least = simdMinReduced(stage_, entry_.dtype))
      condition = "a." + reduced_ + " >= " + std::to_string(least);
    auto branch = out_.block("if (" + condition + ")");
    out_.line("keops_rt::SoaInputs<" + std::string(ir::dtypeCType(entry_.dtype)) + "> soa(1, " +
              std::to_string(entry_.inputs.size()) + ", a." + reduced_ + ");");
    for (size_t i : inputsRead(entry_, *stage_.plan, stage_.reducedCat()))
      out_.line("soa.add(0, " + std::to_string(i) + ", a." + inputName(i) + ", a." + reduced_ +
                ", " + std::to_string(entry_.inputs[i].dim) + ", o.num_threads);");
    emitSimdFunctionPick(module_, entry_, 0,
                         {SimdFunction::Kernel, SimdFunction::StateBytes, SimdFunction::Store},
                         out_);
    out_.line("keops_rt::PartStates parts(1, a." + rows_ + ", stateBytes());");
    out_.line("const int64_t groups = (a." + rows_ +
              " + keops_rt::kSimdRowGroup - 1) / "
              "keops_rt::kSimdRowGroup;");
    {
      auto call = out_.block("keops_rt::parallelRows(groups, double(keops_rt::kSimdRowGroup) * "
                             "double(a." +
                                 reduced_ + ") * 2, o.num_threads, [&](int64_t begin, int64_t end)",
                             ");");
      out_.line("const int64_t lo = begin * keops_rt::kSimdRowGroup;");
      out_.line("const int64_t hi = end * keops_rt::kSimdRowGroup < a." + rows_ +
                " ? end * keops_rt::kSimdRowGroup : a." + rows_ + ";");
      out_.line("kernel(&a, soa.of(0), soa.npad(), lo, hi, 0, a." + reduced_ +
                ", parts.at(0, lo));");
      out_.line("store(parts.at(0, 0), lo, hi, offset, states);");
    }
    out_.line("return KEOPS_OK;");
  }

  /// The opening of a C entry point: the error sink, then the body under keops_rt::guarded.
  void emitGuardedBody(const std::string &signature, const std::function<void()> &body) {
    auto fn = out_.block(signature);
    out_.line("const keops_rt::ErrorSink err{lastError, sizeof lastError};");
    out_.line("err.clear();");
    auto guarded = out_.block("return keops_rt::guarded(err, [&]() -> keops_status", ");");
    body();
  }

  /// A state buffer's row of the ArrayArg table: `name` in messages, `pointer` in the body.
  std::string stateArray(const char *name, const char *pointer, const char *rows,
                         bool output) const {
    return std::string("    {\"") + name + "\", " + pointer + ", 1, " + rows + ", " + bytes_ +
           ", 1, " + (output ? "true" : "false") + "},";
  }

  void emitCheckArrays() {
    out_.line("const keops_status status = keops_rt::checkArrays(arrays, int(sizeof arrays / "
              "sizeof arrays[0]), err);");
    emitReturnIfFailed(out_);
  }

  /// _partial: the reduced inputs hold the part's rows, rows offset … offset + length − 1 of
  /// the whole axis; the other arrays are the one-call entry point's.
  void emitPartial() {
    emitGuardedBody(symbol("_partial") + "(" + partialParameters(entry_, false) + ")", [&] {
      out_.line("keops_options o;");
      out_.line("keops_status optionStatus = keops_rt::checkOptions(opts, o, err);");
      out_.line("if (optionStatus != KEOPS_OK)");
      out_.line("  return optionStatus;");
      out_.line("bool cuda = o.backend == KEOPS_BACKEND_CUDA;");
      if (!gpu_) {
        out_.line("if (cuda)");
        out_.line("  return err.fail(KEOPS_ERROR_BACKEND_UNAVAILABLE, \"" + who() + "_partial" +
                  (entry_.cudaBackend
                       ? ": this library has no CUDA code (keopsc built it with "
                         "--backends=cpu, or found no nvcc)"
                       : " was compiled without the cuda backend (backends option)") +
                  "\");");
      }
      out_.line("if (o.ranges || o.batch > 1 || o.batch_shared)");
      out_.line("  return err.fail(KEOPS_ERROR_NOT_SUPPORTED, \"" + who() +
                "_partial takes neither ranges nor batches\");");
      out_.line("if (M < 0 || N < 0)");
      out_.line("  return err.fail(KEOPS_ERROR_INVALID_SIZE, \"M and N must be >= 0, got M = "
                "%lld, N = %lld\", (long long)M, (long long)N);");
      out_.line("if (offset < 0 || offset > INT64_MAX - " + reduced_ + ")");
      out_.line("  return err.fail(KEOPS_ERROR_INVALID_SIZE, \"offset = %lld: the part's rows "
                "must have indices in [0, 2^63)\", (long long)offset);");
      out_.line("const int64_t B = 1;");
      out_.line("const keops_rt::ArrayArg arrays[] = {");
      for (size_t k = 0; k < entry_.inputs.size(); ++k) {
        const ir::Input &in = entry_.inputs[k];
        out_.line("    {\"" + headerName(entry_, inputName(k)) + "\", " + inputName(k) + ", B, " +
                  rowsOf(in.cat) + ", " + std::to_string(in.dim) + ", int64_t(sizeof(" +
                  ir::dtypeCType(in.dtype) + ")), false},");
      }
      out_.line(stateArray("state", "states", rows_.c_str(), true));
      out_.line("};");
      emitCheckArrays();
      std::string fields = "M, N";
      for (size_t k = 0; k < entry_.inputs.size(); ++k)
        fields += ", " + inputName(k);
      for (size_t k = 0; k < entry_.outputs.size(); ++k)
        fields += ", nullptr";
      out_.line("const " + entry_.name + "_args a{" + fields + "};");
      if (gpu_)
        emitGpuRoute();
      if (simdEligible(entry_, stage_))
        emitSimdPart();
      out_.line("keops_rt::parallelRows(" + rows_ + ", double(" + reduced_ +
                ") * 2, o.num_threads, [&](int64_t begin, int64_t end) {");
      out_.line("  " + entry_.name + "_partial_rows(a, offset, begin, end, states);");
      out_.line("});");
      out_.line("return KEOPS_OK;");
    });
  }

  /// Where the arrays live decides an automatic call, as for the dispatching entry point (SPEC.md
  /// §5.2), but host arrays stay on the CPU (a part's bits should not depend on its size): GPU
  /// memory runs on the GPU, enqueued on the options' stream without waiting, as `_cuda` does;
  /// host arrays with the cuda backend are copied, and the call waits for its states.
  void emitGpuRoute() {
    out_.line("const int gpuMemory = " + gpuMemorySymbol(module_) +
              "(arrays, int(sizeof arrays / sizeof arrays[0]));");
    out_.line("if (gpuMemory == keops_rt::kMixedMemory)");
    out_.line("  return err.fail(KEOPS_ERROR_BACKEND_MISMATCH, \"" + who() +
              "_partial: some arrays are GPU memory and some host memory (pass all of them in "
              "one kind)\");");
    out_.line("if (o.backend == KEOPS_BACKEND_AUTO)");
    out_.line("  cuda = gpuMemory != keops_rt::kHostMemory;");
    out_.line("if (!cuda && gpuMemory == keops_rt::kGpuMemory)");
    out_.line("  return err.fail(KEOPS_ERROR_BACKEND_MISMATCH, \"" + who() +
              "_partial: GPU memory passed to the CPU backend (use the cuda backend, or host "
              "arrays)\");");
    out_.line("if (cuda)");
    out_.line("  return " + gpuPartialRunSymbol(module_, entry_) +
              "(&a, offset, &o, arrays, int(sizeof arrays / sizeof arrays[0]),");
    out_.line("      gpuMemory == keops_rt::kGpuMemory ? keops_rt::kGpuDeviceArrays");
    out_.line("          : keops_rt::kGpuSynchronize | keops_rt::kGpuCopyArrays,");
    out_.line("      err.buffer, err.size);");
  }

  void emitMerge() {
    emitGuardedBody(symbol("_merge") + "(" + mergeParameters(false) + ")", [&] {
      emitRowsCheck();
      out_.line("const keops_rt::ArrayArg arrays[] = {");
      out_.line(stateArray("state", "states", "rows", true));
      out_.line(stateArray("other", "others", "rows", false));
      out_.line("};");
      emitCheckArrays();
      {
        auto loop = out_.block("for (int64_t r = 0; r < rows; ++r)");
        out_.line(entry_.name + "_stored merged = keops_rt::loadState<" + entry_.name +
                  "_stored>(states, r);");
        out_.line("merged.merge(keops_rt::loadState<" + entry_.name + "_stored>(others, r));");
        out_.line("keops_rt::storeState(states, r, merged);");
      }
      out_.line("return KEOPS_OK;");
    });
  }

  /// _finalize: each row's state finished into the outputs, as the one-call entry point's.
  void emitFinalize() {
    emitGuardedBody(symbol("_finalize") + "(" + finalizeParameters(entry_, false) + ")", [&] {
      emitRowsCheck();
      out_.line("const keops_rt::ArrayArg arrays[] = {");
      out_.line(stateArray("state", "states", "rows", false));
      for (size_t k = 0; k < entry_.outputs.size(); ++k) {
        const ir::Output &o = entry_.outputs[k];
        out_.line("    {\"" + o.name + "\", " + outputName(k) + ", 1, rows, " +
                  std::to_string(o.width) + ", int64_t(sizeof(" + ir::dtypeCType(o.dtype) +
                  ")), true},");
      }
      out_.line("};");
      emitCheckArrays();
      std::string fields = stage_.axis == 1 ? "rows, 0" : "0, rows";
      for (size_t k = 0; k < entry_.inputs.size(); ++k)
        fields += ", nullptr";
      for (size_t k = 0; k < entry_.outputs.size(); ++k)
        fields += ", " + outputName(k);
      out_.line("const " + entry_.name + "_args a{" + fields + "};");
      {
        auto loop = out_.block("for (int64_t r = 0; r < rows; ++r)");
        out_.line(entry_.name + "_stored state = keops_rt::loadState<" + entry_.name +
                  "_stored>(states, r);");
        ScalarStageBody(entry_, 0, out_).emitFinish();
      }
      out_.line("return KEOPS_OK;");
    });
  }

  void emitRowsCheck() {
    out_.line("if (rows < 0)");
    out_.line("  return err.fail(KEOPS_ERROR_INVALID_SIZE, \"rows must be >= 0, got %lld\", "
              "(long long)rows);");
  }

  std::string who() const { return module_.name + "_" + entry_.name; }

  const ir::Module &module_;
  const ir::EntryPoint &entry_;
  const ir::Stage &stage_;
  IndentedWriter &out_;
  bool gpu_; ///< the cuda backend runs the part (GpuPartialEmitter.h)
  std::string stored_, bytes_, rows_, reduced_;
};

} // namespace

void emitPartialEntryPoints(const ir::Module &module, const ir::EntryPoint &entry, bool withCuda,
                            IndentedWriter &out) {
  if (hasPartials(entry))
    PartialEmitter(module, entry, withCuda, out).emit();
}

} // namespace keopsc::codegen
