// Entry-point signatures; see Signature.h.
#include "codegen/Signature.h"

#include <set>

namespace keopsc::codegen {
namespace {

/// Alias names are free identifiers; C and C++ keywords (and our fixed names) get a '_'.
std::string safeName(const std::string &name) {
  static const std::set<std::string> reserved = {
      "auto",     "bool",      "break",         "case",         "char",      "class",   "const",
      "continue", "default",   "delete",        "do",           "double",    "else",    "enum",
      "extern",   "float",     "for",           "goto",         "if",        "inline",  "int",
      "long",     "new",       "operator",      "private",      "protected", "public",  "register",
      "restrict", "return",    "short",         "signed",       "sizeof",    "static",  "struct",
      "switch",   "template",  "this",          "throw",        "try",       "typedef", "union",
      "unsigned", "virtual",   "void",          "volatile",     "while",     "M",       "N",
      "opts",     "out",       "out_values",    "out_indices",  "out_m",     "out_s",   "and",
      "or",       "not",       "xor",           "bitand",       "bitor",     "compl",   "namespace",
      "using",    "typename",  "friend",        "mutable",      "explicit",  "export",  "catch",
      "noexcept", "nullptr",   "true",          "false",        "asm",       "alignas", "alignof",
      "decltype", "constexpr", "static_assert", "thread_local", "wchar_t"};
  return reserved.count(name) ? name + "_" : name;
}

} // namespace

const char *rowsOf(ir::Category cat) {
  switch (cat) {
  case ir::Category::I:
    return "M";
  case ir::Category::J:
    return "N";
  case ir::Category::Param:
    return "1";
  }
  return "1";
}

std::string inputName(size_t index) { return "in" + std::to_string(index); }
std::string outputName(size_t index) { return "out" + std::to_string(index); }

std::vector<CParam> signature(const ir::EntryPoint &entry) {
  std::vector<CParam> params = {{"int64_t", "M", "M"}, {"int64_t", "N", "N"}};
  std::set<std::string> taken;
  for (const ir::Input &in : entry.inputs)
    if (in.origin == ir::InputOrigin::Alias)
      taken.insert(safeName(in.name));
  for (size_t k = 0; k < entry.inputs.size(); ++k) {
    const ir::Input &in = entry.inputs[k];
    if (!ir::isCArgument(in))
      continue;
    std::string name = safeName(in.name);
    if (in.origin != ir::InputOrigin::Alias) {
      // Unnamed positions get a documentation name no alias of this entry point uses.
      name = (in.origin == ir::InputOrigin::Gap ? "unused" : "arg") + std::to_string(k);
      while (taken.count(name))
        name += '_';
      taken.insert(name);
    }
    params.push_back({"const " + std::string(ir::dtypeCType(in.dtype)) + " *", name, inputName(k)});
  }
  for (size_t k = 0; k < entry.outputs.size(); ++k) {
    const ir::Output &out = entry.outputs[k];
    if (!ir::isCArgument(out))
      continue;
    params.push_back({std::string(ir::dtypeCType(out.dtype)) + " *", out.name, outputName(k)});
  }
  params.push_back({"const keops_options *", "opts", "opts"});
  return params;
}

std::string headerName(const ir::EntryPoint &entry, const std::string &bodyName) {
  for (const CParam &p : signature(entry))
    if (p.bodyName == bodyName)
      return p.headerName;
  return bodyName;
}

std::string parameterList(const ir::EntryPoint &entry, bool headerNames) {
  std::string text;
  for (const CParam &p : signature(entry)) {
    if (!text.empty())
      text += ", ";
    bool pointer = !p.type.empty() && p.type.back() == '*';
    text += p.type + (pointer ? "" : " ") + (headerNames ? p.headerName : p.bodyName);
  }
  return text;
}

std::string argumentList(const ir::EntryPoint &entry) {
  std::string text;
  for (const CParam &p : signature(entry))
    text += (text.empty() ? "" : ", ") + p.bodyName;
  return text;
}

std::string entryName(const ir::Module &module, const ir::EntryPoint &entry,
                      const std::string &suffix) {
  return module.name + "_" + entry.name + suffix;
}

const char *rangesFromBlocksParameters() {
  return "int64_t nclusters_i, const int64_t *clusters_i, int64_t nclusters_j, "
         "const int64_t *clusters_j, const uint8_t *mask, int64_t *storage, int64_t storage_size, "
         "keops_ranges *out";
}

} // namespace keopsc::codegen
