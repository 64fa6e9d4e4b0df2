// The PyTorch face of a generated library (`keopsc --emit=torch`): one operator per entry point,
// `torch.ops.<module>.<reduction>(tensors..., *, backend, device_id, ranges, M, N)`, with an
// autograd rule built from the module's gradient entry points. keopsc pastes this file into the
// extension source after the module's header and its tables (a Module of Reductions); it needs
// libtorch's headers and nothing else of keopsc.
//
// Shapes: a Vi(d) input is (M, d), a Vj(d) input (N, d), a Pm(d) input (d) (a 0-d tensor when
// d = 1). A leading batch dimension (B, M, d) / (B, d) runs a batch (SPEC.md §5.4); inputs
// without it are shared by every batch. Outputs are (M or N, width), or (B, ..., width).
#pragma once

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/library.h>
#ifdef KEOPSC_TORCH_CUDA
#include <c10/cuda/CUDAStream.h>
#endif

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace keops_torch {

/// One C input: its name in the schema, its category ('i', 'j', 'p') and per-row width.
struct ArrayInfo {
  const char *name;
  char cat;
  int64_t dim;
};

/// One C output: rows 'i' (M), 'j' (N) or 'p' (one row: a Pm gradient), width per row, whether
/// it holds int64 indices, and for a Pm gradient the input whose batch sharing it follows.
struct OutputInfo {
  const char *name;
  char rows;
  int64_t width;
  bool index;
  int sharedAs;
};

/// The entry point with typed pointers cast from `in` and `out` (generated per entry point).
using Thunk = keops_status (*)(int64_t M, int64_t N, const void *const *in, void *const *out,
                               const keops_options *opts);

struct Reduction {
  const char *name;   ///< the operator's name: torch.ops.<module>.<name>
  const char *schema; ///< its full schema
  c10::ScalarType dtype;
  int nin;
  const ArrayInfo *inputs;
  int nout;
  const OutputInfo *outputs;
  Thunk call;
  int values;             ///< the output gradients flow back from; -1: none (indices only)
  const int *gradients;   ///< per input: the Reduction computing Grad(this, input), or -1
  const char *noGradient; ///< why an input has no gradient entry point
};

struct Module {
  const char *name;
  const Reduction *reductions;
  int count;
  const char *(*lastError)(void);
};

/// The keyword arguments every operator takes.
struct CallOptions {
  std::string backend = "auto";
  int64_t deviceId = -1;
  c10::optional<std::vector<at::Tensor>> ranges;
  c10::optional<int64_t> M, N;
};

namespace detail {

inline std::string inputLabel(const Reduction &r, int k) {
  return std::string(r.name) + "'s input " + std::to_string(k) + " (" + r.inputs[k].name + ")";
}

/// The batch of input k: its leading dimension when it has one (B), else 0 (shared).
inline int64_t batchOf(const Reduction &r, int k, const at::Tensor &t) {
  const ArrayInfo &a = r.inputs[k];
  const int64_t plain = a.cat == 'p' ? 1 : 2;
  const bool scalar = a.cat == 'p' && a.dim == 1 && t.dim() == 0;
  TORCH_CHECK(scalar || t.dim() == plain || t.dim() == plain + 1, inputLabel(r, k), " must be ",
              a.cat == 'p' ? "(" : (a.cat == 'i' ? "(M, " : "(N, "), a.dim,
              ") or have a leading batch dimension; got a tensor of shape ", t.sizes());
  TORCH_CHECK(scalar || t.size(-1) == a.dim, inputLabel(r, k), " must have ", a.dim,
              " components in its last dimension; got shape ", t.sizes());
  return !scalar && t.dim() == plain + 1 ? t.size(0) : 0;
}

inline c10::ScalarType indexType() { return at::kLong; }

/// The rows of category `cat` ('i' or 'j') that the inputs agree on, else `given`.
inline int64_t rowsOf(const Reduction &r, const std::vector<at::Tensor> &inputs, char cat,
                      const c10::optional<int64_t> &given) {
  int64_t rows = -1;
  for (int k = 0; k < r.nin; ++k) {
    if (r.inputs[k].cat != cat)
      continue;
    int64_t here = inputs[k].size(-2);
    TORCH_CHECK(rows < 0 || here == rows, r.name, ": the ", cat == 'i' ? "Vi" : "Vj",
                " inputs disagree on their number of rows (", rows, " and ", here, ")");
    rows = here;
  }
  if (given) {
    TORCH_CHECK(*given >= 0, r.name, ": ", cat == 'i' ? "M" : "N", " must be non-negative");
    TORCH_CHECK(rows < 0 || rows == *given, r.name, ": ", cat == 'i' ? "M" : "N", " = ", *given,
                " disagrees with the inputs' ", rows, " rows");
    rows = *given;
  }
  TORCH_CHECK(
      rows >= 0, r.name, " reads no ",
      cat == 'i' ? "Vi input: pass M=" : "Vj input: pass N=", " to give the number of rows");
  return rows;
}

inline int32_t backendOf(const std::string &name, const at::Device &device) {
  if (name == "auto")
    return device.is_cuda() ? KEOPS_BACKEND_CUDA : KEOPS_BACKEND_CPU;
  if (name == "cpu" || name == "CPU")
    return KEOPS_BACKEND_CPU;
  if (name == "cuda" || name == "gpu" || name == "GPU")
    return KEOPS_BACKEND_CUDA;
  TORCH_CHECK(false, "keopsc: unknown backend '", name, "' (auto, cpu or cuda)");
  return KEOPS_BACKEND_AUTO;
}

/// KeOps's 6-tuple of int64 CPU tensors, checked for shape here and for content by the entry
/// point (SPEC.md §5.3).
struct RangesHolder {
  std::vector<at::Tensor> tensors;
  keops_ranges ranges{};
};

inline void readRanges(const Reduction &r, const std::vector<at::Tensor> &given,
                       RangesHolder &out) {
  TORCH_CHECK(given.size() == 6, r.name,
              ": ranges must be KeOps's 6 tensors (ranges_i, slices_i, redranges_j, ranges_j, "
              "slices_j, redranges_i); got ",
              given.size());
  static const char *names[] = {"ranges_i", "slices_i", "redranges_j",
                                "ranges_j", "slices_j", "redranges_i"};
  for (int k = 0; k < 6; ++k) {
    const at::Tensor &t = given[k];
    const bool pairs = k != 1 && k != 4;
    TORCH_CHECK(t.scalar_type() == at::kLong && t.device().is_cpu(), r.name, ": ", names[k],
                " must be an int64 CPU tensor");
    TORCH_CHECK(pairs ? (t.dim() == 2 && t.size(1) == 2) : t.dim() == 1, r.name, ": ", names[k],
                pairs ? " must have shape (n, 2)" : " must have shape (n)", "; got ", t.sizes());
    out.tensors.push_back(t.contiguous());
  }
  auto data = [&](int k) { return out.tensors[k].data_ptr<int64_t>(); };
  out.ranges.nranges_i = out.tensors[0].size(0);
  out.ranges.ranges_i = data(0);
  out.ranges.slices_i = data(1);
  out.ranges.nredranges_j = out.tensors[2].size(0);
  out.ranges.redranges_j = data(2);
  out.ranges.nranges_j = out.tensors[3].size(0);
  out.ranges.ranges_j = data(3);
  out.ranges.slices_j = data(4);
  out.ranges.nredranges_i = out.tensors[5].size(0);
  out.ranges.redranges_i = data(5);
  TORCH_CHECK(out.tensors[1].size(0) == out.ranges.nranges_i &&
                  out.tensors[4].size(0) == out.ranges.nranges_j,
              r.name, ": slices_i (slices_j) must have one entry per row of ranges_i (ranges_j)");
}

/// The shape of output `o` for M, N rows and batch B (0: none), given which inputs are shared.
inline std::vector<int64_t> outputShape(const OutputInfo &o, int64_t M, int64_t N, int64_t B,
                                        const std::vector<uint8_t> &shared) {
  std::vector<int64_t> shape;
  const bool perBatch = B > 0 && !(o.rows == 'p' && o.sharedAs >= 0 && shared[o.sharedAs]);
  if (perBatch)
    shape.push_back(B);
  if (o.rows != 'p')
    shape.push_back(o.rows == 'i' ? M : N);
  shape.push_back(o.width);
  return shape;
}

} // namespace detail

/// Calls reduction `index` of `module` on `given` (no autograd): checks dtypes, devices and
/// shapes, makes the inputs contiguous, allocates the outputs and runs the entry point.
inline std::vector<at::Tensor> run(const Module &module, int index,
                                   const std::vector<at::Tensor> &given, const CallOptions &opts) {
  const Reduction &r = module.reductions[index];
  TORCH_CHECK(static_cast<int>(given.size()) == r.nin, r.name, " takes ", r.nin, " tensors; got ",
              given.size());
  at::Device device(at::kCPU);
  int64_t B = 0;
  std::vector<at::Tensor> inputs;
  for (int k = 0; k < r.nin; ++k) {
    const at::Tensor &t = given[k];
    TORCH_CHECK(t.defined(), detail::inputLabel(r, k), " is undefined");
    TORCH_CHECK(t.scalar_type() == r.dtype, detail::inputLabel(r, k), " must be ", r.dtype,
                " (the reduction's dtype); got ", t.scalar_type());
    if (k == 0)
      device = t.device();
    TORCH_CHECK(t.device() == device, r.name, ": every input must be on one device; input 0 is on ",
                device, ", ", detail::inputLabel(r, k), " on ", t.device());
    int64_t b = detail::batchOf(r, k, t);
    TORCH_CHECK(b == 0 || B == 0 || b == B, r.name, ": inputs disagree on the batch size (", B,
                " and ", b, ")");
    B = b ? b : B;
    inputs.push_back(t.contiguous());
  }
  std::vector<uint8_t> shared(static_cast<size_t>(r.nin), 0);
  for (int k = 0; k < r.nin && B > 0; ++k)
    shared[k] = detail::batchOf(r, k, inputs[k]) == 0;
  const int64_t M = detail::rowsOf(r, inputs, 'i', opts.M);
  const int64_t N = detail::rowsOf(r, inputs, 'j', opts.N);

  std::vector<at::Tensor> outputs;
  std::vector<const void *> in;
  std::vector<void *> out;
  for (const at::Tensor &t : inputs)
    in.push_back(t.data_ptr());
  for (int k = 0; k < r.nout; ++k) {
    const OutputInfo &o = r.outputs[k];
    auto type = at::TensorOptions().device(device).dtype(o.index ? detail::indexType() : r.dtype);
    outputs.push_back(at::empty(detail::outputShape(o, M, N, B, shared), type));
    out.push_back(outputs.back().data_ptr());
  }

  keops_options o = KEOPS_OPTIONS_DEFAULT;
  o.backend = detail::backendOf(opts.backend, device);
  o.num_threads = at::get_num_threads();
  o.batch = B;
  o.batch_shared = B > 0 ? shared.data() : nullptr;
  if (device.is_cuda()) {
#ifdef KEOPSC_TORCH_CUDA
    o.device_id = opts.deviceId >= 0 ? static_cast<int32_t>(opts.deviceId) : device.index();
    o.stream = c10::cuda::getCurrentCUDAStream(device.index()).stream();
#else
    TORCH_CHECK(false, r.name,
                ": CUDA tensors need an extension built against a PyTorch with CUDA");
#endif
  } else {
    o.device_id = static_cast<int32_t>(opts.deviceId);
  }
  detail::RangesHolder ranges;
  if (opts.ranges) {
    detail::readRanges(r, *opts.ranges, ranges);
    o.ranges = &ranges.ranges;
  }
  keops_status status = r.call(M, N, in.data(), out.data(), &o);
  TORCH_CHECK(status == KEOPS_OK, module.name, "_", r.name, ": ", module.lastError());
  return outputs;
}

std::vector<at::Tensor> runDifferentiable(const Module &module, int index,
                                          const std::vector<at::Tensor> &inputs,
                                          const CallOptions &opts);

/// The autograd node of one call: saves the inputs, and in backward calls the gradient entry
/// points (through runDifferentiable, so that a graph of the backward is built when asked).
struct ReductionFunction : public torch::autograd::Function<ReductionFunction> {
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext *ctx,
                                                const Module *module, int64_t index,
                                                at::TensorList inputs, const CallOptions &opts) {
    const Reduction &r = module->reductions[index];
    std::vector<at::Tensor> outputs = run(*module, static_cast<int>(index), inputs.vec(), opts);
    ctx->save_for_backward(inputs.vec());
    ctx->saved_data["module"] = reinterpret_cast<int64_t>(module);
    ctx->saved_data["index"] = index;
    ctx->saved_data["backend"] = opts.backend;
    ctx->saved_data["device_id"] = opts.deviceId;
    ctx->saved_data["M"] = opts.M ? c10::IValue(*opts.M) : c10::IValue();
    ctx->saved_data["N"] = opts.N ? c10::IValue(*opts.N) : c10::IValue();
    ctx->saved_data["ranges"] = opts.ranges ? c10::IValue(*opts.ranges) : c10::IValue();
    for (int k = 0; k < r.nout; ++k)
      if (k != r.values)
        ctx->mark_non_differentiable({outputs[k]});
    return outputs;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                 torch::autograd::variable_list grads) {
    const Module &module = *reinterpret_cast<const Module *>(ctx->saved_data["module"].toInt());
    const int index = static_cast<int>(ctx->saved_data["index"].toInt());
    const Reduction &r = module.reductions[index];
    CallOptions opts;
    opts.backend = ctx->saved_data["backend"].toStringRef();
    opts.deviceId = ctx->saved_data["device_id"].toInt();
    if (!ctx->saved_data["M"].isNone())
      opts.M = ctx->saved_data["M"].toInt();
    if (!ctx->saved_data["N"].isNone())
      opts.N = ctx->saved_data["N"].toInt();
    if (!ctx->saved_data["ranges"].isNone())
      opts.ranges = ctx->saved_data["ranges"].toTensorVector();
    std::vector<at::Tensor> inputs = ctx->get_saved_variables();
    // forward's arguments: module, index, the inputs, opts.
    torch::autograd::variable_list result(static_cast<size_t>(r.nin) + 3);
    at::Tensor e = r.values >= 0 ? grads[r.values] : at::Tensor();
    if (!e.defined())
      return result; // no gradient flows in: every input's is zero
    inputs.push_back(e.contiguous());
    for (int k = 0; k < r.nin; ++k) {
      if (!ctx->needs_input_grad(static_cast<size_t>(k))) // edges: the tensors only
        continue;
      TORCH_CHECK(r.gradients[k] >= 0, module.name, ".", r.name,
                  " has no gradient with respect to ", r.inputs[k].name, ": ", r.noGradient);
      at::Tensor g = runDifferentiable(module, r.gradients[k], inputs, opts)[0];
      const at::Tensor &x = inputs[k];
      // A Vi or Vj input shared by every batch gets one gradient per batch: their sum is its own.
      if (x.numel() > 0 && g.numel() != x.numel() && g.numel() % x.numel() == 0) {
        std::vector<int64_t> perBatch = {-1};
        for (int64_t size : x.sizes())
          perBatch.push_back(size);
        g = g.reshape(perBatch).sum(0);
      }
      TORCH_CHECK(g.numel() == x.numel(), module.name, ".", r.name,
                  ": the gradient with respect to ", r.inputs[k].name, " has shape ", g.sizes(),
                  ", the input ", x.sizes());
      result[static_cast<size_t>(k) + 2] = g.reshape(x.sizes());
    }
    return result;
  }
};

/// `run` recorded for autograd when grad mode is on and an input requires a gradient.
inline std::vector<at::Tensor> runDifferentiable(const Module &module, int index,
                                                 const std::vector<at::Tensor> &inputs,
                                                 const CallOptions &opts) {
  const bool record = at::GradMode::is_enabled() &&
                      std::any_of(inputs.begin(), inputs.end(),
                                  [](const at::Tensor &t) { return t.requires_grad(); });
  if (!record)
    return run(module, index, inputs, opts);
  return ReductionFunction::apply(&module, static_cast<int64_t>(index), at::TensorList(inputs),
                                  opts);
}

/// The boxed kernel of one operator: pops the tensors and keywords its schema declares.
class ReductionKernel : public c10::OperatorKernel {
public:
  ReductionKernel(const Module &module, int index) : module_(module), index_(index) {}

  void operator()(const c10::OperatorHandle &, c10::DispatchKeySet, torch::jit::Stack *stack) {
    const Reduction &r = module_.reductions[index_];
    const size_t count = static_cast<size_t>(r.nin) + 5;
    auto args = torch::jit::last(*stack, count);
    std::vector<at::Tensor> inputs;
    for (int k = 0; k < r.nin; ++k)
      inputs.push_back(args[k].toTensor());
    CallOptions opts;
    opts.backend = args[r.nin].toStringRef();
    opts.deviceId = args[r.nin + 1].toInt();
    if (!args[r.nin + 2].isNone())
      opts.ranges = args[r.nin + 2].toTensorVector();
    if (!args[r.nin + 3].isNone())
      opts.M = args[r.nin + 3].toInt();
    if (!args[r.nin + 4].isNone())
      opts.N = args[r.nin + 4].toInt();
    std::vector<at::Tensor> outputs = runDifferentiable(module_, index_, inputs, opts);
    torch::jit::drop(*stack, count);
    for (at::Tensor &t : outputs)
      torch::jit::push(*stack, std::move(t));
  }

private:
  const Module &module_;
  int index_;
};

/// Defines every reduction's operator in the library's namespace.
inline void registerModule(torch::Library &library, const Module &module) {
  for (int k = 0; k < module.count; ++k)
    library.def(module.reductions[k].schema, torch::CppFunction::makeFromBoxedFunctor(
                                                 std::make_unique<ReductionKernel>(module, k)));
}

} // namespace keops_torch
