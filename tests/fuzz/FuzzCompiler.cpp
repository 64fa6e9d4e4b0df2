// The coverage-guided fuzz target (libFuzzer; issue 13): any text goes through the whole compiler
// in memory, frontend → sema → every pass with the verifier after each → kernel plans → the
// generated C++ and header, as `keopsc --emit=cpp` would run it but without files or imports.
// Every input must end in success or diagnostics: an internal error aborts, and libFuzzer (with
// AddressSanitizer and UBSan, tests/fuzz/CMakeLists.txt) reports that, a crash, a leak or
// undefined behaviour as a failure with the input that caused it.
#include "codegen/SourceEmitter.h"
#include "codegen/cuda/CudaSourceEmitter.h"
#include "codegen/header/HeaderEmitter.h"
#include "frontend/Parser.h"
#include "passes/PassManager.h"
#include "passes/PlanKernels.h"
#include "sema/Sema.h"

#include <cstddef>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace keopsc;

namespace {

/// The default pipeline, as keopsc runs it without --passes.
std::vector<const passes::PassInfo *> defaultPipeline() {
  std::vector<const passes::PassInfo *> pipeline;
  for (const passes::PassInfo &pass : passes::allPasses())
    pipeline.push_back(&pass);
  return pipeline;
}

void compile(const std::string &text) {
  SourceManager sources;
  std::ostringstream discarded; // diagnostics are expected; only their absence on failure is not
  DiagnosticEngine diags(sources, discarded);
  const uint32_t buffer = sources.addBuffer("fuzz.kfl", text);
  std::optional<ast::File> file = frontend::parseFile(buffer, sources, diags);
  if (!file)
    return;
  ast::Program program;
  program.files.push_back(std::move(*file));
  std::optional<ir::Module> module = sema::analyze(program, "fuzz", sources, diags);
  if (!module)
    return;
  static const std::vector<const passes::PassInfo *> pipeline = defaultPipeline();
  passes::PassContext context(diags, module->sources, {/*verifyEach=*/true});
  std::ostringstream log;
  if (!passes::runPipeline(*module, pipeline, context, {}, log))
    return;
  const std::string source = codegen::emitSource(*module, /*withCuda=*/true);
  const std::string cudaSource = codegen::emitCudaSource(*module);
  const std::string header = codegen::emitHeader(*module);
  // Keep the outputs observable, so no part of their generation is optimised away.
  volatile size_t sizes = source.size() + cudaSource.size() + header.size();
  (void)sizes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  compile(std::string(reinterpret_cast<const char *>(data), size));
  return 0;
}
