// Library.cpp: building and loading a drawn module (Library.h).
#include "Library.h"

#include "ir/EntryPoint.h"

#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace keopsc::difffuzz {

namespace {

/// Runs `command` through the shell with its output in `log`; whether it exited with 0.
bool run(const std::string &command, const std::string &log) {
  return std::system((command + " > '" + log + "' 2>&1").c_str()) == 0;
}

std::string slurp(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The shim: difffuzz_call_<k> passes args[] to entry k's dispatching entry point, or with
/// `cuda` to its `_cuda` one where it has the cuda backend.
std::string shimSource(const std::string &module,
                       const std::vector<const ir::EntryPoint *> &entries, bool cuda) {
  std::string text = "#include \"" + module + ".h\"\n";
  text += "typedef keops_status (*difffuzz_fn)(int64_t, int64_t, void *const *, "
          "const keops_options *);\n";
  for (size_t k = 0; k < entries.size(); ++k) {
    const ir::EntryPoint &entry = *entries[k];
    const size_t args = ir::cInputCount(entry) + ir::cOutputCount(entry);
    text += "static keops_status call_" + std::to_string(k) +
            "(int64_t M, int64_t N, void *const *a, const keops_options *o) {\n  return " + module +
            "_" + entry.name + (cuda && entry.cudaBackend ? "_cuda" : "") + "(M, N";
    for (size_t a = 0; a < args; ++a)
      text += ", a[" + std::to_string(a) + "]";
    text += ", o);\n}\n";
  }
  text += "const difffuzz_fn difffuzz_calls[] = {";
  for (size_t k = 0; k < entries.size(); ++k)
    text += (k ? ", call_" : "call_") + std::to_string(k);
  text += "};\nconst char *difffuzz_last_error(void) { return " + module + "_last_error(); }\n";
  return text;
}

} // namespace

Library::~Library() {
  if (handle_)
    dlclose(handle_);
}

std::unique_ptr<Library> Library::build(const Build &how, const std::string &kfl,
                                        const std::string &dir, const std::string &module,
                                        const std::vector<const ir::EntryPoint *> &entries,
                                        std::string &error) {
  const std::string archive = dir + "/lib" + module + ".a", log = dir + "/" + module + ".log";
  const std::string &keopsc = how.keopsc;
  std::string environment;
  if (!how.optimization.empty()) {
    // keopsc runs $CXX with its flags; this one swaps its -O3 for the level asked.
    const std::string wrapper = dir + "/cxx.sh";
    const char *cxx = std::getenv("CXX");
    std::ofstream(wrapper) << "#!/bin/sh\n"
                           << "for a; do shift; [ \"$a\" = -O3 ] && a=" << how.optimization
                           << "; set -- \"$@\" \"$a\"; done\n"
                           << "exec " << (cxx && *cxx ? cxx : "c++") << " \"$@\"\n";
    std::filesystem::permissions(wrapper, std::filesystem::perms::owner_all);
    environment = "CXX='" + wrapper + "' ";
  }
  // One ISA path; CPU code only, or with the emulated GPU's.
  const std::string backends =
      how.gpuEmulated ? " --backends=cpu,cuda --cuda-emulate" : " --backends=cpu";
  if (!run(environment + "'" + keopsc + "'" + backends + " --target=" + how.target + " '" + kfl +
               "' -o '" + archive + "'",
           log)) {
    error = "keopsc failed on " + kfl + ":\n" + slurp(log);
    return nullptr;
  }
  const std::string flags = dir + "/link_flags.rsp";
  if (!run("'" + keopsc + "'" + backends + " --target=" + how.target + " --print-link-flags > '" +
               flags + "'",
           log)) {
    error = "keopsc --print-link-flags failed:\n" + slurp(log);
    return nullptr;
  }
  const std::string shim = dir + "/" + module + "_shim.c", so = dir + "/" + module + ".so";
  std::ofstream(shim) << shimSource(module, entries, how.gpuEmulated);
  const char *cc = std::getenv("CC");
  if (!run(std::string(cc && *cc ? cc : "cc") + " -std=c99 -O1 -fPIC -shared -I'" + dir + "' '" +
               shim + "' '" + archive + "' @'" + flags + "' -o '" + so + "'",
           log)) {
    error = "linking the shim failed:\n" + slurp(log);
    return nullptr;
  }
  std::unique_ptr<Library> library(new Library());
  library->handle_ = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library->handle_) {
    error = std::string("dlopen: ") + dlerror();
    return nullptr;
  }
  auto calls = reinterpret_cast<const Caller *>(dlsym(library->handle_, "difffuzz_calls"));
  library->lastError_ =
      reinterpret_cast<const char *(*)(void)>(dlsym(library->handle_, "difffuzz_last_error"));
  if (!calls || !library->lastError_) {
    error = "the shim's symbols are missing from " + so;
    return nullptr;
  }
  library->callers_.assign(calls, calls + entries.size());
  return library;
}

} // namespace keopsc::difffuzz
