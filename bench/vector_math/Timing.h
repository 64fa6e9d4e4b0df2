// bench/vector_math/Timing.h: the timing loop of the vector math benchmarks: the best of five
// rounds of `reps` passes of a function over an array, in seconds per value.
#ifndef KEOPSC_BENCH_VECTOR_MATH_TIMING_H
#define KEOPSC_BENCH_VECTOR_MATH_TIMING_H

#include <algorithm>
#include <chrono>
#include <vector>

namespace bench {

inline double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// fn(x, y, n) over all of x, `reps` times per round; y holds the last pass's results.
template <class T>
double bestSecondsPerValue(void (*fn)(const T *, T *, int), const std::vector<T> &x,
                           std::vector<T> &y, int reps) {
  const int n = static_cast<int>(x.size());
  y.resize(x.size());
  double best = 1e30;
  for (int round = 0; round < 5; ++round) {
    const double start = now();
    for (int r = 0; r < reps; ++r) {
      fn(x.data(), y.data(), n);
      asm volatile("" ::: "memory"); // every repetition computes
    }
    best = std::min(best, now() - start);
  }
  return best / (double(n) * reps);
}

} // namespace bench

#endif
