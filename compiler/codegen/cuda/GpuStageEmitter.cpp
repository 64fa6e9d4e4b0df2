// The GPU stage structs; see GpuStageEmitter.h.
#include "codegen/cuda/GpuStageEmitter.h"

#include "codegen/ScalarStage.h"
#include "codegen/Signature.h"
#include "codegen/StageAccess.h"

#include <vector>

namespace keopsc::codegen {
namespace {

/// Reduced rows wider than this many bytes are read from global memory, not staged: 32 threads'
/// tile must fit in the 48 KiB of shared memory (keops_rt::gpuBlockThreads).
constexpr int64_t kMaxStagedRowBytes = 48 * 1024 / 32;

/// One reduced input's place in a staged row.
struct TileSlot {
  size_t input;
  int64_t offset;
};

class GpuStageEmitter {
public:
  GpuStageEmitter(const ir::EntryPoint &entry, size_t index, IndentedWriter &out)
      : entry_(entry), stage_(entry.stages[index]), index_(index), out_(out),
        body_(entry, index, out) {
    for (size_t k : inputsRead(entry, *stage_.plan, stage_.reducedCat())) {
      slots_.push_back({k, tileWidth_});
      tileWidth_ += entry.inputs[k].dim;
    }
    const int64_t realBytes = computeDtype(entry.dtype) == ir::Dtype::Float64 ? 8 : 4;
    if (tileWidth_ * realBytes > kMaxStagedRowBytes) {
      slots_.clear();
      tileWidth_ = 0;
    }
  }

  void emit() {
    auto type = out_.block("struct " + gpuStageName(entry_, index_), ";");
    out_.line("using Args = " + entry_.name + "_args;");
    out_.line("using Steps = " + entry_.name + "_steps;");
    out_.line("static KEOPS_HD Args atBatch(const Args &a, const Steps &st, int64_t b) {");
    out_.line("  return " + entry_.name + "_at_batch(a, st, b);");
    out_.line("}");
    out_.line("using Real = " + body_.scalar() + ";");
    out_.line("using State = " + stateType(stage_, computeDtype(entry_.dtype)) + ";");
    out_.line("static constexpr int64_t kTileWidth = " + std::to_string(tileWidth_) + ";");
    out_.line("struct Thread {");
    out_.line("  State state;");
    out_.line("};");
    out_.line("static KEOPS_HD void begin(Thread &th, const Args &, int64_t) { th.state.init(); }");
    emitStaging();
    emitConsume();
    emitEnd();
  }

private:
  /// Copies reduced row t's inputs, in the compute type, into its slot of the tile.
  void emitStaging() {
    if (slots_.empty()) {
      out_.line("static KEOPS_HD void stage(Real *, const Args &, int64_t) {}");
      return;
    }
    auto fn = out_.block("static KEOPS_HD void stage(Real *slot, const Args &a, int64_t t)");
    for (const TileSlot &slot : slots_) {
      const ir::Input &in = entry_.inputs[slot.input];
      std::string element =
          "a." + inputName(slot.input) + "[t * " + std::to_string(in.dim) + " + k]";
      if (in.dtype == ir::Dtype::Float16)
        element = "keops_rt::halfToFloat(" + element + ")";
      out_.line("for (int64_t k = 0; k < " + std::to_string(in.dim) + "; ++k)");
      out_.line("  slot[" + std::to_string(slot.offset) + " + k] = " + element + ";");
    }
  }

  /// Adds the terms of reduced rows t0 … t0 + count − 1 to output row r: the row's values once
  /// per tile, then each term from the staged tile (or from global memory).
  void emitConsume() {
    auto fn = out_.block("static KEOPS_HD void consume(Thread &th, const Args &a, int64_t r, "
                         "const Real *tile, int64_t t0, int64_t count)");
    out_.line("(void)a;");
    out_.line("(void)r;");
    out_.line("(void)tile;");
    out_.line("State &state = th.state;");
    if (const int64_t n = stage_.plan->scratchElements; n > 0)
      out_.line(body_.scalar() + " scratch[" + std::to_string(n) + "];");
    body_.emitConstantsAndParameters();
    body_.emitRowValues();
    auto loop = out_.block("for (int64_t t = t0; t < t0 + count; ++t)");
    if (slots_.empty()) {
      body_.declareInputs(stage_.reducedCat(), "t");
    } else {
      for (const TileSlot &slot : slots_)
        out_.line("const Real *" + inputName(slot.input) + " = tile + (t - t0) * kTileWidth + " +
                  std::to_string(slot.offset) + ";");
    }
    body_.emitTermAdd();
  }

  void emitEnd() {
    auto fn = out_.block("static KEOPS_HD void end(Thread &th, const Args &a, int64_t r)");
    out_.line("(void)a;");
    out_.line("State &state = th.state;");
    body_.emitFinish();
  }

  const ir::EntryPoint &entry_;
  const ir::Stage &stage_;
  size_t index_;
  IndentedWriter &out_;
  ScalarStageBody body_;
  std::vector<TileSlot> slots_;
  int64_t tileWidth_ = 0;
};

} // namespace

std::string gpuStageName(const ir::EntryPoint &entry, size_t index) {
  return entry.name + "_s" + std::to_string(index) + "_gpu";
}

void emitGpuStage(const ir::EntryPoint &entry, size_t index, IndentedWriter &out) {
  GpuStageEmitter(entry, index, out).emit();
}

} // namespace keopsc::codegen
