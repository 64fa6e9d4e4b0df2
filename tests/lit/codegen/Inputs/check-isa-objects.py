"""Checks the members of a dispatching keopsc library (argv[1]). The AVX2 and AVX-512 members
must define their SIMD functions (kernel, merge, state size and store per stage, each named
..._simd_<isa>) and nothing else global or weak: a vague-linkage function
compiled for AVX-512 could be the copy the linker keeps for baseline callers too. Neither may
run static initialisers (code at load time, before any dispatch). The exception-handling
personality pointer (weak data, identical everywhere) is not code and is allowed. Prints one line per member."""
import os
import subprocess
import sys
import tempfile

archive = os.path.abspath(sys.argv[1])
with tempfile.TemporaryDirectory() as work:
    subprocess.run(["ar", "x", archive], cwd=work, check=True)
    for member in sorted(os.listdir(work)):
        path = os.path.join(work, member)
        nm = subprocess.run(["nm", "--defined-only", path], capture_output=True, text=True,
                            check=True).stdout
        kernels = {"base": 0, "avx2": 0, "avx512": 0}
        others = []
        for line in nm.splitlines():
            parts = line.split()
            if len(parts) < 3:
                continue
            kind, name = parts[1], parts[2]
            isa = name.rsplit("_simd_", 1)[-1] if "_simd_" in name else None
            if isa in kernels:
                kernels[isa] += 1
            elif kind in "TWVuwDBR" and not name.startswith("DW.ref."):
                # (DW.ref.__gxx_personality_v0 is data, the same pointer in every object)
                others.append(name)
        headers = subprocess.run(["objdump", "-h", path], capture_output=True, text=True,
                                 check=True).stdout
        initialisers = ".init_array" in headers or ".ctors" in headers
        isa_only = kernels["avx2"] + kernels["avx512"] > 0
        print("%s kernels: base=%d avx2=%d avx512=%d" % (
            "isa-member" if isa_only else "main-member", kernels["base"], kernels["avx2"],
            kernels["avx512"]),
              ("other-symbols=%d %s" % (len(others), " ".join(others[:4])) if isa_only else ""),
              ("initialisers=%s" % initialisers) if isa_only else "")
