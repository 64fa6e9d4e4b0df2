// The C signature of an entry point (DESIGN.md §4), shared by the header and the source
// emitters so the two can never disagree. It reads the entry point's explicit inputs and
// outputs; it never guesses roles from names.
#pragma once

#include "ir/Module.h"

#include <string>
#include <vector>

namespace keopsc::codegen {

struct CParam {
  std::string type;       ///< "const float *", "int64_t *", ...
  std::string headerName; ///< documentation name in the header (alias name, out, ...)
  std::string bodyName;   ///< name inside generated definitions (in0, out0, ...)
};

/// M, N, inputs, outputs, opts — in that order; workspaces are not parameters.
std::vector<CParam> signature(const ir::EntryPoint &entry);
/// "int64_t M, int64_t N, const float *x, ..." using header or body names.
std::string parameterList(const ir::EntryPoint &entry, bool headerNames);
/// "M, N, in0, ..., opts": forwarding the body names.
std::string argumentList(const ir::EntryPoint &entry);
/// `<module>_<entry>` and its variants.
std::string entryName(const ir::Module &module, const ir::EntryPoint &entry,
                      const std::string &suffix = "");
/// Rows of arrays by category: "M", "N" or "1".
const char *rowsOf(ir::Category cat);
/// The header name of the parameter whose body name is `bodyName` (in<k>, out<k>).
std::string headerName(const ir::EntryPoint &entry, const std::string &bodyName);
/// Body names of inputs and outputs: in<k>, out<k>.
/// The parameters of `<module>_ranges_from_blocks` (header and source agree through this).
const char *rangesFromBlocksParameters();
std::string inputName(size_t index);
std::string outputName(size_t index);

} // namespace keopsc::codegen
