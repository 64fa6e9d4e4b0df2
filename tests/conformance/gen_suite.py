#!/usr/bin/env python3
# gen_suite.py: writes one conformance suite (a .kfl file and the C++ table of its entry points).
# It owns which reductions are tested and how they are spelled; the references and checks live in
# reference/ and the harness, which read the same .kfl through keopsc's frontend and sema.
"""Generate the conformance suite for one dtype.

Usage: gen_suite.py --dtype float16|float32|float64 --out-dir DIR [--module NAME]

Writes DIR/NAME.kfl (compiled by keopsc into DIR/libNAME.a and DIR/NAME.h) and
DIR/conf_suite.inc, which includes NAME.h, names the .kfl and lists every entry point in an
X-macro, CONF_CASES(X), as X(Outputs, function, "reduction", "syntax", "variant"): Outputs is the
calling convention (Values, Indices, ValuesAndIndices or Pair, as ir::OutputShape), the variant names
the summation option of a scheme entry point ("" for the defaults). Dimensions, axis, K and the
formula come from the IR.

Every entry point has the same inputs (x, y, b, g): x = Vi(D), y = Vj(D), b = Vj(D),
g = Pm(1), so one set of random data serves every reduction of a dimension.
"""

import os
import sys

from suite_files import parse_suite_args, write_if_changed

DIMS = (1, 3, 17, 100)
# float16 drops D = 100 (a wide row is a plan and summation matter, which float32 and float64
# cover): the float64 reference of the wide entry points is most of a suite's time.
HALF_DIMS = (1, 3, 17)


def dims_of(dtype):
    return HALF_DIMS if dtype == "float16" else DIMS

AXES = (1, 0)
ARGKMIN_KS = (1, 5, 10)
# ArgKMin covers K = 1, 5, 10; KMin_ArgKMin adds the value output and the `[K = ...]` spelling,
# which one K exercises (each K costs a full pass over every size at every D).
KMIN_ARGKMIN_KS = (5,)
# KMin (values only) at every D, natively; Genred spells it too where it is cheap.
KMIN_K = 3
KMIN_GENRED_DIMS = (1, 3, 17)
# Min/Max and their Arg forms (one harness family, minmax) at every D and axis, natively and
# through Genred; Genred spells the two-output ones MinArgMin / MaxArgMax at MINMAX_ALIAS_DIM.
MINMAX_OPS = ("Min", "Max", "ArgMin", "ArgMax", "Min_ArgMin", "Max_ArgMax")
MINMAX_ALIAS_DIM = 3

# Summation options of Sum and LogSumExp (SPEC.md §5.1, §7.2): (variant, short name, native
# option, Genred keyword). Each is legal in every dtype: float64 accumulation is float64's auto.
SCHEMES = (
    ("direct_sum", "direct", "sum_scheme = direct_sum", 'sum_scheme = "direct_sum"'),
    ("block_sum", "block", "sum_scheme = block_sum", 'sum_scheme = "block_sum"'),
    ("kahan_scheme", "kahan", "sum_scheme = kahan_scheme", 'sum_scheme = "kahan_scheme"'),
    ("dtype_acc=float64", "acc64", "dtype_acc = float64", 'dtype_acc = "float64"'),
    ("use_double_acc", "dblacc", "use_double_acc = true", "use_double_acc = True"),
)
SCHEME_DIMS = (3, 17)
SCHEME_GENRED_DIMS = (3,)

# The formulas, written once with placeholders so the native and Genred spellings agree.
SUM_FORMULA = "Exp(-{g} * SqDist({x}, {y})) * {b}"
LSE_FORMULA = "Sum({b}) - {g} * SqDist({x}, {y})"
KMIN_FORMULA = "Abs({x} - {y}) + {g} * {b}"
# The weights G of the weighted LogSumExp family (E = D): positive for the weighted LogSumExp
# (b <= 0 in the Lse data; a log of a negative sum is NaN by design, tested in lit), signed for
# the softmax and the raw pair.
LSE_WEIGHT = "1 - {b}"
SIGNED_WEIGHT = "{x} - {y}"

# The weighted LogSumExp family (SPEC.md §4): (family, short name, native spelling, Genred
# reduction_op, weight). Lse covers LogSumExp with `weight =` and LogSumExpWeight; SoftMax the
# softmax under both names; ShiftExp the raw (m, s) pair, unweighted (weight None) and weighted.
WEIGHTED = (
    ("Lse", "lsew", "LogSumExp({f}, weight = {w}, axis = {a})", "LogSumExp", LSE_WEIGHT),
    ("Lse", "lseweight", "LogSumExpWeight({f}, {w}, axis = {a})", "LogSumExpWeight", LSE_WEIGHT),
    ("SoftMax", "softmax", "SumSoftMaxWeight({f}, weight = {w}, axis = {a})", "SoftMax",
     SIGNED_WEIGHT),
    ("SoftMax", "softmaxalias", "SoftMax({f}, {w}, axis = {a})", "SumSoftMaxWeight",
     SIGNED_WEIGHT),
    ("ShiftExp", "shiftexp", "Max_SumShiftExp({f}, axis = {a})", "Max_SumShiftExp", None),
    ("ShiftExp", "shiftexpw", "Max_SumShiftExpWeight({f}, {w}, axis = {a})",
     "Max_SumShiftExpWeight", SIGNED_WEIGHT),
)
WEIGHTED_DIMS = (1, 3, 17)
# The three sum schemes on each weighted reduction at D = 3 (natively; Genred at one of them).
WEIGHTED_SCHEMES = ("direct_sum", "block_sum", "kahan_scheme")
# The signed-weight reductions again with the weight b itself (E = D = 17 > 16 components): on
# axis 1 a chunked weight (enable_chunks, simd_chunked_shift_exp.h), on axis 0 an output-row one.
INPUT_WEIGHT_SHORTS = ("softmax", "shiftexpw")
INPUT_WEIGHT_DIM = 17


class Entry:
    """One reduction of the suite: its C name suffix and how the harness checks it."""

    def __init__(self, family, name, dim, axis, k, syntax, text, variant=""):
        # Sum | Lse | ArgKMin | KMinArgKMin | KMin | SoftMax | ShiftExp | a MINMAX_OPS name
        self.family = family
        self.name = name
        self.dim = dim
        self.axis = axis
        self.k = k
        self.syntax = syntax  # native | genred
        self.text = text
        self.variant = variant  # a SCHEMES variant, "" for the default options


def native_names(dim):
    return {"x": "x%d" % dim, "y": "y%d" % dim, "b": "b%d" % dim, "g": "g"}


def native_options(dtype, axis, k_in_options, extra=None):
    """Options in [...]: axis 0 states its dtype, axis 1 relies on the default or file-wide one,
    so both ways of choosing a dtype are exercised. extra (a summation option) comes first."""
    opts = [extra] if extra else []
    if k_in_options is not None:
        opts.append("K = %d" % k_in_options)
    if axis == 0:
        opts.append("dtype = %s" % dtype)
    return " [%s]" % ", ".join(opts) if opts else ""


def scheme_of(variant):
    """The SCHEMES row of a variant; None for the default options."""
    return next((row for row in SCHEMES if row[0] == variant), None) if variant else None


def name_stem(short, variant):
    """sum -> sum, or sum_kahan for a scheme variant."""
    row = scheme_of(variant)
    return "%s_%s" % (short, row[1]) if row else short


def native_entry(family, dim, axis, k, dtype, variant=""):
    n = native_names(dim)
    args = "(%s, %s, %s, %s)" % (n["x"], n["y"], n["b"], n["g"])
    row = scheme_of(variant)
    extra = row[2] if row else None
    if family == "Sum":
        name = "%s_d%d_a%d_nat" % (name_stem("sum", variant), dim, axis)
        call = "Sum(%s, axis = %d)" % (SUM_FORMULA.format(**n), axis)
        opts = native_options(dtype, axis, None, extra)
    elif family == "Lse":
        name = "%s_d%d_a%d_nat" % (name_stem("lse", variant), dim, axis)
        call = "LogSumExp(%s, axis = %d)" % (LSE_FORMULA.format(**n), axis)
        opts = native_options(dtype, axis, None, extra)
    elif family == "KMin":
        # K in the call for axis 1, in [...] for axis 0.
        name = "kmin%d_d%d_a%d_nat" % (k, dim, axis)
        if axis == 1:
            call = "KMin(%s, K = %d, axis = %d)" % (KMIN_FORMULA.format(**n), k, axis)
            opts = native_options(dtype, axis, None)
        else:
            call = "KMin(%s, axis = %d)" % (KMIN_FORMULA.format(**n), axis)
            opts = native_options(dtype, axis, k)
    elif family in MINMAX_OPS:
        name = "%s_d%d_a%d_nat" % (family.lower(), dim, axis)
        call = "%s(%s, axis = %d)" % (family, KMIN_FORMULA.format(**n), axis)
        opts = native_options(dtype, axis, None)
    elif family == "ArgKMin":
        # K in the call here, in [...] for KMin_ArgKMin: both spellings get compiled.
        name = "argkmin%d_d%d_a%d_nat" % (k, dim, axis)
        call = "ArgKMin(%s, K = %d, axis = %d)" % (KMIN_FORMULA.format(**n), k, axis)
        opts = native_options(dtype, axis, None)
    else:
        name = "kminargkmin%d_d%d_a%d_nat" % (k, dim, axis)
        call = "KMin_ArgKMin(%s, axis = %d)" % (KMIN_FORMULA.format(**n), axis)
        opts = native_options(dtype, axis, k)
    text = "reduction %s%s = %s%s;" % (name, args, call, opts)
    return Entry(family, name, dim, axis, k, "native", text, variant)


def weighted_entry(row, dim, axis, dtype, syntax, variant=""):
    """One entry point of the weighted LogSumExp family (WEIGHTED), native or Genred."""
    family, short, spelling, genred_op, weight = row
    scheme = scheme_of(variant)
    name = "%s_d%d_a%d_%s" % (name_stem(short, variant), dim, axis, syntax[:3])
    if syntax == "native":
        n = native_names(dim)
        args = "(%s, %s, %s, %s)" % (n["x"], n["y"], n["b"], n["g"])
        call = spelling.format(f=LSE_FORMULA.format(**n), w=weight.format(**n) if weight else "",
                               a=axis)
        opts = native_options(dtype, axis, None, scheme[2] if scheme else None)
        text = "reduction %s%s = %s%s;" % (name, args, call, opts)
    else:
        plain = {"x": "x", "y": "y", "b": "b", "g": "g"}
        aliases = '["x = Vi(%d)", "y = Vj(%d)", "b = Vj(%d)", "g = Pm(1)"]' % (dim, dim, dim)
        kwargs = 'reduction_op = "%s"' % genred_op
        if weight:
            kwargs += ', formula2 = "%s"' % weight.format(**plain)
        kwargs += ', axis = %d, dtype = "%s"' % (axis, dtype)
        if scheme:
            kwargs += ", " + scheme[3]
        text = 'reduction %s = Genred("%s",\n    %s,\n    %s);' % (
            name, LSE_FORMULA.format(**plain), aliases, kwargs)
    return Entry(family, name, dim, axis, 0, syntax, text, variant)


def weighted_entries(dtype):
    out = []
    for row in WEIGHTED:
        for dim in WEIGHTED_DIMS:
            for axis in AXES:
                for syntax in ("native", "genred"):
                    out.append(weighted_entry(row, dim, axis, dtype, syntax))
        for variant in WEIGHTED_SCHEMES:
            for axis in AXES:
                out.append(weighted_entry(row, 3, axis, dtype, "native", variant))
                if variant == "kahan_scheme":
                    out.append(weighted_entry(row, 3, axis, dtype, "genred", variant))
        if row[1] in INPUT_WEIGHT_SHORTS:
            family, short, spelling, genred_op, _ = row
            input_weight = (family, short + "b", spelling, genred_op, "{b}")
            for axis in AXES:
                out.append(weighted_entry(input_weight, INPUT_WEIGHT_DIM, axis, dtype, "native"))
    return out


GENRED_OPS = {"Sum": "Sum", "Lse": "LogSumExp", "ArgKMin": "ArgKMin", "KMinArgKMin": "KMin_ArgKMin",
              "KMin": "KMin"}
GENRED_FORMULAS = {"Sum": SUM_FORMULA, "Lse": LSE_FORMULA, "ArgKMin": KMIN_FORMULA,
                   "KMinArgKMin": KMIN_FORMULA, "KMin": KMIN_FORMULA}


def genred_entry(family, dim, axis, k, dtype, variant=""):
    plain = {"x": "x", "y": "y", "b": "b", "g": "g"}
    formula = GENRED_FORMULAS.get(family, KMIN_FORMULA).format(**plain)
    aliases = '["x = Vi(%d)", "y = Vj(%d)", "b = Vj(%d)", "g = Pm(1)"]' % (dim, dim, dim)
    op = GENRED_OPS.get(family, family)
    if family in ("Min_ArgMin", "Max_ArgMax") and dim == MINMAX_ALIAS_DIM:
        op = op.replace("_", "")
    kwargs = 'reduction_op = "%s"' % op
    if k:
        kwargs += ", opt_arg = %d" % k
    kwargs += ', axis = %d, dtype = "%s"' % (axis, dtype)
    row = scheme_of(variant)
    if row:
        kwargs += ", " + row[3]
    short = {"Sum": "sum", "Lse": "lse", "ArgKMin": "argkmin%d" % k,
             "KMinArgKMin": "kminargkmin%d" % k, "KMin": "kmin%d" % k}.get(family, family.lower())
    name = "%s_d%d_a%d_gen" % (name_stem(short, variant), dim, axis)
    text = 'reduction %s = Genred("%s",\n    %s,\n    %s);' % (name, formula, aliases, kwargs)
    return Entry(family, name, dim, axis, k, "genred", text, variant)


def family_ks():
    yield "Sum", 0
    yield "Lse", 0
    for k in ARGKMIN_KS:
        yield "ArgKMin", k
    for k in KMIN_ARGKMIN_KS:
        yield "KMinArgKMin", k


def entries(dtype):
    out = []
    for dim in dims_of(dtype):
        for family, k in family_ks():
            for axis in AXES:
                out.append(native_entry(family, dim, axis, k, dtype))
                out.append(genred_entry(family, dim, axis, k, dtype))
    for dim in dims_of(dtype):
        for axis in AXES:
            out.append(native_entry("KMin", dim, axis, KMIN_K, dtype))
            if dim in KMIN_GENRED_DIMS:
                out.append(genred_entry("KMin", dim, axis, KMIN_K, dtype))
    for dim in dims_of(dtype):
        for family in MINMAX_OPS:
            for axis in AXES:
                out.append(native_entry(family, dim, axis, 0, dtype))
                out.append(genred_entry(family, dim, axis, 0, dtype))
    for dim in SCHEME_DIMS:
        for family in ("Sum", "Lse"):
            for variant in (row[0] for row in SCHEMES):
                for axis in AXES:
                    out.append(native_entry(family, dim, axis, 0, dtype, variant))
                    if dim in SCHEME_GENRED_DIMS:
                        out.append(genred_entry(family, dim, axis, 0, dtype, variant))
    out += weighted_entries(dtype)
    return out


def kfl_text(module, dtype, all_entries):
    lines = [
        "// %s.kfl: generated by tests/conformance/gen_suite.py --dtype %s; do not edit." % (
            module, dtype),
        "// Every reduction takes (x, y, b, g) with x = Vi(D), y = Vj(D), b = Vj(D), g = Pm(1).",
        "",
    ]
    if dtype != "float32":
        # float32 is the language default; float64 comes from a file-wide default instead.
        lines += ["options [dtype = %s];" % dtype, ""]
    lines.append("alias g = Pm(1);")
    for dim in dims_of(dtype):
        n = native_names(dim)
        lines.append("alias %s = Vi(%d); alias %s = Vj(%d); alias %s = Vj(%d);" % (
            n["x"], dim, n["y"], dim, n["b"], dim))
    lines.append("")
    for e in all_entries:
        lines.append(e.text)
    return "\n".join(lines) + "\n"


# The C calling convention of each family: which output pointers its entry points take.
OUTPUTS = {"Sum": "Values", "Lse": "Values", "KMin": "Values", "ArgKMin": "Indices",
           "KMinArgKMin": "ValuesAndIndices", "SoftMax": "Values", "ShiftExp": "Pair",
           "Min": "Values", "Max": "Values",
           "ArgMin": "Indices", "ArgMax": "Indices", "Min_ArgMin": "ValuesAndIndices",
           "Max_ArgMax": "ValuesAndIndices"}


def inc_text(module, dtype, kfl_path, all_entries):
    # float16 entry points take IEEE binary16 bits (DESIGN.md §4).
    real = {"float16": "uint16_t", "float32": "float", "float64": "double"}[dtype]
    lines = [
        "// conf_suite.inc: generated by tests/conformance/gen_suite.py --dtype %s; do not edit."
        % dtype,
        "// The entry points of %s.kfl for ConformanceMain.cpp; the checks are not here." % module,
        "#include \"%s.h\"" % module,
        "",
        "#define CONF_MODULE \"%s\"" % module,
        "#define CONF_KFL \"%s\"" % kfl_path,
        "#define CONF_DTYPE \"%s\"" % dtype,
        "#define CONF_LAST_ERROR %s_last_error" % module,
        "#define CONF_RANGES_FROM_BLOCKS %s_ranges_from_blocks" % module,
        "typedef %s conf_real;" % real,
        "",
        "// X(outputs, entry point, reduction, syntax, variant, bytes of its parts' states)",
        "#define CONF_CASES(X) \\",
    ]
    for e in all_entries:
        lines.append("  X(%s, %s_%s, \"%s\", \"%s\", \"%s\", %s) \\" % (
            OUTPUTS[e.family], module, e.name, e.name, e.syntax, e.variant,
            ("%s_%s_STATE_BYTES" % (module, e.name)).upper()))
    lines.append("  /* end of CONF_CASES */")
    return "\n".join(lines) + "\n"


def main(argv):
    args, module = parse_suite_args(argv, __doc__, "conf")
    all_entries = entries(args.dtype)
    kfl_path = os.path.abspath(os.path.join(args.out_dir, module + ".kfl"))
    write_if_changed(kfl_path, kfl_text(module, args.dtype, all_entries))
    write_if_changed(os.path.join(args.out_dir, "conf_suite.inc"),
                     inc_text(module, args.dtype, kfl_path, all_entries))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
