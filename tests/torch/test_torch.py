"""The PyTorch face: operators from keopsc --emit=torch with autograd, and the NumPy face over
the C entry points (ctypes). Every value is compared with a float64 brute force on fresh random
data (the seed is printed); gradients with torch.autograd.gradcheck (float64 finite differences).
Run by ctest (label torch) with KEOPSC_TORCH_EXT and KEOPSC_SHARED_LIB set."""

import os
import random
import unittest

import numpy as np
import torch

import keopsc.numpy
import keopsc.torch

SEED = int(os.environ.get("KEOPSC_TEST_SEED", random.randrange(1 << 30)))
print("seed", SEED, "(KEOPSC_TEST_SEED replays it)")
torch.manual_seed(SEED)

LIB = keopsc.torch.load(os.environ["KEOPSC_TORCH_EXT"])
CLIB = keopsc.numpy.load(os.environ["KEOPSC_SHARED_LIB"])


def data(M=5, N=7, dtype=torch.float64, grad=False):
    x = torch.randn(M, 3, dtype=dtype)
    y = torch.randn(N, 3, dtype=dtype)
    b = torch.randn(N, 2, dtype=dtype)
    g = torch.rand(1, dtype=dtype) + 0.5
    return [t.requires_grad_(grad) for t in (x, y, b, g)]


def sqdist(x, y):
    return ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)


class Gradcheck(unittest.TestCase):
    """torch.autograd.gradcheck in float64 for each reduction kind the issue names."""

    def check(self, fn, *inputs):
        self.assertTrue(torch.autograd.gradcheck(fn, inputs, eps=1e-6, atol=1e-7, rtol=1e-5))

    def test_sum(self):
        x, y, b, g = data(grad=True)
        self.check(LIB.sum64, x, y, b, g)

    def test_logsumexp(self):
        x, y, _, g = data(grad=True)
        self.check(LIB.lse64, x, y, g)

    def test_logsumexp_weight(self):
        x, y, b, g = data(grad=True)
        self.check(LIB.lsew64, x, y, b, g)

    def test_sumsoftmaxweight(self):
        x, y, b, g = data(grad=True)
        self.check(LIB.ssmw64, x, y, b, g)

    def test_min(self):
        x, y, _, g = data(grad=True)
        self.check(LIB.min64, x, y, g)

    def test_max(self):
        x, y, _, _ = data(grad=True)
        self.check(LIB.max64, x, y)

    def test_min_argmin_values(self):
        x, y, _, _ = data(grad=True)
        self.check(lambda x, y: LIB.minarg64(x, y)[0], x, y)

    def test_kmin(self):
        x, y, _, _ = data(grad=True)
        self.check(LIB.kmin64, x, y)

    def test_some_inputs_only(self):
        x, y, b, g = data()
        x.requires_grad_(True)
        self.check(lambda x: LIB.sum64(x, y, b, g), x)

    def test_batch_with_shared_inputs(self):
        # x batched, y, b and g shared by the batches: their gradients sum over the batches.
        xs = torch.randn(2, 4, 3, dtype=torch.float64, requires_grad=True)
        y, b, g = data(N=6, grad=True)[1:]
        self.check(LIB.sum64, xs, y, b, g)

    def test_backward_matches_brute_force(self):
        x, y, b, g = data(grad=True)
        out = LIB.sum64(x, y, b, g)
        e = torch.randn_like(out)
        grads = torch.autograd.grad(out, (x, y, b, g), e)
        ref = ((torch.exp(-g * sqdist(x, y))[:, :, None] * b[None]).sum(1))
        refs = torch.autograd.grad(ref, (x, y, b, g), e)
        for got, want in zip(grads, refs):
            self.assertEqual(got.shape, want.shape)
            self.assertLess((got - want).abs().max().item(), 1e-12 * (1 + want.abs().max().item()))


class DoubleBackward(unittest.TestCase):
    """torch.autograd.gradgradcheck on a library built with --autograd-order=2."""

    @classmethod
    def setUpClass(cls):
        cls.lib = keopsc.torch.load(os.environ["KEOPSC_TORCH_ORDER2"])

    def test_sum(self):
        x, y, b, g = data(grad=True)
        self.assertTrue(torch.autograd.gradgradcheck(self.lib.sum64, (x, y, b, g)))

    def test_logsumexp(self):
        x, y, _, g = data(grad=True)
        self.assertTrue(torch.autograd.gradgradcheck(self.lib.lse64, (x, y, g)))

    def test_order_one_library_says_so(self):
        # LIB was built with order 1: its gradient operators have no gradients of their own.
        x, y, b, g = data(grad=True)
        (gx,) = torch.autograd.grad(LIB.sum64(x, y, b, g).sum(), x, create_graph=True)
        with self.assertRaisesRegex(RuntimeError, "has no gradient with respect to"):
            gx.sum().backward()


class Values(unittest.TestCase):
    """Forward values against float64 brute force, and equal to the C entry points."""

    def test_float32_sum_against_float64(self):
        x, y, b, g = data(M=300, N=500, dtype=torch.float32)
        out = LIB.sum32(x, y, b, g)
        ref = (torch.exp(-g.double() * sqdist(x.double(), y.double()))[:, :, None]
               * b.double()[None]).sum(1)
        bound = (torch.exp(-g.double() * sqdist(x.double(), y.double()))[:, :, None]
                 * b.double().abs()[None]).sum(1)
        err = (out.double() - ref).abs() / bound
        self.assertEqual(out.dtype, torch.float32)
        self.assertLess(err.max().item(), 1e-5)

    def test_float16(self):
        x, y, b, g = data(M=40, N=60, dtype=torch.float16)
        out = LIB.sum16(x, y, b, g)
        ref = (torch.exp(-g.double() * sqdist(x.double(), y.double()))[:, :, None]
               * b.double()[None]).sum(1)
        self.assertEqual(out.dtype, torch.float16)
        self.assertLess((out.double() - ref).abs().max().item(), 2e-2 * (1 + ref.abs().max().item()))

    def test_knn_indices(self):
        x, y, _, _ = data(M=50, N=80, dtype=torch.float32)
        idx = LIB.knn32(x, y)
        ref = sqdist(x.double(), y.double()).argsort(dim=1)[:, :3]
        self.assertEqual(idx.dtype, torch.int64)
        self.assertTrue(torch.equal(idx, ref))

    def test_equal_to_c_entry_points(self):
        x, y, b, g = data(M=33, N=47)
        for name, args in [("sum64", (x, y, b, g)), ("lsew64", (x, y, b, g)),
                           ("ssmw64", (x, y, b, g)), ("kmin64", (x, y))]:
            got = getattr(LIB, name)(*args).numpy()
            want = getattr(CLIB, name)(*[a.numpy() for a in args])
            self.assertTrue(np.array_equal(got, want), name)
        values, indices = LIB.minarg64(x, y)
        cvalues, cindices = CLIB.minarg64(x.numpy(), y.numpy())
        self.assertTrue(np.array_equal(values.numpy(), cvalues))
        self.assertTrue(np.array_equal(indices.numpy(), cindices))

    def test_logsumexp_against_float64(self):
        x, y, _, g = data(M=20, N=30)
        ref = torch.logsumexp(-g * sqdist(x, y), dim=1, keepdim=True)
        self.assertLess((LIB.lse64(x, y, g) - ref).abs().max().item(), 1e-12)

    def test_non_contiguous_and_scalar_parameter(self):
        x, y, b, g = data(M=8, N=9)
        xt = x.t().contiguous().t()  # same values, column-major strides
        self.assertFalse(xt.is_contiguous())
        self.assertTrue(torch.equal(LIB.sum64(xt, y, b, g), LIB.sum64(x, y, b, g)))
        self.assertTrue(torch.equal(LIB.sum64(x, y, b, g[0]), LIB.sum64(x, y, b, g)))

    def test_batch(self):
        xs = torch.randn(3, 6, 3, dtype=torch.float64)
        y, b, g = data(M=6, N=10)[1:]
        out = LIB.sum64(xs, y, b, g)
        self.assertEqual(tuple(out.shape), (3, 6, 2))
        for k in range(3):
            self.assertTrue(torch.allclose(out[k], LIB.sum64(xs[k], y, b, g), rtol=1e-14))

    def test_ranges(self):
        x, y, b, g = data(M=6, N=10)
        # rows [0, 3) see columns [0, 5), rows [3, 6) see [5, 10).
        ranges_i = torch.tensor([[0, 3], [3, 6]])
        slices_i = torch.tensor([1, 2])
        red_j = torch.tensor([[0, 5], [5, 10]])
        ranges = [ranges_i, slices_i, red_j, red_j, slices_i, ranges_i]
        out = LIB.sum64(x, y, b, g, ranges=ranges)
        full = lambda xs, ys, bs: (torch.exp(-g * sqdist(xs, ys))[:, :, None] * bs[None]).sum(1)
        ref = torch.cat([full(x[:3], y[:5], b[:5]), full(x[3:], y[5:], b[5:])])
        self.assertLess((out - ref).abs().max().item(), 1e-13)

    def test_torchscript(self):
        x, y, _, g = data()

        @torch.jit.script
        def scripted(x, y, g):
            return torch.ops.torchtest.lse64(x, y, g, backend="cpu")

        self.assertTrue(torch.equal(scripted(x, y, g), LIB.lse64(x, y, g)))

    def test_first_call_is_not_slower(self):
        # Nothing compiles at run time: the first call of a new operator costs what later ones do.
        import time
        x, y, b, g = data(M=2000, N=2000, dtype=torch.float32)
        times = []
        for _ in range(4):
            start = time.perf_counter()
            LIB.sum32(x, y, b, g)
            times.append(time.perf_counter() - start)
        print("sum32 2000x2000 call times (s):", ["%.4f" % t for t in times])
        self.assertLess(times[0], 10 * min(times[1:]) + 0.05)


class Errors(unittest.TestCase):
    def test_dtype_shape_rows_backend(self):
        x, y, b, g = data()
        cases = [((x.float(), y, b, g), {}, "must be Double"),
                 ((x, y[:, :2], b, g), {}, "3 components"),
                 ((x, y[:4], b, g), {}, "disagree on their number of rows"),
                 ((x, y, b, g), {"backend": "tpu"}, "unknown backend"),
                 ((x, y, b, g), {"ranges": [torch.zeros(1, 2, dtype=torch.int64)]}, "6 tensors")]
        for args, kwargs, message in cases:
            with self.assertRaisesRegex(RuntimeError, message):
                LIB.sum64(*args, **kwargs)

    def test_library_status_becomes_an_exception(self):
        x, y, _, _ = data(M=4, N=2, dtype=torch.float32)
        with self.assertRaisesRegex(RuntimeError, "knn32"):
            LIB.knn32(x, y)  # K = 3 > N = 2: KEOPS_ERROR_K_TOO_LARGE with its message

    def test_no_gradient_for_indices(self):
        x, y, _, _ = data(grad=True)
        idx = LIB.knn32(x.float().detach().requires_grad_(), y.float())
        self.assertFalse(idx.requires_grad)


class NumpyFace(unittest.TestCase):
    def test_values_and_errors(self):
        rng = np.random.default_rng(SEED)
        x, y = rng.standard_normal((9, 3)), rng.standard_normal((11, 3))
        b, g = rng.standard_normal((11, 2)), np.array([0.8])
        out = CLIB.sum64(x, y, b, g)
        d = ((x[:, None, :] - y[None]) ** 2).sum(-1)
        self.assertLess(np.abs(out - (np.exp(-0.8 * d)[:, :, None] * b[None]).sum(1)).max(), 1e-13)
        with self.assertRaises(TypeError):
            CLIB.sum64(x.astype(np.float32), y, b, g)
        with self.assertRaises(keopsc.numpy.KeopscError):
            CLIB.knn32(x[:, :].astype(np.float32), y[:2].astype(np.float32))


class GenredSugar(unittest.TestCase):
    def test_found_and_missing(self):
        conv = keopsc.torch.Genred("Exp(-SqDist(p, q)) * v", ["p = Vi(3)", "q = Vj(3)", "v = Vj(1)"],
                                   reduction_op="Sum", axis=1)
        p, q = torch.randn(4, 3, dtype=torch.float64), torch.randn(6, 3, dtype=torch.float64)
        v = torch.randn(6, 1, dtype=torch.float64)
        ref = (torch.exp(-sqdist(p, q)) @ v)
        self.assertLess((conv(p, q, v) - ref).abs().max().item(), 1e-13)
        with self.assertRaisesRegex(KeyError, 'reduction NAME = Genred\\("Exp\\(-SqDist\\(p, q\\)\\)"'):
            keopsc.torch.Genred("Exp(-SqDist(p, q))", ["p = Vi(3)", "q = Vj(3)"], axis=1)


if __name__ == "__main__":
    unittest.main()
