// See TorchBuild.h.
#include "driver/TorchBuild.h"

#include "driver/Toolchain.h"

#include <cstdlib>
#include <fstream>

namespace keopsc::driver {
namespace {

/// Writes one line per fact: I<include dir>, L<library dir>, A<0|1> (C++11 ABI), C<0|1> (CUDA).
const char *kProbe =
    "import os, sys\n"
    "try:\n"
    "    import torch\n"
    "except ImportError:\n"
    "    sys.exit(3)\n"
    "root = os.path.dirname(torch.__file__)\n"
    "inc = os.path.join(root, 'include')\n"
    "lines = ['I' + inc, 'I' + os.path.join(inc, 'torch', 'csrc', 'api', 'include'),\n"
    "         'L' + os.path.join(root, 'lib'),\n"
    "         'A%d' % int(torch._C._GLIBCXX_USE_CXX11_ABI),\n"
    "         'C%d' % int(torch.version.cuda is not None)]\n"
    "open(sys.argv[1], 'w').write('\\n'.join(lines) + '\\n')\n";

/// $KEOPSC_PYTHON alone when set; else python3 on PATH, then Debian's (python3-torch installs
/// there, and PATH may start with another Python, e.g. pyenv's).
std::vector<std::string> pythonCandidates() {
  const char *python = std::getenv("KEOPSC_PYTHON");
  if (python && *python)
    return {python};
  return {"python3", "/usr/bin/python3"};
}

/// Runs the probe with the first candidate that imports torch; false (with `error`) if none does.
bool runProbe(const std::string &facts, std::string &python, std::string &error) {
  for (const std::string &candidate : pythonCandidates()) {
    std::string startError;
    int status = runTool({candidate, "-c", kProbe, facts}, startError);
    if (status == 0) {
      python = candidate;
      return true;
    }
    error += std::string(error.empty() ? "" : "; ") +
             (status < 0 ? "could not run " + candidate + ": " + startError
                         : candidate + " could not import torch");
  }
  error += " (install it: apt-get install python3-torch libtorch-dev; or set KEOPSC_PYTHON)";
  return false;
}

} // namespace

std::optional<TorchBuild> findTorch(const std::string &tempDir, std::string &error) {
  const std::string facts = tempDir + "/torch_facts.txt";
  std::string python;
  if (!runProbe(facts, python, error))
    return std::nullopt;
  TorchBuild build;
  std::ifstream in(facts);
  std::string line, libraryDir;
  bool cuda = false;
  while (std::getline(in, line)) {
    if (line.size() < 2)
      continue;
    const std::string value = line.substr(1);
    if (line[0] == 'I')
      build.compileFlags.insert(build.compileFlags.end(), {"-isystem", value});
    else if (line[0] == 'L')
      libraryDir = value;
    else if (line[0] == 'A')
      build.compileFlags.push_back("-D_GLIBCXX_USE_CXX11_ABI=" + value);
    else if (line[0] == 'C')
      cuda = value == "1";
  }
  if (libraryDir.empty()) {
    error = python + " gave no torch library directory";
    return std::nullopt;
  }
  build.linkFlags = {"-L" + libraryDir, "-Wl,-rpath," + libraryDir};
  if (cuda) {
    build.compileFlags.push_back("-DKEOPSC_TORCH_CUDA");
    build.linkFlags.insert(build.linkFlags.end(), {"-lc10_cuda", "-ltorch_cuda"});
  }
  build.linkFlags.insert(build.linkFlags.end(), {"-ltorch", "-ltorch_cpu", "-lc10"});
  return build;
}

} // namespace keopsc::driver
