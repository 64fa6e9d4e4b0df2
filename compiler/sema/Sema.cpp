// Sema's driver: symbols, file-wide options, then each reduction; see Sema.h.
#include "sema/Sema.h"

#include "sema/Options.h"
#include "sema/ReductionLowering.h"
#include "sema/Symbols.h"

#include <cctype>
#include <set>

namespace keopsc::sema {
namespace {

bool isIdentifier(const std::string &name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])))
    return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      return false;
  return true;
}

/// Each reduction r defines <module>_r, _r_cpu and _r_cuda; with <module>_last_error they
/// must all differ (a reduction named `a_cpu` beside `a` would clash).
void checkEntryPoints(const ir::Module &module, DiagnosticEngine &diags) {
  std::set<std::string> names = {module.name + "_last_error"};
  for (const ir::EntryPoint &r : module.entryPoints)
    for (const char *suffix : {"", "_cpu", "_cuda"}) {
      std::string name = module.name + "_" + r.name + suffix;
      if (!names.insert(name).second)
        diags.report(DiagId::EntryPointClash, r.loc, {r.name, name});
    }
}

} // namespace

std::string identifierFrom(std::string name) {
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      c = '_';
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])))
    name = "m_" + name;
  return name;
}

std::optional<ir::Module> analyze(const ast::Program &program, const std::string &moduleName,
                                  const SourceManager &sources, DiagnosticEngine &diags) {
  Symbols symbols = collectSymbols(program, diags);
  OptionSet fileOptions;
  readOptionList(symbols.fileOptions, fileOptions, diags);

  ir::Module module;
  module.name = symbols.moduleName.empty() ? moduleName : symbols.moduleName;
  // A `module` declaration is an identifier by the grammar; a name from the output file may not be.
  if (!isIdentifier(module.name)) {
    // A name taken from the output file: adjust it, and say so.
    module.name = identifierFrom(moduleName);
    diags.report(DiagId::ModuleNameAdjusted, {moduleName, module.name});
  }
  // Reductions are checked even after declaration errors, so one run reports them all;
  // uses of a bad alias stay silent (Symbols::poisoned).

  ReductionLowering lowering(symbols, fileOptions, module, sources, diags);
  for (const ast::ReductionDecl *decl : symbols.reductionOrder)
    if (auto entry = lowering.lower(*decl))
      module.entryPoints.push_back(std::move(*entry));
  checkEntryPoints(module, diags);
  if (diags.hasErrors())
    return std::nullopt;
  if (module.entryPoints.empty())
    diags.report(DiagId::NoReductions);
  return module;
}

} // namespace keopsc::sema
