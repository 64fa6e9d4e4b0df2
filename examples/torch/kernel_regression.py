"""Gaussian kernel regression trained with torch.optim on keopsc's compiled kernels.

    python3 kernel_regression.py build/libtorch_kernels_torch.so

Fits f(x) = sum_j exp(-g |x - c_j|^2) b_j to noisy samples of a smooth function of x in R^3,
learning the weights b and the bandwidth g (through log g) with Adam; the gradients come from the
library's Grad entry points. Prints the loss as it falls, checks the fit against held-out data
and a float64 brute force of the model, and times the first call against later ones (nothing is
compiled at run time, so they match). Exits non-zero when a check fails.
"""

import sys
import time

import torch

import keopsc.torch


def target(x):
    return torch.sin(2 * x[:, :1]) * torch.cos(x[:, 1:2]) + 0.5 * x[:, 2:3]


def main(path):
    lib = keopsc.torch.load(path)
    torch.manual_seed(0)
    n, n_test = 2000, 500
    x = torch.rand(n, 3) * 2 - 1
    z = target(x) + 0.05 * torch.randn(n, 1)
    x_test = torch.rand(n_test, 3) * 2 - 1

    # The first call of the operator, timed against later ones: no compilation, no cache.
    b0, g0 = torch.zeros(n, 1), torch.tensor([4.0])
    times = []
    for _ in range(5):
        start = time.perf_counter()
        lib.gauss_regress(x, x, b0, g0)
        times.append(time.perf_counter() - start)
    print("first call %.2f ms, later calls %.2f ms (median)" % (
        1e3 * times[0], 1e3 * sorted(times[1:])[len(times[1:]) // 2]))

    b = torch.zeros(n, 1, requires_grad=True)
    log_g = torch.tensor([1.0], requires_grad=True)
    optimizer = torch.optim.Adam([b, log_g], lr=0.05)
    variance = z.var().item()
    for step in range(301):
        optimizer.zero_grad()
        prediction = lib.gauss_regress(x, x, b, log_g.exp())
        loss = ((prediction - z) ** 2).mean() + 1e-6 * (b ** 2).sum()
        loss.backward()
        optimizer.step()
        if step % 50 == 0:
            print("step %3d  loss %.5f  (target variance %.4f)  g = %.2f" % (
                step, loss.item(), variance, log_g.exp().item()))

    with torch.no_grad():
        g = log_g.exp()
        test_error = ((lib.gauss_regress(x_test, x, b, g) - target(x_test)) ** 2).mean().item()
        d2 = ((x_test[:, None, :].double() - x[None].double()) ** 2).sum(-1)
        brute = torch.exp(-g.double() * d2) @ b.double()
        gap = (lib.gauss_regress(x_test, x, b, g).double() - brute).abs().max().item()
    print("held-out mean squared error %.5f (target variance %.4f); |keopsc - float64| = %.2e" % (
        test_error, variance, gap))
    ok = test_error < 0.05 * variance and gap < 1e-4 * (1 + brute.abs().max().item())
    print("converged" if ok else "FAILED: the fit did not converge or disagrees with float64")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
