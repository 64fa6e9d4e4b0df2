// Differential.cpp: keopsc_difffuzz, the end-to-end differential fuzzer (README, "Differential
// fuzzing"). It draws modules of random reductions (RandomModule.h), builds each with keopsc as a
// user would (Library.h), calls every entry point on fresh random data with poisoned outputs,
// and compares with the float64 reference of the same text (tests/conformance/reference) under
// SPEC.md §7.4's bounds, c_F widened by the rounding amplification it measures (Conditioning.h).
// Each module is built for one ISA path (x86-64, -v3 with AVX2, -v4 with AVX-512, in turn, those
// the CPU has), at -O1 but every fourth at keopsc's -O3; every fifth (--gpu-emulated-every) is
// also built with its CUDA code compiled for the CPU (--cuda-emulate) and its reductions called
// through their `_cuda` entry points, which run the GPU schedules on host memory. A failure
// prints the reduction, seed and sizes, keeps the module's folder, and makes the exit status 1.
#include "Conditioning.h"
#include "FormulaGenerator.h"
#include "Library.h"
#include "RandomModule.h"
#include "Storage.h"
#include "reference/Check.h"
#include "reference/Reference.h"
#include "reference/Suite.h"
#include "reference/Tolerance.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace keopsc;
using conformance::Storage;

namespace {

struct Options {
  std::string keopsc, work;
  std::string optimization = "-O1"; ///< every fourth module keeps keopsc's own -O3
  int64_t reductions = 200;         ///< stop after this many reductions compared
  int perModule = 40;
  uint64_t seed = 0;
  int64_t skip = 0;         ///< the first module's index (a failure's replay)
  int gpuEmulatedEvery = 5; ///< module index % this == this − 1: the emulated GPU; 0: never
  double maxSeconds = 0;    ///< 0: no limit
};

struct Stats {
  int64_t modules = 0, reductions = 0, calls = 0, skipped = 0, failures = 0;
  int64_t gpuEmulated = 0; ///< reductions compared through the emulated GPU's entry points
  std::map<std::string, int64_t> byKind, byDtype;
  std::set<ir::OpKind> ops; ///< operations in the compared reductions' formulas
};

/// One C array: its bytes, and (inputs) the float64 values the reference reads.
struct Array {
  std::vector<unsigned char> bytes;
  std::vector<double> values;
};

template <class Real> void fillArray(Array &a, size_t n, std::mt19937_64 &rng) {
  std::uniform_real_distribution<double> u(-2, 2);
  a.bytes.resize(n * sizeof(Real));
  a.values.resize(n);
  Real *data = reinterpret_cast<Real *>(a.bytes.data());
  for (size_t k = 0; k < n; ++k) {
    data[k] = Storage<Real>::fromDouble(u(rng));
    a.values[k] = Storage<Real>::toDouble(data[k]);
  }
}

template <class Real> std::vector<double> toDoubles(const Array &a) {
  const size_t n = a.bytes.size() / sizeof(Real);
  const Real *data = reinterpret_cast<const Real *>(a.bytes.data());
  std::vector<double> out(n);
  for (size_t k = 0; k < n; ++k)
    out[k] = Storage<Real>::toDouble(data[k]);
  return out;
}

void fillInput(ir::Dtype dtype, Array &a, size_t n, std::mt19937_64 &rng) {
  if (dtype == ir::Dtype::Float64)
    fillArray<double>(a, n, rng);
  else if (dtype == ir::Dtype::Float32)
    fillArray<float>(a, n, rng);
  else
    fillArray<uint16_t>(a, n, rng);
}

std::vector<double> outputValues(ir::Dtype dtype, const Array &a) {
  return dtype == ir::Dtype::Float64   ? toDoubles<double>(a)
         : dtype == ir::Dtype::Float32 ? toDoubles<float>(a)
                                       : toDoubles<uint16_t>(a);
}

size_t elementSize(ir::Dtype dtype) {
  return dtype == ir::Dtype::Float16 ? 2 : dtype == ir::Dtype::Float32 ? 4 : 8;
}

int64_t rowsOf(ir::Category cat, int64_t M, int64_t N) {
  return cat == ir::Category::I ? M : cat == ir::Category::J ? N : 1;
}

/// One module's context for failure reports.
struct ModuleRun {
  std::string dir, isa;
  bool gpuEmulated = false;    ///< the `_cuda` entry points, on the emulated GPU
  uint64_t base = 0, seed = 0; ///< the run's --seed, and this module's (base + index)
  int64_t index = 0;
  bool failed = false;
};

class EntryTester {
public:
  EntryTester(const ir::EntryPoint &entry, difffuzz::Caller caller,
              const difffuzz::Library &library, ModuleRun &run, Stats &stats, std::mt19937_64 &rng)
      : entry_(entry), stage_(entry.mainStage()), caller_(caller), library_(library), run_(run),
        stats_(stats), rng_(rng) {}

  void test() {
    bool compared = false;
    const int problems = chance(0.3) ? 2 : 1;
    for (int p = 0; p < problems; ++p)
      compared |= testProblem(p == 1);
    if (compared) {
      ++stats_.reductions;
      stats_.gpuEmulated += run_.gpuEmulated && entry_.cudaBackend ? 1 : 0;
      ++stats_.byKind[ir::reductionInfo(stage_.kind).name];
      ++stats_.byDtype[ir::dtypeName(entry_.dtype)];
      for (const ir::Formula *root : {stage_.formula, stage_.weight})
        if (root)
          for (const ir::Formula *f : ir::postOrder(root))
            stats_.ops.insert(f->kind());
    }
  }

private:
  /// One call on fresh data; whether it was compared (not skipped as ill-conditioned).
  bool testProblem(bool medium) {
    const int64_t lo = medium ? 25 : 1, hi = medium ? 200 : 24;
    int64_t M = size(lo, hi), N = size(lo, hi);
    // The conditioning pass keeps every pair's values: at most 2^23 doubles (64 MiB), or a wide
    // formula (a Kron, a TensorProd of TensorProds) at 200 x 200 exhausts memory (run 15000000,
    // module 8: std::bad_alloc).
    const int64_t perPair = stage_.formula->dim() + (stage_.weight ? stage_.weight->dim() : 0);
    while (M * N * perPair > (int64_t(1) << 23) && (M > 1 || N > 1))
      (M >= N ? M : N) = (std::max(M, N) + 1) / 2;
    int64_t &reduced = stage_.axis == 1 ? N : M;
    if (stage_.K > 0)
      reduced = std::max<int64_t>(reduced, stage_.K);
    else if (!medium && chance(0.05))
      reduced = 0; // an empty reduction: the neutral values
    const double uc =
        entry_.dtype == ir::Dtype::Float64 ? std::ldexp(1.0, -53) : std::ldexp(1.0, -24);
    const double limit = entry_.dtype == ir::Dtype::Float64 ? 1e300 : 1e30;
    const double ud = conformance::unitRoundoff(entry_.dtype);
    std::vector<Array> inputs;
    conformance::Problem problem;
    double amplification = INFINITY;
    for (int attempt = 0; attempt < 4 && !(amplification * uc <= 0x1p-10); ++attempt) {
      drawInputs(M, N, inputs, problem);
      amplification = difffuzz::roundingAmplification(entry_, problem, uc, limit, rng_);
    }
    if (!(amplification * uc <= 0x1p-10)) {
      ++stats_.skipped;
      return false;
    }
    const conformance::Reference ref = conformance::computeReferences({&entry_}, problem).at(0);
    const double smallestNormal = entry_.dtype == ir::Dtype::Float64
                                      ? std::numeric_limits<double>::min()
                                      : std::numeric_limits<float>::min();
    if ((entry_.dtype == ir::Dtype::Float16 &&
         (pastBinary16(ref.values) || pastBinary16(ref.shifted))) ||
        difffuzz::shiftedTermsUnderflow(entry_, problem, smallestNormal, uc)) {
      ++stats_.skipped;
      return false;
    }
    std::vector<Array> outputs;
    std::vector<void *> args;
    for (Array &a : inputs)
      args.push_back(a.bytes.data());
    for (const ir::Output &o : entry_.outputs) {
      if (!ir::isCArgument(o))
        continue;
      Array &a = outputs.emplace_back();
      a.bytes.assign(static_cast<size_t>(rowsOf(o.rows, M, N) * o.width) * elementSize(o.dtype),
                     o.dtype == ir::Dtype::Int64 ? 0x5a : 0xff); // poison: NaN, or bad indices
    }
    for (Array &a : outputs)
      args.push_back(a.bytes.empty() ? nullptr : a.bytes.data());
    keops_options opts = KEOPS_OPTIONS_DEFAULT;
    opts.num_threads = static_cast<int32_t>(size(0, 3));
    const keops_status status = caller_(M, N, args.data(), &opts);
    ++stats_.calls;
    std::ostringstream where;
    where << "M = " << M << ", N = " << N << ", threads " << opts.num_threads;
    if (status != KEOPS_OK) {
      fail(where.str() + ": status " + std::to_string(status) + ": " + library_.lastError());
      return true;
    }
    check(ref, problem, outputs, amplification * uc / ud * 2, where.str());
    return true;
  }

  /// Whether a float16 output would overflow: values past what binary16 holds once rounded
  /// (the pair's shifted sums too: a weight of 1/x makes them large).
  static bool pastBinary16(const std::vector<double> &values) {
    for (double v : values)
      if (std::fabs(v) > 3e4)
        return true;
    return false;
  }

  void drawInputs(int64_t M, int64_t N, std::vector<Array> &inputs, conformance::Problem &problem) {
    inputs.clear();
    problem = conformance::Problem{};
    problem.M = M, problem.N = N;
    for (const ir::Input &input : entry_.inputs) {
      Array &a = inputs.emplace_back();
      fillInput(input.dtype, a, static_cast<size_t>(rowsOf(input.cat, M, N) * input.dim), rng_);
    }
    for (const Array &a : inputs)
      problem.inputs.push_back(a.values.empty() ? nullptr : a.values.data());
  }

  void check(const conformance::Reference &ref, const conformance::Problem &problem,
             const std::vector<Array> &outputs, double minFormulaConstant,
             const std::string &where) {
    std::vector<double> values, shifted;
    std::vector<int64_t> indices;
    conformance::Got got;
    size_t k = 0;
    for (const ir::Output &o : entry_.outputs) {
      if (!ir::isCArgument(o))
        continue;
      const Array &a = outputs[k++];
      if (o.role == ir::OutputRole::Indices) {
        indices.resize(a.bytes.size() / 8);
        std::memcpy(indices.data(), a.bytes.data(), a.bytes.size());
        got.indices = indices.data();
      } else if (o.role == ir::OutputRole::ShiftedSum) {
        shifted = outputValues(o.dtype, a);
        got.shifted = shifted.data();
      } else {
        values = outputValues(o.dtype, a);
        got.values = values.data();
      }
    }
    // Empty outputs still need non-null pointers to say which outputs exist.
    static double none = 0;
    static int64_t noIndex = 0;
    if (stage_.valuesPerRow() > 0 && !got.values)
      got.values = &none;
    if (stage_.indicesPerRow() > 0 && !got.indices)
      got.indices = &noIndex;
    std::vector<std::string> mismatches;
    conformance::checkOutputs(
        ref, problem, got,
        [&](const std::string &m) {
          if (mismatches.size() < 4)
            mismatches.push_back(m);
        },
        conformance::Widening{minFormulaConstant, 0, difffuzz::termsRound(entry_)});
    if (!mismatches.empty()) {
      std::string text = where + " (c_F at least " + std::to_string(minFormulaConstant) + "):";
      for (const std::string &m : mismatches)
        text += "\n    " + m;
      fail(text);
    }
  }

  void fail(const std::string &what) {
    ++stats_.failures;
    run_.failed = true;
    std::printf("FAIL: module %s (%s; replay: --seed %llu --skip %lld), reduction %s = %s\n  %s\n",
                run_.dir.c_str(), (run_.isa + (run_.gpuEmulated ? ", emulated GPU" : "")).c_str(),
                static_cast<unsigned long long>(run_.base), static_cast<long long>(run_.index),
                entry_.name.c_str(), entry_.sourceText.c_str(), what.c_str());
    std::fflush(stdout);
  }

  int64_t size(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  const ir::EntryPoint &entry_;
  const ir::Stage &stage_;
  difffuzz::Caller caller_;
  const difffuzz::Library &library_;
  ModuleRun &run_;
  Stats &stats_;
  std::mt19937_64 &rng_;
};

/// The ISA paths modules take in turn (keopsc's --target for one path): those this CPU runs,
/// capped like the libraries' dispatch by KEOPSC_ISA=avx2 or =baseline.
std::vector<std::string> targets() {
  const char *cap = std::getenv("KEOPSC_ISA");
  const std::string limit = cap ? cap : "";
  std::vector<std::string> out = {"x86-64"};
  __builtin_cpu_init();
  if (__builtin_cpu_supports("x86-64-v3") && limit != "baseline")
    out.push_back("x86-64-v3");
  if (__builtin_cpu_supports("x86-64-v4") && limit != "baseline" && limit != "avx2")
    out.push_back("x86-64-v4");
  return out;
}

/// Builds and tests module `index`; false when it could not be built (a failure too).
void runModule(const Options &options, int64_t index, Stats &stats) {
  ModuleRun run;
  run.base = options.seed, run.index = index;
  run.seed = options.seed + static_cast<uint64_t>(index);
  static const std::vector<std::string> paths = targets();
  run.isa = paths[static_cast<size_t>(index) % paths.size()];
  run.gpuEmulated = options.gpuEmulatedEvery > 0 &&
                    index % options.gpuEmulatedEvery == options.gpuEmulatedEvery - 1;
  const std::string name = "df" + std::to_string(run.seed);
  run.dir = options.work + "/" + name;
  std::filesystem::create_directories(run.dir);
  const difffuzz::DrawnModule drawn = difffuzz::drawModule(run.seed, options.perModule);
  const std::string kfl = run.dir + "/" + name + ".kfl";
  std::ofstream(kfl) << drawn.text;
  ++stats.modules;

  std::ostringstream errors;
  auto suite = conformance::Suite::load(kfl, name, run.dir, errors);
  std::vector<const ir::EntryPoint *> entries;
  for (const std::string &reduction : drawn.names)
    entries.push_back(suite ? suite->entry(reduction) : nullptr);
  std::string error;
  std::unique_ptr<difffuzz::Library> library;
  if (!suite)
    error = "the frontend rejects the drawn text:\n" + errors.str();
  else {
    const difffuzz::Library::Build how{options.keopsc, run.isa,
                                       index % 4 == 3 ? "" : options.optimization, run.gpuEmulated};
    library = difffuzz::Library::build(how, kfl, run.dir, name, entries, error);
  }
  if (!library) {
    ++stats.failures;
    std::printf("FAIL: module %s (replay: --seed %llu --skip %lld): %s\n", run.dir.c_str(),
                static_cast<unsigned long long>(run.base), static_cast<long long>(run.index),
                error.c_str());
    return;
  }
  std::mt19937_64 rng(run.seed * 0x2545F4914F6CDD1Dull + 1);
  for (size_t k = 0; k < entries.size(); ++k)
    EntryTester(*entries[k], library->caller(k), *library, run, stats, rng).test();
  if (!run.failed)
    std::filesystem::remove_all(run.dir);
}

int usage(const char *message) {
  std::fprintf(stderr,
               "%s\nusage: keopsc_difffuzz --keopsc PATH --work DIR [--reductions N] "
               "[--per-module R] [--seed S] [--skip I] [--max-seconds T] [--opt -O1] "
               "[--gpu-emulated-every K (5; 0: never)]\n",
               message);
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  options.seed = static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--keopsc")
      options.keopsc = value;
    else if (key == "--work")
      options.work = value;
    else if (key == "--reductions")
      options.reductions = std::stoll(value);
    else if (key == "--per-module")
      options.perModule = std::stoi(value);
    else if (key == "--seed")
      options.seed = std::stoull(value);
    else if (key == "--max-seconds")
      options.maxSeconds = std::stod(value);
    else if (key == "--skip")
      options.skip = std::stoll(value);
    else if (key == "--opt")
      options.optimization = value;
    else if (key == "--gpu-emulated-every")
      options.gpuEmulatedEvery = std::stoi(value);
    else
      return usage(("unknown option " + key).c_str());
  }
  if (argc % 2 == 0 || options.keopsc.empty() || options.work.empty() || options.perModule < 1)
    return usage("--keopsc and --work are required");
  std::printf("keopsc_difffuzz: seed %llu (replay with --seed), %d reductions a module\n",
              static_cast<unsigned long long>(options.seed), options.perModule);
  std::fflush(stdout);
  const auto start = std::chrono::steady_clock::now();
  Stats stats;
  // A module that fails to build compares nothing: stop after a few such failures.
  for (int64_t index = options.skip; stats.reductions < options.reductions && stats.failures < 20;
       ++index) {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.maxSeconds > 0 && elapsed > options.maxSeconds)
      break;
    runModule(options, index, stats);
    if (stats.modules % 20 == 0) { // progress, for long runs
      std::printf("... %lld modules, %lld reductions compared (%lld on the emulated GPU), %lld "
                  "failures, %.0f s\n",
                  static_cast<long long>(stats.modules), static_cast<long long>(stats.reductions),
                  static_cast<long long>(stats.gpuEmulated), static_cast<long long>(stats.failures),
                  elapsed);
      std::fflush(stdout);
    }
  }
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%lld modules, %lld reductions compared (%lld calls), %lld problems skipped as "
              "ill-conditioned, %lld failures, %.0f s\n",
              static_cast<long long>(stats.modules), static_cast<long long>(stats.reductions),
              static_cast<long long>(stats.calls), static_cast<long long>(stats.skipped),
              static_cast<long long>(stats.failures), elapsed);
  for (const auto &[kind, count] : stats.byKind)
    std::printf("  %-22s %lld\n", kind.c_str(), static_cast<long long>(count));
  for (const auto &[dtype, count] : stats.byDtype)
    std::printf("  %-22s %lld\n", dtype.c_str(), static_cast<long long>(count));
  std::printf("  %-22s %lld\n", "on the emulated GPU", static_cast<long long>(stats.gpuEmulated));
  std::string missing;
  for (ir::OpKind kind : testgen::generatableOps())
    if (!stats.ops.count(kind))
      missing += std::string(" ") + ir::opInfo(kind).name;
  std::printf("%zu operations occurred in compared formulas; never:%s\n", stats.ops.size(),
              missing.empty() ? " (none)" : missing.c_str());
  return stats.failures ? 1 : 0;
}
