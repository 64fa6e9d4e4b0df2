// Zero propagation from the op table's linearity flags: an operation linear in an operand
// that is zero gives zero (0·f, 0/f, (0 | f), MatVecMult(A, 0), ...), and one linear in all
// its operands jointly gives zero when they all are (Sum(0), Elem(0, m), Concat(0, 0), 0 + 0).
// SPEC.md §2 allows it even where f is NaN: a term simplified away contributes no NaN.
#include "passes/simplify/Match.h"
#include "passes/simplify/Simplifier.h"

#include <algorithm>

namespace keopsc::passes::simplifier {

const Formula *propagateZeros(Simplifier &s, const Formula *node) {
  const unsigned flags = ir::opInfo(node->kind()).flags;
  const std::vector<const Formula *> &operands = node->children();
  bool allZero = std::all_of(operands.begin(), operands.end(), isZero);
  bool zeroByLinearity = ((flags & ir::opflags::LA) && allZero) ||
                         ((flags & ir::opflags::L0) && isZero(operands[0])) ||
                         ((flags & ir::opflags::L1) && operands.size() > 1 && isZero(operands[1]));
  return zeroByLinearity ? s.zero(node->dim()) : nullptr;
}

} // namespace keopsc::passes::simplifier
