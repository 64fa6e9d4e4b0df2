// Where PyTorch's headers and libraries are, for `--emit=torch`: asked of the Python that has
// torch ($KEOPSC_PYTHON, else python3 on PATH, else /usr/bin/python3), as
// torch.utils.cpp_extension would, so the extension matches the torch that will load it (its
// C++ ABI, and whether it has CUDA).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace keopsc::driver {

struct TorchBuild {
  std::vector<std::string>
      compileFlags;                   ///< -I..., -D_GLIBCXX_USE_CXX11_ABI=..., -DKEOPSC_TORCH_CUDA
  std::vector<std::string> linkFlags; ///< -L..., -Wl,-rpath,..., -ltorch ...
};

/// Asks Python; on failure returns nullopt and says why in `error`.
std::optional<TorchBuild> findTorch(const std::string &tempDir, std::string &error);

} // namespace keopsc::driver
