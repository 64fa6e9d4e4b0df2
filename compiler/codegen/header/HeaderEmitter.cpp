// The C header emitter; see HeaderEmitter.h.
#include "codegen/header/HeaderEmitter.h"

#include "codegen/Banner.h"
#include "codegen/PartialState.h"
#include "codegen/RuntimeSources.h"
#include "codegen/ScalarStage.h"
#include "codegen/Signature.h"
#include "support/IndentedWriter.h"

#include <cctype>

namespace keopsc::codegen {
namespace {

std::string upper(std::string text) {
  for (char &c : text)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

/// "x: M x 3 (Vi), ..., out: M x 1" — the allocation sizes the caller is responsible for.
std::string shapes(const ir::EntryPoint &entry) {
  std::string text;
  for (size_t k = 0; k < entry.inputs.size(); ++k) {
    const ir::Input &in = entry.inputs[k];
    if (!ir::isCArgument(in))
      continue;
    std::string shape = in.cat == ir::Category::Param
                            ? std::to_string(in.dim)
                            : std::string(rowsOf(in.cat)) + " x " + std::to_string(in.dim);
    text += headerName(entry, inputName(k)) + ": " + shape + " (" + ir::categoryCall(in.cat) +
            (in.read ? "" : ", unused") + "), ";
  }
  bool first = true;
  for (const ir::Output &o : entry.outputs) {
    if (!ir::isCArgument(o))
      continue;
    text += (first ? "" : ", ") + o.name;
    first = false;
    if (o.sumOf >= 0) // a Pm gradient: x's shape, summed over all rows
      text += ": " + std::to_string(o.width) + " (summed over all rows, batches as " +
              headerName(entry, inputName(static_cast<size_t>(o.sharedAs))) + ")";
    else
      text += std::string("") + ": " + rowsOf(o.rows) + " x " + std::to_string(o.width);
    if (o.dtype == ir::Dtype::Int64)
      text += " (int64_t)";
  }
  return text;
}

/// The sharding entry points (README, "Sharding"): their state size and signatures.
void emitPartialDeclarations(const ir::Module &module, const ir::EntryPoint &entry,
                             IndentedWriter &out) {
  const ir::Stage &stage = entry.stages[0];
  const char *rows = stage.axis == 1 ? "M" : "N";
  const char *reduced = stage.axis == 1 ? "N" : "M";
  out.line("/* " + entry.name + " in parts of its reduced axis: _partial reduces a part, whose " +
           reduced + " rows of");
  out.line("   " + std::string(ir::categoryCall(stage.reducedCat())) +
           " inputs are rows offset ... offset + " + reduced + " - 1 of the whole axis, into " +
           rows + " states of");
  out.line("   " + stateBytesMacro(module, entry) +
           " bytes; _merge folds `other` into `state` (parts merge in any order);");
  out.line("   _finalize writes what " + entryName(module, entry) +
           " writes. _partial runs on the GPU for GPU memory (enqueued");
  out.line("   on opts' stream, as _cuda) or the cuda backend, else on the CPU; _merge and");
  out.line("   _finalize take host states. No ranges or batches. */");
  out.line("#define " + stateBytesMacro(module, entry) + " " +
           std::to_string(storedStateBytes(stage, computeDtype(entry.dtype))));
  out.line("keops_status " + entryName(module, entry, "_partial") + "(" +
           partialParameters(entry, true) + ");");
  out.line("keops_status " + entryName(module, entry, "_merge") + "(" + mergeParameters(true) +
           ");");
  out.line("keops_status " + entryName(module, entry, "_finalize") + "(" +
           finalizeParameters(entry, true) + ");");
  out.line();
}

void emitEntryPoints(const ir::Module &module, const ir::EntryPoint &entry, IndentedWriter &out) {
  out.line("/* " + entry.name + ": " + describeEntry(entry) + ".");
  out.line("   " + commentSafe(entry.sourceText));
  out.line("   " + shapes(entry) + ". */");
  std::string params = parameterList(entry, true);
  for (const char *suffix : {"", "_cpu", "_cuda"})
    out.line("keops_status " + entryName(module, entry, suffix) + "(" + params + ");");
  out.line();
  if (hasPartials(entry))
    emitPartialDeclarations(module, entry, out);
}

} // namespace

std::string emitHeader(const ir::Module &module) {
  IndentedWriter out;
  std::string guard = "KEOPSC_MODULE_" + upper(module.name) + "_H";
  for (const std::string &line : bannerLines(module))
    out.line("/* " + line + " */");
  out.line("#ifndef " + guard);
  out.line("#define " + guard);
  out.line();
  out.raw(runtimeApiText());
  out.line();
  out.line("#ifdef __cplusplus");
  out.line("extern \"C\" {");
  out.line("#endif");
  out.line();
  for (const ir::EntryPoint &entry : module.entryPoints)
    emitEntryPoints(module, entry, out);
  out.line(
      "/* Block-sparse ranges (keops_options.ranges) from cluster bounds and a block mask, as");
  out.line(
      "   pykeops's from_matrix: clusters_i (nclusters_i x 2) and clusters_j (nclusters_j x 2)");
  out.line(
      "   are [begin, end) row intervals; mask (nclusters_i x nclusters_j, row-major) is nonzero");
  out.line(
      "   where cluster a of i and cluster b of j interact. storage holds at least nclusters_i +");
  out.line(
      "   nclusters_j + 4 x (nonzero mask entries) int64_t; *out then points into clusters_i,");
  out.line("   clusters_j and storage, which must outlive its use. Entry points check the "
           "intervals. */");
  out.line("keops_status " + module.name + "_ranges_from_blocks(" + rangesFromBlocksParameters() +
           ");");
  out.line();
  out.line("/* The message of this thread's last failed call into " + module.name +
           " (\"\" after a success). */");
  out.line("const char *" + module.name + "_last_error(void);");
  out.line();
  out.line("/* The instruction set the CPU kernels use in this process: \"avx512\", \"avx2\" or");
  out.line("   \"baseline\" (chosen at the first call; KEOPSC_ISA=avx2 or =baseline caps it), or");
  out.line("   \"single\" for a library built for one target (keopsc --target). */");
  out.line("const char *" + module.name + "_cpu_isa(void);");
  out.line();
  out.line("#ifdef __cplusplus");
  out.line("}");
  out.line("#endif");
  out.line();
  out.line("#endif /* " + guard + " */");
  return out.str();
}

} // namespace keopsc::codegen
