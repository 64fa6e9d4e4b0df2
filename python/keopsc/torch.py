"""PyTorch tensors through an extension built by `keopsc k.kfl --emit=torch -o libk_torch.so`.

    lib = keopsc.torch.load("libk_torch.so")
    out = lib.conv(x, y, b, g)                 # = torch.ops.k.conv(x, y, b, g)
    out.sum().backward()                       # gradients from the library's Grad entry points

Each reduction is an operator `torch.ops.<module>.<reduction>(tensors..., *, backend="auto",
device_id=-1, ranges=None, M=None, N=None)` (usable from torch.jit.script too). Tensors must have
the reduction's dtype; they may be non-contiguous. A leading batch dimension runs a batch.
`ranges` is KeOps's 6-tuple of int64 tensors.

`Genred(formula, aliases, reduction_op, axis)` compiles nothing: it finds the reduction among
the loaded libraries and, when it is missing, says which .kfl line to add.
"""

import re

import torch

from . import _describe

_loaded = []


class _Function:
    def __init__(self, op, entry):
        self._op = op
        self.entry = entry
        self.__name__ = entry.name
        self.__doc__ = "%r\n\nsource: %s" % (entry, entry.source)

    def __call__(self, *tensors, **options):
        return self._op(*tensors, **options)


class Library:
    """The operators of one loaded extension, as attributes."""

    def __init__(self, path, namespace=None):
        torch.ops.load_library(path)
        name = namespace or _describe.module_name_from_path(path, "_torch")
        ops = getattr(torch.ops, name)
        try:
            text = ops._keopsc_info()
        except (AttributeError, RuntimeError):
            raise ValueError("%s registers no torch.ops.%s: build it with keopsc --emit=torch (or "
                             "pass namespace= when a `module` declaration renamed it)"
                             % (path, name))
        self.module, self.entry_points = _describe.parse(text)
        self.ops = ops
        for entry in self.entry_points.values():
            setattr(self, entry.name, _Function(getattr(ops, entry.name), entry))

    def __repr__(self):
        return "<keopsc.torch library %s: %s>" % (self.module, ", ".join(self.entry_points))


def load(path, namespace=None):
    """Loads libNAME_torch.so (keopsc --emit=torch) and returns its operators."""
    library = Library(path, namespace)
    _loaded.append(library)
    return library


def _squeeze(text):
    return re.sub(r"\s+", "", text).replace("'", '"')


_GENRED = re.compile(r'^Genred\(\s*"(?P<formula>[^"]*)"\s*,\s*\[(?P<aliases>[^\]]*)\]\s*(?P<rest>.*)\)$',
                     re.S)


def _genred_key(formula, aliases, reduction_op, axis, opt_arg=None):
    return (_squeeze(formula), tuple(_squeeze(a) for a in aliases), reduction_op, int(axis),
            None if opt_arg is None else int(opt_arg))


def _key_of(entry):
    """The Genred key of an entry point declared with Genred(...), else None."""
    match = _GENRED.match(entry.source.strip())
    if not match:
        return None
    aliases = re.findall(r'"([^"]*)"', match.group("aliases").replace("'", '"'))
    keywords = dict(re.findall(r'(\w+)\s*=\s*"?([\w.]+)"?', match.group("rest")))
    return _genred_key(match.group("formula"), aliases, keywords.get("reduction_op", "Sum"),
                       keywords.get("axis", 0), keywords.get("opt_arg"))


class Genred:
    """pykeops.torch.Genred's interface over reductions compiled ahead of time: the call's
    formula, aliases, reduction and axis must match a `Genred(...)` reduction of a loaded
    library (keopsc.torch.load); the tensors' dtype picks among several."""

    def __init__(self, formula, aliases, reduction_op="Sum", axis=0, opt_arg=None, **_ignored):
        key = _genred_key(formula, aliases, reduction_op, axis, opt_arg)
        self._candidates = [(lib, e) for lib in _loaded for e in lib.entry_points.values()
                            if _key_of(e) == key]
        self._line = 'reduction NAME = Genred("%s", [%s], reduction_op = "%s", axis = %d%s);' % (
            formula, ", ".join('"%s"' % a for a in aliases), reduction_op, int(axis),
            "" if opt_arg is None else ", opt_arg = %d" % int(opt_arg))
        if not self._candidates:
            raise KeyError("no loaded keopsc library has this reduction (keopsc compiles ahead of "
                           "time): add\n    %s\nto a .kfl file, build it with keopsc --emit=torch, "
                           "and keopsc.torch.load() the library" % self._line)

    def __call__(self, *tensors, backend="auto", ranges=None, **_ignored):
        dtype = str(tensors[0].dtype).replace("torch.", "") if tensors else "float32"
        for lib, entry in self._candidates:
            if entry.dtype == dtype:
                return getattr(lib.ops, entry.name)(*tensors, backend=backend, ranges=ranges)
        raise TypeError("the loaded libraries have this reduction in %s, not %s: add [dtype = %s] "
                        "to a copy of\n    %s" % (", ".join(e.dtype for _, e in self._candidates),
                                                  dtype, dtype, self._line))
