// Native reduction calls, input assembly and option resolution; see ReductionLowering.h.
// The Genred form lives in GenredLowering.cpp.
#include "sema/ReductionLowering.h"

#include "ir/Rewrite.h"
#include "sema/ExprLowering.h"
#include "sema/StaticInt.h"

#include <unordered_map>

namespace keopsc::sema {
namespace {

constexpr int64_t kMaxWidth = 1 << 20;

} // namespace

std::optional<ir::EntryPoint> ReductionLowering::lower(const ast::ReductionDecl &decl) {
  const ast::Expr &body = *decl.body;
  if (body.kind != ast::ExprKind::Call) {
    diags_.report(DiagId::ExpectedReduction, body.range, {"an expression"});
    return std::nullopt;
  }
  if (body.text == "Grad" || body.text == "Diff")
    return lowerGradient(decl);
  ReductionCall call;
  LoweredBody lowered;
  bool ok = false;
  if (body.text == "Genred")
    ok = readGenredCall(body, call, lowered) && lowerGenredFormulas(call, lowered);
  else if (body.text.size() > 10 && body.text.compare(body.text.size() - 10, 10, "_Reduction") == 0)
    ok = readInternalCall(body, call) && lowerNativeBody(call, lowered);
  else
    ok = readNativeCall(body, call) && lowerNativeBody(call, lowered);
  if (!ok)
    return std::nullopt;

  ir::EntryPoint out;
  out.name = decl.name;
  out.loc = decl.nameRange;
  out.sourceText = quoteSource(decl);
  ir::Stage stage;
  stage.kind = call.kind;
  stage.axis = *call.axis;
  if (!assembleInputs(decl, lowered, out))
    return std::nullopt;
  stage.formula = placeInputs(lowered.formula, lowered);
  stage.weight = placeInputs(lowered.weight, lowered);
  if (!resolveOptions(decl, call, out, stage) || !checkReduction(call, stage))
    return std::nullopt;
  for (ir::Input &input : out.inputs)
    input.dtype = out.dtype;
  out.outputs = ir::outputsOf(stage, out.dtype, 0);
  out.stages.push_back(std::move(stage));
  return out;
}

const ir::Formula *ReductionLowering::placeInputs(const ir::Formula *f,
                                                  const LoweredBody &lowered) {
  ir::Rewriter rewriter(
      context_, [&](const ir::Formula *node, std::vector<const ir::Formula *> children) {
        const ir::Formula *result;
        if (node->kind() == ir::OpKind::Var && node->varPos() >= kPlaceholderBase) {
          size_t index = static_cast<size_t>(node->varPos() - kPlaceholderBase);
          const AliasSymbol &alias = lowered.aliases[index];
          result = context_.var(lowered.positions.at(index), alias.dim, alias.cat);
        } else {
          result = ir::rebuild(context_, node, std::move(children));
        }
        // Rewritten nodes keep the source range of what they replace, for pass diagnostics.
        if (auto found = sourceMap_.find(node); found != sourceMap_.end())
          sourceMap_.emplace(result, found->second);
        return result;
      });
  return rewriter.rewrite(f);
}

std::string ReductionLowering::quoteSource(const ast::ReductionDecl &decl) const {
  std::string_view text = sources_.rangeText(decl.body->range);
  std::string quoted;
  bool space = false;
  for (char c : text) {
    bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (blank) {
      space = !quoted.empty();
      continue;
    }
    if (space)
      quoted += ' ';
    space = false;
    quoted += c;
  }
  constexpr size_t kLimit = 400;
  if (quoted.size() > kLimit)
    quoted = quoted.substr(0, kLimit) + " ...";
  return quoted;
}

bool ReductionLowering::readNativeCall(const ast::Expr &body, ReductionCall &call) {
  if (!ir::lookupReduction(body.text, call.kind)) {
    ir::OpKind op;
    if (ir::lookupOp(body.text, op) || symbols_.formulas.count(body.text))
      diags_.report(DiagId::ExpectedReduction, body.opRange, {"'" + body.text + "(...)'"});
    else
      diags_.report(DiagId::UnknownReduction, body.opRange, {body.text});
    return false;
  }
  call.kindRange = body.opRange;
  const ir::ReductionInfo &info = ir::reductionInfo(call.kind);
  size_t maxPositional = info.weight == ir::WeightUse::Required ? 2 : 1;
  if (body.operands.empty() || body.operands.size() > maxPositional) {
    diags_.report(DiagId::WrongArgCount, body.opRange,
                  {body.text, std::to_string(maxPositional), std::to_string(body.operands.size())});
    return false;
  }
  call.formula = body.operands[0].get();
  if (body.operands.size() == 2)
    call.weight = body.operands[1].get();
  bool ok = true;
  for (const ast::KeywordArg &kw : body.keywords) {
    if (kw.name == "axis") {
      auto axis = evalStaticInt(*kw.value, "axis", diags_);
      if (axis && *axis != 0 && *axis != 1) {
        diags_.report(DiagId::BadAxis, kw.value->range, {std::to_string(*axis)});
        axis.reset();
      }
      ok &= axis.has_value();
      if (axis)
        call.axis = static_cast<int>(*axis);
    } else if (kw.name == "weight" && info.weight == ir::WeightUse::No) {
      diags_.report(DiagId::UnexpectedWeight, kw.nameRange, {info.name});
      ok = false;
    } else if (kw.name == "weight" && !call.weight) {
      call.weight = kw.value.get();
    } else if (kw.name == "K") {
      ok &= readOption("K", kw.nameRange, *kw.value, false, call.options, diags_);
    } else if (isOptionName(kw.name)) {
      diags_.report(DiagId::OptionInCall, kw.nameRange, {kw.name, body.text});
      ok = false;
    } else {
      diags_.report(DiagId::UnknownOption, kw.nameRange, {kw.name});
      ok = false;
    }
  }
  if (ok && !call.axis) {
    diags_.report(DiagId::MissingAxis, body.opRange, {body.text});
    return false;
  }
  return ok;
}

// KeOps's internal spelling `Name_Reduction(F[, K], t[, G])`; t is the output category.
bool ReductionLowering::readInternalCall(const ast::Expr &body, ReductionCall &call) {
  std::string name = body.text.substr(0, body.text.size() - 10);
  if (!ir::lookupReduction(name, call.kind)) {
    diags_.report(DiagId::UnknownReduction, body.opRange, {body.text});
    return false;
  }
  call.kindRange = body.opRange;
  const ir::ReductionInfo &info = ir::reductionInfo(call.kind);
  size_t expected = 2 + (info.takesK ? 1 : 0) + (info.weight == ir::WeightUse::Required ? 1 : 0);
  size_t n = body.operands.size();
  bool optionalWeight = info.weight == ir::WeightUse::Optional;
  if (!body.keywords.empty() || (n != expected && !(optionalWeight && n == expected + 1))) {
    diags_.report(DiagId::WrongArgCount, body.opRange,
                  {body.text, std::to_string(expected), std::to_string(n)});
    return false;
  }
  call.formula = body.operands[0].get();
  size_t next = 1;
  if (info.takesK && !readOption("K", body.operands[next]->range, *body.operands[next], false,
                                 call.options, diags_))
    return false;
  next += info.takesK ? 1 : 0;
  auto t = evalStaticInt(*body.operands[next], "the output category", diags_);
  if (!t)
    return false;
  if (*t != 0 && *t != 1) {
    diags_.report(DiagId::BadOutputCategory, body.operands[next]->range, {std::to_string(*t)});
    return false;
  }
  call.axis = *t == 0 ? 1 : 0;
  if (++next < n)
    call.weight = body.operands[next].get();
  return true;
}

bool ReductionLowering::lowerNativeBody(const ReductionCall &call, LoweredBody &lowered) {
  lowered.aliases = symbols_.aliases;
  ExprLowering lowering(context_, sourceMap_, lowered.aliases, &symbols_, diags_);
  lowered.formula = lowering.lower(*call.formula);
  if (call.weight)
    lowered.weight = lowering.lower(*call.weight);
  lowered.used = lowering.usedAliases();
  lowered.aliasUses = lowering.aliasUses();
  lowered.inlineUses = lowering.inlineUses();
  return lowered.formula && (!call.weight || lowered.weight);
}

bool ReductionLowering::resolveOptions(const ast::ReductionDecl &decl, const ReductionCall &call,
                                       ir::EntryPoint &out, ir::Stage &stage) {
  OptionSet own;
  std::vector<const ast::OptionEntry *> entries;
  for (const ast::OptionEntry &entry : decl.options)
    entries.push_back(&entry);
  if (!readOptionList(entries, own, diags_))
    return false;
  if (call.options.K && own.K) {
    diags_.report(DiagId::ConflictingOptions, own.K.range,
                  {"K is given both in the call and in the options"});
    return false;
  }
  OptionSet options = fileOptions_;
  options.mergeFrom(call.options);
  options.mergeFrom(own);

  out.dtype = options.dtype ? *options.dtype : ir::Dtype::Float32;
  if (options.dtypeAcc && options.useDoubleAcc) {
    diags_.report(DiagId::ConflictingOptions, options.useDoubleAcc.range,
                  {"use_double_acc and dtype_acc cannot both be set"});
    return false;
  }
  std::string acc = options.dtypeAcc ? *options.dtypeAcc : "auto";
  SourceRange accRange = options.dtypeAcc.range;
  if (options.useDoubleAcc) {
    acc = *options.useDoubleAcc ? "float64" : "auto";
    accRange = options.useDoubleAcc.range;
  }
  if (acc == "float32" && out.dtype == ir::Dtype::Float64) {
    diags_.report(DiagId::BadOptionValue, accRange,
                  {"dtype_acc", "float64 data cannot accumulate in float32"});
    return false;
  }
  stage.numerics.accDtype =
      acc == "auto" ? (out.dtype == ir::Dtype::Float64 ? ir::Dtype::Float64 : ir::Dtype::Float32)
      : acc == "float64" ? ir::Dtype::Float64
                         : ir::Dtype::Float32;
  ir::SumScheme scheme = options.sumScheme ? *options.sumScheme : ir::SumScheme::Auto;
  bool summing = ir::isSumming(stage.kind);
  if (!summing &&
      (acc != "auto" || (scheme != ir::SumScheme::Auto && scheme != ir::SumScheme::Direct))) {
    diags_.report(DiagId::ConflictingOptions, acc != "auto" ? accRange : options.sumScheme.range,
                  {"dtype_acc and sum_scheme apply only to Sum and LogSumExp reductions"});
    return false;
  }
  stage.numerics.sumScheme = scheme == ir::SumScheme::Auto ? ir::SumScheme::Block : scheme;
  out.fastMath = options.fastMath && *options.fastMath;
  out.enableChunks = !options.enableChunks || *options.enableChunks;
  out.cpuBackend = !options.cpuBackend || *options.cpuBackend;
  out.cudaBackend = !options.cudaBackend || *options.cudaBackend;
  const ir::ReductionInfo &info = ir::reductionInfo(stage.kind);
  if (options.K && info.takesK) {
    int64_t width;
    if (__builtin_mul_overflow(*options.K, int64_t{stage.formula->dim()}, &width) ||
        width > kMaxWidth) {
      diags_.report(DiagId::KTooWide, options.K.range,
                    {std::to_string(*options.K), std::to_string(stage.formula->dim())});
      return false;
    }
    stage.K = static_cast<int>(*options.K);
  }
  if (info.takesK && !options.K) {
    diags_.report(DiagId::MissingK, call.kindRange, {info.name});
    return false;
  }
  if (!info.takesK && options.K) {
    diags_.report(DiagId::UnexpectedK, options.K.range, {info.name});
    return false;
  }
  return true;
}

bool ReductionLowering::checkReduction(const ReductionCall &call, const ir::Stage &stage) {
  const ir::ReductionInfo &info = ir::reductionInfo(stage.kind);
  if (!info.ready) {
    diags_.report(DiagId::NotSupportedYet, call.kindRange,
                  {"the '" + std::string(info.name) + "' reduction"});
    return false;
  }
  if (info.weight == ir::WeightUse::Required && !stage.weight) {
    diags_.report(DiagId::WrongArgCount, call.kindRange, {info.name, "2", "1"});
    return false;
  }
  if (stage.weight && info.weight == ir::WeightUse::No) {
    diags_.report(DiagId::UnexpectedWeight, call.weight->range, {info.name});
    return false;
  }
  // The LogSumExp family reduces a scalar F (SPEC.md §4); it is the summing family but Sum.
  if (ir::isSumming(stage.kind) && stage.kind != ir::ReductionKind::Sum &&
      stage.formula->dim() != 1) {
    diags_.report(DiagId::ScalarFormulaRequired, call.formula->range,
                  {info.name, std::to_string(stage.formula->dim())});
    return false;
  }
  return true;
}

} // namespace keopsc::sema
