// The kernel plan of one stage: every formula node's level (how often it changes) and storage,
// plus the tiling decisions. The plan-kernels pass builds it; every backend emits from it and
// none decides hoisting itself.
#pragma once

#include "ir/Formula.h"

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace keopsc::ir {

/// How often a node's value changes; backends evaluate each level once per its loop.
enum class Level : uint8_t {
  Constant,   ///< no input at all
  Parameter,  ///< parameters only: once per call
  OutputRow,  ///< output-row inputs (and parameters): once per output row
  ReducedRow, ///< reduced-row inputs (and parameters): once per reduced row
  Pair,       ///< both: once per (i, j) pair
};
const char *levelName(Level level);

/// Where a backend keeps a node's value.
enum class Storage : uint8_t {
  Inline,  ///< a literal or the input row itself: no storage
  Local,   ///< a small array local to the loop body (registers or stack)
  Scratch, ///< a slice of the per-thread scratch buffer (wide nodes)
};
const char *storageName(Storage storage);

struct PlannedNode {
  const Formula *node = nullptr;
  Level level = Level::Constant;
  Storage storage = Storage::Inline;
  int64_t scratchOffset = 0; ///< Scratch only: elements from the buffer's start
};

/// Components a backend keeps in registers per state or term; wider terms may be chunked.
constexpr int kRegisterComponents = 16;

/// A chunked term (enable_chunks, SPEC.md §5.1): W, a reduced input of more than
/// kRegisterComponents components, multiplies a scalar S: the formula of a Sum is S·W, or a
/// weighted LogSumExp-family reduction has the scalar formula S and the weight W (its terms are
/// e^(S − m)·W). A backend may evaluate S once per pair and accumulate the products a few
/// components at a time, with no temporary as wide as W.
struct ChunkedTerm {
  const Formula *scalar = nullptr; ///< S, a node of the plan
  const Formula *input = nullptr;  ///< W, a Var of the reduced category
};

struct KernelPlan {
  /// Every node of the stage's formula and weight, in post-order.
  std::vector<PlannedNode> nodes;
  /// Elements of per-thread scratch the stage needs (formula temporaries).
  int64_t scratchElements = 0;
  /// The (formula, weight) term materialised for the state, if it is not a node's storage.
  bool termNeedsBuffer = false;
  /// Set when the stage's term may be chunked (the plan-kernels pass, unless enable_chunks is off).
  std::optional<ChunkedTerm> chunkedTerm;
  /// Output rows and reduced rows per tile (1 × 1 until the tiled kernels land).
  int tileRows = 1;
  int tileReduced = 1;

  const PlannedNode &of(const Formula *f) const { return nodes[index.at(f)]; }
  std::unordered_map<const Formula *, size_t> index;
};

} // namespace keopsc::ir
