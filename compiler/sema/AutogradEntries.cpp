// See AutogradEntries.h.
#include "sema/AutogradEntries.h"

#include "sema/EntryDerivatives.h"

#include <set>
#include <variant>

namespace keopsc::sema {
namespace {

bool hasGradient(const ir::Module &module, const std::string &base, int input) {
  for (const ir::EntryPoint &entry : module.entryPoints)
    if (entry.gradientOf && entry.gradientOf->base == base && entry.gradientOf->input == input)
      return true;
  return false;
}

/// `wanted`, with '_' appended until no entry point (and none of its _cpu/_cuda symbols) has it.
std::string uniqueName(const ir::Module &module, std::string wanted) {
  std::set<std::string> taken;
  for (const ir::EntryPoint &entry : module.entryPoints)
    for (const char *suffix : {"", "_cpu", "_cuda"})
      taken.insert(entry.name + suffix);
  while (taken.count(wanted) || taken.count(wanted + "_cpu") || taken.count(wanted + "_cuda"))
    wanted += '_';
  return wanted;
}

/// The name of input k in symbols: the alias, or "in<k>" for inline and gap inputs.
std::string inputLabel(const ir::Input &input, size_t k) {
  return input.name.empty() ? "in" + std::to_string(k) : input.name;
}

/// Gradients of entry point `index` with respect to each of its floating-point C inputs.
void addGradientsOf(ir::Module &module, size_t index) {
  for (size_t k = 0; k < module.entryPoints[index].inputs.size(); ++k) {
    const ir::EntryPoint &base = module.entryPoints[index];
    const ir::Input &input = base.inputs[k];
    if (!ir::isCArgument(input) || input.dtype == ir::Dtype::Int64 ||
        hasGradient(module, base.name, static_cast<int>(k)))
      continue;
    auto result = differentiateEntry(*module.context, base, static_cast<int>(k),
                                     DerivativeKind::Gradient, unusedInputName(base, "e"));
    auto *entry = std::get_if<ir::EntryPoint>(&result);
    if (!entry)
      continue; // no gradient: backward says so if this input asks for one
    entry->name = uniqueName(module, base.name + "_grad_" + inputLabel(input, k));
    entry->loc = base.loc;
    entry->sourceText = "Grad(" + base.name + ", " + inputLabel(input, k) + ")";
    entry->gradientOf = ir::GradientOf{base.name, static_cast<int>(k)};
    module.entryPoints.push_back(std::move(*entry));
  }
}

} // namespace

void addAutogradGradients(ir::Module &module, int order) {
  size_t begin = 0;
  for (int level = 0; level < order; ++level) {
    const size_t end = module.entryPoints.size();
    for (size_t index = begin; index < end; ++index)
      addGradientsOf(module, index);
    begin = end;
  }
}

} // namespace keopsc::sema
