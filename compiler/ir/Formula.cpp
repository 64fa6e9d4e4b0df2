// Op table lookups, uniquing and traversal of formula nodes; see Formula.h and OpInfo.h.
#include "ir/Formula.h"

#include "support/Assert.h"

#include <functional>
#include <unordered_map>

namespace keopsc::ir {
namespace {

using namespace opflags;

/// Ops.def writes `_` for "no runtime function".
constexpr const char *mathName(const char *text) {
  return text[0] == '_' && text[1] == '\0' ? nullptr : text;
}

const OpInfo kOpInfos[] = {
#define KEOPSC_OP(Name, Operands, Ints, Dims, Grad, Flags, Math, Lists, Ready)                     \
  {#Name,           Operands,          Ints,                                                       \
   DimRule::Dims,   GradClass::Grad,   Flags,                                                      \
   mathName(#Math), ListSchema::Lists, #Ready[0] == 'Y'},
#include "ir/Ops.def"
};

size_t combine(size_t seed, size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

} // namespace

const char *categoryCall(Category cat) {
  switch (cat) {
  case Category::I:
    return "Vi";
  case Category::J:
    return "Vj";
  case Category::Param:
    return "Pm";
  }
  return "?";
}

char categoryLetter(Category cat) {
  switch (cat) {
  case Category::I:
    return 'i';
  case Category::J:
    return 'j';
  case Category::Param:
    return 'p';
  }
  return '?';
}

const OpInfo &opInfo(OpKind kind) { return kOpInfos[static_cast<int>(kind)]; }

bool lookupOp(const std::string &name, OpKind &kind) {
  static const std::unordered_map<std::string, OpKind> table = [] {
    std::unordered_map<std::string, OpKind> result;
    for (int i = 0; i < kNumOps; ++i)
      if (!kOpInfos[i].internal())
        result.emplace(kOpInfos[i].name, static_cast<OpKind>(i));
    return result;
  }();
  auto found = table.find(name);
  if (found == table.end())
    return false;
  kind = found->second;
  return true;
}

size_t FormulaContext::KeyHash::operator()(const Formula *f) const {
  size_t h = std::hash<int>()(static_cast<int>(f->kind()));
  for (const Formula *c : f->children())
    h = combine(h, std::hash<const void *>()(c));
  for (int64_t v : f->ints())
    h = combine(h, std::hash<int64_t>()(v));
  h = combine(h, f->constant().hash());
  return combine(h, std::hash<int>()(f->dim()));
}

bool FormulaContext::KeyEqual::operator()(const Formula *a, const Formula *b) const {
  return a->kind() == b->kind() && a->children() == b->children() && a->ints() == b->ints() &&
         a->dim() == b->dim() && a->constant() == b->constant();
}

const Formula *FormulaContext::intern(OpKind kind, std::vector<const Formula *> children,
                                      std::vector<int64_t> ints, Constant constant, int dim) {
  std::unique_ptr<Formula> candidate(new Formula(kind, std::move(children), std::move(ints),
                                                 constant, dim,
                                                 static_cast<uint32_t>(nodes_.size())));
  if (auto found = table_.find(candidate.get()); found != table_.end())
    return *found;
  const Formula *node = candidate.get();
  nodes_.push_back(std::move(candidate));
  table_.insert(node);
  return node;
}

BuildResult FormulaContext::make(OpKind kind, std::vector<const Formula *> children,
                                 std::vector<int64_t> ints) {
  const OpInfo &info = opInfo(kind);
  KEOPSC_ASSERT(info.dims != DimRule::Leaf, "leaves have their own constructors");
  KEOPSC_ASSERT(!info.spellingOnly(), "spellings are lowered before they reach the IR");
  KEOPSC_ASSERT(info.operands < 0 || children.size() == static_cast<size_t>(info.operands),
                "wrong number of operands");
  KEOPSC_ASSERT(info.ints < 0 || ints.size() == static_cast<size_t>(info.ints),
                "wrong number of static integers");
  DimError error{DimErrorKind::Mismatch, ""};
  int dim = inferDim(kind, children, ints, error);
  if (dim == 0)
    return error;
  return intern(kind, std::move(children), std::move(ints), Constant::integer(0), dim);
}

const Formula *FormulaContext::get(OpKind kind, std::vector<const Formula *> children,
                                   std::vector<int64_t> ints) {
  BuildResult result = make(kind, std::move(children), std::move(ints));
  KEOPSC_ASSERT(result, "building a node the caller knew to be valid failed");
  return result.node();
}

const Formula *FormulaContext::var(int pos, int dim, Category cat) {
  KEOPSC_ASSERT(dim >= 1 && dim <= kMaxDim, "variable dimension out of range");
  return intern(OpKind::Var, {}, {pos, dim, static_cast<int64_t>(cat)}, Constant::integer(0), dim);
}

const Formula *FormulaContext::constant(const Constant &value, int dim) {
  KEOPSC_ASSERT(dim >= 1 && dim <= kMaxDim, "constant dimension out of range");
  return intern(OpKind::Const, {}, {}, value, dim);
}

std::vector<const Formula *> postOrder(const std::vector<const Formula *> &roots) {
  std::vector<const Formula *> order;
  std::unordered_set<const Formula *> seen;
  // Iterative, so deep formulas cannot overflow the stack.
  std::vector<std::pair<const Formula *, size_t>> stack;
  for (const Formula *root : roots) {
    if (!root || seen.count(root))
      continue;
    stack.push_back({root, 0});
    seen.insert(root);
    while (!stack.empty()) {
      auto &[node, next] = stack.back();
      if (next < node->children().size()) {
        const Formula *c = node->child(next++);
        if (seen.insert(c).second)
          stack.push_back({c, 0});
        continue;
      }
      order.push_back(node);
      stack.pop_back();
    }
  }
  return order;
}

std::vector<const Formula *> postOrder(const Formula *root) {
  return postOrder(std::vector<const Formula *>{root});
}

} // namespace keopsc::ir
