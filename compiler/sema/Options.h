// Compile-time options of reductions (SPEC.md §5.1): reading `[key = value]` entries, Genred
// keywords and file-wide defaults, with checks. It does not resolve them against a reduction;
// ReductionLowering does.
#pragma once

#include "frontend/Ast.h"
#include "ir/Module.h"
#include "support/Diagnostics.h"

#include <optional>
#include <string>

namespace keopsc::sema {

template <typename T> struct Setting {
  std::optional<T> value;
  SourceRange range;
  explicit operator bool() const { return value.has_value(); }
  const T &operator*() const { return *value; }
};

/// Options as written; unset fields take defaults when resolved.
struct OptionSet {
  Setting<ir::Dtype> dtype;
  Setting<std::string> dtypeAcc; ///< "auto", "float32", "float64"
  Setting<bool> useDoubleAcc;
  Setting<ir::SumScheme> sumScheme;
  Setting<bool> enableChunks;
  Setting<bool> fastMath;
  Setting<int64_t> K;
  Setting<bool> cpuBackend;
  Setting<bool> cudaBackend;

  /// Fields set in `overrides` replace those here.
  void mergeFrom(const OptionSet &overrides);
};

/// Whether `key` names a compile-time option (in any accepted spelling).
bool isOptionName(const std::string &key);

/// Reads one option (`.kfl` spelling or Genred keyword). `strings`: values are Python strings
/// (Genred: dtype = "float64"). Returns false after reporting an error.
bool readOption(const std::string &key, SourceRange keyRange, const ast::Expr &value, bool strings,
                OptionSet &options, DiagnosticEngine &diags);

/// Reads a list of `[key = value]` entries; repeated keys are errors.
bool readOptionList(const std::vector<const ast::OptionEntry *> &entries, OptionSet &options,
                    DiagnosticEngine &diags);

} // namespace keopsc::sema
