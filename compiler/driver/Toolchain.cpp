// Host tools and atomic outputs; see Toolchain.h.
#include "driver/Toolchain.h"

#include "driver/Config.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace keopsc::driver {
namespace fs = std::filesystem;

std::string hostCompiler() {
  const char *cxx = std::getenv("CXX");
  return cxx && *cxx ? cxx : KEOPSC_DEFAULT_CXX;
}

std::string hostArchiver() {
  const char *ar = std::getenv("AR");
  return ar && *ar ? ar : KEOPSC_DEFAULT_AR;
}

std::vector<std::string> compileFlags() {
  // -O3 vectorises the per-component loops (10x on Sum at D = 17; no reassociation without
  // fast-math, so results are unchanged). -fno-math-errno changes no value, only lets sqrt and
  // friends inline. No -w: generated code compiles cleanly under -Wall -Wextra -Werror (lit).
  return {"-std=c++17", "-O3", "-fPIC", "-pthread", "-fno-math-errno"};
}

namespace {

bool executable(const std::string &path) {
  return !path.empty() && access(path.c_str(), X_OK) == 0;
}

/// `name` found in a directory of $PATH, or "".
std::string onPath(const std::string &name) {
  const char *path = std::getenv("PATH");
  std::string dirs = path ? path : "";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    if (colon == std::string::npos)
      colon = dirs.size();
    std::string candidate = dirs.substr(start, colon - start) + "/" + name;
    if (colon > start && executable(candidate))
      return candidate;
    start = colon + 1;
  }
  return "";
}

} // namespace

std::string cudaCompiler() {
  const char *nvcc = std::getenv("NVCC");
  if (nvcc && *nvcc) { // asked for by name: one that cannot run is an error, not a CPU build
    std::string found = executable(nvcc) ? std::string(nvcc) : onPath(nvcc);
    return found.empty() ? std::string(nvcc) : found;
  }
  if (executable(KEOPSC_DEFAULT_NVCC))
    return KEOPSC_DEFAULT_NVCC;
  return onPath("nvcc");
}

std::vector<std::string> defaultCudaArchs() {
  // Turing (the oldest CUDA 13 compiles for) to Hopper; Blackwell and later run the PTX.
  return {"sm_75", "sm_80", "sm_86", "sm_89", "sm_90"};
}

std::vector<std::string> cudaCompileFlags(const std::vector<std::string> &archs) {
  std::vector<std::string> flags;
  std::string newestSass;
  bool ptx = false;
  for (const std::string &arch : archs) {
    std::string number = arch.substr(arch.find('_') + 1);
    bool sass = arch.compare(0, 3, "sm_") == 0;
    flags.push_back("-gencode=arch=compute_" + number + ",code=" + (sass ? "sm_" : "compute_") +
                    number);
    ptx = ptx || !sass;
    if (sass && (newestSass.empty() || std::stoi(number) > std::stoi(newestSass)))
      newestSass = number;
  }
  if (!ptx && !newestSass.empty())
    flags.push_back("-gencode=arch=compute_" + newestSass + ",code=compute_" + newestSass);
  return flags;
}

namespace {

/// The directory of `nvcc`'s toolkit that holds libcudart_static.a. For the nvcc keopsc was built
/// with, the one CMake asked nvcc for (cmake/KeopscCudaToolkit.cmake: wrappers cannot mislead it);
/// for another, the toolkit beside nvcc's real path, in the layouts toolkits use.
fs::path cudaLibraryDir(const std::string &nvcc) {
  std::error_code error;
  fs::path configured = KEOPSC_DEFAULT_CUDA_LIBRARY_DIR;
  if (!configured.empty() && fs::equivalent(nvcc, KEOPSC_DEFAULT_NVCC, error))
    return configured;
  fs::path real = fs::canonical(nvcc, error);
  fs::path root = (error ? fs::path(nvcc) : real).parent_path().parent_path();
  for (const char *sub : {"lib64", "lib", "targets/x86_64-linux/lib", "targets/sbsa-linux/lib"})
    if (fs::exists(root / sub / "libcudart_static.a", error))
      return root / sub;
  return configured.empty() ? root / "lib64" : configured;
}

} // namespace

std::string linkFlags(bool cuda, const std::string &nvcc) {
  std::string flags;
  if (cuda) // static cudart needs dl and rt
    flags = "-L" + cudaLibraryDir(nvcc).string() + " -lcudart_static -ldl -lrt ";
  return flags + "-lstdc++ -lpthread -lm";
}

std::string joinCommand(const std::vector<std::string> &argv) {
  std::string text;
  for (const std::string &arg : argv)
    text += (text.empty() ? "" : " ") + arg;
  return text;
}

namespace {

/// Starts argv; returns its pid, or -1 with startError set.
pid_t spawnTool(const std::vector<std::string> &argv, std::string &startError) {
  std::vector<char *> args;
  for (const std::string &arg : argv)
    args.push_back(const_cast<char *>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  if (int error = posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ)) {
    startError = std::strerror(error);
    return -1;
  }
  return pid;
}

/// Waits for pid: its exit status, 128 + signal, or -1 with startError set.
int waitTool(pid_t pid, std::string &startError) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      startError = std::strerror(errno);
      return -1;
    }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

int runTool(const std::vector<std::string> &argv, std::string &startError) {
  pid_t pid = spawnTool(argv, startError);
  return pid < 0 ? -1 : waitTool(pid, startError);
}

int runToolsConcurrently(const std::vector<std::vector<std::string>> &commands, int jobs,
                         int &status, std::string &startError) {
  std::vector<pid_t> pids(commands.size(), -1);
  std::vector<std::string> errors(commands.size());
  int failed = -1;
  size_t waited = 0;
  auto waitNext = [&] {
    const size_t k = waited++;
    const int result = pids[k] < 0 ? -1 : waitTool(pids[k], errors[k]);
    if (result != 0 && failed < 0) {
      failed = static_cast<int>(k);
      status = result;
      startError = errors[k];
    }
  };
  const size_t limit = static_cast<size_t>(std::max(1, jobs));
  size_t started = 0;
  for (; started < commands.size() && failed < 0; ++started) {
    while (started - waited >= limit && failed < 0)
      waitNext();
    if (failed >= 0)
      break;
    pids[started] = spawnTool(commands[started], errors[started]);
  }
  while (waited < started)
    waitNext();
  return failed;
}

TempDir::TempDir() {
  const char *base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/keopsc-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()))
    path_ = buffer.data();
}

TempDir::~TempDir() {
  if (path_.empty())
    return;
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

namespace {

std::string temporaryBeside(const std::string &path) {
  return path + ".tmp" + std::to_string(getpid());
}

bool renameInto(const std::string &temp, const std::string &path, std::string &error) {
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (!ec)
    return true;
  error = ec.message();
  fs::remove(temp, ec);
  return false;
}

} // namespace

bool writeFileAtomically(const std::string &path, const std::string &text, std::string &error) {
  std::string temp = temporaryBeside(path);
  {
    std::ofstream out(temp, std::ios::binary);
    if (!out) {
      error = std::strerror(errno);
      return false;
    }
    out << text;
    out.close();
    if (!out) {
      error = "write failed";
      std::error_code ec;
      fs::remove(temp, ec);
      return false;
    }
  }
  return renameInto(temp, path, error);
}

bool copyFileAtomically(const std::string &from, const std::string &to, std::string &error) {
  std::string temp = temporaryBeside(to);
  std::error_code ec;
  fs::copy_file(from, temp, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    error = ec.message();
    fs::remove(temp, ec);
    return false;
  }
  return renameInto(temp, to, error);
}

} // namespace keopsc::driver
