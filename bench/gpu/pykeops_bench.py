"""PyKeOps on issue 12's GPU targets, in the same run as keopsc's gpu_bench (run_on_device.sh).

Times pykeops.torch.Genred on the formulas of gpu_bench.kfl at gpu_bench's sizes (D = 3,
float32, uniform data): the Gaussian sum and LogSumExp at M = N = 10^6, k-NN (ArgKMin, K = 10)
of 10^4 queries among 10^6 points; the best of 3 calls after a warm-up, the first call (KeOps's
run-time compilation) apart. Given gpu_bench's output (--keopsc-output), it prints keopsc's
speed-up over PyKeOps and the target "Gaussian sum >= 1.5x PyKeOps".

Usage: pykeops_bench.py [--scale S] [--device cuda|cpu] [--keopsc-output FILE]
PyKeOps comes from KeOps's source, installed with pip --no-deps --no-index (no registry is
reachable on the GPU machine): see bench/README.md.
"""

import argparse
import re
import sys
import time

import torch


def best_ms(call, sync, runs=3):
    """Milliseconds of the fastest of `runs` calls (after one warm-up)."""
    call()
    sync()
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        call()
        sync()
        best = min(best, (time.perf_counter() - start) * 1e3)
    return best


def first_call_s(call, sync):
    start = time.perf_counter()
    call()
    sync()
    return time.perf_counter() - start


def keopsc_figures(path):
    """gpu_bench's automatic-scheme Gaussian and LogSumExp, and its k-NN, in ms (None if absent)."""
    text = open(path, encoding="utf-8").read()
    sums = re.search(r"^auto\s+Gaussian sum .*?:\s*([-\d.]+) ms\s+LogSumExp:\s*([-\d.]+) ms", text, re.M)
    knn = re.search(r"^k-NN .*?:\s*([-\d.]+) ms", text, re.M)
    figures = {"gauss": None, "lse": None, "knn": None}
    if sums:
        figures["gauss"], figures["lse"] = float(sums.group(1)), float(sums.group(2))
    if knn:
        figures["knn"] = float(knn.group(1))
    return {k: (v if v is not None and v > 0 else None) for k, v in figures.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="sizes divided by S")
    parser.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    parser.add_argument("--keopsc-output", help="gpu_bench's output, to compare with")
    args = parser.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        print("skipped: torch sees no GPU")
        return 77
    try:
        import pykeops
        from pykeops.torch import Genred
    except ImportError as error:
        print(f"skipped: PyKeOps is not installed ({error})")
        return 77
    pykeops.set_verbose(False)

    scale = max(args.scale, 1)
    M = N = 1000000 // scale
    Q = 10000 // scale
    device = torch.device(args.device)
    generator = torch.Generator(device=device).manual_seed(42)
    rand = lambda *shape: torch.rand(*shape, device=device, generator=generator)
    x, y, b, g = rand(M, 3), rand(N, 3), rand(N, 1), rand(1)
    sync = torch.cuda.synchronize if args.device == "cuda" else (lambda: None)
    backend = "GPU" if args.device == "cuda" else "CPU"

    aliases = ["x = Vi(3)", "y = Vj(3)", "b = Vj(1)", "g = Pm(1)"]
    gauss = Genred("Exp(-g * SqDist(x, y)) * b", aliases, reduction_op="Sum", axis=1)
    lse = Genred("b - g * SqDist(x, y)", aliases, reduction_op="LogSumExp", axis=1)
    knn = Genred("SqDist(x, y)", ["x = Vi(3)", "y = Vj(3)"], reduction_op="ArgKMin", axis=1, opt_arg=10)
    calls = {
        "gauss": lambda: gauss(x, y, b, g, backend=backend),
        "lse": lambda: lse(x, y, b, g, backend=backend),
        "knn": lambda: knn(x[:Q], y, backend=backend),
    }
    name = torch.cuda.get_device_name(0) if args.device == "cuda" else "CPU"
    print(f"PyKeOps {pykeops.__version__} on {name}, torch {torch.__version__}")
    ms = {}
    for key, call in calls.items():
        compile_s = first_call_s(call, sync)
        ms[key] = best_ms(call, sync)
        print(f"pykeops {key:5s}: {ms[key]:9.2f} ms (first call, compiling: {compile_s:.1f} s)")
    print(f"pykeops LogSumExp / Gaussian ratio {ms['lse'] / ms['gauss']:.2f}")

    if args.keopsc_output:
        ours = keopsc_figures(args.keopsc_output)
        for key, label in (("gauss", "Gaussian sum"), ("lse", "LogSumExp"), ("knn", "k-NN K = 10")):
            if ours[key] is None:
                print(f"keopsc {label}: no figure in {args.keopsc_output}")
                continue
            print(f"{label:13s}: keopsc {ours[key]:9.2f} ms, PyKeOps {ms[key]:9.2f} ms, "
                  f"speed-up {ms[key] / ours[key]:.2f}")
        if ours["gauss"] is not None:
            met = ms["gauss"] >= 1.5 * ours["gauss"]
            print(f"target (scale 1): Gaussian sum >= 1.5x PyKeOps: {'met' if met else 'not met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
