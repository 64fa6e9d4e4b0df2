// The rewrite utility every pass builds IR with: a memoised post-order map that rebuilds each
// node from its rewritten children, and variable substitution on top of it. It never mutates a
// node (nodes are immutable); a rewrite returns new roots in the same context.
#pragma once

#include "ir/Formula.h"

#include <functional>
#include <unordered_map>
#include <vector>

namespace keopsc::ir {

/// `node` with its operands replaced by `children` (same op, same static integers). The
/// children must satisfy the op's dimension rule (a failure is a compiler bug).
const Formula *rebuild(FormulaContext &context, const Formula *node,
                       std::vector<const Formula *> children);

class Rewriter {
public:
  /// Given a node and its already-rewritten children, returns its replacement. The default
  /// rule rebuilds the node from the new children (and keeps leaves).
  using Rule =
      std::function<const Formula *(const Formula *node, std::vector<const Formula *> children)>;
  Rewriter(FormulaContext &context, Rule rule);
  explicit Rewriter(FormulaContext &context);

  /// The rewritten `root`; nodes shared between calls are rewritten once.
  const Formula *rewrite(const Formula *root);

private:
  Rule rule_;
  std::unordered_map<const Formula *, const Formula *> done_;
};

/// `root` with every node that is a key of `replacements` replaced by its value (same dims).
const Formula *substitute(FormulaContext &context, const Formula *root,
                          const std::unordered_map<const Formula *, const Formula *> &replacements);

} // namespace keopsc::ir
