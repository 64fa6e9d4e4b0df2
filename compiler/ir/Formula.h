// Formula IR: immutable, hash-consed DAG nodes. Equal structure is an equal pointer, so CSE is
// free. Only FormulaContext creates nodes, and it derives each node's dimension from the op table
// itself (a user error comes back as a value); nothing here does algebra.
#pragma once

#include "ir/Constant.h"
#include "ir/OpInfo.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace keopsc::ir {

/// Variable categories (SPEC.md §1): i-indexed, j-indexed, parameter.
enum class Category : uint8_t { I = 0, J = 1, Param = 2 };
/// The category as the language spells it: "Vi", "Vj", "Pm".
const char *categoryCall(Category cat);
/// The category's letter in descriptions of entry points: 'i', 'j', 'p'.
char categoryLetter(Category cat);

class Formula {
public:
  OpKind kind() const { return kind_; }
  const std::vector<const Formula *> &children() const { return children_; }
  const Formula *child(size_t index) const { return children_[index]; }
  /// Static integer arguments: Var (pos, dim, cat), Pow (n), Elem (m), ...; TensorDot's and
  /// Kron's integer lists, length-prefixed (ir/ListArgs.h).
  const std::vector<int64_t> &ints() const { return ints_; }
  /// Const only: the value every component holds.
  const Constant &constant() const { return constant_; }
  int dim() const { return dim_; }
  /// A stable number, in creation order, for deterministic naming and ordering.
  uint32_t id() const { return id_; }
  bool isLeaf() const { return children_.empty(); }

  // Var accessors.
  int varPos() const { return static_cast<int>(ints_[0]); }
  Category varCat() const { return static_cast<Category>(ints_[2]); }

private:
  friend class FormulaContext;
  Formula(OpKind kind, std::vector<const Formula *> children, std::vector<int64_t> ints,
          Constant constant, int dim, uint32_t id)
      : kind_(kind), children_(std::move(children)), ints_(std::move(ints)), constant_(constant),
        dim_(dim), id_(id) {}

  OpKind kind_;
  std::vector<const Formula *> children_;
  std::vector<int64_t> ints_;
  Constant constant_;
  int dim_;
  uint32_t id_;
};

/// Why a node cannot be built (a user error: sema or a pass turns it into a diagnostic).
/// BadArgument: a static argument that is malformed rather than out of range (TensorDot's list
/// lengths, a permutation that is not one, a repeated axis, a size below 1).
enum class DimErrorKind : uint8_t { Mismatch, IndexOutOfRange, TooWide, BadArgument };

struct DimError {
  DimErrorKind kind;
  std::string detail; ///< "left has 3, right has 2", "Elem index 4 is out of range for ..."
};

/// A node or the reason it could not be built.
class BuildResult {
public:
  BuildResult(const Formula *node) : node_(node) {} // NOLINT: implicit on purpose
  BuildResult(DimError error) : node_(nullptr), error_(std::move(error)) {}
  explicit operator bool() const { return node_ != nullptr; }
  const Formula *node() const { return node_; }
  const DimError &error() const { return error_; }

private:
  const Formula *node_;
  DimError error_{DimErrorKind::Mismatch, ""};
};

/// The largest dimension of any node (SPEC.md §1).
constexpr int64_t kMaxDim = int64_t{1} << 20;

/// Owns and uniques formula nodes.
class FormulaContext {
public:
  FormulaContext() = default;
  FormulaContext(const FormulaContext &) = delete;
  FormulaContext &operator=(const FormulaContext &) = delete;

  /// `kind(children, ints)` with its dimension from the op table's rule, or the rule's error.
  /// Leaves have their own constructors below.
  BuildResult make(OpKind kind, std::vector<const Formula *> children, std::vector<int64_t> ints);
  /// Like make(), for callers that know the node is valid (a failure is a compiler bug).
  const Formula *get(OpKind kind, std::vector<const Formula *> children,
                     std::vector<int64_t> ints = {});

  const Formula *var(int pos, int dim, Category cat);
  /// A constant of dimension `dim` whose components all equal `value`.
  const Formula *constant(const Constant &value, int dim = 1);
  const Formula *zero(int dim) { return constant(Constant::integer(0), dim); }

  size_t size() const { return nodes_.size(); }

private:
  struct KeyHash {
    size_t operator()(const Formula *f) const;
  };
  struct KeyEqual {
    bool operator()(const Formula *a, const Formula *b) const;
  };
  const Formula *intern(OpKind kind, std::vector<const Formula *> children,
                        std::vector<int64_t> ints, Constant constant, int dim);

  std::vector<std::unique_ptr<Formula>> nodes_;
  std::unordered_set<const Formula *, KeyHash, KeyEqual> table_;
};

/// Dimension of `kind(children, ints)` per SPEC.md §1 and §3 (ir/DimRules.cpp), or 0 with
/// `error` set. For non-leaf operations only.
int inferDim(OpKind kind, const std::vector<const Formula *> &children,
             const std::vector<int64_t> &ints, DimError &error);

/// Nodes of `root` in post-order (children first), each once.
std::vector<const Formula *> postOrder(const Formula *root);
/// Nodes of several roots in post-order, shared nodes once.
std::vector<const Formula *> postOrder(const std::vector<const Formula *> &roots);

} // namespace keopsc::ir
