// Sema's driver: symbols, file-wide options, then each reduction; see Sema.h.
#include "sema/Sema.h"

#include "sema/Options.h"
#include "sema/ReductionLowering.h"
#include "sema/Symbols.h"

#include <cctype>

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

} // namespace

std::optional<ir::Module> analyze(const ast::Program &program, const std::string &moduleName,
                                  const SourceManager &sources, DiagnosticEngine &diags) {
  Symbols symbols = collectSymbols(program, diags);
  OptionSet fileOptions;
  readOptionList(symbols.fileOptions, fileOptions, diags);

  ir::Module module;
  module.name = symbols.moduleName.empty() ? moduleName : symbols.moduleName;
  if (!isIdentifier(module.name)) {
    diags.report(DiagId::BadOptionValue, symbols.moduleRange,
                 {"module", "'" + module.name + "' is not a C identifier"});
    return std::nullopt;
  }
  if (diags.hasErrors())
    return std::nullopt;

  ReductionLowering lowering(symbols, fileOptions, *module.context, sources, diags);
  for (const ast::ReductionDecl *decl : symbols.reductionOrder)
    if (auto reduction = lowering.lower(*decl))
      module.reductions.push_back(std::move(*reduction));
  if (diags.hasErrors())
    return std::nullopt;
  if (module.reductions.empty())
    diags.report(DiagId::NoReductions);
  return module;
}

} // namespace keopsc::sema
