// The integer-list arguments of TensorDot and Kron (SPEC.md §3): how a node stores them in its
// static integers, and the shape they describe, checked against SPEC's rule. It evaluates and
// emits nothing (ir/Evaluate*, codegen/ExprEmitter_LinAlg.cpp do).
//
// Encoding: each list is its length followed by its elements, lists one after the other, so
// TensorDot(a, b, [4, 7], [7], [1], [0]) has ints {2, 4, 7, 1, 7, 1, 1, 1, 0}. Equal lists are
// equal ints (hash-consing works unchanged) and the number of lists stays visible: TensorDot
// has 4 lists, or 5 when the permutation p is given.
#pragma once

#include "ir/Formula.h"

#include <cstdint>
#include <string>
#include <vector>

namespace keopsc::ir {

using IntList = std::vector<int64_t>;

/// How many lists an operation of this schema takes (inclusive bounds).
struct ListCount {
  int min, max;
};
ListCount listCount(ListSchema schema);

std::vector<int64_t> encodeLists(const std::vector<IntList> &lists);
/// The lists of a node's ints; malformed ints are a compiler bug (only encodeLists makes them).
std::vector<IntList> decodeLists(const std::vector<int64_t> &ints);
/// "[4, 7]", for the IR printer and messages.
std::string listText(const IntList &list);

/// TensorDot's arguments, Kron's expanded to TensorDot's (SPEC.md §3: no contracted axes, p
/// interleaving the axes of a and b).
struct TensorDotArgs {
  IntList da, db; ///< shapes of a and b (row-major)
  IntList ca, cb; ///< contracted axes, paired: a's axis ca[t] with b's axis cb[t]
  IntList p;      ///< output position of free axis m (a's free axes, then b's); identity if absent
};

/// The free (not contracted) axes of a shape, in increasing order.
IntList freeAxes(const IntList &dims, const IntList &contracted);

/// Checks TensorDot's or Kron's lists against the operand dimensions (SPEC.md §3) and gives the
/// result dimension, or 0 with `error` set. `args` receives the decoded arguments.
int tensorDotDim(OpKind kind, const std::vector<int64_t> &ints, int dimA, int dimB,
                 TensorDotArgs &args, DimError &error);

/// The decoded arguments of a valid TensorDot or Kron node.
TensorDotArgs tensorDotArgs(const Formula *f);

} // namespace keopsc::ir
