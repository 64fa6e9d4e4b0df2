// Reduction-level derivatives over an entry point's stages; see EntryDerivatives.h.
#include "sema/EntryDerivatives.h"

#include "ir/PruneStages.h"
#include "ir/Rewrite.h"
#include "support/Assert.h"

#include <map>

namespace keopsc::sema {
namespace {

/// float16 entry points keep intermediate values in float32 (SPEC.md §7.1: outputs are rounded
/// once; later stages read them unrounded).
ir::Dtype workspaceDtype(ir::Dtype dtype) {
  return dtype == ir::Dtype::Float16 ? ir::Dtype::Float32 : dtype;
}

/// The kind that also reports the indices a Min/Max/K-min gradient is sent to.
ir::ReductionKind withIndices(ir::ReductionKind kind) {
  switch (kind) {
  case ir::ReductionKind::Min:
    return ir::ReductionKind::Min_ArgMin;
  case ir::ReductionKind::Max:
    return ir::ReductionKind::Max_ArgMax;
  case ir::ReductionKind::KMin:
    return ir::ReductionKind::KMin_ArgKMin;
  default:
    return kind;
  }
}

/// A workspace output's role for an output of a recomputed stage.
ir::OutputRole internalRole(ir::OutputRole role) {
  return role == ir::OutputRole::Indices || role == ir::OutputRole::IndexWorkspace
             ? ir::OutputRole::IndexWorkspace
             : ir::OutputRole::Workspace;
}

class EntryDifferentiator {
public:
  EntryDifferentiator(ir::FormulaContext &context, const ir::EntryPoint &base, int pos,
                      DerivativeKind kind)
      : ctx_(context), base_(base), pos_(pos), kind_(kind) {}

  std::variant<ir::EntryPoint, DerivativeError> build(const std::string &appendedName) {
    const ir::Stage &last = base_.mainStage();
    if (last.valuesPerRow() == 0 || ir::reductionInfo(last.kind).outputs == ir::OutputShape::Pair)
      return DerivativeError{true, ir::reductionInfo(last.kind).name};
    copyBase(appendedName);
    for (size_t s = 0; s < base_.stages.size(); ++s)
      terms_.push_back(pairTerm(s));
    if (!terms_.back())
      return DerivativeError{true, ir::reductionInfo(last.kind).name};
    if (kind_ == DerivativeKind::Gradient)
      sweepBackwards();
    else
      sweepForwards();
    // Stages the derivative does not read (e.g. a Sum's forward) go.
    ir::pruneStages(ctx_, out_);
    return std::move(out_);
  }

private:
  // --- The base's stages, recomputed -------------------------------------------------------

  /// out_ gets the base's C inputs, the appended input, the base's workspaces, and every base
  /// stage (index-reporting where it can), all of whose outputs become internal.
  void copyBase(const std::string &appendedName) {
    out_.dtype = base_.dtype;
    out_.fastMath = base_.fastMath;
    out_.enableChunks = base_.enableChunks;
    out_.cpuBackend = base_.cpuBackend;
    out_.cudaBackend = base_.cudaBackend;
    cArgs_ = 0;
    while (cArgs_ < base_.inputs.size() && ir::isCArgument(base_.inputs[cArgs_]))
      ++cArgs_;
    out_.inputs.assign(base_.inputs.begin(), base_.inputs.begin() + long(cArgs_));
    const ir::Input &x = base_.inputs[static_cast<size_t>(pos_)];
    const ir::Stage &last = base_.mainStage();
    ir::Input appended;
    appended.name = appendedName;
    appended.dtype = base_.dtype;
    // A Pm gradient's value is one row (its rows summed): its adjoint is a Pm.
    const ir::Category valueRows = last.sumRows ? ir::Category::Param : last.outputCat();
    appended.cat = kind_ == DerivativeKind::Gradient ? valueRows : x.cat;
    appended.dim = kind_ == DerivativeKind::Gradient ? last.valuesPerRow() : x.dim;
    out_.inputs.push_back(appended);
    appendedVar_ = ctx_.var(static_cast<int>(cArgs_), appended.dim, appended.cat);
    // The Grad/Diff nodes read x even when r ignores it (a Genred alias F never uses: then the
    // derivative is zero).
    out_.inputs[static_cast<size_t>(pos_)].read = true;
    xVar_ = ctx_.var(pos_, x.dim, x.cat);

    ir::Rewriter shift(ctx_, [&](const ir::Formula *node, std::vector<const ir::Formula *> kids) {
      if (node->kind() == ir::OpKind::Var && static_cast<size_t>(node->varPos()) >= cArgs_)
        return ctx_.var(node->varPos() + 1, node->dim(), node->varCat());
      return node->isLeaf() ? node : ir::rebuild(ctx_, node, std::move(kids));
    });
    std::map<std::pair<int, ir::OutputRole>, int> outputAt;
    for (size_t s = 0; s < base_.stages.size(); ++s) {
      ir::Stage stage = base_.stages[s];
      stage.plan.reset();
      stage.kind = withIndices(stage.kind);
      stage.sumRows = false; // recomputed per row; a derivative of its sum sums again

      stage.formula = shift.rewrite(stage.formula);
      stage.weight = stage.weight ? shift.rewrite(stage.weight) : nullptr;
      for (ir::Output o : ir::outputsOf(stage, workspaceDtype(out_.dtype), static_cast<int>(s))) {
        o.role = internalRole(o.role);
        o.name = "s" + std::to_string(s) + "_" + o.name;
        outputAt[{static_cast<int>(s), o.role}] = static_cast<int>(out_.outputs.size());
        out_.outputs.push_back(o);
      }
      out_.stages.push_back(stage);
    }
    for (size_t k = cArgs_; k < base_.inputs.size(); ++k) {
      ir::Input in = base_.inputs[k];
      const ir::Output &o = base_.outputs[static_cast<size_t>(in.producer)];
      in.producer = outputAt.at({o.stage, internalRole(o.role)});
      out_.inputs.push_back(in);
    }
  }

  /// A variable reading internal output `output`, adding the workspace input if needed.
  const ir::Formula *workspaceVar(int output) {
    const ir::Output &o = out_.outputs[static_cast<size_t>(output)];
    for (size_t k = cArgs_ + 1; k < out_.inputs.size(); ++k)
      if (out_.inputs[k].producer == output)
        return ctx_.var(static_cast<int>(k), o.width, o.rows);
    ir::Input in;
    in.origin = ir::InputOrigin::Workspace;
    in.cat = o.rows;
    in.dim = o.width;
    in.dtype = o.dtype;
    in.producer = output;
    out_.inputs.push_back(in);
    return ctx_.var(static_cast<int>(out_.inputs.size() - 1), o.width, o.rows);
  }

  /// The internal output of `role` that stage `s` writes.
  int outputOf(size_t s, ir::OutputRole role) const {
    for (size_t k = 0; k < out_.outputs.size(); ++k)
      if (out_.outputs[k].stage == static_cast<int>(s) && out_.outputs[k].role == role)
        return static_cast<int>(k);
    KEOPSC_UNREACHABLE("a stage without the output asked for");
  }

  /// Appends `stage` writing one output of `width` per row; returns the output's index.
  int addStage(ir::Stage stage, std::string name, ir::OutputRole role, ir::Category rows, int width,
               ir::Dtype dtype) {
    const int index = static_cast<int>(out_.stages.size());
    out_.stages.push_back(std::move(stage));
    out_.outputs.push_back({std::move(name), role, rows, width, dtype, index});
    return static_cast<int>(out_.outputs.size() - 1);
  }

  /// The log-sum-exp of stage s's F, recomputed as a stage of its own (softmax gradients).
  const ir::Formula *logSumExpOf(size_t s) {
    ir::Stage lse = out_.stages[s];
    lse.kind = ir::ReductionKind::LogSumExp;
    lse.weight = nullptr;
    lse.K = 0;
    int output = addStage(lse, "s" + std::to_string(s) + "_lse", ir::OutputRole::Workspace,
                          lse.outputCat(), 1, workspaceDtype(out_.dtype));
    return workspaceVar(output);
  }

  /// H_s (see the header), or null when stage s's values have no gradient.
  const ir::Formula *pairTerm(size_t s) {
    const ir::Stage &stage = out_.stages[s];
    const ir::Formula *f = stage.formula, *g = stage.weight;
    auto values = [&] { return workspaceVar(outputOf(s, ir::OutputRole::Workspace)); };
    auto exp = [&](const ir::Formula *shift) {
      return ctx_.get(ir::OpKind::Exp, {ctx_.get(ir::OpKind::Subtract, {f, shift})});
    };
    switch (stage.kind) {
    case ir::ReductionKind::Sum:
      return f;
    case ir::ReductionKind::LogSumExp:
    case ir::ReductionKind::LogSumExpWeight: {
      const ir::Formula *p = exp(values());
      return g ? ctx_.get(ir::OpKind::Mult, {p, g}) : p;
    }
    case ir::ReductionKind::SumSoftMaxWeight: {
      const ir::Formula *lse = logSumExpOf(s);
      return ctx_.get(ir::OpKind::Mult, {exp(lse), ctx_.get(ir::OpKind::Subtract, {g, values()})});
    }
    case ir::ReductionKind::Min_ArgMin:
    case ir::ReductionKind::Max_ArgMax:
    case ir::ReductionKind::KMin_ArgKMin:
      return selectAtIndices(s);
    case ir::ReductionKind::Min:
    case ir::ReductionKind::Max:
    case ir::ReductionKind::KMin:
      KEOPSC_UNREACHABLE("recomputed Min/Max stages report their indices");
    case ir::ReductionKind::ArgMin:
    case ir::ReductionKind::ArgMax:
    case ir::ReductionKind::ArgKMin:
    case ir::ReductionKind::Max_SumShiftExp:
    case ir::ReductionKind::Max_SumShiftExpWeight:
      return nullptr;
    }
    KEOPSC_UNREACHABLE("bad reduction kind");
  }

  /// F at the indices stage s reports (zero elsewhere), K·D components per pair: Min and Max
  /// send each component's derivative to the reported index (SPEC.md §6).
  const ir::Formula *selectAtIndices(size_t s) {
    const ir::Stage &stage = out_.stages[s];
    const ir::Formula *indices = workspaceVar(outputOf(s, ir::OutputRole::IndexWorkspace));
    const int64_t k = ir::reductionInfo(stage.kind).takesK ? stage.K : 1;
    return ctx_.get(ir::OpKind::SelectByIndex, {indices, stage.formula},
                    {k, static_cast<int64_t>(stage.reducedCat())});
  }

  /// The workspace variables stage s's F and G read that carry values (not indices).
  std::vector<const ir::Formula *> differentiableWorkspaces(size_t s) const {
    std::vector<const ir::Formula *> vars;
    const ir::Stage &stage = out_.stages[s];
    for (const ir::Formula *f : ir::postOrder({stage.formula, stage.weight})) {
      if (f->kind() != ir::OpKind::Var || static_cast<size_t>(f->varPos()) <= cArgs_)
        continue;
      const ir::Input &in = out_.inputs[static_cast<size_t>(f->varPos())];
      if (out_.outputs[static_cast<size_t>(in.producer)].role == ir::OutputRole::Workspace)
        vars.push_back(f);
    }
    return vars;
  }

  size_t producerStage(const ir::Formula *var) const {
    const ir::Input &in = out_.inputs[static_cast<size_t>(var->varPos())];
    return static_cast<size_t>(out_.outputs[static_cast<size_t>(in.producer)].stage);
  }

  // --- The sweeps ------------------------------------------------------------------------------

  const ir::Formula *sum(const std::vector<const ir::Formula *> &terms) const {
    const ir::Formula *total = terms.front();
    for (size_t k = 1; k < terms.size(); ++k)
      total = ctx_.get(ir::OpKind::Add, {total, terms[k]});
    return total;
  }

  /// A Sum stage of the derivative: the base's summing numerics, else the defaults.
  ir::Stage sumStage(const ir::Formula *formula, int axis) const {
    ir::Stage stage;
    stage.kind = ir::ReductionKind::Sum;
    stage.axis = axis;
    stage.formula = formula;
    const ir::Stage &last = base_.mainStage();
    if (ir::isSumming(last.kind)) {
      stage.numerics = last.numerics;
    } else {
      stage.numerics.accDtype =
          out_.dtype == ir::Dtype::Float64 ? ir::Dtype::Float64 : ir::Dtype::Float32;
      stage.numerics.sumScheme = ir::SumScheme::Block;
    }
    return stage;
  }

  /// Reverse mode: the adjoint of each stage's values, from the last stage (adjoint e) down,
  /// each a Sum over the axis that leaves the rows of the values; then x's gradient.
  void sweepBackwards() {
    const size_t n = base_.stages.size();
    std::vector<const ir::Formula *> adjoint(n, nullptr);
    std::vector<std::vector<const ir::Formula *>> contributions(n);
    std::vector<const ir::Formula *> xTerms;
    adjoint[n - 1] = appendedVar_;
    for (size_t s = n; s-- > 0;) {
      if (!adjoint[s] && !contributions[s].empty()) {
        const ir::Stage &stage = out_.stages[s];
        int output = addStage(sumStage(sum(contributions[s]), stage.axis),
                              "s" + std::to_string(s) + "_adjoint", ir::OutputRole::Workspace,
                              stage.outputCat(), stage.valuesPerRow(), workspaceDtype(out_.dtype));
        adjoint[s] = workspaceVar(output);
      }
      if (!adjoint[s])
        continue;
      const ir::Formula *h = terms_[s];
      KEOPSC_ASSERT(h, "a recomputed stage without a gradient feeds a later one");
      xTerms.push_back(ctx_.get(ir::OpKind::Grad, {h, xVar_, adjoint[s]}));
      for (const ir::Formula *w : differentiableWorkspaces(s))
        contributions[producerStage(w)].push_back(ctx_.get(ir::OpKind::Grad, {h, w, adjoint[s]}));
    }
    const ir::Input &x = out_.inputs[static_cast<size_t>(pos_)];
    if (x.cat != ir::Category::Param) {
      addStage(sumStage(sum(xTerms), x.cat == ir::Category::J ? 0 : 1), "out",
               ir::OutputRole::Values, x.cat, x.dim, out_.dtype);
      return;
    }
    // A Pm's gradient: per-row sums along r's axis, then summed over all rows, per batch
    // unless x is batch_shared (SPEC.md §6).
    addRowSummedStage(sumStage(sum(xTerms), base_.mainStage().axis), pos_);
  }

  /// Appends `stage` with its rows summed into the C output (batches following input
  /// `sharedAs`'s batch_shared flag).
  void addRowSummedStage(ir::Stage stage, int sharedAs) {
    stage.sumRows = true;
    const int index = static_cast<int>(out_.stages.size());
    for (const ir::Output &o : ir::rowSumOutputsOf(stage, out_.dtype, index,
                                                   static_cast<int>(out_.outputs.size()), sharedAs))
      out_.outputs.push_back(o);
    out_.stages.push_back(stage);
  }

  /// The base's row-summed C output (its value, when the base is a Pm gradient).
  const ir::Output &baseRowSum() const {
    for (const ir::Output &o : base_.outputs)
      if (o.sumOf >= 0)
        return o;
    KEOPSC_UNREACHABLE("a row-summed stage without its row sum");
  }

  /// Forward mode: the derivative of each stage's values along u, in stage order, each a Sum
  /// over that stage's own axis; the last one is the output.
  void sweepForwards() {
    const size_t n = base_.stages.size();
    std::vector<const ir::Formula *> tangent(n, nullptr);
    for (size_t s = 0; s < n; ++s) {
      const ir::Formula *h = terms_[s];
      if (!h)
        continue; // values nothing differentiable reads (indices of a recomputed Min)
      std::vector<const ir::Formula *> terms{ctx_.get(ir::OpKind::Diff, {h, xVar_, appendedVar_})};
      for (const ir::Formula *w : differentiableWorkspaces(s))
        if (const ir::Formula *dw = tangent[producerStage(w)])
          terms.push_back(ctx_.get(ir::OpKind::Diff, {h, w, dw}));
      const ir::Stage &stage = out_.stages[s];
      ir::Stage derived = sumStage(sum(terms), stage.axis);
      if (s + 1 == n && base_.mainStage().sumRows) {
        addRowSummedStage(derived, baseRowSum().sharedAs); // the derivative of a Pm gradient
        return;
      }
      if (s + 1 == n) {
        addStage(derived, "out", ir::OutputRole::Values, stage.outputCat(), stage.valuesPerRow(),
                 out_.dtype);
        return;
      }
      int output =
          addStage(derived, "s" + std::to_string(s) + "_tangent", ir::OutputRole::Workspace,
                   stage.outputCat(), stage.valuesPerRow(), workspaceDtype(out_.dtype));
      tangent[s] = workspaceVar(output);
    }
  }

  // --- Clean-up --------------------------------------------------------------------------------

  ir::FormulaContext &ctx_;
  const ir::EntryPoint &base_;
  int pos_;
  DerivativeKind kind_;
  ir::EntryPoint out_;
  size_t cArgs_ = 0; ///< the base's C inputs; the appended one is at this position
  const ir::Formula *appendedVar_ = nullptr;
  const ir::Formula *xVar_ = nullptr;
  std::vector<const ir::Formula *> terms_; ///< H_s by base stage
};

} // namespace

std::string unusedInputName(const ir::EntryPoint &entry, std::string name) {
  for (bool taken = true; taken;) {
    taken = false;
    for (const ir::Input &in : entry.inputs)
      if (in.name == name) {
        name += '_';
        taken = true;
      }
  }
  return name;
}

std::variant<ir::EntryPoint, DerivativeError> differentiateEntry(ir::FormulaContext &context,
                                                                 const ir::EntryPoint &base,
                                                                 int pos, DerivativeKind kind,
                                                                 const std::string &appendedName) {
  return EntryDifferentiator(context, base, pos, kind).build(appendedName);
}

} // namespace keopsc::sema
