// The loads of the SIMD CPU kernels (SimdStageEmitter.h) for the shared expression emitter.
#pragma once

#include "codegen/ExprEmitter.h"
#include "codegen/Signature.h"
#include "ir/EntryPoint.h"
#include "support/Assert.h"

#include <string>
#include <utility>

namespace keopsc::codegen {

/// Loads of the SIMD kernel: parameters as they are, output-row inputs from the row pointers of
/// blocked row `row` (in<pos>_<row>), reduced inputs as vectors of the transposed copy at `t`.
class SimdHooks final : public ExprEmitter::Hooks {
public:
  SimdHooks(std::string scalar, const ir::EntryPoint &entry, const ir::Stage &stage, int row)
      : scalar_(std::move(scalar)), entry_(entry), stage_(stage), row_(row) {}
  std::string load(const ir::Formula *var, const std::string &k) const override {
    const size_t pos = static_cast<size_t>(var->varPos());
    const ir::Category cat = entry_.inputs[pos].cat;
    if (cat == ir::Category::Param)
      return inputName(pos) + "[" + k + "]";
    if (cat == stage_.outputCat()) {
      KEOPSC_ASSERT(row_ >= 0, "an output-row load outside a blocked row");
      return inputName(pos) + "_" + std::to_string(row_) + "[" + k + "]";
    }
    std::string offset = k == "0" ? "t" : "(" + k + ") * npad + t";
    return "V::load(soa" + std::to_string(pos) + " + " + offset + ")";
  }
  std::string valueType(ValueKind kind) const override {
    return kind == ValueKind::Uniform ? scalar_ : "V";
  }
  std::string scratch(int64_t) const override {
    KEOPSC_UNREACHABLE("SIMD stages have no scratch (simdEligible)");
  }
  std::string pairIndex(ir::Category) const override {
    KEOPSC_UNREACHABLE("SIMD stages have no index picks (simdEligible)");
  }
  std::string broadcast(const std::string &uniform) const override { return "V(" + uniform + ")"; }

private:
  std::string scalar_;
  const ir::EntryPoint &entry_;
  const ir::Stage &stage_;
  int row_;
};

} // namespace keopsc::codegen
