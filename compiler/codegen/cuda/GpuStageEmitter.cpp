// The GPU stage structs; see GpuStageEmitter.h.
#include "codegen/cuda/GpuStageEmitter.h"

#include "codegen/PartialState.h"
#include "codegen/ScalarStage.h"
#include "codegen/Signature.h"
#include "codegen/StageAccess.h"

#include <vector>

namespace keopsc::codegen {
namespace {

/// Reduced rows wider than this many bytes are read from global memory, not staged: 32 threads'
/// tile must fit in the 48 KiB of shared memory (keops_rt::gpuBlockThreads).
constexpr int64_t kMaxStagedRowBytes = 48 * 1024 / 32;

/// Components of a chunked term's W that a chunk stages (keops/portable/chunked_terms.h).
constexpr int64_t kChunkWidth = 32;

/// The stage's chunked term, unless its scalar reads W too (W is then staged whole).
const ir::ChunkedTerm *gpuChunkedTerm(const ir::Stage &stage) {
  if (!stage.plan || !stage.plan->chunkedTerm)
    return nullptr;
  const ir::ChunkedTerm &term = *stage.plan->chunkedTerm;
  for (const ir::Formula *f : ir::postOrder(term.scalar))
    if (f == term.input)
      return nullptr;
  return &term;
}

/// One reduced input's place in a staged row.
struct TileSlot {
  size_t input;
  int64_t offset;
};

class GpuStageEmitter {
public:
  GpuStageEmitter(const ir::EntryPoint &entry, size_t index, IndentedWriter &out)
      : entry_(entry), stage_(entry.stages[index]), index_(index), out_(out),
        body_(entry, index, out), chunked_(gpuChunkedTerm(stage_)) {
    for (size_t k : inputsRead(entry, *stage_.plan, stage_.reducedCat())) {
      if (chunked_ && k == chunkedInput())
        continue;
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
    out_.line("using Args = " + gpuArgsType(entry_) + ";");
    out_.line("using Steps = " + entry_.name + "_steps;");
    emitAtBatch();
    out_.line("using Real = " + body_.scalar() + ";");
    out_.line("using State = " + stateType(stage_, computeDtype(entry_.dtype)) + ";");
    out_.line("static constexpr int64_t kTileWidth = " + std::to_string(tileWidth_) + ";");
    out_.line("static constexpr int64_t kChunkWidth = " +
              std::to_string(chunked_ ? kChunkWidth : 0) + ";");
    out_.line("struct Thread {");
    out_.line("  State state;");
    out_.line("};");
    out_.line("static KEOPS_HD void begin(Thread &th, const Args &, int64_t) { th.state.init(); }");
    emitStaging();
    if (chunked_) {
      emitChunked();
    } else {
      emitConsume();
    }
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
    emitRowPrologue();
    auto loop = out_.block("for (int64_t t = t0; t < t0 + count; ++t)");
    declareReducedInputs();
    body_.emitTermAdd();
  }

  /// The unused-parameter guards, the state, scratch, and the values of row r.
  void emitRowPrologue() {
    out_.line("(void)a;");
    out_.line("(void)r;");
    out_.line("(void)tile;");
    out_.line("State &state = th.state;");
    out_.line("(void)state;");
    if (const int64_t n = stage_.plan->scratchElements; n > 0)
      out_.line(body_.scalar() + " scratch[" + std::to_string(n) + "];");
    body_.emitConstantsAndParameters();
    body_.emitRowValues();
  }

  /// Reduced row t's inputs: from the staged tile, or from global memory (but a chunked W).
  void declareReducedInputs() {
    if (slots_.empty()) {
      body_.declareInputsBut(stage_.reducedCat(), "t",
                             chunked_ ? chunkedInput() : entry_.inputs.size());
      return;
    }
    for (const TileSlot &slot : slots_)
      out_.line("const Real *" + inputName(slot.input) + " = tile + (t - t0) * kTileWidth + " +
                std::to_string(slot.offset) + ";");
  }

  size_t chunkedInput() const { return static_cast<size_t>(chunked_->input->varPos()); }

  /// A chunked term's functions (keops/portable/gpu_schedule.h): S per term into the factors,
  /// W's chunks staged, and the products of a chunk added to the state.
  void emitChunked() {
    const ir::Input &w = entry_.inputs[chunkedInput()];
    const std::string dim = std::to_string(w.dim);
    out_.line("static constexpr int64_t kChunks = " +
              std::to_string((w.dim + kChunkWidth - 1) / kChunkWidth) + ";");
    out_.line("using Factors = keops_rt::ChunkFactorsOf<State>;");
    {
      auto fn = out_.block("static KEOPS_HD void factors(Thread &th, const Args &a, int64_t r, "
                           "const Real *tile, int64_t t0, int64_t first, int64_t count, "
                           "Factors &f)");
      emitRowPrologue();
      {
        auto loop = out_.block("for (int64_t t = t0 + first; t < t0 + first + count; ++t)");
        declareReducedInputs();
        body_.emitPairValuesOf(chunked_->scalar);
        out_.line("f.f[t - t0 - first] = " + body_.element(chunked_->scalar, "0") + ";");
      }
      out_.line("keops_rt::chunkFactors(keops_rt::chunkCore(state), f, count);");
    }
    {
      auto fn = out_.block("static KEOPS_HD void stageChunk(Real *chunk, const Args &a, "
                           "int64_t t, int64_t c, int64_t e)");
      out_.line("const int64_t k = c * kChunkWidth + e % kChunkWidth;");
      std::string element =
          "a." + inputName(chunkedInput()) + "[(t + e / kChunkWidth) * " + dim + " + k]";
      if (w.dtype == ir::Dtype::Float16)
        element = "keops_rt::halfToFloat(" + element + ")";
      out_.line("chunk[e] = k < " + dim + " ? Real(" + element + ") : Real(0);");
    }
    auto fn = out_.block("static KEOPS_HD void consumeChunk(Thread &th, const Factors &f, "
                         "const Real *chunk, int64_t count, int64_t c)");
    out_.line("keops_rt::addChunkProducts(keops_rt::chunkCore(th.state), f, chunk, count, c * "
              "kChunkWidth, kChunkWidth, " +
              dim + ");");
  }

  /// Batch b's arguments (the extension's offset and states are the part's: no batch there).
  void emitAtBatch() {
    auto fn = out_.block("static KEOPS_HD Args atBatch(const Args &a, const Steps &st, int64_t b)");
    if (!partial()) {
      out_.line("return " + entry_.name + "_at_batch(a, st, b);");
      return;
    }
    out_.line("Args batch = a;");
    out_.line("static_cast<" + entry_.name + "_args &>(batch) = " + entry_.name +
              "_at_batch(a, st, b);");
    out_.line("return batch;");
  }

  void emitEnd() {
    auto fn = out_.block("static KEOPS_HD void end(Thread &th, const Args &a, int64_t r)");
    out_.line("(void)a;");
    out_.line("State &state = th.state;");
    if (partial()) {
      auto store = out_.block("if (a.states)");
      out_.line("auto &stored = keops_rt::storedState(state);");
      out_.line("keops_rt::shiftIndices(stored, a.offset);");
      out_.line("keops_rt::storeState(a.states, r, stored);");
      out_.line("return;");
    }
    body_.emitFinish();
  }

  bool partial() const { return index_ == 0 && hasGpuPartial(entry_); }

  const ir::EntryPoint &entry_;
  const ir::Stage &stage_;
  size_t index_;
  IndentedWriter &out_;
  ScalarStageBody body_;
  const ir::ChunkedTerm *chunked_;
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

std::string gpuArgsType(const ir::EntryPoint &entry) {
  return entry.name + (hasGpuPartial(entry) ? "_gpu_args" : "_args");
}

void emitGpuArgs(const ir::EntryPoint &entry, IndentedWriter &out) {
  if (!hasGpuPartial(entry))
    return;
  auto type = out.block("struct " + gpuArgsType(entry) + " : " + entry.name + "_args", ";");
  out.line("int64_t offset; ///< _partial: the part's first reduced row in the whole axis");
  out.line("void *states;   ///< _partial: one stored state per output row; null: finish rows");
}

} // namespace keopsc::codegen
