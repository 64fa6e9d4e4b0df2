// GpuBench.cpp: issue 12's GPU targets, timed with CUDA events on the caller's stream (the
// `_cuda` entry points on device data): the Gaussian sum and LogSumExp at M = N = 10^6 (D = 3,
// float32) with each cuda_scheme, and k-NN (K = 10) of 10^4 queries among 10^6 points. Each
// figure is the best of 3 runs after a warm-up; the LogSumExp / Gaussian ratio is printed. It
// needs a GPU (exit 77 without one). Usage: gpu_bench [--scale S] (sizes divided by S).
#include "gpu_bench_kernels.h" // module gpu_bench_kernels: add_keops_kernels names it after the target

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cuda_runtime.h>
#include <functional>
#include <random>
#include <vector>

namespace {

float *deviceRandom(int64_t count, std::mt19937 &rng) {
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  std::vector<float> host(size_t(count > 0 ? count : 1));
  for (float &v : host)
    v = unit(rng);
  float *device = nullptr;
  if (cudaMalloc(&device, host.size() * sizeof(float)) != cudaSuccess) {
    std::fprintf(stderr, "cudaMalloc failed\n");
    std::exit(1);
  }
  cudaMemcpy(device, host.data(), host.size() * sizeof(float), cudaMemcpyHostToDevice);
  return device;
}

/// Milliseconds of the fastest of 3 runs of `call` (after one warm-up), or -1 on failure.
double bestMs(const std::function<keops_status()> &call, cudaStream_t stream) {
  if (call() != KEOPS_OK) {
    std::printf("  failed: %s\n", gpu_bench_kernels_last_error());
    return -1;
  }
  cudaStreamSynchronize(stream);
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  double best = 1e30;
  for (int run = 0; run < 3; ++run) {
    cudaEventRecord(start, stream);
    call();
    cudaEventRecord(stop, stream);
    cudaEventSynchronize(stop);
    float ms = 0;
    cudaEventElapsedTime(&ms, start, stop);
    best = ms < best ? ms : best;
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return best;
}

} // namespace

int main(int argc, char **argv) {
  int64_t scale = argc == 3 && std::strcmp(argv[1], "--scale") == 0 ? std::atoll(argv[2]) : 1;
  scale = scale > 0 ? scale : 1;
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("skipped: no GPU is visible\n");
    return 77;
  }
  cudaDeviceProp prop;
  cudaGetDeviceProperties(&prop, 0);
  std::printf("GPU: %s, %d SMs\n", prop.name, prop.multiProcessorCount);
  std::mt19937 rng(42);
  const int64_t M = 1000000 / scale, N = 1000000 / scale, Q = 10000 / scale;
  float *x = deviceRandom(M * 3, rng), *y = deviceRandom(N * 3, rng), *b = deviceRandom(N, rng);
  float *g = deviceRandom(1, rng), *out = deviceRandom(M, rng);
  int64_t *indices = nullptr;
  cudaMalloc(&indices, size_t(Q * 10) * sizeof(int64_t));
  cudaStream_t stream;
  cudaStreamCreate(&stream);
  keops_options opts = KEOPS_OPTIONS_DEFAULT;
  opts.stream = stream;

  const char *schemes[] = {"auto", "1D", "2D"};
  double gauss = -1, lse = -1;
  for (int32_t scheme : {KEOPS_CUDA_AUTO, KEOPS_CUDA_1D, KEOPS_CUDA_2D}) {
    opts.cuda_scheme = scheme;
    const double tg =
        bestMs([&] { return gpu_bench_kernels_gauss_cuda(M, N, x, y, b, g, out, &opts); }, stream);
    const double tl =
        bestMs([&] { return gpu_bench_kernels_lse_cuda(M, N, x, y, b, g, out, &opts); }, stream);
    std::printf("%-4s Gaussian sum %lld x %lld: %9.2f ms   LogSumExp: %9.2f ms   ratio %.2f\n",
                schemes[scheme], (long long)M, (long long)N, tg, tl, tg > 0 ? tl / tg : 0.0);
    if (scheme == KEOPS_CUDA_AUTO) {
      gauss = tg;
      lse = tl;
    }
  }
  opts.cuda_scheme = KEOPS_CUDA_AUTO;
  const double tk =
      bestMs([&] { return gpu_bench_kernels_knn_cuda(Q, N, x, y, indices, &opts); }, stream);
  std::printf("k-NN K = 10, %lld queries x %lld points: %.2f ms\n", (long long)Q, (long long)N, tk);
  std::printf("targets (scale 1, H100/H200): Gaussian <= 400 ms (%s), k-NN <= 6 ms (%s), "
              "LogSumExp <= 1.3x Gaussian (%s)\n",
              gauss > 0 && gauss <= 400 ? "met" : "not met", tk > 0 && tk <= 6 ? "met" : "not met",
              lse > 0 && lse <= 1.3 * gauss ? "met" : "not met");
  cudaStreamDestroy(stream);
  return 0;
}
