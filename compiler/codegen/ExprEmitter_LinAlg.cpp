// Code for SPEC.md §3's linear algebra on row-major flattened vectors (MatVecMult, VecMatMult,
// TensorProd, TensorDot, Kron); see ExprEmitter.h. TensorDot and Kron become nested loops with
// strides computed here, at compile time; ir/ListArgs.h checks and decodes their lists.
#include "codegen/ExprEmitter.h"
#include "ir/ListArgs.h"

#include <functional>

namespace keopsc::codegen {
namespace {

/// Row-major strides of a shape.
ir::IntList stridesOf(const ir::IntList &shape) {
  ir::IntList strides(shape.size(), 1);
  for (size_t k = shape.size(); k-- > 1;)
    strides[k - 1] = strides[k] * shape[k];
  return strides;
}

/// One loop of a TensorDot nest: its bound and its variable's stride in a, b and the output.
struct Axis {
  int64_t size;
  int64_t strideA, strideB, strideOut;
};

/// The free axes (a's, then b's, each with its output stride under p) and contracted axes.
void tensorDotAxes(const ir::TensorDotArgs &args, std::vector<Axis> &free,
                   std::vector<Axis> &contracted) {
  const ir::IntList strideA = stridesOf(args.da), strideB = stridesOf(args.db);
  for (int64_t axis : ir::freeAxes(args.da, args.ca)) {
    const size_t k = static_cast<size_t>(axis);
    free.push_back({args.da[k], strideA[k], 0, 0});
  }
  for (int64_t axis : ir::freeAxes(args.db, args.cb)) {
    const size_t k = static_cast<size_t>(axis);
    free.push_back({args.db[k], 0, strideB[k], 0});
  }
  // Free axis m lands at output position p[m] of the output shape.
  ir::IntList outShape(free.size());
  for (size_t m = 0; m < free.size(); ++m)
    outShape[static_cast<size_t>(args.p[m])] = free[m].size;
  const ir::IntList outStride = stridesOf(outShape);
  for (size_t m = 0; m < free.size(); ++m)
    free[m].strideOut = outStride[static_cast<size_t>(args.p[m])];
  for (size_t t = 0; t < args.ca.size(); ++t) {
    const size_t ka = static_cast<size_t>(args.ca[t]), kb = static_cast<size_t>(args.cb[t]);
    contracted.push_back({args.da[ka], strideA[ka], strideB[kb], 0});
  }
}

/// Σ var_m · stride_m over the loops that move this index ("0" when none does).
std::string indexOf(const std::vector<Axis> &free, const std::vector<Axis> &contracted,
                    int64_t Axis::*stride) {
  std::string index;
  auto add = [&](const std::vector<Axis> &axes, const char *prefix) {
    for (size_t m = 0; m < axes.size(); ++m)
      if (axes[m].*stride != 0)
        index += (index.empty() ? "" : " + ") + scaled(prefix + std::to_string(m), axes[m].*stride);
  };
  add(free, "k");
  add(contracted, "l");
  return index.empty() ? "0" : index;
}

/// Writes `body` inside one braced loop per axis, variables prefix0, prefix1, ...
void nest(const std::vector<Axis> &axes, const char *prefix, IndentedWriter &out,
          const std::function<void()> &body, size_t level = 0) {
  if (level == axes.size())
    return body();
  auto loop = out.block(loopOver(axes[level].size, prefix + std::to_string(level)));
  nest(axes, prefix, out, body, level + 1);
}

} // namespace

// out_r = Σ_k A[r·d_b + k]·b_k.
void ExprEmitter::emitMatVecMult(const ir::Formula *f, IndentedWriter &out) {
  const ir::Formula *a = f->child(0), *b = f->child(1);
  const std::string type = typeOf(f);
  auto loop = out.block(loopOver(f->dim()));
  out.line(type + " s = " + type + "(0);");
  out.line(loopOver(b->dim(), "l"));
  out.line("  s += " + element(a, scaled("k", b->dim()) + " + l") + " * " + element(b, "l") + ";");
  out.line(names_.at(f) + "[k] = s;");
}

// out_c = Σ_k b_k·A[k·n + c].
void ExprEmitter::emitVecMatMult(const ir::Formula *f, IndentedWriter &out) {
  const ir::Formula *b = f->child(0), *a = f->child(1);
  const std::string type = typeOf(f);
  auto loop = out.block(loopOver(f->dim()));
  out.line(type + " s = " + type + "(0);");
  out.line(loopOver(b->dim(), "l"));
  out.line("  s += " + element(b, "l") + " * " + element(a, scaled("l", f->dim()) + " + k") + ";");
  out.line(names_.at(f) + "[k] = s;");
}

// out[k·d_b + l] = a_k·b_l.
void ExprEmitter::emitTensorProd(const ir::Formula *f, IndentedWriter &out) {
  const ir::Formula *a = f->child(0), *b = f->child(1);
  out.line(loopOver(a->dim()));
  out.line("  " + loopOver(b->dim(), "l"));
  out.line("    " + names_.at(f) + "[" + scaled("k", b->dim()) + " + l] = " + element(a, "k") +
           " * " + element(b, "l") + ";");
}

// numpy.tensordot with SPEC.md §3's p (Kron is the case without contraction): a loop per free
// axis k0, k1, ... around a sum over the contracted axes l0, l1, ...
void ExprEmitter::emitTensorDot(const ir::Formula *f, IndentedWriter &out) {
  std::vector<Axis> free, contracted;
  tensorDotAxes(ir::tensorDotArgs(f), free, contracted);
  const std::string target = names_.at(f) + "[" + indexOf(free, contracted, &Axis::strideOut) + "]";
  const std::string product = element(f->child(0), indexOf(free, contracted, &Axis::strideA)) +
                              " * " +
                              element(f->child(1), indexOf(free, contracted, &Axis::strideB));
  const std::string type = typeOf(f);
  auto scope = out.block("");
  nest(free, "k", out, [&] {
    if (contracted.empty()) {
      out.line(target + " = " + product + ";");
      return;
    }
    out.line(type + " s = " + type + "(0);");
    nest(contracted, "l", out, [&] { out.line("s += " + product + ";"); });
    out.line(target + " = s;");
  });
}

} // namespace keopsc::codegen
