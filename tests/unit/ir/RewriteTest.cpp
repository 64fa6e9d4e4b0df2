// Tests of the rewrite utility: memoised rebuilding, substitution, and that rewriting never
// changes the nodes it starts from.
#include "ir/Rewrite.h"

#include <gtest/gtest.h>

using namespace keopsc::ir;

TEST(Rewrite, IdentityRewriteReturnsTheSameNodes) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, 3, Category::I);
  const Formula *f = ctx.get(OpKind::Exp, {ctx.get(OpKind::SqDist, {x, x})});
  Rewriter rewriter(ctx);
  EXPECT_EQ(rewriter.rewrite(f), f);
}

TEST(Rewrite, SubstitutionRebuildsOnlyWhatChangesAndSharesTheRest) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, 3, Category::I);
  const Formula *y = ctx.var(1, 3, Category::J);
  const Formula *z = ctx.var(2, 3, Category::J);
  const Formula *e = ctx.get(OpKind::Exp, {x});
  const Formula *f = ctx.get(OpKind::Mult, {e, ctx.get(OpKind::Add, {y, e})});
  const Formula *g = substitute(ctx, f, {{y, z}});
  EXPECT_EQ(g, ctx.get(OpKind::Mult, {e, ctx.get(OpKind::Add, {z, e})}));
  EXPECT_EQ(g->child(0), e); // untouched subterms are the same nodes
}

TEST(Rewrite, RulesSeeRewrittenChildrenAndVisitSharedNodesOnce) {
  FormulaContext ctx;
  const Formula *x = ctx.var(0, 1, Category::I);
  const Formula *e = ctx.get(OpKind::Exp, {x});
  const Formula *f = ctx.get(OpKind::Mult, {e, e});
  int visits = 0;
  Rewriter rewriter(ctx, [&](const Formula *node, std::vector<const Formula *> children) {
    ++visits;
    if (node->kind() == OpKind::Exp)
      return ctx.get(OpKind::Log, std::move(children));
    return rebuild(ctx, node, std::move(children));
  });
  const Formula *g = rewriter.rewrite(f);
  EXPECT_EQ(visits, 3);
  const Formula *log = ctx.get(OpKind::Log, {x});
  EXPECT_EQ(g, ctx.get(OpKind::Mult, {log, log}));
}
