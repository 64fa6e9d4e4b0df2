// See TorchEmitter.h.
#include "codegen/torch/TorchEmitter.h"

#include "codegen/Banner.h"
#include "codegen/RuntimeSources.h"
#include "codegen/Signature.h"
#include "codegen/header/HeaderEmitter.h"
#include "ir/ReductionInfo.h"

#include <set>

namespace keopsc::codegen {
namespace {

const char *torchScalarType(ir::Dtype dtype) {
  switch (dtype) {
  case ir::Dtype::Float16:
    return "c10::ScalarType::Half";
  case ir::Dtype::Float32:
    return "c10::ScalarType::Float";
  case ir::Dtype::Float64:
    return "c10::ScalarType::Double";
  case ir::Dtype::Int64:
    return "c10::ScalarType::Long";
  }
  return "c10::ScalarType::Undefined";
}

/// Schema argument names: the header's, changed where they would clash with the keywords every
/// operator takes, with Python's keywords (torch.jit parses schemas as Python), or each other.
std::vector<std::string> schemaNames(const ir::EntryPoint &entry) {
  static const std::set<std::string> reserved = {
      "backend", "device_id", "ranges", "M",      "N",        "self",  "False", "None",     "True",
      "and",     "as",        "assert", "async",  "await",    "break", "class", "continue", "def",
      "del",     "elif",      "else",   "except", "finally",  "for",   "from",  "global",   "if",
      "import",  "in",        "is",     "lambda", "nonlocal", "not",   "or",    "pass",     "raise",
      "return",  "try",       "while",  "with",   "yield"};
  std::set<std::string> taken;
  std::vector<std::string> names;
  for (size_t k = 0; k < entry.inputs.size(); ++k) {
    if (!ir::isCArgument(entry.inputs[k]))
      continue;
    std::string name = headerName(entry, inputName(k));
    while (reserved.count(name) || taken.count(name))
      name += '_';
    taken.insert(name);
    names.push_back(name);
  }
  return names;
}

std::string schemaOf(const ir::EntryPoint &entry) {
  std::string text = entry.name + "(";
  for (const std::string &name : schemaNames(entry))
    text += "Tensor " + name + ", ";
  text += "*, str backend=\\\"auto\\\", int device_id=-1, Tensor[]? ranges=None, int? M=None, "
          "int? N=None) -> ";
  const size_t outputs = ir::cOutputCount(entry);
  if (outputs == 1)
    return text + "Tensor";
  std::string list;
  for (size_t k = 0; k < outputs; ++k)
    list += std::string(k ? ", " : "") + "Tensor";
  return text + "(" + list + ")";
}

/// Per C input: the entry point computing Grad(entry, input), or -1.
std::vector<int> gradientsOf(const ir::Module &module, const ir::EntryPoint &entry) {
  std::vector<int> gradients;
  for (size_t k = 0; k < entry.inputs.size(); ++k) {
    if (!ir::isCArgument(entry.inputs[k]))
      continue;
    int found = -1;
    for (size_t g = 0; g < module.entryPoints.size(); ++g) {
      const auto &of = module.entryPoints[g].gradientOf;
      if (of && of->base == entry.name && of->input == static_cast<int>(k))
        found = static_cast<int>(g);
    }
    gradients.push_back(found);
  }
  return gradients;
}

std::string thunkOf(const ir::Module &module, const ir::EntryPoint &entry, size_t index) {
  std::string args = "M, N";
  size_t in = 0, out = 0;
  for (const ir::Input &input : entry.inputs)
    if (ir::isCArgument(input))
      args += ", static_cast<const " + std::string(ir::dtypeCType(input.dtype)) + " *>(in[" +
              std::to_string(in++) + "])";
  for (const ir::Output &o : entry.outputs)
    if (ir::isCArgument(o))
      args += ", static_cast<" + std::string(ir::dtypeCType(o.dtype)) + " *>(out[" +
              std::to_string(out++) + "])";
  return "keops_status thunk" + std::to_string(index) +
         "(int64_t M, int64_t N, const void *const *in, void *const *out, const keops_options "
         "*opts) {\n  (void)in;\n  (void)out;\n  return " +
         entryName(module, entry) + "(" + args + ", opts);\n}\n";
}

/// The arrays of one entry point's table: inputs, outputs, gradients (nullptr when empty).
std::string tablesOf(const ir::Module &module, const ir::EntryPoint &entry, size_t index) {
  const std::string k = std::to_string(index);
  std::string text;
  std::vector<std::string> names = schemaNames(entry);
  if (!names.empty()) {
    text += "const keops_torch::ArrayInfo inputs" + k + "[] = {";
    size_t n = 0;
    for (const ir::Input &input : entry.inputs)
      if (ir::isCArgument(input)) {
        text += std::string(n ? ", " : "") + "{\"" + names[n] + "\", '" +
                ir::categoryLetter(input.cat) + "', " + std::to_string(input.dim) + "}";
        ++n;
      }
    text += "};\n";
    text += "const int gradients" + k + "[] = {";
    std::vector<int> gradients = gradientsOf(module, entry);
    for (size_t g = 0; g < gradients.size(); ++g)
      text += std::string(g ? ", " : "") + std::to_string(gradients[g]);
    text += "};\n";
  }
  text += "const keops_torch::OutputInfo outputs" + k + "[] = {";
  size_t n = 0;
  for (const ir::Output &o : entry.outputs)
    if (ir::isCArgument(o)) {
      text += std::string(n++ ? ", " : "") + "{\"" + o.name + "\", '" +
              (o.sumOf >= 0 ? 'p' : ir::categoryLetter(o.rows)) + "', " + std::to_string(o.width) +
              ", " + (o.dtype == ir::Dtype::Int64 ? "true" : "false") + ", " +
              std::to_string(o.sumOf >= 0 ? o.sharedAs : -1) + "}";
    }
  return text + "};\n";
}

/// The C output gradients flow back from: the values (the first output of a raw pair).
int valuesOutput(const ir::EntryPoint &entry) {
  int n = 0;
  for (const ir::Output &o : entry.outputs) {
    if (!ir::isCArgument(o))
      continue;
    if (o.dtype != ir::Dtype::Int64)
      return n;
    ++n;
  }
  return -1;
}

std::string reductionOf(const ir::EntryPoint &entry, size_t index) {
  const std::string k = std::to_string(index);
  const size_t nin = ir::cInputCount(entry), nout = ir::cOutputCount(entry);
  const bool hasInputs = nin > 0;
  const ir::ReductionKind kind = entry.mainStage().kind;
  const bool gradientless = kind == ir::ReductionKind::Max_SumShiftExp ||
                            kind == ir::ReductionKind::Max_SumShiftExpWeight ||
                            ir::reductionInfo(kind).outputs == ir::OutputShape::Indices;
  std::string why = gradientless ? std::string(ir::reductionInfo(kind).name) +
                                       " has no gradient (SPEC.md section 6)"
                                 : "the library has no Grad entry point for it (declare it, "
                                   "or build with --autograd-order=2 for double backward)";
  return "    {\"" + entry.name + "\", \"" + schemaOf(entry) + "\", " +
         torchScalarType(entry.dtype) + ", " + std::to_string(nin) + ", " +
         (hasInputs ? "inputs" + k : "nullptr") + ", " + std::to_string(nout) + ", outputs" + k +
         ", &thunk" + k + ", " + std::to_string(valuesOutput(entry)) + ", " +
         (hasInputs ? "gradients" + k : "nullptr") + ", \"" + why + "\"},\n";
}

} // namespace

std::string emitTorchSource(const ir::Module &module) {
  std::string text;
  for (const std::string &line : bannerLines(module))
    text += "// " + line + "\n";
  text += "// The PyTorch extension: torch.ops." + module.name + ".<reduction>.\n";
  text += emitHeader(module);
  // The adaptor is a header; pasted into the main file, its include guard would only warn.
  std::string adaptor = runtimeTorchText();
  const std::string guard = "#pragma once\n";
  if (size_t at = adaptor.find(guard); at != std::string::npos)
    adaptor.erase(at, guard.size());
  text += adaptor;
  text += "\nextern \"C\" const char *" + module.name + "_describe(void);\n\nnamespace {\n\n";
  for (size_t k = 0; k < module.entryPoints.size(); ++k)
    text += thunkOf(module, module.entryPoints[k], k) + tablesOf(module, module.entryPoints[k], k);
  text += "\nconst keops_torch::Reduction reductions[] = {\n";
  for (size_t k = 0; k < module.entryPoints.size(); ++k)
    text += reductionOf(module.entryPoints[k], k);
  text += "};\n\nconst keops_torch::Module torchModule = {\"" + module.name + "\", reductions, " +
          std::to_string(module.entryPoints.size()) + ", &" + module.name + "_last_error};\n\n";
  text += "std::string describe() { return " + module.name + "_describe(); }\n\n";
  text += "} // namespace\n\nTORCH_LIBRARY(" + module.name + ", library) {\n";
  text += "  keops_torch::registerModule(library, torchModule);\n";
  text += "  library.def(\"_keopsc_info() -> str\", &describe);\n}\n";
  return text;
}

} // namespace keopsc::codegen
