"""keopsc's Python face: kernels compiled ahead of time by keopsc, called from NumPy (ctypes, over
`keopsc --emit=shared`) or PyTorch (an extension from `keopsc --emit=torch`, with autograd).
Nothing is compiled at run time: importing and loading a library costs a dlopen.

    import keopsc.torch
    lib = keopsc.torch.load("build/libkernels_torch.so")
    out = lib.conv(x, y, b, g)            # torch.ops.kernels.conv(x, y, b, g)

    import keopsc.numpy
    lib = keopsc.numpy.load("build/libkernels.so")
    out = lib.conv(x, y, b, g)            # NumPy arrays in, a NumPy array out
"""

__version__ = "0.1.0"
