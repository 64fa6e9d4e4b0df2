// RandomModule.cpp: modules of random reductions (RandomModule.h).
#include "RandomModule.h"

#include "FormulaGenerator.h"
#include "KflText.h"
#include "ir/ReductionInfo.h"

#include <random>

namespace keopsc::difffuzz {

using ir::Category;
using ir::ReductionKind;

namespace {

struct Alias {
  const char *name;
  int dim;
  Category cat;
};
// The simplify test's inputs (vectors, scalars, a complex pair, a 9-vector parameter) plus a
// scalar and a 20-vector over j (past 16 components: chunked terms when a Sum is S·a8).
const Alias kAliases[] = {
    {"a0", 3, Category::I},     {"a1", 3, Category::J}, {"a2", 1, Category::I},
    {"a3", 1, Category::Param}, {"a4", 4, Category::J}, {"a5", 9, Category::Param},
    {"a6", 2, Category::I},     {"a7", 1, Category::J}, {"a8", 20, Category::J}};

std::vector<testgen::VarSpec> varSpecs() {
  std::vector<testgen::VarSpec> specs;
  for (const Alias &a : kAliases)
    specs.push_back({a.dim, a.cat});
  return specs;
}

std::vector<std::string> aliasNames() {
  std::vector<std::string> names;
  for (const Alias &a : kAliases)
    names.push_back(a.name);
  return names;
}

constexpr int kNumReductions = 0
#define KEOPSC_REDUCTION(Name, TakesK, Weight, Outputs, Ready) +1
#include "ir/Reductions.def"
    ;

std::vector<ReductionKind> readyReductions() {
  std::vector<ReductionKind> kinds;
  for (int k = 0; k < kNumReductions; ++k)
    if (ir::reductionInfo(static_cast<ReductionKind>(k)).ready)
      kinds.push_back(static_cast<ReductionKind>(k));
  return kinds;
}

/// The LogSumExp family reduces a scalar formula.
bool needsScalar(ReductionKind kind) { return ir::isSumming(kind) && kind != ReductionKind::Sum; }

class Drawer {
public:
  explicit Drawer(uint64_t seed)
      : rng_(seed), generator_(context_, varSpecs(), seed ^ 0x9e3779b97f4a7c15ull),
        names_(aliasNames()), kinds_(readyReductions()) {}

  std::string reduction(const std::string &name) {
    const ReductionKind kind = kinds_[uniform(kinds_.size())];
    const ir::ReductionInfo &info = ir::reductionInfo(kind);
    std::string formula = formulaText(needsScalar(kind));
    std::string call = std::string(info.name) + "(" + formula;
    if (info.weight == ir::WeightUse::Required)
      call += ", " + formulaText(false);
    else if (info.weight == ir::WeightUse::Optional && chance(0.5))
      call += ", weight = " + formulaText(false);
    if (info.takesK)
      call += ", K = " + std::to_string(1 + uniform(4));
    call += ", axis = " + std::to_string(uniform(2)) + ")";
    return "reduction " + name + "(" + argumentList() + ") = " + call + options(kind) + ";\n";
  }

private:
  /// A random formula that reads an i or a j variable (most often both: constant terms test
  /// little); a scalar one is a vector's sum or component when drawn wider.
  std::string formulaText(bool scalar) {
    std::uniform_int_distribution<int> steps(1, 10);
    const bool both = chance(0.7);
    const ir::Formula *f = generator_.next(steps(rng_));
    for (int attempt = 0; attempt < 50 && !readsEnough(f, both); ++attempt)
      f = generator_.next(steps(rng_));
    std::string text = kflText(f, names_);
    if (scalar && f->dim() > 1)
      text = chance(0.5) ? "Sum(" + text + ")"
                         : "Elem(" + text + ", " + std::to_string(uniform(f->dim())) + ")";
    return text;
  }

  static bool readsEnough(const ir::Formula *f, bool both) {
    bool i = false, j = false;
    for (const ir::Formula *node : ir::postOrder(f))
      if (node->kind() == ir::OpKind::Var) {
        i = i || node->varCat() == Category::I;
        j = j || node->varCat() == Category::J;
      }
    return both ? i && j : i || j;
  }

  std::string options(ReductionKind kind) {
    static const char *const dtypes[] = {"float32", "float32", "float64", "float64", "float16"};
    const std::string dtype = dtypes[uniform(5)];
    std::string text = " [dtype = " + dtype;
    if (ir::isSumming(kind)) {
      static const char *const schemes[] = {"auto", "direct_sum", "block_sum", "kahan_scheme"};
      text += std::string(", sum_scheme = ") + schemes[uniform(4)];
      if (dtype != "float64" && chance(0.25))
        text += ", dtype_acc = float64";
    }
    if (chance(0.2))
      text += ", enable_chunks = false";
    return text + "]";
  }

  std::string argumentList() const {
    std::string list;
    for (size_t k = 0; k < names_.size(); ++k)
      list += (k ? ", " : "") + names_[k];
    return list;
  }

  size_t uniform(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  std::mt19937_64 rng_;
  ir::FormulaContext context_;
  testgen::FormulaGenerator generator_;
  std::vector<std::string> names_;
  std::vector<ReductionKind> kinds_;
};

} // namespace

const std::vector<std::string> &aliasDeclarations() {
  static const std::vector<std::string> declarations = [] {
    std::vector<std::string> out;
    for (const Alias &a : kAliases)
      out.push_back(std::string(a.name) + " = " +
                    (a.cat == Category::I   ? "Vi"
                     : a.cat == Category::J ? "Vj"
                                            : "Pm") +
                    "(" + std::to_string(a.dim) + ")");
    return out;
  }();
  return declarations;
}

DrawnModule drawModule(uint64_t seed, int count) {
  DrawnModule module;
  module.text =
      "// Random reductions of keopsc's differential fuzzer, seed " + std::to_string(seed) + ".\n";
  for (const std::string &alias : aliasDeclarations())
    module.text += "alias " + alias + ";\n";
  Drawer drawer(seed);
  for (int k = 0; k < count; ++k) {
    module.names.push_back("r" + std::to_string(k));
    module.text += drawer.reduction(module.names.back());
  }
  return module;
}

} // namespace keopsc::difffuzz
