// Entry-point signatures; see Signature.h.
#include "codegen/Signature.h"

#include <set>

namespace keopsc::codegen {
namespace {

/// Alias names are free identifiers; C and C++ keywords (and our fixed names) get a '_'.
std::string safeName(const std::string &name) {
  static const std::set<std::string> reserved = {
      "auto",        "bool",          "break",        "case",
      "char",        "class",         "const",        "continue",
      "default",     "delete",        "do",           "double",
      "else",        "enum",          "extern",       "float",
      "for",         "goto",          "if",           "inline",
      "int",         "long",          "new",          "operator",
      "private",     "protected",     "public",       "register",
      "restrict",    "return",        "short",        "signed",
      "sizeof",      "static",        "struct",       "switch",
      "template",    "this",          "throw",        "try",
      "typedef",     "union",         "unsigned",     "virtual",
      "void",        "volatile",      "while",        "M",
      "N",           "opts",          "out",          "out_values",
      "out_indices", "and",           "or",           "not",
      "xor",         "bitand",        "bitor",        "compl",
      "namespace",   "using",         "typename",     "friend",
      "mutable",     "explicit",      "export",       "catch",
      "noexcept",    "nullptr",       "true",         "false",
      "asm",         "alignas",       "alignof",      "decltype",
      "constexpr",   "static_assert", "thread_local", "wchar_t"};
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

std::vector<CParam> signature(const ir::Reduction &reduction) {
  std::string scalar = ir::dtypeCType(reduction.dtype);
  std::vector<CParam> params = {{"int64_t", "M", "M"}, {"int64_t", "N", "N"}};
  for (size_t k = 0; k < reduction.inputs.size(); ++k)
    params.push_back(
        {"const " + scalar + " *", safeName(reduction.inputs[k].name), "in" + std::to_string(k)});
  switch (ir::reductionInfo(reduction.kind).outputs) {
  case ir::OutputShape::Values:
    params.push_back({scalar + " *", "out", "out0"});
    break;
  case ir::OutputShape::Indices:
    params.push_back({"int64_t *", "out", "out1"});
    break;
  case ir::OutputShape::ValuesAndIndices:
    params.push_back({scalar + " *", "out_values", "out0"});
    params.push_back({"int64_t *", "out_indices", "out1"});
    break;
  case ir::OutputShape::Pair:
    params.push_back({scalar + " *", "out_m", "out0"});
    params.push_back({scalar + " *", "out_s", "out1"});
    break;
  }
  params.push_back({"const keops_options *", "opts", "opts"});
  return params;
}

std::string parameterList(const ir::Reduction &reduction, bool headerNames) {
  std::string text;
  for (const CParam &p : signature(reduction)) {
    if (!text.empty())
      text += ", ";
    bool pointer = !p.type.empty() && p.type.back() == '*';
    text += p.type + (pointer ? "" : " ") + (headerNames ? p.headerName : p.bodyName);
  }
  return text;
}

std::string argumentList(const ir::Reduction &reduction) {
  std::string text;
  for (const CParam &p : signature(reduction))
    text += (text.empty() ? "" : ", ") + p.bodyName;
  return text;
}

std::string entryName(const ir::Module &module, const ir::Reduction &reduction,
                      const std::string &suffix) {
  return module.name + "_" + reduction.name + suffix;
}

} // namespace keopsc::codegen
