// Prints formula IR as straight-line C++ statements, one local array per distinct node (CSE
// comes from hash-consing). Shared by the CPU and (later) CUDA emitters, which override the
// hooks for types and math functions. It knows nothing about loops or reductions.
#pragma once

#include "ir/Formula.h"
#include "ir/Module.h"
#include "support/IndentedWriter.h"

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace keopsc::codegen {

class ExprEmitter {
public:
  /// `scalar` is the C++ type formulas are evaluated in; `inputName(pos)` is the expression of
  /// the pointer to the current row of input `pos`.
  ExprEmitter(std::string scalar, ir::Dtype dtype, std::function<std::string(int)> inputName);
  virtual ~ExprEmitter() = default;

  /// Emits statements computing `nodes` (in post-order; children already emitted or listed
  /// earlier). Leaves get no statement.
  void emit(const std::vector<const ir::Formula *> &nodes, IndentedWriter &out);
  /// The element `k` (a C++ expression) of an already emitted node, broadcasting dim-1 nodes.
  std::string element(const ir::Formula *f, const std::string &k) const;
  /// The name of the array holding `f`; only for emitted non-leaf nodes.
  const std::string &arrayName(const ir::Formula *f) const { return names_.at(f); }

protected:
  /// Name of a math function for the scalar type ("std::exp").
  virtual std::string mathFunction(const char *name) const;
  std::string literal(const ir::Formula *f) const;

private:
  void emitNode(const ir::Formula *f, IndentedWriter &out);
  void emitElementwise(const ir::Formula *f, const std::string &body, IndentedWriter &out);
  void emitComponentSum(const ir::Formula *f, const std::string &term, int width,
                        IndentedWriter &out);
  std::string elementExpr(const ir::Formula *f) const;

  std::string scalar_;
  ir::Dtype dtype_;
  std::function<std::string(int)> inputName_;
  std::unordered_map<const ir::Formula *, std::string> names_;
  int nextName_ = 0;
};

} // namespace keopsc::codegen
