// Memoised post-order rewriting and substitution; see Rewrite.h.
#include "ir/Rewrite.h"

#include "support/Assert.h"

namespace keopsc::ir {

const Formula *rebuild(FormulaContext &context, const Formula *node,
                       std::vector<const Formula *> children) {
  if (node->isLeaf() || children == node->children())
    return node;
  return context.get(node->kind(), std::move(children), node->ints());
}

// The context is the one the rule builds in; the rewriter itself creates no node.
Rewriter::Rewriter(FormulaContext &, Rule rule) : rule_(std::move(rule)) {}

Rewriter::Rewriter(FormulaContext &context)
    : Rewriter(context, [&context](const Formula *node, std::vector<const Formula *> children) {
        return rebuild(context, node, std::move(children));
      }) {}

const Formula *Rewriter::rewrite(const Formula *root) {
  if (!root)
    return nullptr;
  if (auto found = done_.find(root); found != done_.end())
    return found->second; // already rewritten: a lookup, not a walk of its subtree
  // postOrder is iterative, so deep formulas cannot overflow the stack here either.
  for (const Formula *node : postOrder(root)) {
    if (done_.count(node))
      continue;
    std::vector<const Formula *> children;
    children.reserve(node->children().size());
    for (const Formula *c : node->children())
      children.push_back(done_.at(c));
    const Formula *result = rule_(node, std::move(children));
    KEOPSC_ASSERT(result != nullptr, "a rewrite rule returned no node");
    done_[node] = result;
  }
  return done_.at(root);
}

const Formula *
substitute(FormulaContext &context, const Formula *root,
           const std::unordered_map<const Formula *, const Formula *> &replacements) {
  Rewriter rewriter(context, [&](const Formula *node, std::vector<const Formula *> children) {
    if (auto found = replacements.find(node); found != replacements.end())
      return found->second;
    return rebuild(context, node, std::move(children));
  });
  return rewriter.rewrite(root);
}

} // namespace keopsc::ir
