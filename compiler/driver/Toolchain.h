// Running the host tools keopsc drives (C++ compiler, ar) and writing outputs atomically:
// every output is written to a temporary file beside its destination, then renamed, so a
// failure never leaves a half-written file.
#pragma once

#include <string>
#include <vector>

namespace keopsc::driver {

/// The host C++ compiler: $CXX, else the one CMake found when keopsc was built.
std::string hostCompiler();
/// The archiver: $AR, else the one CMake found.
std::string hostArchiver();
/// Flags for compiling generated sources (no fast-math: SPEC.md §7.1).
std::vector<std::string> compileFlags();
/// The CUDA compiler: $NVCC (kept as given when it is not found, so that running it reports
/// the error), else the nvcc CMake found when keopsc was built, else `nvcc` on PATH; "" when
/// there is none.
std::string cudaCompiler();
/// The GPUs a library is compiled for without --cuda-arch: SASS for each, PTX for the last.
std::vector<std::string> defaultCudaArchs();
/// nvcc's flags for compiling the CUDA source for `archs` (sm_XY: SASS; compute_XY: PTX); PTX
/// of the newest sm_ entry is added when no compute_ entry is given, so newer GPUs run it.
std::vector<std::string> cudaCompileFlags(const std::vector<std::string> &archs);
/// What a program linking a generated library needs after it; `cuda` (a library holding nvcc's
/// code) adds the static CUDA runtime of `nvcc`'s toolkit.
std::string linkFlags(bool cuda, const std::string &nvcc);

/// Runs argv (argv[0] looked up on PATH); returns its exit status, or -1 if it could not
/// start (then `startError` says why).
int runTool(const std::vector<std::string> &argv, std::string &startError);
/// Runs the commands, at most `jobs` at once, in order, and waits for all. Returns the index of
/// the first that failed (its status in `status`, -1 with `startError` set when it could not
/// start), or -1 if none; after a failure no further command starts.
int runToolsConcurrently(const std::vector<std::vector<std::string>> &commands, int jobs,
                         int &status, std::string &startError);
std::string joinCommand(const std::vector<std::string> &argv);

/// A private temporary directory, removed with its contents on destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  bool ok() const { return !path_.empty(); }
  const std::string &path() const { return path_; }

private:
  std::string path_;
};

/// Writes `text` to `path` atomically; on failure sets `error` and returns false.
bool writeFileAtomically(const std::string &path, const std::string &text, std::string &error);
/// Copies `from` to `to` atomically (through a temporary beside `to`).
bool copyFileAtomically(const std::string &from, const std::string &to, std::string &error);

} // namespace keopsc::driver
