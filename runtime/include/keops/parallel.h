// keops/parallel.h: the CPU thread loop. Output rows are split into contiguous ranges, one per
// thread; each row is reduced by one thread in index order, so results do not depend on the
// number of threads (bitwise). No thread pool: generated libraries keep no global state.
#ifndef KEOPS_RUNTIME_PARALLEL_H
#define KEOPS_RUNTIME_PARALLEL_H

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace keops_rt {
namespace {

/// Runs fn(begin, end) over [0, rows) on up to `requested` threads (0: all hardware threads),
/// fewer when there is little work. If a thread cannot be started, its range runs here.
template <class Fn> void parallelRows(int64_t rows, double workPerRow, int requested, Fn fn) {
  if (rows <= 0)
    return;
  int64_t threads = requested > 0 ? requested : std::max(1u, std::thread::hardware_concurrency());
  // Below ~2^16 term evaluations per thread, starting threads costs more than it saves.
  double total = workPerRow * static_cast<double>(rows);
  threads = std::min<int64_t>({threads, rows, std::max<int64_t>(1, int64_t(total / 65536.0))});
  if (threads <= 1) {
    fn(int64_t(0), rows);
    return;
  }
  int64_t chunk = (rows + threads - 1) / threads;
  std::vector<std::thread> pool;
  std::vector<std::pair<int64_t, int64_t>> inline_ranges;
  for (int64_t t = 1; t < threads; ++t) {
    int64_t begin = t * chunk, end = std::min(rows, begin + chunk);
    if (begin >= end)
      break;
    try {
      pool.emplace_back([=] { fn(begin, end); });
    } catch (...) {
      inline_ranges.push_back({begin, end});
    }
  }
  fn(int64_t(0), std::min(rows, chunk));
  for (auto &range : inline_ranges)
    fn(range.first, range.second);
  for (auto &thread : pool)
    thread.join();
}

} // namespace
} // namespace keops_rt

#endif
