// keops/host/parallel.h: the CPU thread loop. Output rows are split into contiguous ranges, one per
// thread; each row is reduced by one thread in index order, so results do not depend on the
// number of threads (bitwise). No thread pool: generated libraries keep no global state.
#ifndef KEOPS_RUNTIME_PARALLEL_H
#define KEOPS_RUNTIME_PARALLEL_H

#include <algorithm>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

namespace keops_rt {
namespace {

/// A range of rows [begin, end) to run, with its caller's context.
using RowRange = void (*)(void *context, int64_t begin, int64_t end);

/// parallelRows with the range function type-erased: the thread machinery (std::thread,
/// exception capture) is compiled once per library, not once per stage (never inlined).
__attribute__((noinline)) inline void
parallelRowRanges(int64_t rows, double workPerRow, int requested, RowRange range, void *context) {
  auto fn = [&](int64_t begin, int64_t end) { range(context, begin, end); };
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
  std::vector<std::exception_ptr> errors(static_cast<size_t>(threads));
  auto guardedRange = [&](int64_t t, int64_t begin, int64_t end) {
    try {
      fn(begin, end);
    } catch (...) {
      errors[static_cast<size_t>(t)] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  std::vector<int64_t> inlineChunks;
  for (int64_t t = 1; t < threads; ++t) {
    int64_t begin = t * chunk, end = std::min(rows, begin + chunk);
    if (begin >= end)
      break;
    try {
      pool.emplace_back(guardedRange, t, begin, end);
    } catch (...) {
      inlineChunks.push_back(t);
    }
  }
  guardedRange(0, 0, std::min(rows, chunk));
  for (int64_t t : inlineChunks)
    guardedRange(t, t * chunk, std::min(rows, t * chunk + chunk));
  for (auto &thread : pool)
    thread.join();
  for (const std::exception_ptr &error : errors)
    if (error)
      std::rethrow_exception(error);
}

/// Runs fn(begin, end) over [0, rows) on up to `requested` threads (0: all hardware threads),
/// fewer when there is little work. If a thread cannot be started, its range runs here. An
/// exception in any range (an allocation failure) is rethrown here after every thread joined,
/// so the entry point turns it into a status instead of std::terminate.
template <class Fn> void parallelRows(int64_t rows, double workPerRow, int requested, Fn fn) {
  parallelRowRanges(
      rows, workPerRow, requested,
      [](void *context, int64_t begin, int64_t end) { (*static_cast<Fn *>(context))(begin, end); },
      &fn);
}

} // namespace
} // namespace keops_rt

#endif
