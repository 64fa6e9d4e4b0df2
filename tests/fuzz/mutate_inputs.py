#!/usr/bin/env python3
"""Mutation fuzzing of keopsc's frontend and sema: every input gives success or diagnostics.

Seeds are the .kfl files of tests/lit and examples; each run mutates them (deletions, token
insertions, duplications, truncations, random bytes) and checks that keopsc exits 0 or 1, never
dies on a signal, never prints "internal error", and prints a diagnostic when it fails.
Usage: mutate_inputs.py KEOPSC SOURCE_ROOT [--runs N] [--seed S|random]
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

TOKENS = [
    "(", ")", "[", "]", ",", ";", "=", "+", "-", "*", "/", "**", "|", "<", "==", "%", "//",
    "\"", "'", "Sum(", "Vi(", "Vj(3)", "Pm(1)", "Var(0,3,", "axis = 1", "K = ", "Genred(",
    "reduction r = ", "alias a = ", "formula f(u) = ", "import \"x.kfl\";", "options [",
    "0", "-1", "99999999999999999999", "1e400", ".5", "x", "y", "Exp(", "Elem(x, 7)",
    "Pow(x, -3)", "LogSumExp(", "ArgKMin(", "opt_arg = 0", "dtype = float16", "\n", "/*",
]


def seeds(root):
    found = []
    for base in ("tests/lit", "examples", "stdlib"):
        for dirpath, _, files in os.walk(os.path.join(root, base)):
            for name in files:
                if name.endswith(".kfl"):
                    with open(os.path.join(dirpath, name), "rb") as f:
                        found.append(f.read())
    return found or [b"alias x = Vi(3);\nreduction r(x) = Sum(x, axis = 1);\n"]


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(6)
        pos = rng.randint(0, len(data))
        if choice == 0 and data:
            del data[pos:pos + rng.randint(1, 8)]
        elif choice == 1:
            data[pos:pos] = rng.choice(TOKENS).encode()
        elif choice == 2 and data:
            start = rng.randint(0, len(data) - 1)
            data[pos:pos] = data[start:start + rng.randint(1, 40)]
        elif choice == 3:
            del data[pos:]
        elif choice == 4:
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
        else:
            depth = rng.randint(1, 3000)
            data[pos:pos] = b"(" * depth + b"x" + b")" * depth
    return bytes(data)


def sanitizer_report(err):
    """ASan/UBSan findings (in sanitized builds), whatever the exit code."""
    return "Sanitizer" in err or "runtime error:" in err


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("keopsc")
    parser.add_argument("root")
    parser.add_argument("--runs", type=int, default=400)
    # A fixed seed under ctest, so a run is reproducible; `--seed random` for exploration.
    parser.add_argument("--seed", default="20261201",
                        help="an integer, or 'random' for a time-based seed (always printed)")
    parser.add_argument("--compile", type=int, default=8,
                        help="also build a library from the first N accepted mutants")
    args = parser.parse_args()
    args.seed = int(time.time()) if args.seed == "random" else int(args.seed)
    print(f"mutate_inputs: seed {args.seed}, {args.runs} runs", flush=True)
    rng = random.Random(args.seed)
    corpus = seeds(args.root)
    failures = 0
    compiled = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fuzz.kfl")
        for run in range(args.runs):
            data = mutate(rng, rng.choice(corpus))
            with open(path, "wb") as f:
                f.write(data)
            emit = rng.choice(["ast", "ir", "header", "cpp"])
            proc = subprocess.run([args.keopsc, path, f"--emit={emit}", "-o", os.devnull],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
            err = proc.stderr.decode(errors="replace")
            bad = proc.returncode not in (0, 1) or "internal error" in err or (
                proc.returncode == 1 and "error" not in err) or sanitizer_report(err)
            if not bad and proc.returncode == 0 and emit == "ir" and compiled < args.compile:
                # An accepted file must also compile: codegen may not emit invalid C++.
                compiled += 1
                lib = os.path.join(tmp, "libfuzz.a")
                proc = subprocess.run([args.keopsc, path, "-o", lib], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, timeout=300)
                err = proc.stderr.decode(errors="replace")
                bad = proc.returncode != 0 or sanitizer_report(err)
            if bad:
                failures += 1
                keep = os.path.join(os.getcwd(), f"fuzz-failure-{args.seed}-{run}.kfl")
                with open(keep, "wb") as f:
                    f.write(data)
                print(f"FAIL run {run}: exit {proc.returncode}, input kept in {keep}\n{err[:2000]}")
    print(f"{args.runs - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
