// Formula IR: immutable, hash-consed DAG nodes. Equal structure is an equal pointer, so CSE is
// free. Only FormulaContext creates nodes; nothing here does algebra or checks user input.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace keopsc::ir {

enum class OpKind : uint8_t {
#define KEOPSC_OP(Name, Operands, Ints, Dims, Ready) Name,
#include "ir/Ops.def"
};

enum class DimRule : uint8_t { Leaf, Broadcast, Complex, Same, Scalar, Custom };

struct OpInfo {
  const char *name;
  int operands; ///< -1: variable
  int ints;     ///< -1: variable
  DimRule dims;
  bool ready;
};

const OpInfo &opInfo(OpKind kind);
/// Looks up an operation by its KeOps name; false if there is none.
bool lookupOp(const std::string &name, OpKind &kind);
constexpr int kNumOps = 0
#define KEOPSC_OP(Name, Operands, Ints, Dims, Ready) +1
#include "ir/Ops.def"
    ;

/// Variable categories (SPEC.md §1): i-indexed, j-indexed, parameter.
enum class Category : uint8_t { I = 0, J = 1, Param = 2 };

class Formula {
public:
  OpKind kind() const { return kind_; }
  const std::vector<const Formula *> &children() const { return children_; }
  const Formula *child(size_t index) const { return children_[index]; }
  /// Static integer arguments: Var (pos, dim, cat), IntCst (n), RatCst (p, q), Pow (n), ...
  const std::vector<int64_t> &ints() const { return ints_; }
  /// FloatCst only: the literal's value in float64 and its text (for exact printing).
  double value() const { return value_; }
  const std::string &text() const { return text_; }
  int dim() const { return dim_; }
  /// A stable number, in creation order, for deterministic naming and ordering.
  uint32_t id() const { return id_; }

  // Var accessors.
  int varPos() const { return static_cast<int>(ints_[0]); }
  Category varCat() const { return static_cast<Category>(ints_[2]); }

private:
  friend class FormulaContext;
  Formula(OpKind kind, std::vector<const Formula *> children, std::vector<int64_t> ints,
          double value, std::string text, int dim, uint32_t id)
      : kind_(kind), children_(std::move(children)), ints_(std::move(ints)), value_(value),
        text_(std::move(text)), dim_(dim), id_(id) {}

  OpKind kind_;
  std::vector<const Formula *> children_;
  std::vector<int64_t> ints_;
  double value_;
  std::string text_;
  int dim_;
  uint32_t id_;
};

/// Owns and uniques formula nodes. The dimension is computed by the caller (sema checks the
/// rules and reports user errors first); the context only stores it as part of the node.
class FormulaContext {
public:
  FormulaContext() = default;
  FormulaContext(const FormulaContext &) = delete;
  FormulaContext &operator=(const FormulaContext &) = delete;

  const Formula *get(OpKind kind, std::vector<const Formula *> children, std::vector<int64_t> ints,
                     int dim);
  const Formula *getFloat(double value, const std::string &text);

  const Formula *var(int pos, int dim, Category cat) {
    return get(OpKind::Var, {}, {pos, dim, static_cast<int64_t>(cat)}, dim);
  }
  const Formula *intCst(int64_t n) { return get(OpKind::IntCst, {}, {n}, 1); }

  size_t size() const { return nodes_.size(); }

private:
  struct KeyHash {
    size_t operator()(const Formula *f) const;
  };
  struct KeyEqual {
    bool operator()(const Formula *a, const Formula *b) const;
  };
  const Formula *intern(std::unique_ptr<Formula> candidate);

  std::vector<std::unique_ptr<Formula>> nodes_;
  std::unordered_set<const Formula *, KeyHash, KeyEqual> table_;
};

/// Nodes of `root` in post-order (children first), each once.
std::vector<const Formula *> postOrder(const Formula *root);
/// Nodes of several roots in post-order, shared nodes once.
std::vector<const Formula *> postOrder(const std::vector<const Formula *> &roots);

} // namespace keopsc::ir
