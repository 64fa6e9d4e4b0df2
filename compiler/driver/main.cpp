// keopsc's entry point: command line → frontend → sema → codegen → host tools → outputs.
// Each stage's output feeds the next (DESIGN.md §1); this file only sequences them.
#include "codegen/SourceEmitter.h"
#include "codegen/cuda/CudaSourceEmitter.h"
#include "codegen/header/HeaderEmitter.h"
#include "codegen/torch/TorchEmitter.h"
#include "driver/BuildBinary.h"
#include "driver/CommandLine.h"
#include "driver/Config.h"
#include "driver/CudaBuild.h"
#include "driver/Toolchain.h"
#include "frontend/Parser.h"
#include "ir/Printer.h"
#include "passes/PassManager.h"
#include "passes/PlanKernels.h"
#include "sema/AutogradEntries.h"
#include "sema/Sema.h"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace keopsc;

namespace {

/// "DIR/libNAME.a" → "NAME"; "DIR/NAME.o" → "NAME"; "k.kfl" → "k".
std::string stemOf(const std::string &path, bool stripLib) {
  std::string stem = fs::path(path).stem().string();
  if (stripLib && stem.size() > 3 && stem.compare(0, 3, "lib") == 0)
    stem = stem.substr(3);
  return stem;
}

/// The module a binary output names: libNAME.a, NAME.o, libNAME.so, libNAME_torch.so.
std::string moduleOfOutput(const driver::CommandLine &cl) {
  std::string stem = stemOf(cl.output, cl.emit != driver::EmitKind::Obj);
  const std::string suffix = "_torch";
  if (cl.emit == driver::EmitKind::Torch && stem.size() > suffix.size() &&
      stem.compare(stem.size() - suffix.size(), suffix.size(), suffix) == 0)
    stem.resize(stem.size() - suffix.size());
  return stem;
}

std::vector<std::string> importDirs(const driver::CommandLine &cl) {
  std::vector<std::string> dirs = cl.includeDirs;
  // The installed stdlib (PREFIX/share/keopsc/stdlib beside PREFIX/bin/keopsc), then the
  // source tree's, so a build-tree keopsc finds `import "keops/kernels.kfl"` too.
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec)
    dirs.push_back((self.parent_path().parent_path() / "share/keopsc/stdlib").string());
  dirs.push_back(KEOPSC_STDLIB_SOURCE_DIR);
  return dirs;
}

int fail(DiagnosticEngine &diags, DiagId id, const std::vector<std::string> &args) {
  diags.report(id, args);
  return 1;
}

int writeText(const driver::CommandLine &cl, const std::string &text, DiagnosticEngine &diags) {
  if (cl.output.empty() || cl.output == "-") {
    std::cout << text;
    std::cout.flush();
    return std::cout ? 0 : 1;
  }
  std::string error;
  if (!driver::writeFileAtomically(cl.output, text, error))
    return fail(diags, DiagId::CannotWriteFile, {cl.output, error});
  return 0;
}

bool writeDepfile(const driver::CommandLine &cl, const ast::Program &program,
                  DiagnosticEngine &diags) {
  if (cl.depfile.empty())
    return true;
  // Make syntax: spaces in paths are escaped with a backslash.
  auto escape = [](const std::string &path) {
    std::string out;
    for (char c : path)
      out += c == ' ' ? std::string("\\ ") : std::string(1, c);
    return out;
  };
  std::string text = escape(cl.output.empty() ? std::string("-") : cl.output) + ":";
  for (const ast::File &file : program.files)
    text += " " + escape(file.path);
  std::string error;
  if (!driver::writeFileAtomically(cl.depfile, text + "\n", error)) {
    diags.report(DiagId::CannotWriteFile, {cl.depfile, error});
    return false;
  }
  return true;
}

bool plannedAll(const ir::Module &module) {
  for (const ir::EntryPoint &entry : module.entryPoints)
    for (const ir::Stage &stage : entry.stages)
      if (!stage.plan)
        return false;
  return true;
}

/// The passes to run and those to print after, from --passes and --print-ir-after.
bool choosePipeline(const driver::CommandLine &cl, std::vector<const passes::PassInfo *> &pipeline,
                    std::set<std::string> &printAfter) {
  if (!cl.passesGiven)
    for (const passes::PassInfo &pass : passes::allPasses())
      pipeline.push_back(&pass);
  for (const std::string &name : cl.passes) {
    const passes::PassInfo *pass = passes::findPass(name);
    if (!pass) {
      std::fprintf(stderr, "keopsc: error: unknown pass '%s' in --passes\n", name.c_str());
      return false;
    }
    pipeline.push_back(pass);
  }
  for (const std::string &name : cl.printIrAfter) {
    if (name == "all") {
      for (const passes::PassInfo &pass : passes::allPasses())
        printAfter.insert(pass.name);
    } else if (!passes::findPass(name)) {
      std::fprintf(stderr, "keopsc: error: unknown pass '%s' in --print-ir-after\n", name.c_str());
      return false;
    } else {
      printAfter.insert(name);
    }
  }
  return true;
}

int run(const driver::CommandLine &cl, const driver::CudaBuild &cuda) {
  std::vector<const passes::PassInfo *> pipeline;
  std::set<std::string> printAfter;
  if (!choosePipeline(cl, pipeline, printAfter))
    return 1;
  SourceManager sources;
  DiagnosticEngine diags(sources, std::cerr);
  auto program = frontend::loadProgram(cl.input, importDirs(cl), sources, diags);
  if (!program)
    return 1;
  if (!writeDepfile(cl, *program, diags))
    return 1;
  if (cl.emit == driver::EmitKind::Ast)
    return writeText(cl, ast::dump(*program), diags);

  std::string moduleName = driver::isBinary(cl.emit)
                               ? moduleOfOutput(cl)
                               : sema::identifierFrom(stemOf(cl.input, false));
  auto module = sema::analyze(*program, moduleName, sources, diags);
  if (!module)
    return 1;
  module->sourcePath = cl.input;
  if (cl.emit == driver::EmitKind::Torch || cl.emit == driver::EmitKind::TorchCpp)
    sema::addAutogradGradients(*module, cl.autogradOrder);
  passes::PassContext context(diags, module->sources, {cl.verifyEach});
  if (!passes::runPipeline(*module, pipeline, context, printAfter, std::cerr))
    return 1;
  // Backends emit from kernel plans: a pipeline chosen with --passes= gets its plans here.
  if (cl.emit != driver::EmitKind::Ir && !plannedAll(*module))
    passes::planKernels(*module, context);

  switch (cl.emit) {
  case driver::EmitKind::Ir:
    return writeText(cl, ir::printModule(*module), diags);
  case driver::EmitKind::Cpp:
    return writeText(cl,
                     codegen::emitSource(*module, cuda.mode != driver::CudaMode::None &&
                                                      codegen::hasCudaEntries(*module)),
                     diags);
  case driver::EmitKind::Cu:
    return writeText(cl, codegen::emitCudaSource(*module), diags);
  case driver::EmitKind::Header:
    return writeText(cl, codegen::emitHeader(*module), diags);
  case driver::EmitKind::TorchCpp:
    return writeText(cl, codegen::emitTorchSource(*module), diags);
  case driver::EmitKind::Ast:
    return 0;
  case driver::EmitKind::Obj:
  case driver::EmitKind::Lib:
  case driver::EmitKind::Shared:
  case driver::EmitKind::Torch:
    return driver::buildBinary(
        cl, *module, cuda,
        cl.emit == driver::EmitKind::Torch
            ? std::string()
            : (fs::path(cl.output).parent_path() / (moduleOfOutput(cl) + ".h")).string(),
        diags);
  }
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  auto cl = driver::parseCommandLine(argc, argv);
  if (!cl)
    return 1;
  if (cl->help) {
    driver::printHelp();
    return 0;
  }
  if (cl->version) {
    std::printf("keopsc %s\n", KEOPSC_VERSION);
    return 0;
  }
  auto cuda = driver::chooseCudaBuild(*cl);
  if (!cuda)
    return 1;
  if (cl->printLinkFlags) {
    std::printf("%s\n",
                driver::linkFlags(cuda->mode == driver::CudaMode::Nvcc, cuda->nvcc).c_str());
    return 0;
  }
  try {
    return run(*cl, *cuda);
  } catch (const std::bad_alloc &) {
    std::fprintf(stderr, "keopsc: error: out of memory\n");
    return 1;
  }
}
