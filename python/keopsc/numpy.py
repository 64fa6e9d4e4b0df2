"""NumPy arrays through the plain C entry points of a shared library (`keopsc k.kfl
--emit=shared -o libk.so`), with ctypes: no compiler and no torch needed.

    lib = keopsc.numpy.load("libk.so")
    out = lib.conv(x, y, b, g, num_threads=4)

A Vi(d) input is an (M, d) array, Vj(d) (N, d), Pm(d) a (d,) array (or a scalar when d = 1);
arrays are converted to the reduction's dtype only when they already have it (no silent casts)
and made C-contiguous. Outputs are new arrays; a failing call raises KeopscError with the
library's message.
"""

import ctypes

import numpy as np

from . import _describe

_NP_DTYPES = {"float16": np.float16, "float32": np.float32, "float64": np.float64,
              "int64": np.int64}
_BACKENDS = {"auto": 0, "cpu": 1, "cuda": 2}


class KeopscError(RuntimeError):
    """A status other than KEOPS_OK, with the library's message."""


class _Options(ctypes.Structure):
    # keops_options, DESIGN.md section 4 (the field order and types of the C struct).
    _fields_ = [("backend", ctypes.c_int32), ("cuda_scheme", ctypes.c_int32),
                ("device_id", ctypes.c_int32), ("stream", ctypes.c_void_p),
                ("num_threads", ctypes.c_int32), ("ranges", ctypes.c_void_p),
                ("batch", ctypes.c_int64), ("batch_shared", ctypes.c_void_p),
                ("deterministic", ctypes.c_int32)]


class _Function:
    def __init__(self, library, entry):
        self._library = library
        self.entry = entry
        self._c = getattr(library._dll, entry.symbol)
        self._c.restype = ctypes.c_int
        self.__name__ = entry.name
        self.__doc__ = "%r\n\nsource: %s" % (entry, entry.source)

    def _rows(self, arrays, cat, given):
        rows = given
        for a, info in zip(arrays, self.entry.inputs):
            if info["cat"] == cat:
                if rows is not None and a.shape[0] != rows:
                    raise ValueError("%s: the %s inputs disagree on their number of rows (%d and %d)"
                                     % (self.entry.name, "Vi" if cat == "i" else "Vj", rows,
                                        a.shape[0]))
                rows = a.shape[0]
        if rows is None:
            raise ValueError("%s reads no %s input: pass %s=" % (
                self.entry.name, "Vi" if cat == "i" else "Vj", "M" if cat == "i" else "N"))
        return rows

    def _array(self, k, value):
        info = self.entry.inputs[k]
        dtype = _NP_DTYPES[self.entry.dtype]
        a = np.asarray(value)
        if a.dtype != dtype:
            raise TypeError("%s's input %d (%s) must be %s; got %s" % (
                self.entry.name, k, info["name"], self.entry.dtype, a.dtype))
        if info["cat"] == "p":
            if a.ndim == 0 and info["dim"] == 1:
                a = a.reshape(1)
            ok = a.ndim == 1 and a.shape[0] == info["dim"]
        else:
            ok = a.ndim == 2 and a.shape[1] == info["dim"]
        if not ok:
            want = "(%d,)" % info["dim"] if info["cat"] == "p" else "(%s, %d)" % (
                "M" if info["cat"] == "i" else "N", info["dim"])
            raise ValueError("%s's input %d (%s) must have shape %s; got %s" % (
                self.entry.name, k, info["name"], want, a.shape))
        return np.ascontiguousarray(a)

    def __call__(self, *args, backend="cpu", num_threads=0, deterministic=False, M=None, N=None):
        entry = self.entry
        if len(args) != len(entry.inputs):
            raise TypeError("%s takes %d arrays (%s); got %d" % (
                entry.name, len(entry.inputs), ", ".join(a["name"] for a in entry.inputs),
                len(args)))
        if backend not in _BACKENDS:
            raise ValueError("unknown backend %r (auto, cpu or cuda)" % backend)
        arrays = [self._array(k, a) for k, a in enumerate(args)]
        m, n = self._rows(arrays, "i", M), self._rows(arrays, "j", N)
        outputs = []
        for o in entry.outputs:
            shape = (o["width"],) if o["rows"] == "p" else (m if o["rows"] == "i" else n,
                                                             o["width"])
            outputs.append(np.empty(shape, dtype=_NP_DTYPES[o["dtype"]]))
        options = _Options(_BACKENDS[backend], 0, -1, None, num_threads, None, 0, None,
                           1 if deterministic else 0)
        pointers = [a.ctypes.data_as(ctypes.c_void_p) for a in arrays + outputs]
        status = self._c(ctypes.c_int64(m), ctypes.c_int64(n), *pointers, ctypes.byref(options))
        if status != 0:
            raise KeopscError("%s: %s (status %d)" % (entry.symbol, self._library.last_error(),
                                                      status))
        return outputs[0] if len(outputs) == 1 else tuple(outputs)


class Library:
    """The entry points of one shared library, as attributes."""

    def __init__(self, path, module=None):
        self._dll = ctypes.CDLL(path)
        name = module or _describe.module_name_from_path(path)
        try:
            describe = getattr(self._dll, name + "_describe")
        except AttributeError:
            raise ValueError("%s has no %s_describe(): build it with keopsc --emit=shared (or pass "
                             "module= when a `module` declaration renamed it)" % (path, name))
        describe.restype = ctypes.c_char_p
        self.module, self.entry_points = _describe.parse(describe().decode())
        self._last_error = getattr(self._dll, self.module + "_last_error")
        self._last_error.restype = ctypes.c_char_p
        for entry in self.entry_points.values():
            setattr(self, entry.name, _Function(self, entry))

    def last_error(self):
        return self._last_error().decode()

    def __repr__(self):
        return "<keopsc.numpy library %s: %s>" % (self.module, ", ".join(self.entry_points))


def load(path, module=None):
    """The library at `path` (libNAME.so from keopsc --emit=shared)."""
    return Library(path, module)
