// Library.h: a drawn module built as a user would build it (keopsc → lib<module>.a and its
// header), then linked with a generated C shim into a shared object the fuzzer loads, so every
// entry point is called through one signature. Not the module's text or the checks.
#pragma once

#include "keops/api.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace keopsc::ir {
struct EntryPoint;
}

namespace keopsc::difffuzz {

/// An entry point with its C arguments (inputs, then outputs) in `args`.
using Caller = keops_status (*)(int64_t M, int64_t N, void *const *args, const keops_options *);

class Library {
public:
  ~Library();
  Library(const Library &) = delete;
  Library &operator=(const Library &) = delete;

  /// How keopsc builds it: `--target=` (one ISA path) and, when `optimization` is not empty,
  /// the host compiler's -O level instead of keopsc's own (-O1 compiles several times faster).
  /// With `gpuEmulated`, the CUDA code too, compiled for the CPU (--cuda-emulate), and the
  /// callers go to the `_cuda` entry points: the GPU schedules, run on host memory.
  struct Build {
    std::string keopsc, target, optimization;
    bool gpuEmulated = false;
  };

  /// Builds `dir`/lib<module>.a from `kfl`, then the shim over `entries` (the module's, as sema
  /// sees them) and `dir`/<module>.so, and loads it. On failure: null, and `error` says which
  /// step failed, with its output.
  static std::unique_ptr<Library> build(const Build &how, const std::string &kfl,
                                        const std::string &dir, const std::string &module,
                                        const std::vector<const ir::EntryPoint *> &entries,
                                        std::string &error);

  Caller caller(size_t entry) const { return callers_.at(entry); }
  /// The module's <module>_last_error().
  const char *lastError() const { return lastError_(); }

private:
  Library() = default;
  void *handle_ = nullptr;
  std::vector<Caller> callers_;
  const char *(*lastError_)(void) = nullptr;
};

} // namespace keopsc::difffuzz
