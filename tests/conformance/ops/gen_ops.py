#!/usr/bin/env python3
# gen_ops.py: writes the per-operation conformance suite (a .kfl and the table OpsMain.cpp runs).
# It owns which operations are tested, their formulas and data domains; the references come from
# the same .kfl's IR (../reference/), the checks (poisoning, tolerances, reporting) from OpsMain.cpp.
"""Generate the per-operation conformance suite for one dtype.

Usage: gen_ops.py --dtype float16|float32|float64 --out-dir DIR [--module NAME]

Writes, all from the one CASES table below:
  DIR/NAME.kfl        one `Sum` reduction op_<case> per case (compiled by keopsc into libNAME.a,
                      NAME.h);
  DIR/NAME_genred.kfl the same reductions written as pykeops's verbatim `Genred(...)` calls;
                      OpsMain.cpp checks each lowers to exactly the native form's IR (so the
                      library's code, checked against the reference, is theirs too);
  DIR/ops_module.h    includes NAME.h, names the .kfl, the real type and the module's last-error
                      function;
  DIR/ops_cases.inc   the table of OpsMain.cpp: per case its formula (for messages), output
                      dimension (checked against the IR's), inputs' data domains, sizes and a
                      caller of the entry point.

A new operation needs a case here, not a reference: OpsMain.cpp evaluates the case's formula
from the IR with keopsc's float64 evaluator.
"""

import os
import sys

# The command line and file writing are shared with ../gen_suite.py.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from suite_files import parse_suite_args, write_if_changed  # noqa: E402

# The aliases a case may use: name -> (category, dimension).
ALIASES = {
    "x1": ("Vi", 1), "x3": ("Vi", 3), "x7": ("Vi", 7),
    "y1": ("Vj", 1), "y3": ("Vj", 3), "y7": ("Vj", 7),
    "p1": ("Pm", 1), "p3": ("Pm", 3),
    # Vector and linear-algebra operations: 2x2 and 3x3 matrices, 2x3 and 3x4 (or 3x2x2)
    # tensors, a 2x3x4 and a 3x5 tensor, short vectors.
    "x2": ("Vi", 2), "y2": ("Vj", 2), "x4": ("Vi", 4), "y4": ("Vj", 4),
    "x6": ("Vi", 6), "y6": ("Vj", 6), "y12": ("Vj", 12), "x24": ("Vi", 24), "y15": ("Vj", 15),
    "x9": ("Vi", 9), "p9": ("Pm", 9),
    # Complex vectors (interleaved re, im) also use x2 ... y6; a single complex parameter; knots.
    "p2": ("Pm", 2), "p6": ("Pm", 6),
}

# Data domains (OpsMain.cpp's Domain): Sym uniform in [-1, 1]; Pos in [0.5, 2]; PosZeros as Pos
# with about a quarter of the entries exactly +0 or -0; NonZero in [-2, -0.5] U [0.5, 2]; Big in
# [2, 4]; Grid the 13 multiples of 1/2 in [-2, 4] (exact ties for ArgMax/ArgMin, exact
# half-integers and out-of-range positions for OneHot); Sorted as Sym with each row sorted
# increasingly (BSpline knots); SortedRepeats as Sorted with repeated knots in every row (t1 = t2,
# and the last two equal) and some at random.
# The reference reads the rounded inputs but not the rounded intermediate results, so a domain
# must keep the operation well conditioned on them: Log's argument, when it is computed, stays
# well above 1 (Log(x * p) near 1 turns the product's rounding into a large relative error, and
# with a j-independent term the sum over j cannot dilute it). SPEC.md §7.4's c_F covers a few
# roundings relative to the term, not cancellation inside it.
#
# Exact grids, for operations with jumps (comparisons, Sign, Step, Floor, Round, Mod, Clamp,
# IfElse): Half, k/2 for k in [-6, 6] (0 as +0 or -0: many ties between x and y, zeros, crossing
# bounds); Int, the nonzero integers of [-3, 3]; Twentieths, k/20 rounded to the dtype for k in
# [-40, 40] (near-ties of Round(f, 1)); Fives, 5k for k in [-10, 10] (ties of Round(f, -1));
# UnitEnds, [-1, 1] with a quarter of the entries exactly -1 or +1 (Asin, Acos).
# A jump is only exact on values both sides read alike: the float64 reference does not round
# intermediate results, so a jump taken on a computed value can legitimately differ there.
# Cases apply such operations to variables (exact in both), or to values whose every rounding
# stays far from the jump (Sqrt of Half is 0, 1, or irrational and far from any half-integer).
# Sorted as Sym with each row sorted increasingly (BSpline knots); SortedRepeats as Sorted with
# repeated knots in every row.
DOMAINS = ("Sym", "Pos", "PosZeros", "NonZero", "Big", "Grid",
           "Half", "Int", "Twentieths", "Fives", "UnitEnds", "Sorted", "SortedRepeats")

SMALL = (37, 53)
LARGE = (1000, 1000)


class Case:
    """One reduction: Sum(formula, axis) over the inputs `args` (in this order in C)."""

    def __init__(self, name, formula, args, out_dim, axis=1, domains=None, sizes=(SMALL,)):
        self.name = name
        self.formula = formula
        self.args = args
        self.out_dim = out_dim  # what the case means to test; OpsMain checks the IR agrees
        self.axis = axis
        self.domains = domains or {}
        self.sizes = sizes
        for a in args:
            assert a in ALIASES, a
            assert self.domains.get(a, "Sym") in DOMAINS
        for a in self.domains:
            assert a in args, a


XY = ("x3", "y3")
XYP = ("x3", "y3", "p1")
POS = {"x3": "Pos", "y3": "Pos"}
HALF = {"x3": "Half", "y3": "Half"}

CASES = [
    # Arithmetic (rule B operands of equal dimension).
    Case("add", "x3 + y3", XY, 3),
    Case("subtract", "x3 - y3", XY, 3),
    Case("minus", "-(x3 * y3)", XY, 3),
    Case("minus_fn", "Minus(x3) + y3", XY, 3),
    Case("mult", "x3 * y3", XY, 3),
    Case("divide", "x3 / y3", XY, 3, domains={"y3": "NonZero"}),
    Case("inv", "Inv(x3 + y3)", XY, 3, domains=POS),
    Case("inv_signed", "Inv(y3) * x3", XY, 3, domains={"y3": "NonZero"}),
    Case("square", "Square(x3 - y3)", XY, 3),
    Case("pow3", "Pow(x3 - y3, 3)", XY, 3),
    Case("pow_m2", "Pow(x3 + y3, -2)", XY, 3, domains=POS),
    Case("pow_m2_signed", "Pow(y3, -2) * x3", XY, 3, domains={"y3": "NonZero"}),
    # n = 0 is 1 everywhere, 0^0 included (integer powering).
    Case("pow0", "Pow(x3, 0) * y3", XY, 3, domains={"x3": "PosZeros"}),
    Case("sqrt", "Sqrt(x3 + y3)", XY, 3, domains=POS),
    # Sqrt(0) = 0 (and Sqrt(-0) = -0): exact zeros in the i-variable.
    Case("sqrt_zeros", "Sqrt(x3) * y3", XY, 3, domains={"x3": "PosZeros"}),
    Case("rsqrt", "Rsqrt(x3 + y3)", XY, 3, domains=POS),
    # Rsqrt(0) = 0 (SPEC.md §3): zeros in the i-variable, then in the summed j-variable.
    Case("rsqrt_zeros_i", "Rsqrt(x3) * y3", XY, 3, domains={"x3": "PosZeros"}),
    Case("rsqrt_zeros_j", "x3 * Rsqrt(y3)", XY, 3, domains={"y3": "PosZeros"}),
    # Powf: C pow in the dtype; negative bases with integral exponents, 0 to positive powers.
    Case("powf", "Powf(x3, y3)", XY, 3, domains={"x3": "Pos"}),
    Case("powf_neg_base", "Powf(x3, y3)", XY, 3, domains={"x3": "NonZero", "y3": "Int"}),
    Case("powf_zero_base", "Powf(y3, x3) * x3", XY, 3, domains={"x3": "Pos", "y3": "PosZeros"}),
    Case("powf_bcast", "Powf(x3, p1)", ("x3", "p1"), 3, domains={"x3": "Pos"}),
    # Comparisons, 1 or 0: exact ties on the Half grid, every spelling (sema maps `>` and `>=`
    # to swapped operands; tests/unit/sema checks the mapping), rule B, and NaN (Sqrt of a
    # negative): NotEqual is 1, the others 0.
    Case("equal", "Equal(x3, y3)", XY, 3, domains=HALF),
    Case("notequal", "NotEqual(x3, y3)", XY, 3, domains=HALF),
    Case("lessthan", "LessThan(x3, y3)", XY, 3, domains=HALF),
    Case("lessorequal", "LessOrEqual(x3, y3)", XY, 3, domains=HALF),
    Case("cmp_eq_spelling", "(x3 == y3) * y3", XY, 3, domains=HALF),
    Case("cmp_ne_spelling", "(x3 != y3) * y3", XY, 3, domains=HALF),
    Case("cmp_lt_spelling", "(x3 < y3) * y3", XY, 3, domains=HALF),
    Case("cmp_le_spelling", "(x3 <= y3) * y3", XY, 3, domains=HALF),
    Case("cmp_gt_spelling", "(x3 > y3) * y3", XY, 3, domains=HALF),
    Case("cmp_ge_spelling", "(x3 >= y3) * y3", XY, 3, domains=HALF),
    Case("lessthan_bcast", "LessThan(x1, y3) + Equal(p1, y3)", ("x1", "y3", "p1"), 3,
         domains={"x1": "Half", "y3": "Half", "p1": "Half"}),
    Case("equal_nan", "Equal(Sqrt(x3), y3)", XY, 3, domains=HALF),
    Case("notequal_nan", "NotEqual(Sqrt(x3), y3)", XY, 3, domains=HALF),
    Case("lessthan_nan", "LessThan(y3, Sqrt(x3))", XY, 3, domains=HALF),
    Case("lessorequal_nan", "LessOrEqual(Sqrt(x3), y3)", XY, 3, domains=HALF),

    # Element-wise functions.
    Case("exp", "Exp(x3 - y3)", XY, 3),
    Case("log", "Log(x3 + y3)", XY, 3, domains=POS),
    Case("log_scaled", "Log(x3 * p1)", ("x3", "p1"), 3, domains={"x3": "Big", "p1": "Big"}),
    Case("abs", "Abs(x3 - y3)", XY, 3),
    # XLogX(0) = 0, SinXDivX(0) = 1: exact zeros (+0 and -0) in the summed variable.
    Case("xlogx", "XLogX(x3 + y3)", XY, 3, domains=POS),
    Case("xlogx_zeros", "XLogX(y3) * x3", XY, 3, domains={"y3": "PosZeros"}),
    Case("sin", "Sin(x3 - y3)", XY, 3),
    Case("sin_big", "Sin(x3 * y3)", XY, 3, domains={"x3": "Big", "y3": "Big"}),
    Case("cos", "Cos(x3 - y3)", XY, 3),
    Case("sinxdivx", "SinXDivX(x3 - y3)", XY, 3),
    Case("sinxdivx_zeros", "SinXDivX(y3) * x3", XY, 3, domains={"y3": "PosZeros"}),
    # Asin, Acos at exactly -1 and +1 too.
    Case("asin", "Asin(x3 * y3)", XY, 3),
    Case("asin_ends", "Asin(y3) * x3", XY, 3, domains={"y3": "UnitEnds"}),
    Case("acos", "Acos(x3 * y3)", XY, 3),
    Case("acos_ends", "Acos(y3) * x3", XY, 3, domains={"y3": "UnitEnds"}),
    Case("atan", "Atan(3 * (x3 - y3))", XY, 3),
    Case("atan2", "Atan2(y3, x3)", XY, 3),
    # Zeros of both signs: atan2 in (-pi, pi] of the real values, so (-0, g < 0) gives pi and
    # (0, -0) gives 0.
    Case("atan2_zeros", "Atan2(y3, x3)", XY, 3, domains=HALF),
    Case("atan2_bcast", "Atan2(x3, p1)", ("x3", "p1"), 3),
    # Sign, Step: 0 and 1 at +-0, NaN for NaN (differs from KeOps); ReLU(0) = 0.
    Case("sign", "Sign(y3) * x3", XY, 3, domains={"y3": "Half"}),
    Case("sign_nan", "Sign(Sqrt(x3)) * y3", XY, 3, domains={"x3": "Half"}),
    Case("step", "Step(y3) * x3", XY, 3, domains={"y3": "Half"}),
    Case("step_nan", "Step(Sqrt(x3)) * y3", XY, 3, domains={"x3": "Half"}),
    Case("relu", "ReLU(x3 - y3)", XY, 3),
    Case("relu_zeros", "ReLU(y3) * x3", XY, 3, domains={"y3": "Half"}),
    Case("floor", "Floor(y3) * x3", XY, 3, domains={"y3": "Half"}),
    Case("floor_sym", "Floor(4 * y3) * x3", XY, 3),
    # Round: exact ties (k/2 for n = 0, 5k for n = -1) go away from zero; near-ties (k/20
    # rounded, n = 1) are decided on the exact f·10^n, not on its rounding in the dtype. The
    # factor y3 keeps the errors of a wrong rule at f and -f from cancelling in the sum.
    Case("round0_ties", "Round(y3, 0) * y3 * x3", XY, 3, domains={"y3": "Half"}),
    Case("round1_near_ties", "Round(y3, 1) * y3 * x3", XY, 3, domains={"y3": "Twentieths"}),
    Case("round_m1_ties", "Round(y3, -1) * y3 * x3", XY, 3, domains={"y3": "Fives"}),
    Case("round2", "Round(y3, 2) * x3", XY, 3),
    Case("round3_big", "Round(x3, 3) * y3", XY, 3, domains={"x3": "Big"}),
    # Mod: f on both sides of o, n of both signs, exact on the grids; constants n = 2, o = 0.5.
    Case("mod", "Mod(y3, x3, p1)", XYP, 3, domains={"x3": "Int", "y3": "Half", "p1": "Half"}),
    Case("mod_const", "Mod(y3, 2, 0.5) * x3", XY, 3),
    # Clamp: bounds that cross (a > b) and ties on the grid, rule B with dimension-1 bounds,
    # and a NaN bound.
    Case("clamp", "Clamp(y3, x3, p3)", ("x3", "y3", "p3"), 3,
         domains={"x3": "Half", "y3": "Half", "p3": "Half"}),
    Case("clamp_sym", "Clamp(y3, x3, p3)", ("x3", "y3", "p3"), 3),
    Case("clamp_bcast", "Clamp(x3, y1, p1)", ("x3", "y1", "p1"), 3),
    Case("clamp_nan", "Clamp(y3, Sqrt(x3), p1)", XYP, 3,
         domains={"x3": "Half", "y3": "Half", "p1": "Half"}),
    Case("clampint", "ClampInt(y3, -1, 1) * x3", XY, 3, domains={"y3": "Half"}),
    Case("clampint_expr", "ClampInt(x3 - y3, 0, 1)", XY, 3),
    Case("diffclampint", "DiffClampInt(y3, -1, 2) * x3", XY, 3, domains={"y3": "Half"}),
    Case("diffclampint_nan", "DiffClampInt(Sqrt(x3), 0, 1) * y3", XY, 3,
         domains={"x3": "Half"}),
    # IfElse: c at +-0 picks a; rule B with a dimension-1 condition; NaN where c is NaN.
    Case("ifelse", "IfElse(y3, x3, x3 * y3)", XY, 3, domains={"y3": "Half"}),
    Case("ifelse_bcast", "IfElse(y1, x3, p3)", ("x3", "y1", "p3"), 3, domains={"y1": "Half"}),
    Case("ifelse_nan", "IfElse(Sqrt(x3) - 1, y3, 2 * y3)", XY, 3, domains={"x3": "Half"}),

    # Vector operations.
    Case("vsum", "Sum(x3 - y3)", XY, 1),
    Case("vsum_d7", "Sum(x7 * y7)", ("x7", "y7"), 1),
    Case("scalprod", "x3 | y3", XY, 1),
    Case("scalprod_fn", "Scalprod(x3 - y3, x3)", XY, 1),
    # One operand of dimension 1: a | b = a * Sum(b), in either order.
    Case("scalprod_1_left", "p1 | x3 - y3", XYP, 1),
    Case("scalprod_1_right", "(x3 * y3) | y1", ("x3", "y3", "y1"), 1),
    Case("sqnorm2", "SqNorm2(x3 - y3)", XY, 1),
    Case("sqdist", "SqDist(x3, y3)", XY, 1),
    Case("sqdist_d7", "SqDist(x7, y7)", ("x7", "y7"), 1),
    Case("elem0", "Elem(x3 - y3, 0)", XY, 1),
    Case("elem2", "Elem(x3 * y3, 2)", XY, 1),
    Case("elem_d7", "Elem(x7, 6) * Elem(y7, 3)", ("x7", "y7"), 1),
    Case("concat", "Concat(x3, y1)", ("x3", "y1"), 4),
    Case("concat_expr", "Concat(p1, x3 - y3)", XYP, 4),
    Case("sumt", "SumT(x1 - y1, 4)", ("x1", "y1"), 4),
    Case("sumt_times", "SumT(x1, 3) * y3", ("x1", "y3"), 3),
    # Max/Min values: NaN-free data, so the first extremum (ties cannot change a value).
    Case("vmax", "Max(x3 - y3)", XY, 1),
    Case("vmax_d7", "Max(x7 * y7)", ("x7", "y7"), 1),
    Case("vmin", "Min(x3 - y3)", XY, 1),
    Case("vmin_d7", "Min(x7 * y7)", ("x7", "y7"), 1),
    # Arg forms read input variables, so the compared values are exact; Grid makes exact ties,
    # which go to the first index.
    Case("argmax", "ArgMax(x7) * y1", ("x7", "y1"), 1),
    Case("argmax_ties", "ArgMax(x7) * y1", ("x7", "y1"), 1, domains={"x7": "Grid"}),
    Case("argmin", "ArgMin(y7) + x1", ("x1", "y7"), 1),
    Case("argmin_ties", "ArgMin(y7) + x1", ("x1", "y7"), 1, domains={"y7": "Grid"}),
    Case("argmax_ties_a0", "y1 * ArgMax(x3)", ("x3", "y1"), 1, axis=0, domains={"x3": "Grid"}),
    Case("norm2", "Norm2(x3 - y3)", XY, 1),
    # Normalize(0) = 0: x1 is exactly 0 in about a quarter of the rows.
    Case("normalize", "Normalize(x3 - y3)", XY, 3),
    Case("normalize_zeros", "Normalize(x1 * y3)", ("x1", "y3"), 3, domains={"x1": "PosZeros"}),
    Case("norm2_zeros", "Norm2(x1 * y3)", ("x1", "y3"), 1, domains={"x1": "PosZeros"}),
    # WeightedSqNorm picks its form by the weight's dimension: 1, d, d^2.
    Case("weightedsqnorm_iso", "WeightedSqNorm(p1, x3 - y3)", XYP, 1, domains={"p1": "Pos"}),
    Case("weightedsqnorm_diag", "WeightedSqNorm(p3, x3 - y3)", ("x3", "y3", "p3"), 1,
         domains={"p3": "Pos"}),
    Case("weightedsqnorm_sym", "WeightedSqNorm(p9, x3 - y3)", ("x3", "y3", "p9"), 1),
    Case("weightedsqdist_iso", "WeightedSqDist(y1, x3, y3)", ("x3", "y3", "y1"), 1,
         domains={"y1": "Pos"}),
    Case("weightedsqdist_diag", "WeightedSqDist(y3, x3, p3)", ("x3", "y3", "p3"), 1,
         domains={"y3": "Pos"}),
    Case("weightedsqdist_sym", "WeightedSqDist(x9, x3, y3)", ("x3", "y3", "x9"), 1),
    # f - g by rule B: a dimension-1 g against f of dimension 3.
    Case("weightedsqdist_bcast", "WeightedSqDist(p9, x3, y1)", ("x3", "y1", "p9"), 1),
    Case("sqnormiso", "SqNormIso(y1, x3 - y3)", ("x3", "y3", "y1"), 1),
    Case("sqnormdiag", "SqNormDiag(y3, x3)", ("x3", "y3"), 1),
    Case("symsqnorm", "SymSqNorm(x9, y3)", ("x9", "y3"), 1),
    Case("elemt", "ElemT(x1 - y1, 4, 2)", ("x1", "y1"), 4),
    Case("elemt_first", "ElemT(x1, 3, 0) * y3", ("x1", "y3"), 3),
    Case("extract", "Extract(x7 - y7, 2, 3)", ("x7", "y7"), 3),
    Case("extract_end", "Extract(x7 * y7, 6, 1)", ("x7", "y7"), 1),
    Case("extractt", "ExtractT(x3 - y3, 2, 7)", XY, 7),
    Case("extractt_start", "ExtractT(x3, 0, 4) * y1", ("x3", "y1"), 4),
    # OneHot reads an input variable: Grid puts it on exact half-integers (k = floor(f + 1/2)
    # rounds them up) and below 0 or at D and past (zeros).
    Case("onehot", "OneHot(x1, 4) * y1", ("x1", "y1"), 4, domains={"x1": "Grid"}),
    Case("onehot_a0", "x1 * OneHot(y1, 3)", ("x1", "y1"), 3, axis=0, domains={"y1": "Grid"}),

    # Linear algebra on row-major flattened vectors. Positive data: no cancellation inside the
    # sums, and every entry still matters, so a wrong index shows.
    Case("matvecmult", "MatVecMult(x6, y3)", ("x6", "y3"), 2, domains={"x6": "Pos", "y3": "Pos"}),
    Case("matvecmult_3x2", "MatVecMult(x6, y2)", ("x6", "y2"), 3,
         domains={"x6": "Pos", "y2": "Pos"}),
    Case("matvecmult_square", "MatVecMult(x4, y2 - x2)", ("x2", "x4", "y2"), 2),
    Case("vecmatmult", "VecMatMult(y2, x6)", ("x6", "y2"), 3, domains={"x6": "Pos", "y2": "Pos"}),
    Case("vecmatmult_3x2", "VecMatMult(y3, x6)", ("x6", "y3"), 2,
         domains={"x6": "Pos", "y3": "Pos"}),
    Case("tensorprod", "TensorProd(x3, y2)", ("x3", "y2"), 6),
    Case("tensorprod_expr", "TensorProd(x2 - y2, y3)", ("x2", "y2", "y3"), 6),
    # TensorDot: a 2x3 by a 3x4 tensor over one axis; then with p = [1, 0] (the transpose); two
    # contracted axes, paired out of order; a 2x3x4 by a 3x5 tensor with p = [2, 0, 1] (free
    # axes of sizes 2, 4, 5 to output positions 2, 0, 1: shape 4x5x2); no contraction.
    Case("tensordot", "TensorDot(x6, y12, [2, 3], [3, 4], [1], [0])", ("x6", "y12"), 8,
         domains={"x6": "Pos", "y12": "Pos"}),
    Case("tensordot_perm", "TensorDot(x6, y12, (2, 3), (3, 4), (1,), (0,), (1, 0))",
         ("x6", "y12"), 8, domains={"x6": "Pos", "y12": "Pos"}),
    Case("tensordot_two_axes", "TensorDot(x6, y12, [2, 3], [3, 2, 2], [0, 1], [1, 0])",
         ("x6", "y12"), 2, domains={"x6": "Pos", "y12": "Pos"}),
    Case("tensordot_perm3", "TensorDot(x24, y15, [2, 3, 4], [3, 5], [1], [0], [2, 0, 1])",
         ("x24", "y15"), 40, domains={"x24": "Pos", "y15": "Pos"}),
    Case("tensordot_outer", "TensorDot(x6, y4, [2, 3], [2, 2], [], [], [3, 1, 0, 2])",
         ("x6", "y4"), 24),
    Case("tensordot_full", "TensorDot(x6 - y6, y6, [3, 2], [2, 3], [0, 1], [1, 0])",
         ("x6", "y6"), 1),
    Case("tensordot_a0", "TensorDot(x6, y12, [2, 3], [3, 4], [1], [0], [1, 0])", ("x6", "y12"),
         8, axis=0, domains={"x6": "Pos", "y12": "Pos"}),
    # Kron = numpy.kron of the reshaped tensors: rank 1, rank 2.
    Case("kron", "Kron(x3, y4, [3], [4])", ("x3", "y4"), 12),
    Case("kron_rank2", "Kron(x6, y4, [2, 3], [2, 2])", ("x6", "y4"), 24),
    Case("kron_rank2_expr", "Kron(y4 - x4, x6, (2, 2), (3, 2))", ("x4", "x6", "y4"), 24),

    # Special functions. BSpline: knots sorted per row (random per j, or one Pm vector with
    # repeated knots, or exact constants), x in [-1, 1] so also outside the knots; degrees 0..3.
    Case("bspline_p0", "BSpline(y6, x1, 0)", ("x1", "y6"), 5, domains={"y6": "Sorted"}),
    Case("bspline_p1", "BSpline(y6, x1, 1)", ("x1", "y6"), 4, domains={"y6": "Sorted"}),
    Case("bspline_p2", "BSpline(y6, x1, 2)", ("x1", "y6"), 3, domains={"y6": "Sorted"}),
    Case("bspline_p3", "BSpline(y6, x1, 3)", ("x1", "y6"), 2, domains={"y6": "Sorted"}),
    Case("bspline_p2_a0", "BSpline(y6, x1, 2)", ("x1", "y6"), 3, axis=0,
         domains={"y6": "Sorted"}),
    Case("bspline_repeats_p0", "BSpline(p6, x1, 0)", ("x1", "p6"), 5,
         domains={"p6": "SortedRepeats"}),
    Case("bspline_repeats_p1", "BSpline(p6, x1, 1)", ("x1", "p6"), 4,
         domains={"p6": "SortedRepeats"}),
    Case("bspline_repeats_p2", "BSpline(y6, x1, 2)", ("x1", "y6"), 3,
         domains={"y6": "SortedRepeats"}),
    Case("bspline_repeats_p3", "BSpline(p6, x1, 3)", ("x1", "p6"), 2,
         domains={"p6": "SortedRepeats"}),
    # x exactly at a knot: [t_k <= x < t_(k+1)] is half-open, so x = t_2 starts interval 2, the
    # last knot is in no interval (all zeros), and x = t_1 = t_2 (a double knot) is in interval 2.
    Case("bspline_at_knot", "BSpline(y6, Elem(y6, 2), 2) * x1", ("x1", "y6"), 3,
         domains={"y6": "Sorted"}),
    Case("bspline_at_last_knot", "BSpline(y6, Elem(y6, 5), 0) * x1", ("x1", "y6"), 5,
         domains={"y6": "Sorted"}),
    Case("bspline_at_double_knot", "BSpline(p6, Elem(p6, 1), 0) * x1", ("x1", "p6"), 5,
         domains={"p6": "SortedRepeats"}),
    # A clamped cubic spline on exact constant knots (0, 0, 0, 0, 1/2, 1, 1, 1, 1).
    Case("bspline_clamped",
         "BSpline(Concat(Zero(4), Concat(IntInv(2), Zero(4) + 1)), x1, 3) * y1", ("x1", "y1"), 5),
    # SoftDTW_SqDist: sequences of different lengths; x in [2, 4] against y in [-1, 1] keeps
    # every cost >= 1, so the partial costs grow along the table and no value is near 0 (where a
    # sum's relative error would be unbounded). gamma from a Pm in [0.5, 2] and as constants.
    Case("softdtw", "SoftDTW_SqDist(x4, y6, p1)", ("x4", "y6", "p1"), 1,
         domains={"x4": "Big", "p1": "Pos"}),
    Case("softdtw_a0", "SoftDTW_SqDist(x6, y4, p1)", ("x6", "y4", "p1"), 1, axis=0,
         domains={"x6": "Big", "p1": "Pos"}),
    Case("softdtw_gamma_small", "SoftDTW_SqDist(x6, y4, 0.01)", ("x6", "y4"), 1,
         domains={"x6": "Big"}),
    Case("softdtw_gamma_large", "SoftDTW_SqDist(y6, x4, 3)", ("x4", "y6"), 1,
         domains={"y6": "Big"}),
    Case("softdtw_same_length", "SoftDTW_SqDist(x4, y4, 0.1)", ("x4", "y4"), 1,
         domains={"x4": "Big"}),
    # Sequences of length 1: the value is a plain running sum, no soft-min.
    Case("softdtw_length1_x", "SoftDTW_SqDist(x1, y6, p1)", ("x1", "y6", "p1"), 1,
         domains={"p1": "Pos"}),
    Case("softdtw_length1_y", "SoftDTW_SqDist(x6, y1, p1)", ("x6", "y1", "p1"), 1,
         domains={"p1": "Pos"}),
    # gamma <= 0 is NaN (differs from KeOps: arbitrary), also for length-1 sequences.
    Case("softdtw_gamma_negative", "SoftDTW_SqDist(x4, y6, -p1)", ("x4", "y6", "p1"), 1,
         domains={"p1": "Pos"}),
    Case("softdtw_gamma_zero", "SoftDTW_SqDist(x1, y6, 0)", ("x1", "y6"), 1),

    # Complex numbers: interleaved (re, im) pairs.
    Case("complex_real", "ComplexReal(x6 - y6)", ("x6", "y6"), 3),
    Case("complex_imag", "ComplexImag(x6 * y6)", ("x6", "y6"), 3),
    Case("real2complex", "Real2Complex(x3 - y3)", XY, 6),
    Case("imag2complex", "Imag2Complex(x3 * y3)", XY, 6),
    Case("conj", "Conj(x4 - y4)", ("x4", "y4"), 4),
    Case("complex_add", "ComplexAdd(x4, y4)", ("x4", "y4"), 4),
    Case("complex_subtract", "ComplexSubtract(x4, y4)", ("x4", "y4"), 4),
    Case("complex_mult", "ComplexMult(x4, y4)", ("x4", "y4"), 4),
    Case("complex_mult_1", "ComplexMult(x2, y2)", ("x2", "y2"), 2),
    Case("complex_divide", "ComplexDivide(x4, y4)", ("x4", "y4"), 4, domains={"y4": "NonZero"}),
    # Rule C: a single complex number (dimension 2) against a vector, on either side.
    Case("complex_add_bcast", "ComplexAdd(x6, y2)", ("x6", "y2"), 6),
    Case("complex_subtract_bcast", "ComplexSubtract(x2, y6)", ("x2", "y6"), 6),
    # (x − y)·p: a j-independent product would keep ac − bd's cancellation undiluted by the sum.
    Case("complex_mult_bcast", "ComplexMult(x6 - y6, p2)", ("x6", "y6", "p2"), 6),
    Case("complex_mult_bcast_left", "ComplexMult(p2, y4)", ("y4", "p2"), 4),
    Case("complex_divide_bcast_num", "ComplexDivide(x2, y6)", ("x2", "y6"), 6,
         domains={"y6": "NonZero"}),
    Case("complex_divide_bcast_den", "ComplexDivide(x6, y2)", ("x6", "y2"), 6,
         domains={"y2": "NonZero"}),
    Case("complex_exp", "ComplexExp(x4 - y4)", ("x4", "y4"), 4),
    Case("complex_exp1j", "ComplexExp1j(x3 - y3)", XY, 6),
    Case("complex_squareabs", "ComplexSquareAbs(x4 - y4)", ("x4", "y4"), 2),
    Case("complex_abs", "ComplexAbs(x6 - y6)", ("x6", "y6"), 3),
    # |0| = 0: pairs of x4 are (0, 0) about one time in sixteen.
    Case("complex_abs_zeros", "ComplexAbs(x4) * y1", ("x4", "y1"), 2, domains={"x4": "PosZeros"}),
    Case("complex_angle", "ComplexAngle(x4 - y4)", ("x4", "y4"), 2),
    # The branch cut: re < 0 with im = +0 or -0 gives pi (the range is (-pi, pi], -0 counts as
    # +0); (+-0, +-0) gives 0.
    Case("complex_angle_cut", "ComplexAngle(Concat(x1, y1))", ("x1", "y1"), 1,
         domains={"y1": "PosZeros"}),
    Case("complex_angle_zero", "ComplexAngle(Concat(x1 * 0, y1))", ("x1", "y1"), 1,
         domains={"y1": "PosZeros"}),
    Case("complex_sum", "ComplexSum(x6 * y6)", ("x6", "y6"), 2),
    Case("complex_sumt", "ComplexSumT(x2 - y2, 6)", ("x2", "y2"), 6),
    Case("complex_sumt_2", "ComplexSumT(x2 * y2, 2)", ("x2", "y2"), 2),
    Case("complex_realscal", "ComplexRealScal(x1, y4)", ("x1", "y4"), 4),
    Case("complex_realscal_right", "ComplexRealScal(x6 - y6, p1)", ("x6", "y6", "p1"), 6),
    # A NUFFT-like term: e^(i x y) times a complex weight, each axis.
    Case("complex_nufft", "ComplexMult(ComplexExp1j(x1 * y1), y2)", ("x1", "y1", "y2"), 2),
    Case("complex_nufft_a0", "ComplexMult(ComplexExp1j(x3 * y1), y6)", ("x3", "y1", "y6"), 6,
         axis=0),
    Case("complex_divide_large", "ComplexDivide(x4, y4)", ("x4", "y4"), 4,
         domains={"y4": "NonZero"}, sizes=(LARGE,)),

    # Factorization hints mean F (SPEC.md §3); G is checked, and need not occur in F.
    Case("factorize", "Factorize(Exp(-SqDist(x3, y3)) * SqDist(x3, y3), SqDist(x3, y3))", XY, 1),
    Case("factorize_unrelated", "Factorize(x3 - y3, Sum(y3) * x1)", ("x3", "y3", "x1"), 3),
    Case("autofactorize", "AutoFactorize(Exp(x3 - y3) * (x3 - y3))", XY, 3),

    # Leaves and literals.
    Case("intcst", "IntCst(3) * x3 + y3", XY, 3),
    Case("intcst_neg", "x3 * IntCst(-4) - y3", XY, 3),
    Case("ratcst", "RatCst(2, 3) * x3 - y3", XY, 3),
    Case("ratcst_neg", "x3 * RatCst(-5, 7) + y3", XY, 3),
    Case("intinv", "IntInv(3) * (x3 + y3)", XY, 3),
    Case("zero_concat", "Concat(Zero(2), x3 - y3)", XY, 5),
    Case("zero_add", "Zero(3) + x3 * y3", XY, 3),
    Case("int_literals", "2 * x3 - 3 + y3 / 4", XY, 3),
    Case("float_literals", "0.25 * x3 + y3 * 1.5 - 0.1", XY, 3),
    Case("float_literals_exp", "x3 * 1e-3 + .5 * y3 - 2.", XY, 3),

    # `**`: 2 -> Square, n -> Pow, 0.5 -> Sqrt, -0.5 -> Rsqrt, 1 -> f; integral floats likewise.
    Case("starstar_2", "(x3 - y3) ** 2", XY, 3),
    Case("starstar_3", "(x3 - y3) ** 3", XY, 3),
    Case("starstar_3f", "(x3 - y3) ** 3.0", XY, 3),
    Case("starstar_m2", "y3 ** -2 * x3", XY, 3, domains={"y3": "NonZero"}),
    Case("starstar_1", "(x3 - y3) ** 1", XY, 3),
    Case("starstar_half", "x3 ** 0.5 * y3", XY, 3, domains={"x3": "PosZeros"}),
    Case("starstar_mhalf", "x3 ** -0.5 * y3", XY, 3, domains={"x3": "PosZeros"}),
    Case("starstar_neg_prec", "-x3 ** 2 + y3", XY, 3),
    # Other exponents are Powf: constants, formulas, a constant base.
    Case("starstar_1_5", "x3 ** 1.5 * y3", XY, 3, domains={"x3": "PosZeros"}),
    Case("starstar_m1_5", "(x3 + y3) ** -1.5", XY, 3, domains=POS),
    Case("starstar_third", "x3 ** (1/3) * y3", XY, 3, domains={"x3": "Pos"}),
    Case("starstar_formula", "x3 ** y3", XY, 3, domains={"x3": "Pos"}),
    Case("starstar_neg_base", "y3 ** x1", ("x1", "y3"), 3, domains={"x1": "Int", "y3": "NonZero"}),
    Case("starstar_const_base", "2 ** y3 * x3", XY, 3),

    # Rule B: a dimension-1 operand against dimension 3, on either side, Pm and Vj.
    Case("bcast_add_pm", "x3 + p1", ("x3", "p1"), 3),
    Case("bcast_sub_pm_left", "p1 - x3", ("x3", "p1"), 3),
    Case("bcast_mult_vj", "x3 * y1", ("x3", "y1"), 3),
    Case("bcast_div_vj", "x3 / y1", ("x3", "y1"), 3, domains={"y1": "NonZero"}),
    Case("bcast_div_left", "x1 / y3", ("x1", "y3"), 3, domains={"y3": "NonZero"}),
    Case("bcast_exp", "Exp(x3 - y1)", ("x3", "y1"), 3),
    Case("bcast_sqdist", "SqDist(x3, p1)", ("x3", "p1"), 1),
    Case("bcast_pm3", "x3 * p3 + y1", ("x3", "y1", "p3"), 3),

    # axis = 0: out[j] = sum_i F(i, j).
    Case("exp_a0", "Exp(x3 - y3)", XY, 3, axis=0),
    Case("rsqrt_zeros_a0", "Rsqrt(x3) * y3", XY, 3, axis=0, domains={"x3": "PosZeros"}),
    Case("log_a0", "Log(x3 + y3)", XY, 3, axis=0, domains=POS),
    Case("scalprod_a0", "x3 | y3", XY, 1, axis=0),
    Case("concat_a0", "Concat(x3, y1)", ("x3", "y1"), 4, axis=0),
    Case("divide_a0", "x3 / y3", XY, 3, axis=0, domains={"y3": "NonZero"}),

    # Large: M = N = 1000 (several blocks, threads), each axis.
    Case("exp_large", "Exp(x3 - y3)", XY, 3, sizes=(LARGE,)),
    Case("rsqrt_zeros_large_a0", "Rsqrt(x3) * y3", XY, 3,
         axis=0, domains={"x3": "PosZeros"}, sizes=(LARGE,)),
    Case("sqdist_large", "SqDist(x7, y7)", ("x7", "y7"), 1, sizes=(LARGE,)),
]


def kfl_text(module, dtype):
    lines = [
        "// %s.kfl: generated by tests/conformance/ops/gen_ops.py --dtype %s; do not edit." % (
            module, dtype),
        "// One Sum reduction per operation case; OpsMain.cpp computes their references.",
        "",
    ]
    if dtype != "float32":
        lines += ["options [dtype = %s];" % dtype, ""]
    for name, (cat, dim) in ALIASES.items():
        lines.append("alias %s = %s(%d);" % (name, cat, dim))
    lines.append("")
    for c in CASES:
        lines.append("reduction op_%s(%s) = Sum(%s, axis = %d);" % (
            c.name, ", ".join(c.args), c.formula, c.axis))
    return "\n".join(lines) + "\n"


def genred_kfl_text(module, dtype):
    lines = [
        "// %s_genred.kfl: generated by tests/conformance/ops/gen_ops.py --dtype %s; do not edit."
        % (module, dtype),
        "// Each case of %s.kfl as pykeops's Genred call; it must lower to the same IR." % module,
        "",
    ]
    for c in CASES:
        aliases = ", ".join('"%s = %s(%d)"' % (a, ALIASES[a][0], ALIASES[a][1]) for a in c.args)
        lines.append('reduction op_%s = Genred("%s", [%s], reduction_op = "Sum", axis = %d, '
                     'dtype = "%s");' % (c.name, c.formula, aliases, c.axis, dtype))
    return "\n".join(lines) + "\n"


def module_text(module, dtype, kfl_path):
    # float16 entry points take IEEE binary16 bits (DESIGN.md §4).
    real = {"float16": "uint16_t", "float32": "float", "float64": "double"}[dtype]
    return "\n".join([
        "// ops_module.h: generated by tests/conformance/ops/gen_ops.py --dtype %s; do not edit."
        % dtype,
        "// The library header of %s.kfl and its real type, for OpsMain.cpp." % module,
        "#include \"%s.h\"" % module,
        "",
        "#define OPS_MODULE \"%s\"" % module,
        "#define OPS_KFL \"%s\"" % kfl_path,
        "#define OPS_GENRED_KFL \"%s\"" % kfl_path.replace(".kfl", "_genred.kfl"),
        "#define OPS_DTYPE \"%s\"" % dtype,
        "#define OPS_LAST_ERROR %s_last_error" % module,
        "typedef %s ops_real;" % real,
        "",
    ])


def c_string(text):
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def case_text(module, c):
    domains = ", ".join("Domain::%s" % c.domains.get(a, "Sym") for a in c.args)
    ptrs = ", ".join("in[%d]" % n for n in range(len(c.args)))
    sizes = ", ".join("{%d, %d}" % s for s in c.sizes)
    return "\n".join([
        "  OpCase{\"%s\", %s, %d, %d, {%s}, {%s}, %d," % (
            c.name, c_string(c.formula), c.out_dim, len(c.args), domains, sizes, len(c.sizes)),
        "  [](int64_t M, int64_t N, const Real *const *in, Real *out) {",
        "    return %s_op_%s(M, N, %s, out, nullptr);" % (module, c.name, ptrs),
        "  }},",
    ])


def inc_text(module, dtype):
    lines = [
        "// ops_cases.inc: generated by tests/conformance/ops/gen_ops.py --dtype %s; do not edit."
        % dtype,
        "// The cases of %s.kfl for OpsMain.cpp (included inside its namespace): domains, sizes" %
        module,
        "// and callers; the references come from the .kfl's IR.",
        "const OpCase kOpCases[] = {",
    ]
    lines += [case_text(module, c) for c in CASES]
    lines.append("};")
    return "\n".join(lines) + "\n"


def main(argv):
    args, module = parse_suite_args(argv, __doc__, "ops")
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    kfl_path = os.path.abspath(os.path.join(args.out_dir, module + ".kfl"))
    write_if_changed(kfl_path, kfl_text(module, args.dtype))
    write_if_changed(os.path.join(args.out_dir, module + "_genred.kfl"),
                     genred_kfl_text(module, args.dtype))
    write_if_changed(os.path.join(args.out_dir, "ops_module.h"),
                     module_text(module, args.dtype, kfl_path))
    write_if_changed(os.path.join(args.out_dir, "ops_cases.inc"), inc_text(module, args.dtype))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
