// See ModuleDescription.h. The JSON is written by hand (a dozen fields, no dependency needed);
// strings go through one escaping function.
#include "codegen/describe/ModuleDescription.h"

#include "codegen/Banner.h"
#include "codegen/Signature.h"
#include "ir/ReductionInfo.h"

#include <cstdio>

namespace keopsc::codegen {
namespace {

std::string quoted(const std::string &text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
      out += buffer;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

const char *roleName(ir::OutputRole role) {
  switch (role) {
  case ir::OutputRole::Values:
    return "values";
  case ir::OutputRole::Indices:
    return "indices";
  case ir::OutputRole::MaxShift:
    return "max_shift";
  case ir::OutputRole::ShiftedSum:
    return "shifted_sum";
  case ir::OutputRole::Workspace:
  case ir::OutputRole::IndexWorkspace:
    return "workspace";
  }
  return "?";
}

std::string describeInputs(const ir::EntryPoint &entry) {
  std::string text;
  for (size_t k = 0; k < entry.inputs.size(); ++k) {
    const ir::Input &in = entry.inputs[k];
    if (!ir::isCArgument(in))
      continue;
    text += std::string(text.empty() ? "" : ", ") +
            "{\"name\": " + quoted(headerName(entry, inputName(k))) + ", \"cat\": \"" +
            std::string(1, ir::categoryLetter(in.cat)) + "\", \"dim\": " + std::to_string(in.dim) +
            ", \"dtype\": \"" + ir::dtypeName(in.dtype) + "\"}";
  }
  return "[" + text + "]";
}

std::string describeOutputs(const ir::EntryPoint &entry) {
  std::string text;
  for (const ir::Output &o : entry.outputs) {
    if (!ir::isCArgument(o))
      continue;
    text += std::string(text.empty() ? "" : ", ") + "{\"name\": " + quoted(o.name) +
            ", \"role\": \"" + roleName(o.role) + "\", \"rows\": \"" +
            std::string(1, ir::categoryLetter(o.rows)) +
            "\", \"width\": " + std::to_string(o.width) + ", \"dtype\": \"" +
            ir::dtypeName(o.dtype) + "\"}";
  }
  return "[" + text + "]";
}

std::string describeEntryPoint(const ir::Module &module, const ir::EntryPoint &entry) {
  const ir::Stage &stage = entry.mainStage();
  std::string gradient = "null";
  if (entry.gradientOf)
    gradient = "{\"base\": " + quoted(entry.gradientOf->base) +
               ", \"input\": " + std::to_string(entry.gradientOf->input) + "}";
  return "{\"name\": " + quoted(entry.name) + ", \"symbol\": " + quoted(entryName(module, entry)) +
         ", \"dtype\": \"" + ir::dtypeName(entry.dtype) + "\", \"reduction\": \"" +
         ir::reductionInfo(stage.kind).name + "\", \"axis\": " + std::to_string(stage.axis) +
         ", \"K\": " + std::to_string(stage.K) + ", \"inputs\": " + describeInputs(entry) +
         ", \"outputs\": " + describeOutputs(entry) + ", \"gradient_of\": " + gradient +
         ", \"source\": " + quoted(entry.sourceText) +
         ", \"cpu\": " + (entry.cpuBackend ? "true" : "false") +
         ", \"cuda\": " + (entry.cudaBackend ? "true" : "false") + "}";
}

} // namespace

std::string describeModule(const ir::Module &module) {
  std::string entries;
  for (const ir::EntryPoint &entry : module.entryPoints)
    entries += std::string(entries.empty() ? "" : ",\n  ") + describeEntryPoint(module, entry);
  return "{\"module\": " + quoted(module.name) + ", \"format\": 1, \"entry_points\": [\n  " +
         entries + "]}\n";
}

std::string emitDescriptionSource(const ir::Module &module) {
  std::string text;
  for (const std::string &line : bannerLines(module))
    text += "// " + line + "\n";
  // Every quote inside the JSON is escaped, so its text never holds the delimiter )KEOPSDESC".
  return text + "extern \"C\" const char *" + module.name + "_describe(void);\n" +
         "extern \"C\" const char *" + module.name + "_describe(void) {\n  return R\"KEOPSDESC(" +
         describeModule(module) + ")KEOPSDESC\";\n}\n";
}

} // namespace keopsc::codegen
