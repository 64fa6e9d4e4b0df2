// Reading and checking compile-time options; see Options.h.
#include "sema/Options.h"

#include "sema/StaticInt.h"

#include <set>

namespace keopsc::sema {
namespace {

/// The word an option value spells: a name (`float64`), or a string in Genred (`"float64"`).
std::optional<std::string> wordOf(const ast::Expr &value, bool strings) {
  if (value.kind == ast::ExprKind::Name || (strings && value.kind == ast::ExprKind::String))
    return value.text;
  if (value.kind == ast::ExprKind::String)
    return value.text; // accepted in .kfl too: the meaning is unambiguous
  return std::nullopt;
}

bool badValue(const std::string &key, const ast::Expr &value, const std::string &expected,
              DiagnosticEngine &diags) {
  diags.report(DiagId::BadOptionValue, value.range, {key, "expected " + expected});
  return false;
}

bool readBool(const std::string &key, const ast::Expr &value, bool strings, Setting<bool> &out,
              DiagnosticEngine &diags) {
  auto word = wordOf(value, strings);
  if (word == "true" || word == "True")
    out.value = true;
  else if (word == "false" || word == "False")
    out.value = false;
  else if (auto n = tryStaticInt(value); n && (*n == 0 || *n == 1))
    out.value = *n == 1;
  else
    return badValue(key, value, "true or false", diags);
  out.range = value.range;
  return true;
}

bool readDtype(const std::string &key, const ast::Expr &value, bool strings,
               Setting<ir::Dtype> &out, DiagnosticEngine &diags) {
  auto word = wordOf(value, strings);
  if (word == "float16" || word == "half")
    out.value = ir::Dtype::Float16;
  else if (word == "float32" || word == "float")
    out.value = ir::Dtype::Float32;
  else if (word == "float64" || word == "double")
    out.value = ir::Dtype::Float64;
  else
    return badValue(key, value, "float16, float32 or float64", diags);
  out.range = value.range;
  return true;
}

bool readDtypeAcc(const std::string &key, const ast::Expr &value, bool strings,
                  Setting<std::string> &out, DiagnosticEngine &diags) {
  auto word = wordOf(value, strings);
  if (word == "float" || word == "float32")
    out.value = "float32";
  else if (word == "double" || word == "float64")
    out.value = "float64";
  else if (word == "auto")
    out.value = "auto";
  else if (word == "float16" || word == "half")
    return badValue(key, value, "auto, float32 or float64 (float16 accumulation is not allowed)",
                    diags);
  else
    return badValue(key, value, "auto, float32 or float64", diags);
  out.range = value.range;
  return true;
}

bool readSumScheme(const std::string &key, const ast::Expr &value, bool strings,
                   Setting<ir::SumScheme> &out, DiagnosticEngine &diags) {
  auto word = wordOf(value, strings);
  if (word == "auto")
    out.value = ir::SumScheme::Auto;
  else if (word == "direct_sum")
    out.value = ir::SumScheme::Direct;
  else if (word == "block_sum")
    out.value = ir::SumScheme::Block;
  else if (word == "kahan_scheme")
    out.value = ir::SumScheme::Kahan;
  else
    return badValue(key, value, "auto, direct_sum, block_sum or kahan_scheme", diags);
  out.range = value.range;
  return true;
}

bool readBackends(const std::string &key, const ast::Expr &value, OptionSet &options,
                  DiagnosticEngine &diags) {
  std::vector<const ast::Expr *> items;
  if (value.kind == ast::ExprKind::List)
    for (const auto &element : value.operands)
      items.push_back(element.get());
  else
    items.push_back(&value);
  bool cpu = false, cuda = false;
  for (const ast::Expr *item : items) {
    auto word = wordOf(*item, true);
    if (word == "cpu")
      cpu = true;
    else if (word == "cuda")
      cuda = true;
    else
      return badValue(key, *item, "a list of cpu and cuda", diags);
  }
  if (!cpu && !cuda)
    return badValue(key, value, "at least one of cpu and cuda", diags);
  options.cpuBackend = {cpu, value.range};
  options.cudaBackend = {cuda, value.range};
  return true;
}

bool readK(const std::string &key, const ast::Expr &value, Setting<int64_t> &out,
           DiagnosticEngine &diags) {
  auto n = evalStaticInt(value, key, diags);
  if (!n)
    return false;
  if (*n < 1) {
    diags.report(DiagId::BadK, value.range, {std::to_string(*n)});
    return false;
  }
  out.value = *n;
  out.range = value.range;
  return true;
}

} // namespace

void OptionSet::mergeFrom(const OptionSet &o) {
  auto take = [](auto &mine, const auto &theirs) {
    if (theirs)
      mine = theirs;
  };
  take(dtype, o.dtype);
  take(dtypeAcc, o.dtypeAcc);
  take(useDoubleAcc, o.useDoubleAcc);
  take(sumScheme, o.sumScheme);
  take(enableChunks, o.enableChunks);
  take(fastMath, o.fastMath);
  take(K, o.K);
  take(cpuBackend, o.cpuBackend);
  take(cudaBackend, o.cudaBackend);
}

bool isOptionName(const std::string &key) {
  static const std::set<std::string> names = {
      "dtype",      "cuda_type",     "dtype_acc", "use_double_acc",
      "sum_scheme", "enable_chunks", "fast_math", "use_fast_math",
      "K",          "opt_arg",       "backends",  "rec_multVar_highdim"};
  return names.count(key) > 0;
}

bool readOption(const std::string &key, SourceRange keyRange, const ast::Expr &value, bool strings,
                OptionSet &options, DiagnosticEngine &diags) {
  if (key == "dtype" || key == "cuda_type")
    return readDtype(key, value, strings, options.dtype, diags);
  if (key == "dtype_acc")
    return readDtypeAcc(key, value, strings, options.dtypeAcc, diags);
  if (key == "use_double_acc")
    return readBool(key, value, strings, options.useDoubleAcc, diags);
  if (key == "sum_scheme")
    return readSumScheme(key, value, strings, options.sumScheme, diags);
  if (key == "enable_chunks")
    return readBool(key, value, strings, options.enableChunks, diags);
  if (key == "fast_math" || key == "use_fast_math")
    return readBool(key, value, strings, options.fastMath, diags);
  if (key == "K" || key == "opt_arg")
    return readK(key, value, options.K, diags);
  if (key == "backends")
    return readBackends(key, value, options, diags);
  if (key == "rec_multVar_highdim")
    return true; // a hint only (SPEC.md §5.1)
  diags.report(DiagId::UnknownOption, keyRange, {key});
  return false;
}

bool readOptionList(const std::vector<const ast::OptionEntry *> &entries, OptionSet &options,
                    DiagnosticEngine &diags) {
  bool ok = true;
  std::set<std::string> seen;
  for (const ast::OptionEntry *entry : entries) {
    if (!seen.insert(entry->key).second) {
      diags.report(DiagId::DuplicateOption, entry->keyRange, {entry->key});
      ok = false;
      continue;
    }
    ok &= readOption(entry->key, entry->keyRange, *entry->value, false, options, diags);
  }
  return ok;
}

} // namespace keopsc::sema
