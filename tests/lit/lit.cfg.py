# lit configuration for keopsc: .kfl and .test files; %keopsc, FileCheck, %cc, %cxx.
import os
import lit.formats

config.name = "keopsc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".kfl", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = config.lit_source_dir
config.environment["FILECHECK_OPTS"] = "-enable-var-scope"
for var in ("PATH", "TMPDIR", "HOME", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
# A keopsc built with sanitizers (KEOPSC_SANITIZE, a Debug build) runs many times slower: the
# CPU-time bounds of the scaling tests (Inputs/cpu_limit.py) grow accordingly.
if config.keopsc_sanitize:
    config.available_features.add("sanitized")
    config.environment["KEOPSC_CPU_LIMIT_SCALE"] = "20"
# Every lit run verifies the IR after each pass (a broken invariant is an internal error).
# %keopsc builds CPU-only libraries (nvcc would add seconds to each test); %keopsc-cuda builds
# with keopsc's default backends (CUDA too where nvcc is found).
config.substitutions.append(("%keopsc-cuda", config.keopsc + " --verify-each"))
config.substitutions.append(("%keopsc", config.keopsc + " --verify-each --backends=cpu"))
config.substitutions.append(("%stdlib", os.path.join(config.source_root, "stdlib")))
config.substitutions.append(("%source_root", config.source_root))
config.substitutions.append(("%cc", config.host_cc))
config.substitutions.append(("%cxx", config.host_cxx))
config.substitutions.append(("FileCheck", config.filecheck))
import sys
config.substitutions.append(("%python", sys.executable))
# nvcc compiles the portable runtime for the device where it is installed (no GPU needed).
if os.path.exists("/usr/local/cuda/bin/nvcc"):
    config.available_features.add("nvcc")
    config.substitutions.append(("%nvcc", "/usr/local/cuda/bin/nvcc"))
# The ISA dispatch tests need an x86-64 host.
import platform
if platform.machine() in ("x86_64", "AMD64"):
    config.available_features.add("x86_64")
