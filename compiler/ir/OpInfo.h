// The op table's C++ face: OpKind and the per-operation facts of Ops.def (arity, dimension rule,
// derivative class, flags, runtime math function, list schema, readiness). Nothing else.
#pragma once

#include <cstdint>
#include <string>

namespace keopsc::ir {

enum class OpKind : uint8_t {
#define KEOPSC_OP(Name, Operands, Ints, Dims, Grad, Flags, Math, Lists, Ready) Name,
#include "ir/Ops.def"
};

enum class DimRule : uint8_t { Leaf, Broadcast, Complex, Same, Scalar, Custom };
/// SPEC.md §3's ∇ column.
enum class GradClass : uint8_t { Yes, Zero, No, Leaf };
enum class ListSchema : uint8_t { NoLists, TensorDotLists, KronLists };

/// Flag bits of Ops.def's Flags column.
namespace opflags {
constexpr unsigned NF = 0;
constexpr unsigned EW = 1u << 0; ///< element-wise: component k of the result reads component k
constexpr unsigned CM = 1u << 1; ///< commutative
constexpr unsigned LA = 1u << 2; ///< linear in all operands jointly
constexpr unsigned L0 = 1u << 3; ///< linear in operand 0 alone
constexpr unsigned L1 = 1u << 4; ///< linear in operand 1 alone
constexpr unsigned SP = 1u << 5; ///< a spelling lowered to another node by sema
constexpr unsigned IN = 1u << 6; ///< internal node, no user spelling
constexpr unsigned CA = 1u << 7; ///< calculus: replaced by the autodiff pass
} // namespace opflags

struct OpInfo {
  const char *name;
  int operands; ///< -1: variable
  int ints;     ///< -1: variable
  DimRule dims;
  GradClass grad;
  unsigned flags;
  const char *math; ///< runtime function suffix (keops_rt::op_<math>), nullptr for none
  ListSchema lists;
  bool ready;

  bool elementwise() const { return flags & opflags::EW; }
  bool commutative() const { return flags & opflags::CM; }
  /// Linear in operand `index` with the others fixed.
  bool linearIn(int index) const {
    return (flags & opflags::LA) || (index == 0 && (flags & opflags::L0)) ||
           (index == 1 && (flags & opflags::L1));
  }
  bool spellingOnly() const { return flags & opflags::SP; }
  bool internal() const { return flags & opflags::IN; }
  bool calculus() const { return flags & opflags::CA; }
};

const OpInfo &opInfo(OpKind kind);
/// Looks up an operation by its KeOps name; false if there is none (internal nodes have none).
bool lookupOp(const std::string &name, OpKind &kind);
constexpr int kNumOps = 0
#define KEOPSC_OP(Name, Operands, Ints, Dims, Grad, Flags, Math, Lists, Ready) +1
#include "ir/Ops.def"
    ;

} // namespace keopsc::ir
