// The CPU source emitter; see CpuEmitter.h.
#include "codegen/cpu/CpuEmitter.h"

#include "codegen/ExprEmitter.h"
#include "codegen/RuntimeSources.h"
#include "codegen/Signature.h"
#include "codegen/cuda/CudaStubEmitter.h"
#include "support/IndentedWriter.h"

#include <unordered_map>

namespace keopsc::codegen {
namespace {

std::string baseName(const std::string &path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// The C++ type of the reduction state (keops/reductions.h).
std::string stateType(const ir::Reduction &r) {
  std::string scalar = ir::dtypeCType(r.dtype);
  std::string acc = ir::dtypeCType(r.accDtype);
  std::string policy = r.sumScheme == ir::SumScheme::Kahan ? "keops_rt::KahanAcc<" + acc + ">"
                                                           : "keops_rt::DirectAcc<" + acc + ">";
  std::string d = std::to_string(r.formula->dim());
  std::string inner;
  switch (r.kind) {
  case ir::ReductionKind::Sum:
    inner = "keops_rt::SumState<" + scalar + ", " + policy + ", " + d + ">";
    break;
  case ir::ReductionKind::LogSumExp:
    inner = "keops_rt::LogSumExpState<" + scalar + ", " + policy + ">";
    break;
  case ir::ReductionKind::KMin:
  case ir::ReductionKind::ArgKMin:
  case ir::ReductionKind::KMin_ArgKMin:
    return "keops_rt::KMinState<" + scalar + ", " + std::to_string(r.K) + ", " + d + ">";
  default:
    return "/* unsupported */";
  }
  return r.sumScheme == ir::SumScheme::Block ? "keops_rt::BlockState<" + inner + ">" : inner;
}

/// Which nodes depend on the reduced category (and so must stay inside the reduced loop).
std::unordered_map<const ir::Formula *, bool> varying(const std::vector<const ir::Formula *> &nodes,
                                                      ir::Category reduced) {
  std::unordered_map<const ir::Formula *, bool> result;
  for (const ir::Formula *f : nodes) {
    bool v = f->kind() == ir::OpKind::Var && f->varCat() == reduced;
    for (const ir::Formula *c : f->children())
      v = v || result.at(c);
    result[f] = v;
  }
  return result;
}

class ReductionEmitter {
public:
  ReductionEmitter(const ir::Module &module, const ir::Reduction &r, IndentedWriter &out)
      : module_(module), r_(r), out_(out), prefix_(r.name + "_"), scalar_(ir::dtypeCType(r.dtype)) {
  }

  void emit() {
    out_.line("// ---- reduction " + r_.name + ": " + ir::reductionInfo(r_.kind).name + " over " +
              (r_.axis == 1 ? "j" : "i") + ", F = " + r_.sourceText);
    out_.line("namespace {");
    emitArgs();
    emitRows();
    out_.line("} // namespace");
    emitCpuEntry();
    emitCudaStub(module_, r_, out_);
    emitDispatcher();
  }

private:
  void emitArgs() {
    auto scope = out_.block("struct " + prefix_ + "args", ";");
    out_.line("int64_t rows;    // output rows");
    out_.line("int64_t reduced; // terms per output row");
    for (size_t k = 0; k < r_.inputs.size(); ++k)
      out_.line("const " + scalar_ + " *in" + std::to_string(k) + ";");
    out_.line(scalar_ + " *out0;");
    out_.line("int64_t *out1;");
  }

  std::string rowPointer(size_t k, const std::string &index) const {
    const ir::Input &in = r_.inputs[k];
    std::string base = "a.in" + std::to_string(k);
    if (in.cat == ir::Category::Param)
      return base;
    return base + " + " + index + " * " + std::to_string(in.dim);
  }

  void declareInputs(ir::Category cat, const std::string &index) {
    for (size_t k = 0; k < r_.inputs.size(); ++k)
      if (r_.inputs[k].used && r_.inputs[k].cat == cat)
        out_.line("const " + scalar_ + " *in" + std::to_string(k) + " = " + rowPointer(k, index) +
                  ";");
  }

  void emitRows() {
    auto fn = out_.block("void " + prefix_ + "rows(const " + prefix_ +
                         "args &a, int64_t begin, int64_t end)");
    std::vector<const ir::Formula *> nodes = ir::postOrder(r_.formula);
    auto isVarying = varying(nodes, r_.reducedCat());
    std::vector<const ir::Formula *> hoisted, inner;
    for (const ir::Formula *f : nodes)
      (isVarying.at(f) ? inner : hoisted).push_back(f);
    ExprEmitter exprs(scalar_, r_.dtype, [](int pos) { return "in" + std::to_string(pos); });

    out_.line(stateType(r_) + " state;");
    declareInputs(ir::Category::Param, "");
    auto rowLoop = out_.block("for (int64_t r = begin; r < end; ++r)");
    declareInputs(r_.outputCat(), "r");
    exprs.emit(hoisted, out_);
    out_.line("state.init();");
    {
      auto termLoop = out_.block("for (int64_t t = 0; t < a.reduced; ++t)");
      declareInputs(r_.reducedCat(), "t");
      exprs.emit(inner, out_);
      out_.line("state.add(" + termPointer(exprs) + ", t);");
    }
    emitFinish();
  }

  /// The row of F: an emitted array, or a leaf materialised here.
  std::string termPointer(ExprEmitter &exprs) {
    const ir::Formula *f = r_.formula;
    if (!f->children().empty())
      return exprs.arrayName(f);
    // Wide rows live in thread-local storage, as ExprEmitter's arrays do (dims reach 2^20).
    std::string storage = f->dim() > 1024 ? "static thread_local " : "";
    out_.line(storage + scalar_ + " term[" + std::to_string(f->dim()) + "];");
    out_.line("for (int64_t k = 0; k < " + std::to_string(f->dim()) + "; ++k)");
    out_.line("  term[k] = " + exprs.element(f, "k") + ";");
    return "term";
  }

  void emitFinish() {
    std::string values = std::to_string(r_.valuesPerRow());
    std::string indices = std::to_string(r_.indicesPerRow());
    switch (ir::reductionInfo(r_.kind).outputs) {
    case ir::OutputShape::Values:
      if (ir::reductionInfo(r_.kind).takesK)
        out_.line("state.finish(a.out0 + r * " + values + ", nullptr);");
      else
        out_.line("state.finish(a.out0 + r * " + values + ");");
      return;
    case ir::OutputShape::Indices:
      out_.line("state.finish(nullptr, a.out1 + r * " + indices + ");");
      return;
    case ir::OutputShape::ValuesAndIndices:
      out_.line("state.finish(a.out0 + r * " + values + ", a.out1 + r * " + indices + ");");
      return;
    case ir::OutputShape::Pair:
      out_.line("// not supported yet");
      return;
    }
  }

  /// The ArrayArg table of every input and output, for keops_rt::checkArrays.
  void emitArrayTable() {
    std::string rows = r_.axis == 1 ? "M" : "N";
    std::string size = "int64_t(sizeof(" + scalar_ + "))";
    out_.line("const keops_rt::ArrayArg arrays[] = {");
    for (size_t k = 0; k < r_.inputs.size(); ++k) {
      const ir::Input &in = r_.inputs[k];
      out_.line("    {\"" + in.name + "\", in" + std::to_string(k) + ", " + rowsOf(in.cat) + ", " +
                std::to_string(in.dim) + ", " + size + ", false},");
    }
    for (const CParam &p : signature(r_)) {
      if (p.bodyName == "out0")
        out_.line("    {\"" + p.headerName + "\", out0, " + rows + ", " +
                  std::to_string(r_.valuesPerRow()) + ", " + size + ", true},");
      if (p.bodyName == "out1")
        out_.line("    {\"" + p.headerName + "\", out1, " + rows + ", " +
                  std::to_string(r_.indicesPerRow()) + ", int64_t(sizeof(int64_t)), true},");
    }
    out_.line("};");
  }

  void emitCpuEntry() {
    auto fn = out_.block("extern \"C\" keops_status " + entryName(module_, r_, "_cpu") + "(" +
                         parameterList(r_, false) + ")");
    out_.line("const keops_rt::ErrorSink err{lastError, sizeof lastError};");
    out_.line("err.clear();");
    auto body = out_.block("return keops_rt::guarded(err, [&]() -> keops_status", ");");
    out_.line("keops_options o;");
    out_.line("keops_status status = keops_rt::checkOptions(opts, o, err);");
    out_.line("if (status != KEOPS_OK)");
    out_.line("  return status;");
    out_.line("if (M < 0 || N < 0)");
    out_.line("  return err.fail(KEOPS_ERROR_INVALID_SIZE, \"M and N must be >= 0, got M = %lld, "
              "N = %lld\", (long long)M, (long long)N);");
    if (!r_.cpuBackend) {
      out_.line("return err.fail(KEOPS_ERROR_BACKEND_UNAVAILABLE, \"" + r_.name +
                " was compiled without the cpu backend (backends option)\");");
      return;
    }
    bool hasOut0 = r_.valuesPerRow() > 0, hasOut1 = r_.indicesPerRow() > 0;
    if (!hasOut0)
      out_.line(scalar_ + " *out0 = nullptr;");
    if (!hasOut1)
      out_.line("int64_t *out1 = nullptr;");
    emitArrayTable();
    out_.line("status = keops_rt::checkArrays(arrays, int(sizeof arrays / sizeof arrays[0]), "
              "err);");
    out_.line("if (status != KEOPS_OK)");
    out_.line("  return status;");
    std::string reduced = r_.axis == 1 ? "N" : "M";
    std::string rows = r_.axis == 1 ? "M" : "N";
    if (ir::reductionInfo(r_.kind).takesK) {
      out_.line("if (" + std::to_string(r_.K) + " > " + reduced + ")");
      out_.line("  return err.fail(KEOPS_ERROR_K_TOO_LARGE, \"K = " + std::to_string(r_.K) +
                " is larger than the reduced length " + reduced + " = %lld\", (long long)" +
                reduced + ");");
    }
    std::string inputs;
    for (size_t k = 0; k < r_.inputs.size(); ++k)
      inputs += ", in" + std::to_string(k);
    out_.line("const " + prefix_ + "args a{" + rows + ", " + reduced + inputs + ", out0, out1};");
    out_.line("keops_rt::parallelRows(" + rows + ", double(" + reduced + ") * " +
              std::to_string(r_.formula->dim() + 1) + ", o.num_threads,");
    out_.line("                       [&](int64_t begin, int64_t end) { " + prefix_ +
              "rows(a, begin, end); });");
    out_.line("return KEOPS_OK;");
  }

  void emitDispatcher() {
    auto fn = out_.block("extern \"C\" keops_status " + entryName(module_, r_) + "(" +
                         parameterList(r_, false) + ")");
    out_.line("if (opts && opts->backend == KEOPS_BACKEND_CUDA)");
    out_.line("  return " + entryName(module_, r_, "_cuda") + "(" + argumentList(r_) + ");");
    out_.line("return " + entryName(module_, r_, "_cpu") + "(" + argumentList(r_) + ");");
  }

  const ir::Module &module_;
  const ir::Reduction &r_;
  IndentedWriter &out_;
  std::string prefix_;
  std::string scalar_;
};

} // namespace

std::string emitCpuSource(const ir::Module &module) {
  IndentedWriter out;
  out.line("// Generated by keopsc 0.1.0 from " + baseName(module.sourcePath) + ". Do not edit.");
  out.line("// Module " + module.name + ": CPU code and entry points.");
  out.raw(runtimeApiText());
  out.raw(runtimePreludeText());
  out.line();
  out.line("namespace {");
  out.line("// The message of this thread's last failed call (DESIGN.md §4).");
  out.line("thread_local char lastError[512];");
  out.line("} // namespace");
  out.line();
  out.line("extern \"C\" const char *" + module.name + "_last_error(void) { return lastError; }");
  out.line();
  for (const ir::Reduction &r : module.reductions) {
    ReductionEmitter(module, r, out).emit();
    out.line();
  }
  return out.str();
}

} // namespace keopsc::codegen
