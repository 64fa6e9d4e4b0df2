// Reference.cpp: the brute-force pass over every pair (i, j) through ir::Evaluator; see
// Reference.h. What each reduction kind does with the terms is Reductions.cpp's business.
#include "reference/Reference.h"

#include "ir/Evaluate.h"
#include "reference/Reductions.h"

#include <stdexcept>
#include <string>

namespace keopsc::conformance {
namespace {

/// Where input p's row of a pair (i, j) starts.
struct Layout {
  std::vector<ir::Category> cat;
  std::vector<int> dim;

  explicit Layout(const ir::EntryPoint &e) {
    for (const ir::Input &in : e.inputs) {
      cat.push_back(in.cat);
      dim.push_back(in.dim);
    }
  }
  bool operator==(const Layout &o) const { return cat == o.cat && dim == o.dim; }
  const double *row(const Problem &p, int pos, int64_t i, int64_t j) const {
    const auto q = size_t(pos);
    const int64_t r = cat[q] == ir::Category::I ? i : cat[q] == ir::Category::J ? j : 0;
    return p.inputs[q] + r * dim[q];
  }
};

void checkShape(const ir::EntryPoint &e, const Layout &layout, const Problem &p) {
  auto reject = [&](const std::string &why) {
    throw std::invalid_argument("no reference for " + e.name + ": " + why);
  };
  if (e.stages.size() != 1)
    reject("it has " + std::to_string(e.stages.size()) + " stages");
  if (!(Layout(e) == layout))
    reject("its inputs differ from the other entry points'");
  if (p.inputs.size() != layout.cat.size())
    reject("the problem has " + std::to_string(p.inputs.size()) + " inputs");
}

/// Stages that compute the same thing (a native and a Genred spelling, or one compiled with
/// another summation option) share one reference reduction.
bool sameReduction(const ir::Stage &a, const ir::Stage &b) {
  return a.formula == b.formula && a.weight == b.weight && a.kind == b.kind && a.axis == b.axis &&
         a.K == b.K;
}

} // namespace

std::vector<Reference> computeReferences(const std::vector<const ir::EntryPoint *> &entries,
                                         const Problem &problem) {
  if (entries.empty())
    return {};
  const Layout layout(*entries.front());
  std::vector<const ir::Formula *> roots;
  std::vector<const ir::Stage *> stages;                 // one per distinct reduction
  std::vector<std::unique_ptr<RowReduction>> reductions; // likewise
  std::vector<size_t> owner(entries.size());             // entry -> its reduction
  for (size_t e = 0; e < entries.size(); ++e) {
    checkShape(*entries[e], layout, problem);
    const ir::Stage &stage = entries[e]->mainStage();
    owner[e] = stages.size();
    for (size_t r = 0; r < stages.size(); ++r)
      if (sameReduction(*stages[r], stage))
        owner[e] = r;
    if (owner[e] < stages.size())
      continue;
    stages.push_back(&stage);
    reductions.push_back(makeRowReduction(stage, stage.axis == 1 ? problem.M : problem.N));
    roots.push_back(stage.formula);
    roots.push_back(stage.weight); // null without a weight: the evaluator skips it
  }
  ir::Evaluator eval(roots);
  int64_t i = 0, j = 0;
  const std::function<const double *(int)> row = [&](int pos) {
    return layout.row(problem, pos, i, j);
  };
  // Whether the reductions of each axis see pair (i, j): every pair without ranges.
  auto sees = [&](int axis) {
    const std::vector<uint8_t> *mask = axis == 1 ? problem.overJ : problem.overI;
    const size_t at = axis == 1 ? size_t(i * problem.N + j) : size_t(j * problem.M + i);
    return !mask || (*mask)[at] != 0;
  };
  for (i = 0; i < problem.M; ++i)
    for (j = 0; j < problem.N; ++j) {
      const bool overJ = sees(1), overI = sees(0);
      if (!overJ && !overI)
        continue;
      eval.run(row);
      for (size_t r = 0; r < stages.size(); ++r) {
        if (!(stages[r]->axis == 1 ? overJ : overI))
          continue;
        const double *f = eval.value(stages[r]->formula).data();
        const double *g = stages[r]->weight ? eval.value(stages[r]->weight).data() : nullptr;
        if (stages[r]->axis == 1)
          reductions[r]->add(i, j, f, g);
        else
          reductions[r]->add(j, i, f, g);
      }
    }
  std::vector<Reference> shared(stages.size());
  for (size_t r = 0; r < stages.size(); ++r) {
    shared[r].rows = stages[r]->axis == 1 ? problem.M : problem.N;
    shared[r].reduced = stages[r]->axis == 1 ? problem.N : problem.M;
    reductions[r]->finish(shared[r]);
  }
  std::vector<Reference> refs;
  for (size_t e = 0; e < entries.size(); ++e) {
    refs.push_back(shared[owner[e]]);
    refs.back().entry = entries[e];
  }
  return refs;
}

struct TermEvaluator::Impl {
  const ir::EntryPoint &entry;
  const Problem problem; // a copy: callers pass temporaries
  Layout layout;
  ir::Evaluator eval;

  Impl(const ir::EntryPoint &e, const Problem &p)
      : entry(e), problem(p), layout(e), eval({e.mainStage().formula}) {}
};

TermEvaluator::TermEvaluator(const ir::EntryPoint &entry, const Problem &problem)
    : impl_(std::make_unique<Impl>(entry, problem)) {
  checkShape(entry, impl_->layout, problem);
}

TermEvaluator::~TermEvaluator() = default;

const std::vector<double> &TermEvaluator::operator()(int64_t i, int64_t j) {
  impl_->eval.run([&](int pos) { return impl_->layout.row(impl_->problem, pos, i, j); });
  return impl_->eval.value(impl_->entry.mainStage().formula);
}

} // namespace keopsc::conformance
