"""The Sinkhorn divergence between two point clouds, with its gradient, on keopsc's compiled
log-sum-exp (float64): a few steps of a gradient flow carry one cloud onto the other.

    python3 sinkhorn.py build/libtorch_kernels_torch.so

S(a, b) = OT(a, b) - OT(a, a)/2 - OT(b, b)/2 with entropic OT at temperature eps, cost
|x - y|^2 / 2, uniform weights. The potentials are iterated without a graph; one last step with
autograd gives the gradient (the envelope theorem), as GeomLoss does. The divergence and its
gradient are checked against the same algorithm on dense float64 torch tensors.
"""

import math
import sys

import torch

import keopsc.torch


def make_softmin_keopsc(lib):
    def softmin(eps, x, y, h, log_w):
        # -eps * log sum_j w_j exp((h_j - |x_i - y_j|^2 / 2) / eps), an (len(x), 1) tensor
        return -eps * lib.softmin(x, y, h, log_w, torch.tensor([eps], dtype=x.dtype))
    return softmin


def softmin_dense(eps, x, y, h, log_w):
    cost = ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1) / 2
    return -eps * torch.logsumexp(log_w.T + (h.T - cost) / eps, dim=1, keepdim=True)


def ot_self(softmin, eps, x, log_w, iterations):
    p = torch.zeros_like(log_w)
    with torch.no_grad():
        for _ in range(iterations):
            p = 0.5 * (p + softmin(eps, x, x, p, log_w))
    p = softmin(eps, x, x, p.detach(), log_w)  # the last step carries the gradient
    return (log_w.exp() * p).sum()


def sinkhorn_divergence(softmin, x, y, eps=0.05, iterations=100):
    log_a = torch.full((len(x), 1), -math.log(len(x)), dtype=x.dtype)
    log_b = torch.full((len(y), 1), -math.log(len(y)), dtype=y.dtype)
    f, g = torch.zeros_like(log_a), torch.zeros_like(log_b)
    with torch.no_grad():
        for _ in range(iterations):
            f, g = softmin(eps, x, y, g, log_b), softmin(eps, y, x, f, log_a)
    f_last = softmin(eps, x, y, g.detach(), log_b)
    g_last = softmin(eps, y, x, f.detach(), log_a)
    ot_ab = (log_a.exp() * f_last).sum() + (log_b.exp() * g_last).sum()
    return (ot_ab - 0.5 * ot_self(softmin, eps, x, log_a, iterations)
            - 0.5 * ot_self(softmin, eps, y, log_b, iterations))


def main(path):
    lib = keopsc.torch.load(path)
    softmin = make_softmin_keopsc(lib)
    torch.manual_seed(0)
    x = (torch.randn(300, 3, dtype=torch.float64) * 0.3).requires_grad_(True)
    y = torch.randn(400, 3, dtype=torch.float64) * 0.3 + torch.tensor([0.8, 0.0, 0.0],
                                                                      dtype=torch.float64)

    s = sinkhorn_divergence(softmin, x, y)
    (grad,) = torch.autograd.grad(s, x)
    s_dense = sinkhorn_divergence(softmin_dense, x, y)
    (grad_dense,) = torch.autograd.grad(s_dense, x)
    value_gap = abs(s.item() - s_dense.item())
    grad_gap = ((grad - grad_dense).norm() / grad_dense.norm()).item()
    print("S(a, b) = %.8f (dense float64: %.8f); gradient relative gap %.2e" % (
        s.item(), s_dense.item(), grad_gap))

    # A gradient flow: x moves along -grad S / weight, towards y.
    start = s.item()
    for step in range(5):
        with torch.no_grad():
            x -= len(x) * 0.5 * grad
        s = sinkhorn_divergence(softmin, x, y)
        (grad,) = torch.autograd.grad(s, x)
        print("flow step %d: S = %.6f" % (step + 1, s.item()))
    ok = value_gap < 1e-9 * (1 + abs(s_dense.item())) and grad_gap < 1e-7 and s.item() < 0.5 * start
    print("ok" if ok else "FAILED: keopsc disagrees with the dense computation, or S did not fall")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
