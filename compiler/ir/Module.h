// Reduction and module IR: what sema produces and passes/codegen consume. A reduction is a
// formula (and optional weight) with its inputs, reduction kind, axis, K, dtype and numerics.
#pragma once

#include "ir/Formula.h"
#include "support/SourceManager.h"

#include <memory>
#include <string>
#include <vector>

namespace keopsc::ir {

enum class ReductionKind : uint8_t {
#define KEOPSC_REDUCTION(Name, TakesK, Weight, Outputs, Ready) Name,
#include "ir/Reductions.def"
};

enum class WeightUse : uint8_t { No, Optional, Required };
enum class OutputShape : uint8_t { Values, Indices, ValuesAndIndices, Pair };

struct ReductionInfo {
  const char *name;
  bool takesK;
  WeightUse weight;
  OutputShape outputs;
  bool ready;
};

const ReductionInfo &reductionInfo(ReductionKind kind);
bool lookupReduction(const std::string &name, ReductionKind &kind);

enum class Dtype : uint8_t { Float16, Float32, Float64 };
const char *dtypeName(Dtype dtype);  ///< "float16", "float32", "float64"
const char *dtypeCType(Dtype dtype); ///< "uint16_t", "float", "double"

enum class SumScheme : uint8_t { Auto, Direct, Block, Kahan };
const char *sumSchemeName(SumScheme scheme);

/// One input of a reduction's C signature, in argument order.
struct Input {
  std::string name; ///< alias name, or "arg<pos>" for unnamed inline variables
  Category cat = Category::I;
  int dim = 1;
  bool used = true; ///< false: an ignored input (still validated)
};

struct Reduction {
  std::string name;
  SourceRange loc;
  std::string sourceText; ///< the formula as the user wrote it, for comments in outputs
  ReductionKind kind = ReductionKind::Sum;
  int axis = 1; ///< 1: reduce over j (output per i); 0: over i
  int K = 0;    ///< k-min reductions only
  const Formula *formula = nullptr;
  const Formula *weight = nullptr; ///< optional G
  std::vector<Input> inputs;
  Dtype dtype = Dtype::Float32;
  Dtype accDtype = Dtype::Float32;        ///< resolved: never "auto" here
  SumScheme sumScheme = SumScheme::Block; ///< resolved: never Auto here
  bool fastMath = false;
  bool enableChunks = true;
  bool cpuBackend = true;
  bool cudaBackend = true;

  /// Category of output rows: I for axis 1, J for axis 0.
  Category outputCat() const { return axis == 1 ? Category::I : Category::J; }
  Category reducedCat() const { return axis == 1 ? Category::J : Category::I; }
  /// Values per output row (D, K*D, or weight dim).
  int valuesPerRow() const;
  int indicesPerRow() const;
};

struct Module {
  std::string name;
  std::string sourcePath; ///< as given on the command line, for banners
  std::unique_ptr<FormulaContext> context = std::make_unique<FormulaContext>();
  std::vector<Reduction> reductions;
};

} // namespace keopsc::ir
