// The C signature of a reduction's entry points (DESIGN.md §4), shared by the header and the
// source emitters so the two can never disagree.
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

/// M, N, inputs, outputs, opts — in that order.
std::vector<CParam> signature(const ir::Reduction &reduction);
/// "int64_t M, int64_t N, const float *x, ..." using header or body names.
std::string parameterList(const ir::Reduction &reduction, bool headerNames);
/// "M, N, in0, ..., opts": forwarding the body names.
std::string argumentList(const ir::Reduction &reduction);
/// `<module>_<reduction>` and its variants.
std::string entryName(const ir::Module &module, const ir::Reduction &reduction,
                      const std::string &suffix = "");
/// Rows of arrays by category: "M", "N" or "1".
const char *rowsOf(ir::Category cat);

} // namespace keopsc::codegen
