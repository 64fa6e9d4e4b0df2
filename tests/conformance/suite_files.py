# suite_files.py: what the conformance generators (gen_suite.py, ops/gen_ops.py) share: their
# command line and how they write files. Which cases exist is each generator's own business.
"""Shared command line and file writing of the conformance suite generators."""

import argparse
import os


def parse_suite_args(argv, description, default_prefix):
    """--dtype float16|float32|float64 --out-dir DIR [--module NAME]; returns (args, module name),
    the module defaulting to <default_prefix>_f16 / _f32 / _f64."""
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dtype", required=True, choices=("float16", "float32", "float64"))
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--module", help="module name (default %s_f16 / _f32 / _f64)" %
                        default_prefix)
    args = parser.parse_args(argv)
    suffix = {"float16": "f16", "float32": "f32", "float64": "f64"}[args.dtype]
    os.makedirs(args.out_dir, exist_ok=True)
    return args, args.module or "%s_%s" % (default_prefix, suffix)


def write_if_changed(path, text):
    """Leaves an unchanged file alone so that a re-run does not rebuild the library."""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
