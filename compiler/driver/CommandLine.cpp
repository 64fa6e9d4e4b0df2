// Command-line parsing; see CommandLine.h.
#include "driver/CommandLine.h"

#include <cstdio>
#include <cstring>

namespace keopsc::driver {
namespace {

bool usageError(const std::string &message) {
  std::fprintf(stderr, "keopsc: error: %s\nTry 'keopsc --help'.\n", message.c_str());
  return false;
}

bool parseEmit(const std::string &value, EmitKind &kind) {
  static const std::pair<const char *, EmitKind> kinds[] = {
      {"ast", EmitKind::Ast},       {"ir", EmitKind::Ir},
      {"cpp", EmitKind::Cpp},       {"cu", EmitKind::Cu},
      {"header", EmitKind::Header}, {"obj", EmitKind::Obj},
      {"lib", EmitKind::Lib},       {"shared", EmitKind::Shared},
      {"torch", EmitKind::Torch},   {"torch-cpp", EmitKind::TorchCpp}};
  for (const auto &[name, k] : kinds)
    if (value == name) {
      kind = k;
      return true;
    }
  return usageError("unknown --emit kind '" + value +
                    "' (expected ast, ir, cpp, cu, header, obj, lib, shared, torch or torch-cpp)");
}

/// Reads the value of `flag` given as `--flag=value`, `--flag value`, `-Xvalue` or `-X value`.
bool takeValue(int argc, char **argv, int &i, const std::string &arg, const std::string &flag,
               std::string &value, bool &matched) {
  matched = false;
  if (arg == flag) {
    matched = true;
    if (i + 1 >= argc)
      return usageError("missing value after '" + flag + "'");
    value = argv[++i];
    return true;
  }
  std::string prefix = flag.size() == 2 ? flag : flag + "=";
  if (arg.compare(0, prefix.size(), prefix) == 0) {
    matched = true;
    value = arg.substr(prefix.size());
    return true;
  }
  return true;
}

std::vector<std::string> splitCommas(const std::string &text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos)
      comma = text.size();
    if (comma > start)
      items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

bool parseBackends(const std::string &value, std::vector<std::string> &backends) {
  backends = splitCommas(value);
  bool cpu = false;
  for (const std::string &b : backends) {
    if (b != "cpu" && b != "cuda")
      return usageError("unknown backend '" + b + "' in --backends (expected cpu or cuda)");
    cpu = cpu || b == "cpu";
  }
  if (!cpu)
    return usageError("--backends must include cpu (the CPU entry points are always compiled)");
  return true;
}

/// sm_XY or compute_XY with XY >= 75 (CUDA 13's oldest target).
bool parseCudaArchs(const std::string &value, std::vector<std::string> &archs) {
  archs = splitCommas(value);
  if (archs.empty())
    return usageError("--cuda-arch needs at least one architecture (e.g. sm_80)");
  for (const std::string &arch : archs) {
    size_t underscore = arch.find('_');
    std::string kind = arch.substr(0, underscore == std::string::npos ? 0 : underscore);
    std::string number = underscore == std::string::npos ? "" : arch.substr(underscore + 1);
    bool digits = !number.empty() && number.size() <= 4 &&
                  number.find_first_not_of("0123456789") == std::string::npos;
    if ((kind != "sm" && kind != "compute") || !digits || std::stoi(number) < 75)
      return usageError("bad --cuda-arch entry '" + arch +
                        "' (expected sm_XY or compute_XY, XY >= 75, e.g. sm_80,sm_90)");
  }
  return true;
}

/// A count of 1 to 1024.
bool parseJobs(const std::string &value, int &jobs) {
  const bool digits = !value.empty() && value.size() <= 4 &&
                      value.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoi(value) < 1 || std::stoi(value) > 1024)
    return usageError("--jobs must be a number from 1 to 1024; got '" + value + "'");
  jobs = std::stoi(value);
  return true;
}

} // namespace

void printHelp() {
  std::printf(
      "Usage: keopsc [options] FILE.kfl -o DIR/libNAME.a\n"
      "\n"
      "Compiles the reductions of a .kfl file into a static library and a C header\n"
      "(DIR/NAME.h beside DIR/libNAME.a) with CPU and CUDA entry points.\n"
      "\n"
      "Options:\n"
      "  -o FILE             output file (library, object, or text for --emit=ast|ir|cpp|header;\n"
      "                      text goes to stdout without -o)\n"
      "  -I DIR              search DIR for imports (after the importing file's directory)\n"
      "  --emit=KIND         ast | ir | cpp | cu | header | obj | lib (default: lib); cu is\n"
      "                      the CUDA source; shared: DIR/libNAME.so with the C entry points\n"
      "                      and NAME_describe() (for Python's ctypes); torch:\n"
      "                      DIR/libNAME_torch.so, a PyTorch extension (torch.ops.NAME.*) with\n"
      "                      autograd; torch-cpp: its C++ source\n"
      "  --autograd-order=N  torch: add Grad entry points N levels deep (1, default; 2 for\n"
      "                      double backward)\n"
      "  -j N, --jobs=N      run at most N compilers at once, and split a large CUDA source\n"
      "                      into up to N files for nvcc (default: the CPU count)\n"
      "  --depfile FILE      write a Makefile dependency file listing every .kfl read\n"
      "  --passes=P1,P2      run these IR passes instead of the default pipeline\n"
      "  --print-ir-after=P  print the IR to stderr after pass P (a list, or 'all')\n"
      "  --verify-each       run the IR verifier after every pass (a failure is a keopsc bug)\n"
      "  --target=T          CPU code for: dispatch (default: baseline, AVX2 and AVX-512\n"
      "                      kernels, the widest the running CPU has is picked at the first\n"
      "                      call), native (this machine only), baseline, x86-64,\n"
      "                      x86-64-v2, x86-64-v3 or x86-64-v4 (one path, that level)\n"
      "  --backends=LIST     cpu, or cpu,cuda (default: cuda too when nvcc is found); without\n"
      "                      cuda, the _cuda entry points return BACKEND_UNAVAILABLE\n"
      "  --cuda-arch=LIST    GPUs to compile for, e.g. sm_80,sm_90 (default: sm_75,sm_80,\n"
      "                      sm_86,sm_89,sm_90 and PTX for newer ones); compute_XY adds PTX\n"
      "  --cuda-emulate      testing aid: compile the CUDA code for the CPU, where _cuda entry\n"
      "                      points run the GPU schedules one thread at a time on host memory\n"
      "  --print-link-flags  print the linker flags a program needs after the library (with\n"
      "                      the same --backends / --cuda-emulate as the library's build)\n"
      "  --help              show this help\n"
      "  --version           show the version\n"
      "\n"
      "Environment: CXX (host C++ compiler), AR (archiver), NVCC (CUDA compiler; else the one\n"
      "found when keopsc was built, else nvcc on PATH). Libraries built with\n"
      "--target=dispatch read KEOPSC_ISA=avx2 or =baseline at run time to cap their path.\n"
      "Exit status: 0 on success, 1 on any error (nothing is left half-written).\n");
}

std::optional<CommandLine> parseCommandLine(int argc, char **argv) {
  CommandLine cl;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    bool matched = false;
    if (arg == "--help" || arg == "-h") {
      cl.help = true;
      continue;
    }
    if (arg == "--version") {
      cl.version = true;
      continue;
    }
    if (arg == "--print-link-flags") {
      cl.printLinkFlags = true;
      continue;
    }
    if (arg == "--cuda-emulate") {
      cl.cudaEmulate = true;
      continue;
    }
    if (arg == "--verify-each") {
      cl.verifyEach = true;
      continue;
    }
    if (!takeValue(argc, argv, i, arg, "-o", value, matched))
      return std::nullopt;
    if (matched) {
      if (!cl.output.empty())
        return usageError("more than one -o"), std::nullopt;
      cl.output = value;
      continue;
    }
    if (!takeValue(argc, argv, i, arg, "-I", value, matched))
      return std::nullopt;
    if (matched) {
      cl.includeDirs.push_back(value);
      continue;
    }
    if (!takeValue(argc, argv, i, arg, "--emit", value, matched))
      return std::nullopt;
    if (matched) {
      if (!parseEmit(value, cl.emit))
        return std::nullopt;
      continue;
    }
    if (!takeValue(argc, argv, i, arg, "--passes", value, matched))
      return std::nullopt;
    if (matched) {
      cl.passes = splitCommas(value);
      cl.passesGiven = true;
      continue;
    }
    if (!takeValue(argc, argv, i, arg, "--print-ir-after", value, matched))
      return std::nullopt;
    if (matched) {
      for (const std::string &name : splitCommas(value))
        cl.printIrAfter.push_back(name);
      continue;
    }
    if (!takeValue(argc, argv, i, arg, "--target", value, matched))
      return std::nullopt;
    if (matched) {
      static const char *const targets[] = {"dispatch",  "native",    "baseline", "x86-64",
                                            "x86-64-v2", "x86-64-v3", "x86-64-v4"};
      bool known = false;
      for (const char *t : targets)
        known = known || value == t;
      if (!known)
        return usageError("unknown --target '" + value +
                          "' (expected dispatch, native, baseline, x86-64, x86-64-v2, "
                          "x86-64-v3 or x86-64-v4)"),
               std::nullopt;
      cl.target = value;
      continue;
    }
    if (!takeValue(argc, argv, i, arg, "--backends", value, matched))
      return std::nullopt;
    if (matched) {
      if (!parseBackends(value, cl.backends))
        return std::nullopt;
      continue;
    }
    if (!takeValue(argc, argv, i, arg, "--cuda-arch", value, matched))
      return std::nullopt;
    if (matched) {
      if (!parseCudaArchs(value, cl.cudaArchs))
        return std::nullopt;
      continue;
    }
    if (!takeValue(argc, argv, i, arg, "--autograd-order", value, matched))
      return std::nullopt;
    if (matched) {
      if (value != "1" && value != "2")
        return usageError("--autograd-order must be 1 or 2; got '" + value + "'"), std::nullopt;
      cl.autogradOrder = value[0] - '0';
      continue;
    }
    if (!takeValue(argc, argv, i, arg, "--jobs", value, matched) ||
        (!matched && !takeValue(argc, argv, i, arg, "-j", value, matched)))
      return std::nullopt;
    if (matched) {
      if (!parseJobs(value, cl.jobs))
        return std::nullopt;
      continue;
    }
    if (!takeValue(argc, argv, i, arg, "--depfile", value, matched))
      return std::nullopt;
    if (matched) {
      cl.depfile = value;
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-')
      return usageError("unknown option '" + arg + "'"), std::nullopt;
    if (!cl.input.empty())
      return usageError("more than one input file ('" + cl.input + "' and '" + arg + "')"),
             std::nullopt;
    cl.input = arg;
  }
  if (cl.help || cl.version || cl.printLinkFlags)
    return cl;
  if (cl.input.empty())
    return usageError("no input file"), std::nullopt;
  if (isBinary(cl.emit) && cl.output.empty())
    return usageError("-o is required for --emit=lib, obj, shared and torch"), std::nullopt;
  return cl;
}

} // namespace keopsc::driver
