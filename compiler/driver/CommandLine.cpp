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
      {"ast", EmitKind::Ast},       {"ir", EmitKind::Ir},   {"cpp", EmitKind::Cpp},
      {"header", EmitKind::Header}, {"obj", EmitKind::Obj}, {"lib", EmitKind::Lib}};
  for (const auto &[name, k] : kinds)
    if (value == name) {
      kind = k;
      return true;
    }
  return usageError("unknown --emit kind '" + value +
                    "' (expected ast, ir, cpp, header, obj or lib)");
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
      "  --emit=KIND         ast | ir | cpp | header | obj | lib (default: lib)\n"
      "  --depfile FILE      write a Makefile dependency file listing every .kfl read\n"
      "  --passes=P1,P2      run these IR passes instead of the default pipeline\n"
      "  --print-ir-after=P  print the IR to stderr after pass P (a list, or 'all')\n"
      "  --verify-each       run the IR verifier after every pass (a failure is a keopsc bug)\n"
      "  --target=T          CPU code for: dispatch (default: baseline, AVX2 and AVX-512\n"
      "                      kernels, the widest the running CPU has is picked at the first\n"
      "                      call), native (this machine only), baseline, x86-64,\n"
      "                      x86-64-v2, x86-64-v3 or x86-64-v4 (one path, that level)\n"
      "  --print-link-flags  print the linker flags a program needs after the library\n"
      "  --help              show this help\n"
      "  --version           show the version\n"
      "\n"
      "Environment: CXX (host C++ compiler), AR (archiver). Libraries built with\n"
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
  if ((cl.emit == EmitKind::Lib || cl.emit == EmitKind::Obj) && cl.output.empty())
    return usageError("-o is required for --emit=lib and --emit=obj"), std::nullopt;
  return cl;
}

} // namespace keopsc::driver
