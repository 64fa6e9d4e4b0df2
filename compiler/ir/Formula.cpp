// Op table lookups, uniquing and traversal of formula nodes; see Formula.h.
#include "ir/Formula.h"

#include "support/Assert.h"

#include <cstring>
#include <functional>
#include <unordered_map>

namespace keopsc::ir {
namespace {

const OpInfo kOpInfos[] = {
#define KEOPSC_OP(Name, Operands, Ints, Dims, Ready)                                               \
  {#Name, Operands, Ints, DimRule::Dims, Ready == Yes},
#define Yes 1
#define No 0
#include "ir/Ops.def"
#undef Yes
#undef No
};

size_t combine(size_t seed, size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof(double)) == 0; }

} // namespace

const OpInfo &opInfo(OpKind kind) { return kOpInfos[static_cast<int>(kind)]; }

bool lookupOp(const std::string &name, OpKind &kind) {
  static const std::unordered_map<std::string, OpKind> table = [] {
    std::unordered_map<std::string, OpKind> result;
    for (int i = 0; i < kNumOps; ++i)
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
  h = combine(h, std::hash<std::string>()(f->text()));
  return combine(h, std::hash<int>()(f->dim()));
}

bool FormulaContext::KeyEqual::operator()(const Formula *a, const Formula *b) const {
  return a->kind() == b->kind() && a->children() == b->children() && a->ints() == b->ints() &&
         a->text() == b->text() && a->dim() == b->dim() && sameBits(a->value(), b->value());
}

const Formula *FormulaContext::intern(std::unique_ptr<Formula> candidate) {
  if (auto found = table_.find(candidate.get()); found != table_.end())
    return *found;
  const Formula *node = candidate.get();
  nodes_.push_back(std::move(candidate));
  table_.insert(node);
  return node;
}

const Formula *FormulaContext::get(OpKind kind, std::vector<const Formula *> children,
                                   std::vector<int64_t> ints, int dim) {
  KEOPSC_ASSERT(kind != OpKind::FloatCst, "use getFloat for float constants");
  KEOPSC_ASSERT(dim >= 1, "formula nodes have a positive dimension");
  return intern(
      std::unique_ptr<Formula>(new Formula(kind, std::move(children), std::move(ints), 0.0, "", dim,
                                           static_cast<uint32_t>(nodes_.size()))));
}

const Formula *FormulaContext::getFloat(double value, const std::string &text) {
  return intern(std::unique_ptr<Formula>(
      new Formula(OpKind::FloatCst, {}, {}, value, text, 1, static_cast<uint32_t>(nodes_.size()))));
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
