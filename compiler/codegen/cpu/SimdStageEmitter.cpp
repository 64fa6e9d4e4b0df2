// SIMD CPU kernels of stages; see SimdStageEmitter.h.
#include "codegen/cpu/SimdStageEmitter.h"

#include "codegen/ExprEmitter.h"
#include "codegen/PartialState.h"
#include "codegen/ScalarStage.h"
#include "codegen/Signature.h"
#include "codegen/cpu/SimdChunkedTerm.h"
#include "codegen/cpu/SimdCoverage.h"
#include "codegen/cpu/SimdHooks.h"
#include "codegen/cpu/SimdJointSums.h"
#include "codegen/cpu/StageAccess.h"
#include "ir/ReductionInfo.h"
#include "support/Assert.h"

#include <algorithm>
#include <utility>

namespace keopsc::codegen {
namespace {

/// Output rows whose values stay in registers together, sharing each vector of reduced values.
constexpr int kBlockRows = 4;
/// A tile of the reduced index: small enough that the transposed inputs of one tile stay in L1
/// while the row blocks of a super-row sweep it, and long enough that the blocks' states stay
/// in registers for many vectors (a 4-row LogSumExp block reloads about 16 vectors of state).
constexpr int kMaxTile = 1024;
/// block_sum's block (SPEC.md §7.2): tiles are cut into blocks, whose states end there.
constexpr int kSumBlock = 256;
constexpr int kMinTile = 16; // every ISA's lane count divides it
constexpr int64_t kTileBytes = 32 * 1024;

class SimdStageWriter {
public:
  SimdStageWriter(const ir::Module &module, const ir::EntryPoint &entry, size_t index,
                  IndentedWriter &out)
      : module_(module), entry_(entry), stage_(entry.stages[index]), index_(index), out_(out),
        plan_(*stage_.plan), kind_(*simdStateKind(stage_, entry.dtype)),
        scalar_(ir::dtypeCType(entry.dtype)), uniformHooks_(scalar_, entry, stage_, -1),
        uniform_(plan_, entry.dtype, uniformHooks_, "c") {
    for (int q = 0; q < kBlockRows; ++q)
      rowHooks_.emplace_back(scalar_, entry, stage_, q);
  }

  void emit() {
    emitKernel();
    emitMerge();
    emitStateBytes();
    if (hasPartials(entry_))
      emitStore();
  }

private:
  /// The head of one of the stage's functions: `extern "C"`, hidden, named per ISA.
  std::string signature(const std::string &result, SimdFunction function,
                        const std::string &params) const {
    return "extern \"C\" __attribute__((visibility(\"hidden\"))) " + result + " KEOPS_ISA_NAME(" +
           simdKernelName(module_, entry_, index_, function) + ")(" + params + ")";
  }

  void declareTypes() {
    out_.line("using V = keops_rt::simd::Native<" + scalar_ + ">;");
    out_.line("using State = " + simdStateType(stage_, entry_.dtype) + ";");
  }

  void declareArgs() {
    out_.line("const " + entry_.name + "_args &a = *static_cast<const " + entry_.name +
              "_args *>(args);");
  }

  /// The states of output rows [begin, end) over the reduced indices [red0, red1): finished into
  /// the outputs, or stored into `partial` (State[end − begin]) for the merge.
  void emitKernel() {
    auto fn = out_.block(signature("void", SimdFunction::Kernel,
                                   "const void *args, const " + scalar_ +
                                       " *const *soa, int64_t npad, int64_t begin, int64_t end, "
                                       "int64_t red0, int64_t red1, void *partial"));
    declareArgs();
    out_.line("(void)soa, (void)npad; // unused when no reduced input is read, or all are 1-D");
    declareTypes();
    out_.line("const int64_t nred = a." + std::string(stage_.axis == 1 ? "N" : "M") + ";");
    declareInputs();
    uniform_.emit(nodesAt({ir::Level::Constant, ir::Level::Parameter}), out_);
    // Super-rows: output rows whose states live across one sweep of the reduced tiles (their
    // inputs stay in L1); runs split rows between threads on their multiples only.
    out_.line("constexpr int64_t kSuperRows = keops_rt::kSimdRowGroup, kTile = " +
              std::to_string(tileLength()) + ";");
    out_.line("keops_rt::simd::Buffer<State> states(kSuperRows);");
    auto super = out_.block("for (int64_t s0 = begin; s0 < end; s0 += kSuperRows)");
    out_.line("const int64_t s1 = end - s0 < kSuperRows ? end : s0 + kSuperRows;");
    out_.line("for (int64_t r = s0; r < s1; ++r)");
    out_.line("  states[r - s0].init();");
    {
      auto tiles = out_.block("for (int64_t t0 = red0; t0 < red1; t0 += kTile)");
      out_.line("const int64_t t1 = red1 - t0 < kTile ? red1 : t0 + kTile;");
      out_.line("int64_t r = s0;");
      {
        auto rows = out_.block("for (; r + " + std::to_string(kBlockRows) +
                               " <= s1; r += " + std::to_string(kBlockRows) + ")");
        emitRowBlock(kBlockRows);
      }
      {
        auto rows = out_.block("for (; r < s1; ++r)");
        emitRowBlock(1);
      }
    }
    out_.line("for (int64_t r = s0; r < s1; ++r)");
    out_.line("  if (partial)");
    out_.line("    static_cast<State *>(partial)[r - begin] = states[r - s0];");
    out_.line("  else");
    out_.line("    states[r - s0].finish(" + finishArguments() + ");");
  }

  /// Rows [begin, end): the states of `parts` parts of the reduced index, `stride` bytes apart
  /// (part 0 at `partials`, indexed by row), merged in part order and finished.
  void emitMerge() {
    auto fn = out_.block(signature("void", SimdFunction::Merge,
                                   "const void *args, void *partials, int64_t parts, "
                                   "int64_t stride, int64_t begin, int64_t end"));
    declareArgs();
    declareTypes();
    out_.line("char *base = static_cast<char *>(partials);");
    auto rows = out_.block("for (int64_t r = begin; r < end; ++r)");
    out_.line("State state = reinterpret_cast<State *>(base)[r];");
    {
      auto merge = out_.block("for (int64_t p = 1; p < parts; ++p)");
      out_.line("State later = reinterpret_cast<State *>(base + p * stride)[r];");
      out_.line("state.merge(later);");
    }
    out_.line("state.finish(" + finishArguments() + ");");
  }

  /// sizeof(State) on this ISA: the size of a part's state per row.
  void emitStateBytes() {
    auto fn = out_.block(signature("int64_t", SimdFunction::StateBytes, ""));
    out_.line("using V = keops_rt::simd::Native<" + scalar_ + ">;");
    out_.line("return int64_t(sizeof(" + simdStateType(stage_, entry_.dtype) + "));");
  }

  /// The portable states the sharding entry points store: a SIMD state's lanes merged as its
  /// finish() merges them (so a part's result is the one-call result's bits).
  void emitStore() {
    auto fn = out_.block(
        signature("void", SimdFunction::Store,
                  "const void *states, int64_t begin, int64_t end, int64_t offset, void *stored"));
    declareTypes();
    out_.line("using Stored = " + storedStateType(stage_, computeDtype(entry_.dtype)) + ";");
    auto rows = out_.block("for (int64_t r = begin; r < end; ++r)");
    out_.line("State state = static_cast<const State *>(states)[r];");
    out_.line("Stored portable = state.stored();");
    out_.line("keops_rt::shiftIndices(portable, offset);");
    out_.line("keops_rt::storeState(stored, r, portable);");
  }

  std::vector<const ir::Formula *> nodesAt(std::initializer_list<ir::Level> levels) const {
    return plannedNodesAt(plan_, levels);
  }

  std::vector<size_t> readInputs(ir::Category cat) const { return inputsRead(entry_, plan_, cat); }

  void declareInputs() {
    for (size_t k : readInputs(ir::Category::Param))
      declareValues(inputName(k), "a." + inputName(k), entry_.inputs[k].dim);
    for (size_t k : readInputs(stage_.reducedCat()))
      out_.line("const " + scalar_ + " *soa" + std::to_string(k) + " = soa[" + std::to_string(k) +
                "];");
  }

  /// `name`, read as name[k], for the `dim` values at `source`: a local copy up to
  /// kRegisterComponents values, otherwise the pointer itself. The copy lets the compiler keep
  /// the values (and their broadcasts) in registers across the steps: through a pointer to
  /// memory, an out-of-line call in the loop (a K-min insertion, a maximum's raise) could have
  /// written them, so they were loaded again at every step.
  void declareValues(const std::string &name, const std::string &source, int64_t dim) {
    if (dim > ir::kRegisterComponents) {
      out_.line("const " + scalar_ + " *" + name + " = " + source + ";");
      return;
    }
    out_.line("const " + scalar_ + " *" + name + "_at = " + source + ";");
    std::string values;
    for (int64_t k = 0; k < dim; ++k)
      values += (k ? ", " : "") + name + "_at[" + std::to_string(k) + "]";
    out_.line("const " + scalar_ + " " + name + "[" + std::to_string(dim) + "] = {" + values +
              "};");
  }

  /// The largest power of two from kMinTile to kMaxTile whose reduced inputs fit kTileBytes; a
  /// block for chunked terms, whose products are added block by block (they stream W from L2).
  int tileLength() const {
    if (chunked())
      return kSumBlock;
    int64_t bytesPerIndex = 0;
    for (size_t k : readInputs(stage_.reducedCat()))
      bytesPerIndex += entry_.inputs[k].dim * (entry_.dtype == ir::Dtype::Float64 ? 8 : 4);
    int tile = kMaxTile;
    while (tile > kMinTile && tile * bytesPerIndex > kTileBytes)
      tile /= 2;
    return tile;
  }

  bool chunked() const {
    return kind_ == SimdStateKind::ChunkedSum || kind_ == SimdStateKind::ChunkedShiftExp;
  }

  /// Rows r … r + rows − 1 over the tile [t0, t1): their states in locals, each reduced vector
  /// loaded and its reduced-row values computed once for all of them. A chunked term's states
  /// stay in memory (references): the steps store each row's scalar S for the block instead.
  void emitRowBlock(int rows) {
    std::vector<ExprEmitter> rowValues;
    for (int q = 0; q < rows; ++q) {
      for (size_t k : readInputs(stage_.outputCat())) {
        const int64_t dim = entry_.inputs[k].dim;
        declareValues(inputName(k) + "_" + std::to_string(q),
                      "a." + inputName(k) + " + (r + " + std::to_string(q) + ") * " +
                          std::to_string(dim),
                      dim);
      }
      rowValues.push_back(
          uniform_.derive(rowHooks_[static_cast<size_t>(q)], "r" + std::to_string(q) + "_"));
      rowValues.back().emit(nodesAt({ir::Level::OutputRow}), out_);
    }
    const std::string local = chunked() ? "State &st" : "State st";
    for (int q = 0; q < rows; ++q)
      out_.line(local + std::to_string(q) + " = states[r - s0 + " + std::to_string(q) + "];");
    if (chunked())
      emitChunkedScalarBuffer(scalar_, rows, kSumBlock, out_);
    // One step per vector of the reduced index. The full vectors pass AllLanes, so the states
    // add without a lane mask; only the tile's last, partial vector masks its dead lanes.
    {
      auto step = out_.block("auto step = [&](const int64_t t, const auto live)", ";");
      out_.line("(void)t, (void)live; // (constant terms; the K-min state takes the tile's end)");
      ExprEmitter reduced = uniform_.derive(uniformHooks_, "j");
      reduced.emit(nodesAt({ir::Level::ReducedRow}), out_);
      std::vector<std::vector<std::string>> joint =
          emitSimdJointSums(plan_, reduced, rowValues, out_);
      for (int q = 0; q < rows; ++q) {
        auto scope = out_.block("");
        ExprEmitter pair = rowValues[static_cast<size_t>(q)].derive(
            rowHooks_[static_cast<size_t>(q)], "p" + std::to_string(q) + "_");
        pair.adoptNames(reduced);
        const std::vector<const ir::Formula *> sums = simdJointSums(plan_);
        for (size_t n = 0; n < sums.size(); ++n)
          pair.bind(sums[n], joint[n][static_cast<size_t>(q)]);
        pair.emit(pairNodes(), out_);
        if (chunked())
          emitChunkedScalarStore(kind_, element(pair, stage_.plan->chunkedTerm->scalar, "0"), q,
                                 out_);
        else
          emitAdd(pair, "st" + std::to_string(q));
      }
    }
    emitBlocks(rows);
    if (!chunked())
      for (int q = 0; q < rows; ++q)
        out_.line("states[r - s0 + " + std::to_string(q) + "] = st" + std::to_string(q) + ";");
  }

  /// The pair-level nodes a step computes: all but a chunked Sum's product S·W.
  std::vector<const ir::Formula *> pairNodes() const {
    std::vector<const ir::Formula *> nodes = nodesAt({ir::Level::Pair});
    if (kind_ == SimdStateKind::ChunkedSum)
      nodes.erase(std::remove(nodes.begin(), nodes.end(), stage_.formula), nodes.end());
    return nodes;
  }

  /// The steps over the tile [t0, t1), cut where block_sum's blocks end: at multiples of
  /// kSumBlock reduced indices and at the last one (tiles shorter than a block end some b1
  /// inside a block). Only the last vector of the reduced index can be partial.
  void emitBlocks(int rows) {
    const std::string block = std::to_string(kSumBlock);
    auto blocks = out_.block("for (int64_t b0 = t0; b0 < t1; b0 += " + block + ")");
    out_.line("const int64_t b1 = t1 - b0 < " + block + " ? t1 : b0 + " + block + ";");
    out_.line("int64_t t = b0;");
    out_.line("for (; t + V::kLanes <= b1; t += V::kLanes)");
    out_.line("  step(t, keops_rt::simd::AllLanes{});");
    out_.line("if (t < b1)");
    out_.line("  step(t, V::Mask(V::iota() < V(" + scalar_ + "(b1 - t))));");
    if (chunked())
      emitChunkedBlock(stage_, kind_, rows, kSumBlock, out_);
    out_.line("if (b1 % " + block + " == 0 || b1 == nred)");
    std::string ends;
    for (int q = 0; q < rows; ++q)
      ends += (q ? ", st" : "st") + std::to_string(q) + ".endBlock()";
    out_.line("  " + ends + ";");
  }

  /// Where finish() writes: the values, and the indices of the K-min and min-max families
  /// (nullptr for what the reduction does not output, as in the scalar kernels).
  std::string finishArguments() const {
    std::string values = stageValuesRow(entry_, index_, "r");
    const ir::OutputShape shape = ir::reductionInfo(stage_.kind).outputs;
    if (shape == ir::OutputShape::Values)
      return kind_ == SimdStateKind::KMin ? values + ", nullptr" : values;
    if (shape == ir::OutputShape::Pair)
      return stageOutputRow(entry_, index_, ir::OutputRole::MaxShift, "r") + ", " +
             stageOutputRow(entry_, index_, ir::OutputRole::ShiftedSum, "r");
    std::string indices = stageOutputRow(entry_, index_, ir::OutputRole::Indices, "r");
    if (indices == "nullptr") // indices kept for a later stage
      indices = stageOutputRow(entry_, index_, ir::OutputRole::IndexWorkspace, "r");
    return values + ", " + indices;
  }

  /// Component k of f as a vector (a uniform value broadcast).
  static std::string element(const ExprEmitter &exprs, const ir::Formula *f, const std::string &k) {
    std::string e = exprs.element(f, k);
    return exprs.kindOf(f) == ValueKind::Uniform ? "V(" + e + ")" : e;
  }

  /// The term F (and weight G) as vectors, added to `state` under the lane mask.
  void emitAdd(const ExprEmitter &exprs, const std::string &state) {
    const ir::Formula *f = stage_.formula;
    auto vectorElement = [&](const std::string &k) { return element(exprs, f, k); };
    if (kind_ == SimdStateKind::KMin) {
      out_.line(state + ".add(" + vectorElement("0") + ", t, t1);");
      return;
    }
    if (kind_ == SimdStateKind::ShiftExp) {
      out_.line("const V term[1] = {" + vectorElement("0") + "};");
      const ir::Formula *g = stage_.weight;
      if (!g) {
        out_.line(state + ".add(term, nullptr, live);");
        return;
      }
      out_.line("V weight[" + std::to_string(g->dim()) + "];");
      out_.line(loopOver(g->dim()));
      out_.line("  weight[k] = " + element(exprs, g, "k") + ";");
      out_.line(state + ".add(term, weight, live);");
      return;
    }
    if (kind_ == SimdStateKind::LogSumExp) {
      out_.line(state + ".add(" + vectorElement("0") + ", live);");
      return;
    }
    out_.line("V term[" + std::to_string(f->dim()) + "];");
    out_.line(loopOver(f->dim()));
    out_.line("  term[k] = " + vectorElement("k") + ";");
    out_.line(state + ".add(term, " + (kind_ == SimdStateKind::MinMax ? "t, " : "") + "live);");
  }

  const ir::Module &module_;
  const ir::EntryPoint &entry_;
  const ir::Stage &stage_;
  size_t index_;
  IndentedWriter &out_;
  const ir::KernelPlan &plan_;
  SimdStateKind kind_;
  std::string scalar_;
  SimdHooks uniformHooks_;
  std::vector<SimdHooks> rowHooks_;
  ExprEmitter uniform_; ///< constants and parameters, once per call
};

} // namespace

std::string simdKernelName(const ir::Module &module, const ir::EntryPoint &entry, size_t index,
                           SimdFunction function) {
  static const char *const kRoles[] = {"", "merge_", "bytes_", "store_"};
  // The module prefix first: every symbol of a library carries it (DESIGN.md §4); "_simd_" last,
  // before the ISA suffix (tests/lit/codegen/Inputs/check-isa-objects.py counts them by it).
  return module.name + "_" + entry.name + "_s" + std::to_string(index) + "_" +
         kRoles[static_cast<int>(function)] + "simd_";
}

void emitSimdStage(const ir::Module &module, const ir::EntryPoint &entry, size_t index,
                   IndentedWriter &out) {
  SimdStageWriter(module, entry, index, out).emit();
}

} // namespace keopsc::codegen
