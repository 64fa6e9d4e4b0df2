// Building a binary from a planned module; see BuildBinary.h.
#include "driver/BuildBinary.h"

#include "codegen/SourceEmitter.h"
#include "codegen/cuda/CudaSourceEmitter.h"
#include "codegen/describe/ModuleDescription.h"
#include "codegen/header/HeaderEmitter.h"
#include "codegen/torch/TorchEmitter.h"
#include "driver/Toolchain.h"
#include "driver/TorchBuild.h"

#include <algorithm>
#include <filesystem>
#include <thread>

namespace fs = std::filesystem;

namespace keopsc::driver {
namespace {

int report(DiagnosticEngine &diags, DiagId id, const std::vector<std::string> &args) {
  diags.report(id, args);
  return 1;
}

/// Compilers run at once: --jobs, else the CPU count.
int jobsOf(const driver::CommandLine &cl) {
  if (cl.jobs > 0)
    return cl.jobs;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

bool runOrReport(const char *what, const std::vector<std::string> &argv, DiagnosticEngine &diags) {
  std::string startError;
  int status = driver::runTool(argv, startError);
  if (status == 0)
    return true;
  if (status < 0)
    diags.report(DiagId::ToolNotRun, {what, argv[0], startError});
  else
    diags.report(DiagId::ToolFailed, {what, std::to_string(status), driver::joinCommand(argv)});
  return false;
}

/// The extra flags of each compile of the generated source for `target` (--target): the
/// dispatching library is three translation units (see codegen/SourceEmitter.cpp), anything
/// else one, with -march for a named level.
std::vector<std::vector<std::string>> isaCompiles(const std::string &target) {
#if defined(__x86_64__)
  if (target == "dispatch")
    return {{"-DKEOPS_DISPATCH"},
            {"-DKEOPS_ISA_PASS=avx2", "-march=x86-64-v3"},
            {"-DKEOPS_ISA_PASS=avx512", "-march=x86-64-v4"}};
#endif
  if (target == "dispatch" || target == "baseline")
    return {{}};
  return {{"-march=" + target}};
}

/// One compile of a build and the tool named in its diagnostics.
struct Compile {
  std::vector<std::string> argv;
  std::string tool;
};

/// The host compiler's command compiling `source` into `object` with `extra` flags.
Compile hostCompile(const std::string &source, const std::string &object,
                    const std::vector<std::string> &extra) {
  std::vector<std::string> argv = {driver::hostCompiler()};
  for (const std::string &flag : driver::compileFlags())
    argv.push_back(flag);
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.insert(argv.end(), {"-c", source, "-o", object});
  return {argv, "the host compiler"};
}

/// Writes `text` to `path` and adds its compile (objects gets `object`).
bool addHostCompile(const std::string &path, const std::string &text, const std::string &object,
                    const std::vector<std::string> &extra, std::vector<Compile> &compiles,
                    std::vector<std::string> &objects, DiagnosticEngine &diags) {
  std::string error;
  if (!driver::writeFileAtomically(path, text, error)) {
    diags.report(DiagId::CannotWriteFile, {path, error});
    return false;
  }
  compiles.push_back(hostCompile(path, object, extra));
  objects.push_back(object);
  return true;
}

/// The CUDA half, compiled alongside the CPU objects: NAME_cuda.cu, split into NAME_cuda1.cu …
/// when the module is large, so that nvcc processes share it out.
bool addCudaCompiles(const driver::CommandLine &cl, const ir::Module &module,
                     const driver::CudaBuild &cuda, const std::string &dir,
                     std::vector<Compile> &compiles, std::vector<std::string> &objects,
                     DiagnosticEngine &diags) {
  size_t cudaEntries = 0;
  for (const ir::EntryPoint &entry : module.entryPoints)
    cudaEntries += entry.cudaBackend ? 1 : 0;
  const std::vector<std::string> texts =
      codegen::emitCudaSources(module, driver::cudaSourceParts(cudaEntries, jobsOf(cl)));
  for (size_t part = 0; part < texts.size(); ++part) {
    const std::string stem =
        dir + "/" + module.name + "_cuda" + (part ? std::to_string(part) : std::string());
    std::string error;
    if (!driver::writeFileAtomically(stem + ".cu", texts[part], error)) {
      diags.report(DiagId::CannotWriteFile, {stem + ".cu", error});
      return false;
    }
    objects.push_back(stem + ".o");
    compiles.push_back({driver::cudaCompileCommand(cuda, cl, stem + ".cu", objects.back()),
                        driver::cudaToolName(cuda)});
  }
  return true;
}

/// The library's compiles: the generated source once per ISA level, and the CUDA source.
bool addLibraryCompiles(const driver::CommandLine &cl, const ir::Module &module,
                        const driver::CudaBuild &cuda, const std::string &dir,
                        std::vector<Compile> &compiles, std::vector<std::string> &objects,
                        DiagnosticEngine &diags) {
  const bool withCuda = cuda.mode != driver::CudaMode::None && codegen::hasCudaEntries(module);
  const std::string source = dir + "/" + module.name + ".cpp",
                    text = codegen::emitSource(module, withCuda);
  std::string error;
  if (!driver::writeFileAtomically(source, text, error)) {
    diags.report(DiagId::CannotWriteFile, {source, error});
    return false;
  }
  for (const std::vector<std::string> &flags : isaCompiles(cl.target)) {
    // NAME.o holds the library; NAME_isa1.o … the other ISA levels' kernels.
    std::string suffix = objects.empty() ? "" : "_isa" + std::to_string(objects.size());
    objects.push_back(dir + "/" + module.name + suffix + ".o");
    compiles.push_back(hostCompile(source, objects.back(), flags));
  }
  return !withCuda || addCudaCompiles(cl, module, cuda, dir, compiles, objects, diags);
}

/// A shared object's extra translation units: NAME_describe(), and for --emit=torch the
/// extension (its link flags go to `linkFlags`). Their objects' names have a '-', which no
/// module name (a C identifier) has, so they never meet the library's NAME.o.
bool addSharedCompiles(const driver::CommandLine &cl, const ir::Module &module,
                       const std::string &dir, std::vector<Compile> &compiles,
                       std::vector<std::string> &objects, std::vector<std::string> &linkFlags,
                       DiagnosticEngine &diags) {
  if (!addHostCompile(dir + "/" + module.name + "_describe.cpp",
                      codegen::emitDescriptionSource(module), dir + "/describe-tu.o", {}, compiles,
                      objects, diags))
    return false;
  if (cl.emit != driver::EmitKind::Torch)
    return true;
  std::string error;
  std::optional<driver::TorchBuild> torch = driver::findTorch(dir, error);
  if (!torch) {
    diags.report(DiagId::TorchNotFound, {error});
    return false;
  }
  linkFlags = torch->linkFlags;
  return addHostCompile(dir + "/" + module.name + "_torch.cpp", codegen::emitTorchSource(module),
                        dir + "/torch-extension.o", torch->compileFlags, compiles, objects, diags);
}

bool runCompiles(const driver::CommandLine &cl, const std::vector<Compile> &compiles,
                 DiagnosticEngine &diags) {
  std::vector<std::vector<std::string>> commands;
  for (const Compile &c : compiles)
    commands.push_back(c.argv);
  int status = 0;
  std::string startError;
  int failed = driver::runToolsConcurrently(commands, jobsOf(cl), status, startError);
  if (failed < 0)
    return true;
  const Compile &c = compiles[static_cast<size_t>(failed)];
  if (status < 0)
    diags.report(DiagId::ToolNotRun, {c.tool, c.argv[0], startError});
  else
    diags.report(DiagId::ToolFailed, {c.tool, std::to_string(status), driver::joinCommand(c.argv)});
  return false;
}

/// Archives, links or merges the objects into `built` as cl.emit asks.
bool combineObjects(const driver::CommandLine &cl, const driver::CudaBuild &cuda, bool withCuda,
                    const std::vector<std::string> &objects,
                    const std::vector<std::string> &linkFlags, const std::string &built,
                    DiagnosticEngine &diags) {
  if (cl.emit == driver::EmitKind::Lib) {
    std::vector<std::string> archive = {driver::hostArchiver(), "rcs", built};
    archive.insert(archive.end(), objects.begin(), objects.end());
    return runOrReport("the archiver", archive, diags);
  }
  if (cl.emit == driver::EmitKind::Obj && objects.size() == 1) {
    std::string error;
    if (driver::copyFileAtomically(objects[0], built, error))
      return true;
    diags.report(DiagId::CannotWriteFile, {built, error});
    return false;
  }
  std::vector<std::string> link = {driver::hostCompiler()};
  if (cl.emit == driver::EmitKind::Obj) // one relocatable object holding every ISA's kernels
    link.insert(link.end(), {"-r", "-nostdlib"});
  else
    link.insert(link.end(), {"-shared", "-pthread"});
  link.insert(link.end(), {"-o", built});
  link.insert(link.end(), objects.begin(), objects.end());
  if (cl.emit != driver::EmitKind::Obj) {
    link.insert(link.end(), linkFlags.begin(), linkFlags.end());
    // The static CUDA runtime, then -lstdc++ -lpthread -lm.
    std::string flags =
        driver::linkFlags(withCuda && cuda.mode == driver::CudaMode::Nvcc, cuda.nvcc);
    for (size_t start = 0, end; start < flags.size(); start = end + 1) {
      end = flags.find(' ', start);
      if (end == std::string::npos)
        end = flags.size();
      if (end > start)
        link.push_back(flags.substr(start, end - start));
    }
  }
  return runOrReport("the host compiler", link, diags);
}

} // namespace

int buildBinary(const CommandLine &cl, const ir::Module &module, const CudaBuild &cuda,
                const std::string &header, DiagnosticEngine &diags) {
  driver::TempDir temp;
  if (!temp.ok())
    return report(diags, DiagId::CannotWriteFile, {"a temporary directory", "mkdtemp failed"});
  const bool withCuda = cuda.mode != driver::CudaMode::None && codegen::hasCudaEntries(module);
  const bool shared = cl.emit == driver::EmitKind::Shared || cl.emit == driver::EmitKind::Torch;
  std::vector<Compile> compiles;
  std::vector<std::string> objects, linkFlags;
  if (!addLibraryCompiles(cl, module, cuda, temp.path(), compiles, objects, diags) ||
      (shared &&
       !addSharedCompiles(cl, module, temp.path(), compiles, objects, linkFlags, diags)) ||
      !runCompiles(cl, compiles, diags))
    return 1;
  // Not the name of an object above (NAME.o is one).
  const std::string built = temp.path() + "/built_" + fs::path(cl.output).filename().string();
  if (!combineObjects(cl, cuda, withCuda, objects, linkFlags, built, diags))
    return 1;

  std::string error;
  if (!header.empty() && !driver::writeFileAtomically(header, codegen::emitHeader(module), error))
    return report(diags, DiagId::CannotWriteFile, {header, error});
  if (!driver::copyFileAtomically(built, cl.output, error)) {
    std::error_code ignored;
    if (!header.empty())
      fs::remove(header, ignored);
    return report(diags, DiagId::CannotWriteFile, {cl.output, error});
  }
  return 0;
}

} // namespace keopsc::driver
