#!/usr/bin/env python3
# gen_ops.py: writes the per-operation conformance suite (a .kfl, its float64 references in C++).
# It owns which operations are tested, their formulas, data domains and references; the checks
# (poisoning, tolerances, reporting) live in OpsMain.cpp.
"""Generate the per-operation conformance suite for one dtype.

Usage: gen_ops.py --dtype float32|float64 --out-dir DIR [--module NAME]

Writes, all from the one CASES table below, so a formula and its reference cannot drift apart:
  DIR/NAME.kfl        one `Sum` reduction per case (compiled by keopsc into libNAME.a, NAME.h);
  DIR/ops_module.h    includes NAME.h, names the real type and the module's last-error function;
  DIR/ops_cases.inc   the table of OpsMain.cpp: per case its inputs (category, dimension, data
                      domain), the output dimension, the axis, a caller of the entry point and the
                      float64 reference of one term F(i, j), written in C++.

References are C++ statement bodies that see one `const double *` per input, named as the input
(the row of an i-variable at i, of a j-variable at j, the parameter), and write the term's
components to `f`. OpsMain.cpp defines the helpers they call (rsqrt0, powi).
"""

import os
import sys

# The command line and file writing are shared with ../gen_suite.py.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from suite_files import parse_suite_args, write_if_changed  # noqa: E402

# The aliases a case may use: name -> (category, dimension). Vi is category 0, Vj 1, Pm 2.
ALIASES = {
    "x1": ("Vi", 1), "x3": ("Vi", 3), "x7": ("Vi", 7),
    "y1": ("Vj", 1), "y3": ("Vj", 3), "y7": ("Vj", 7),
    "p1": ("Pm", 1), "p3": ("Pm", 3),
}
CATEGORY = {"Vi": 0, "Vj": 1, "Pm": 2}

# Data domains (OpsMain.cpp's Domain): Sym uniform in [-1, 1]; Pos in [0.5, 2]; PosZeros as Pos
# with about a quarter of the entries exactly +0 or -0; NonZero in [-2, -0.5] U [0.5, 2]; Big in
# [2, 4].
# The reference reads the rounded inputs but not the rounded intermediate results, so a domain
# must keep the operation well conditioned on them: Log's argument, when it is computed, stays
# well above 1 (Log(x * p) near 1 turns the product's rounding into a large relative error, and
# with a j-independent term the sum over j cannot dilute it).
DOMAINS = ("Sym", "Pos", "PosZeros", "NonZero", "Big")

SMALL = (37, 53)
LARGE = (1000, 1000)


class Case:
    """One reduction: Sum(formula, axis) over the inputs `args` (in this order in C)."""

    def __init__(self, name, formula, args, out_dim, ref, axis=1, domains=None, sizes=(SMALL,)):
        self.name = name
        self.formula = formula
        self.args = args
        self.out_dim = out_dim
        self.ref = ref
        self.axis = axis
        self.domains = domains or {}
        self.sizes = sizes
        for a in args:
            assert a in ALIASES, a
            assert self.domains.get(a, "Sym") in DOMAINS
        for a in self.domains:
            assert a in args, a


def each(dim, expr):
    """A reference writing f[k] = expr for k < dim (expr may use k)."""
    return "for (int k = 0; k < %d; ++k) f[k] = %s;" % (dim, expr)


XY = ("x3", "y3")
XYP = ("x3", "y3", "p1")
POS = {"x3": "Pos", "y3": "Pos"}

CASES = [
    # Arithmetic (rule B operands of equal dimension).
    Case("add", "x3 + y3", XY, 3, each(3, "x3[k] + y3[k]")),
    Case("subtract", "x3 - y3", XY, 3, each(3, "x3[k] - y3[k]")),
    Case("minus", "-(x3 * y3)", XY, 3, each(3, "-(x3[k] * y3[k])")),
    Case("minus_fn", "Minus(x3) + y3", XY, 3, each(3, "-x3[k] + y3[k]")),
    Case("mult", "x3 * y3", XY, 3, each(3, "x3[k] * y3[k]")),
    Case("divide", "x3 / y3", XY, 3, each(3, "x3[k] / y3[k]"), domains={"y3": "NonZero"}),
    Case("inv", "Inv(x3 + y3)", XY, 3, each(3, "1.0 / (x3[k] + y3[k])"), domains=POS),
    Case("inv_signed", "Inv(y3) * x3", XY, 3, each(3, "x3[k] / y3[k]"),
         domains={"y3": "NonZero"}),
    Case("square", "Square(x3 - y3)", XY, 3, each(3, "(x3[k] - y3[k]) * (x3[k] - y3[k])")),
    Case("pow3", "Pow(x3 - y3, 3)", XY, 3, each(3, "powi(x3[k] - y3[k], 3)")),
    Case("pow_m2", "Pow(x3 + y3, -2)", XY, 3, each(3, "powi(x3[k] + y3[k], -2)"), domains=POS),
    Case("pow_m2_signed", "Pow(y3, -2) * x3", XY, 3, each(3, "powi(y3[k], -2) * x3[k]"),
         domains={"y3": "NonZero"}),
    # n = 0 is 1 everywhere, 0^0 included (integer powering).
    Case("pow0", "Pow(x3, 0) * y3", XY, 3, each(3, "y3[k]"), domains={"x3": "PosZeros"}),
    Case("sqrt", "Sqrt(x3 + y3)", XY, 3, each(3, "std::sqrt(x3[k] + y3[k])"), domains=POS),
    # Sqrt(0) = 0 (and Sqrt(-0) = -0): exact zeros in the i-variable.
    Case("sqrt_zeros", "Sqrt(x3) * y3", XY, 3, each(3, "std::sqrt(x3[k]) * y3[k]"),
         domains={"x3": "PosZeros"}),
    Case("rsqrt", "Rsqrt(x3 + y3)", XY, 3, each(3, "rsqrt0(x3[k] + y3[k])"), domains=POS),
    # Rsqrt(0) = 0 (SPEC.md §3): zeros in the i-variable, then in the summed j-variable.
    Case("rsqrt_zeros_i", "Rsqrt(x3) * y3", XY, 3, each(3, "rsqrt0(x3[k]) * y3[k]"),
         domains={"x3": "PosZeros"}),
    Case("rsqrt_zeros_j", "x3 * Rsqrt(y3)", XY, 3, each(3, "x3[k] * rsqrt0(y3[k])"),
         domains={"y3": "PosZeros"}),

    # Element-wise functions.
    Case("exp", "Exp(x3 - y3)", XY, 3, each(3, "std::exp(x3[k] - y3[k])")),
    Case("log", "Log(x3 + y3)", XY, 3, each(3, "std::log(x3[k] + y3[k])"), domains=POS),
    Case("log_scaled", "Log(x3 * p1)", ("x3", "p1"), 3, each(3, "std::log(x3[k] * p1[0])"),
         domains={"x3": "Big", "p1": "Big"}),
    Case("abs", "Abs(x3 - y3)", XY, 3, each(3, "std::fabs(x3[k] - y3[k])")),

    # Vector operations.
    Case("vsum", "Sum(x3 - y3)", XY, 1,
         "f[0] = 0; for (int k = 0; k < 3; ++k) f[0] += x3[k] - y3[k];"),
    Case("vsum_d7", "Sum(x7 * y7)", ("x7", "y7"), 1,
         "f[0] = 0; for (int k = 0; k < 7; ++k) f[0] += x7[k] * y7[k];"),
    Case("scalprod", "x3 | y3", XY, 1,
         "f[0] = 0; for (int k = 0; k < 3; ++k) f[0] += x3[k] * y3[k];"),
    Case("scalprod_fn", "Scalprod(x3 - y3, x3)", XY, 1,
         "f[0] = 0; for (int k = 0; k < 3; ++k) f[0] += (x3[k] - y3[k]) * x3[k];"),
    # One operand of dimension 1: a | b = a * Sum(b), in either order.
    Case("scalprod_1_left", "p1 | x3 - y3", XYP, 1,
         "f[0] = 0; for (int k = 0; k < 3; ++k) f[0] += p1[0] * (x3[k] - y3[k]);"),
    Case("scalprod_1_right", "(x3 * y3) | y1", ("x3", "y3", "y1"), 1,
         "f[0] = 0; for (int k = 0; k < 3; ++k) f[0] += x3[k] * y3[k] * y1[0];"),
    Case("sqnorm2", "SqNorm2(x3 - y3)", XY, 1,
         "f[0] = 0; for (int k = 0; k < 3; ++k) f[0] += (x3[k] - y3[k]) * (x3[k] - y3[k]);"),
    Case("sqdist", "SqDist(x3, y3)", XY, 1,
         "f[0] = 0; for (int k = 0; k < 3; ++k) f[0] += (x3[k] - y3[k]) * (x3[k] - y3[k]);"),
    Case("sqdist_d7", "SqDist(x7, y7)", ("x7", "y7"), 1,
         "f[0] = 0; for (int k = 0; k < 7; ++k) f[0] += (x7[k] - y7[k]) * (x7[k] - y7[k]);"),
    Case("elem0", "Elem(x3 - y3, 0)", XY, 1, "f[0] = x3[0] - y3[0];"),
    Case("elem2", "Elem(x3 * y3, 2)", XY, 1, "f[0] = x3[2] * y3[2];"),
    Case("elem_d7", "Elem(x7, 6) * Elem(y7, 3)", ("x7", "y7"), 1, "f[0] = x7[6] * y7[3];"),
    Case("concat", "Concat(x3, y1)", ("x3", "y1"), 4,
         "for (int k = 0; k < 3; ++k) f[k] = x3[k];\nf[3] = y1[0];"),
    Case("concat_expr", "Concat(p1, x3 - y3)", XYP, 4,
         "f[0] = p1[0]; for (int k = 0; k < 3; ++k) f[1 + k] = x3[k] - y3[k];"),

    # Leaves and literals.
    Case("intcst", "IntCst(3) * x3 + y3", XY, 3, each(3, "3.0 * x3[k] + y3[k]")),
    Case("intcst_neg", "x3 * IntCst(-4) - y3", XY, 3, each(3, "-4.0 * x3[k] - y3[k]")),
    Case("ratcst", "RatCst(2, 3) * x3 - y3", XY, 3, each(3, "2.0 / 3.0 * x3[k] - y3[k]")),
    Case("ratcst_neg", "x3 * RatCst(-5, 7) + y3", XY, 3, each(3, "-5.0 / 7.0 * x3[k] + y3[k]")),
    Case("intinv", "IntInv(3) * (x3 + y3)", XY, 3, each(3, "(x3[k] + y3[k]) / 3.0")),
    Case("zero_concat", "Concat(Zero(2), x3 - y3)", XY, 5,
         "f[0] = 0; f[1] = 0; for (int k = 0; k < 3; ++k) f[2 + k] = x3[k] - y3[k];"),
    Case("zero_add", "Zero(3) + x3 * y3", XY, 3, each(3, "x3[k] * y3[k]")),
    Case("int_literals", "2 * x3 - 3 + y3 / 4", XY, 3, each(3, "2.0 * x3[k] - 3.0 + y3[k] / 4.0")),
    Case("float_literals", "0.25 * x3 + y3 * 1.5 - 0.1", XY, 3,
         each(3, "0.25 * x3[k] + y3[k] * 1.5 - 0.1")),
    Case("float_literals_exp", "x3 * 1e-3 + .5 * y3 - 2.", XY, 3,
         each(3, "x3[k] * 1e-3 + 0.5 * y3[k] - 2.0")),

    # `**`: 2 -> Square, n -> Pow, 0.5 -> Sqrt, -0.5 -> Rsqrt, 1 -> f; integral floats likewise.
    Case("starstar_2", "(x3 - y3) ** 2", XY, 3, each(3, "(x3[k] - y3[k]) * (x3[k] - y3[k])")),
    Case("starstar_3", "(x3 - y3) ** 3", XY, 3, each(3, "powi(x3[k] - y3[k], 3)")),
    Case("starstar_3f", "(x3 - y3) ** 3.0", XY, 3, each(3, "powi(x3[k] - y3[k], 3)")),
    Case("starstar_m2", "y3 ** -2 * x3", XY, 3, each(3, "powi(y3[k], -2) * x3[k]"),
         domains={"y3": "NonZero"}),
    Case("starstar_1", "(x3 - y3) ** 1", XY, 3, each(3, "x3[k] - y3[k]")),
    Case("starstar_half", "x3 ** 0.5 * y3", XY, 3, each(3, "std::sqrt(x3[k]) * y3[k]"),
         domains={"x3": "PosZeros"}),
    Case("starstar_mhalf", "x3 ** -0.5 * y3", XY, 3, each(3, "rsqrt0(x3[k]) * y3[k]"),
         domains={"x3": "PosZeros"}),
    Case("starstar_neg_prec", "-x3 ** 2 + y3", XY, 3, each(3, "-(x3[k] * x3[k]) + y3[k]")),

    # Rule B: a dimension-1 operand against dimension 3, on either side, Pm and Vj.
    Case("bcast_add_pm", "x3 + p1", ("x3", "p1"), 3, each(3, "x3[k] + p1[0]")),
    Case("bcast_sub_pm_left", "p1 - x3", ("x3", "p1"), 3, each(3, "p1[0] - x3[k]")),
    Case("bcast_mult_vj", "x3 * y1", ("x3", "y1"), 3, each(3, "x3[k] * y1[0]")),
    Case("bcast_div_vj", "x3 / y1", ("x3", "y1"), 3, each(3, "x3[k] / y1[0]"),
         domains={"y1": "NonZero"}),
    Case("bcast_div_left", "x1 / y3", ("x1", "y3"), 3, each(3, "x1[0] / y3[k]"),
         domains={"y3": "NonZero"}),
    Case("bcast_exp", "Exp(x3 - y1)", ("x3", "y1"), 3, each(3, "std::exp(x3[k] - y1[0])")),
    Case("bcast_sqdist", "SqDist(x3, p1)", ("x3", "p1"), 1,
         "f[0] = 0; for (int k = 0; k < 3; ++k) f[0] += (x3[k] - p1[0]) * (x3[k] - p1[0]);"),
    Case("bcast_pm3", "x3 * p3 + y1", ("x3", "y1", "p3"), 3, each(3, "x3[k] * p3[k] + y1[0]")),

    # axis = 0: out[j] = sum_i F(i, j).
    Case("exp_a0", "Exp(x3 - y3)", XY, 3, each(3, "std::exp(x3[k] - y3[k])"), axis=0),
    Case("rsqrt_zeros_a0", "Rsqrt(x3) * y3", XY, 3, each(3, "rsqrt0(x3[k]) * y3[k]"), axis=0,
         domains={"x3": "PosZeros"}),
    Case("log_a0", "Log(x3 + y3)", XY, 3, each(3, "std::log(x3[k] + y3[k])"), axis=0,
         domains=POS),
    Case("scalprod_a0", "x3 | y3", XY, 1,
         "f[0] = 0; for (int k = 0; k < 3; ++k) f[0] += x3[k] * y3[k];", axis=0),
    Case("concat_a0", "Concat(x3, y1)", ("x3", "y1"), 4,
         "for (int k = 0; k < 3; ++k) f[k] = x3[k];\nf[3] = y1[0];", axis=0),
    Case("divide_a0", "x3 / y3", XY, 3, each(3, "x3[k] / y3[k]"), axis=0,
         domains={"y3": "NonZero"}),

    # Large: M = N = 1000 (several blocks, threads), each axis.
    Case("exp_large", "Exp(x3 - y3)", XY, 3, each(3, "std::exp(x3[k] - y3[k])"),
         sizes=(LARGE,)),
    Case("rsqrt_zeros_large_a0", "Rsqrt(x3) * y3", XY, 3, each(3, "rsqrt0(x3[k]) * y3[k]"),
         axis=0, domains={"x3": "PosZeros"}, sizes=(LARGE,)),
    Case("sqdist_large", "SqDist(x7, y7)", ("x7", "y7"), 1,
         "f[0] = 0; for (int k = 0; k < 7; ++k) f[0] += (x7[k] - y7[k]) * (x7[k] - y7[k]);",
         sizes=(LARGE,)),
]


def kfl_text(module, dtype):
    lines = [
        "// %s.kfl: generated by tests/conformance/ops/gen_ops.py --dtype %s; do not edit." % (
            module, dtype),
        "// One Sum reduction per operation case; the references are in ops_cases.inc.",
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


def module_text(module, dtype):
    real = {"float32": "float", "float64": "double"}[dtype]
    return "\n".join([
        "// ops_module.h: generated by tests/conformance/ops/gen_ops.py --dtype %s; do not edit."
        % dtype,
        "// The library header of %s.kfl and its real type, for OpsMain.cpp." % module,
        "#include \"%s.h\"" % module,
        "",
        "#define OPS_MODULE \"%s\"" % module,
        "#define OPS_DTYPE \"%s\"" % dtype,
        "#define OPS_LAST_ERROR %s_last_error" % module,
        "typedef %s ops_real;" % real,
        "",
    ])


def c_string(text):
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def case_text(module, c):
    inputs = ", ".join("{%d, %d, Domain::%s}" % (CATEGORY[ALIASES[a][0]], ALIASES[a][1],
                                                 c.domains.get(a, "Sym")) for a in c.args)
    views = "".join("    [[maybe_unused]] const double *%s = in[%d];\n" % (a, n)
                    for n, a in enumerate(c.args))
    ptrs = ", ".join("in[%d]" % n for n in range(len(c.args)))
    sizes = ", ".join("{%d, %d}" % s for s in c.sizes)
    body = "\n".join("    " + line for line in c.ref.split("\n"))
    return "\n".join([
        "  OpCase{\"%s\", %s, %d, %d, %d, {%s}, {%s}, %d," % (
            c.name, c_string(c.formula), c.axis, c.out_dim, len(c.args), inputs, sizes,
            len(c.sizes)),
        "  [](const double *const *in, double *f) {",
        views + body,
        "  },",
        "  [](int64_t M, int64_t N, const Real *const *in, Real *out) {",
        "    return %s_op_%s(M, N, %s, out, nullptr);" % (module, c.name, ptrs),
        "  }},",
    ])


def inc_text(module, dtype):
    lines = [
        "// ops_cases.inc: generated by tests/conformance/ops/gen_ops.py --dtype %s; do not edit."
        % dtype,
        "// The cases of %s.kfl for OpsMain.cpp (included inside its namespace): data and" % module,
        "// float64 references; the checks are not here.",
        "const OpCase kOpCases[] = {",
    ]
    lines += [case_text(module, c) for c in CASES]
    lines.append("};")
    return "\n".join(lines) + "\n"


def main(argv):
    args, module = parse_suite_args(argv, __doc__, "ops")
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    write_if_changed(os.path.join(args.out_dir, module + ".kfl"), kfl_text(module, args.dtype))
    write_if_changed(os.path.join(args.out_dir, "ops_module.h"), module_text(module, args.dtype))
    write_if_changed(os.path.join(args.out_dir, "ops_cases.inc"), inc_text(module, args.dtype))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
