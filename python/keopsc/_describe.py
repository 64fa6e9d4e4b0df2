"""The description of a library's entry points (the JSON keopsc writes, see
compiler/codegen/describe/ModuleDescription.h), and the shape rules both faces share."""

import json
import os

DTYPES = ("float16", "float32", "float64")


def module_name_from_path(path, suffix=""):
    """libNAME.so -> NAME; libNAME_torch.so -> NAME with suffix "_torch"."""
    stem = os.path.basename(path).split(".")[0]
    if stem.startswith("lib"):
        stem = stem[3:]
    if suffix and stem.endswith(suffix) and len(stem) > len(suffix):
        stem = stem[: -len(suffix)]
    return stem


class EntryPoint:
    """One entry point: its inputs (name, category 'i'/'j'/'p', dim) and outputs."""

    def __init__(self, record):
        self.name = record["name"]
        self.symbol = record["symbol"]
        self.dtype = record["dtype"]
        self.reduction = record["reduction"]
        self.axis = record["axis"]
        self.K = record["K"]
        self.inputs = record["inputs"]
        self.outputs = record["outputs"]
        self.gradient_of = record["gradient_of"]
        self.source = record["source"]

    def __repr__(self):
        args = ", ".join("%s: %s(%d)" % (a["name"], {"i": "Vi", "j": "Vj", "p": "Pm"}[a["cat"]],
                                         a["dim"]) for a in self.inputs)
        return "<%s(%s): %s, %s over %s>" % (self.name, args, self.dtype, self.reduction,
                                             "j" if self.axis == 1 else "i")


def parse(text):
    """(module name, {entry name: EntryPoint}) from the JSON text."""
    data = json.loads(text)
    if data.get("format") != 1:
        raise ValueError("keopsc: unknown description format %r" % data.get("format"))
    return data["module"], {r["name"]: EntryPoint(r) for r in data["entry_points"]}
