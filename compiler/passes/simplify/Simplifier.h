// The simplifier's engine, shared by the rule files: a memoised bottom-up rewrite where each
// node, its operands already simplified, is offered to the rules of its head operation until
// none applies. Rules build their results with make(), which simplifies again, so a rule may
// create nodes that other rules then clean up (x·(1/2)·2 → x).
#pragma once

#include "ir/Formula.h"
#include "ir/Rewrite.h"

#include <unordered_map>
#include <vector>

namespace keopsc::passes::simplifier {

using ir::Formula;
using ir::OpKind;

class Simplifier {
public:
  explicit Simplifier(ir::FormulaContext &context);

  /// The simplified `root`; shared subterms are simplified once.
  const Formula *simplify(const Formula *root);

  /// `kind(children, ints)` simplified, for rules whose operands are already simplified. The
  /// node must be valid (a rule that builds an ill-typed node is a keopsc bug).
  const Formula *make(OpKind kind, std::vector<const Formula *> children,
                      std::vector<int64_t> ints = {});
  const Formula *constant(const ir::Constant &value, int dim) {
    return context_.constant(value, dim);
  }
  const Formula *zero(int dim) { return context_.zero(dim); }
  ir::FormulaContext &context() { return context_; }

private:
  /// `node` (operands simplified) after every applicable rule.
  const Formula *simplifyNode(const Formula *node);
  /// One rewrite step: a replacement of `node`, or nullptr when no rule applies.
  const Formula *applyRules(const Formula *node);

  ir::FormulaContext &context_;
  /// The walk over a formula's nodes: each node, its operands simplified, goes to simplifyNode.
  ir::Rewriter rewriter_;
  /// Nodes whose operands are simplified → their simplified form (shared with make()).
  std::unordered_map<const Formula *, const Formula *> done_;
  int depth_ = 0;
};

// Rule families, one file each. Each returns a replacement for `node` (whose operands are
// simplified) or nullptr. A replacement must have the node's dimension; the engine checks.

/// Simplify_Fold.cpp: operations on constants only become one constant (exactly when the
/// operands are exact rationals and the operation is arithmetic; through float64 otherwise).
const Formula *foldConstants(Simplifier &s, const Formula *node);
/// Simplify_Linear.cpp: a zero operand of an operation linear in it gives zero (op table
/// flags LA, L0, L1), so 0·f, f/… with f = 0, Sum(0), Elem(0, m), (0 | f) all become 0.
const Formula *propagateZeros(Simplifier &s, const Formula *node);
/// Simplify_Add.cpp: Add, Subtract, Minus.
const Formula *simplifyAdd(Simplifier &s, const Formula *node);
const Formula *simplifySubtract(Simplifier &s, const Formula *node);
const Formula *simplifyMinus(Simplifier &s, const Formula *node);
/// Simplify_Mult.cpp: Mult, Divide, Inv.
const Formula *simplifyMult(Simplifier &s, const Formula *node);
const Formula *simplifyDivide(Simplifier &s, const Formula *node);
const Formula *simplifyInv(Simplifier &s, const Formula *node);
/// Simplify_Power.cpp: Square, Pow, Abs.
const Formula *simplifySquare(Simplifier &s, const Formula *node);
const Formula *simplifyPow(Simplifier &s, const Formula *node);
const Formula *simplifyAbs(Simplifier &s, const Formula *node);
/// Simplify_Vector.cpp: Sum, SqNorm2, Scalprod, SqDist, Elem.
const Formula *simplifySum(Simplifier &s, const Formula *node);
const Formula *simplifySqNorm2(Simplifier &s, const Formula *node);
const Formula *simplifyScalprod(Simplifier &s, const Formula *node);
const Formula *simplifySqDist(Simplifier &s, const Formula *node);
const Formula *simplifyElem(Simplifier &s, const Formula *node);
/// Simplify_Shape.cpp: Max, Min, ArgMax, ArgMin, Norm2, Extract, ElemT, ExtractT, SumT, IfElse.
const Formula *simplifyExtremum(Simplifier &s, const Formula *node);
const Formula *simplifyNorm2(Simplifier &s, const Formula *node);
const Formula *simplifyExtract(Simplifier &s, const Formula *node);
const Formula *simplifyEmbedding(Simplifier &s, const Formula *node);
const Formula *simplifyIfElse(Simplifier &s, const Formula *node);
/// Simplify_Complex.cpp: Conj, ComplexReal, ComplexImag.
const Formula *simplifyConj(Simplifier &s, const Formula *node);
const Formula *simplifyComplexPart(Simplifier &s, const Formula *node);

} // namespace keopsc::passes::simplifier
