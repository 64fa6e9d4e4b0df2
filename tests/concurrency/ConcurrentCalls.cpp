// Concurrent calls (issue 13): several threads call the same and different entry points of one
// generated library at once, each with its own data and thread count (the library starts its own
// threads too), and check every result against a float64 brute force; between them each thread
// makes a bad call with a number of its own in the message, and its last_error must still name
// that number after the other threads' failures (the message is per thread), and be empty after
// its next good call. Built once as usual and once under ThreadSanitizer (library included), which
// also reports any data race. Arguments: [seed] [iterations per thread].
#include HEADER

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#define CAT2(a, b) a##_##b
#define CAT(a, b) CAT2(a, b)
#define ENTRY(name) CAT(MODULE, name)

namespace {

constexpr int kThreads = 8;
constexpr int kK = 4;

struct Problem {
  int64_t M, N;
  std::vector<float> x, y, b;
  float g;
};

Problem makeProblem(std::mt19937_64 &rng) {
  std::uniform_real_distribution<float> u(-1, 1);
  Problem p{int64_t(1 + rng() % 200), int64_t(kK + rng() % 1500), {}, {}, {},
            0.5f + float(rng() % 4)};
  for (int64_t k = 0; k < 3 * p.M; ++k)
    p.x.push_back(u(rng));
  for (int64_t k = 0; k < 3 * p.N; ++k)
    p.y.push_back(u(rng));
  for (int64_t k = 0; k < 2 * p.N; ++k)
    p.b.push_back(u(rng));
  return p;
}

double sqDist(const Problem &p, int64_t i, int64_t j) {
  double s = 0;
  for (int k = 0; k < 3; ++k) {
    const double d = double(p.x[size_t(3 * i + k)]) - double(p.y[size_t(3 * j + k)]);
    s += d * d;
  }
  return s;
}

bool closeTo(double got, double want) {
  return std::fabs(got - want) <= 1e-4 * (1 + std::fabs(want));
}

/// Calls entry `which` on `p` with `threads` library threads; true when it matches float64.
bool callAndCheck(int which, const Problem &p, int threads, std::string &why) {
  keops_options o = KEOPS_OPTIONS_DEFAULT;
  o.num_threads = threads;
  keops_status st;
  const size_t M = size_t(p.M);
  if (which == 0) {
    std::vector<float> out(2 * M, NAN);
    st = ENTRY(gsum)(p.M, p.N, p.x.data(), p.y.data(), p.b.data(), &p.g, out.data(), &o);
    for (int64_t i = 0; st == KEOPS_OK && i < p.M; ++i)
      for (int c = 0; c < 2; ++c) {
        double want = 0;
        for (int64_t j = 0; j < p.N; ++j)
          want += std::exp(-double(p.g) * sqDist(p, i, j)) * double(p.b[size_t(2 * j + c)]);
        if (!closeTo(out[size_t(2 * i + c)], want))
          return why = "gsum row " + std::to_string(i), false;
      }
  } else if (which == 1) {
    std::vector<int64_t> out(kK * M, -7);
    st = ENTRY(knn)(p.M, p.N, p.x.data(), p.y.data(), out.data(), &o);
    for (int64_t i = 0; st == KEOPS_OK && i < p.M; ++i) {
      std::vector<double> d;
      for (int64_t j = 0; j < p.N; ++j)
        d.push_back(sqDist(p, i, j));
      std::vector<double> sorted = d;
      std::sort(sorted.begin(), sorted.end());
      for (int k = 0; k < kK; ++k) { // the k-th index's distance is the k-th smallest (ties aside)
        const int64_t j = out[size_t(kK * i + k)];
        if (j < 0 || j >= p.N || !closeTo(d[size_t(j)], sorted[size_t(k)]))
          return why = "knn row " + std::to_string(i), false;
      }
    }
  } else {
    std::vector<float> out(M, NAN);
    st = ENTRY(lse)(p.M, p.N, p.x.data(), p.y.data(), &p.g, out.data(), &o);
    for (int64_t i = 0; st == KEOPS_OK && i < p.M; ++i) {
      double m = -INFINITY, s = 0;
      for (int64_t j = 0; j < p.N; ++j)
        m = std::max(m, -double(p.g) * sqDist(p, i, j));
      for (int64_t j = 0; j < p.N; ++j)
        s += std::exp(-double(p.g) * sqDist(p, i, j) - m);
      if (!closeTo(out[size_t(i)], m + std::log(s)))
        return why = "lse row " + std::to_string(i), false;
    }
  }
  if (st != KEOPS_OK)
    return why = "status " + std::to_string(int(st)) + ": " + ENTRY(last_error)(), false;
  if (ENTRY(last_error)()[0] != '\0')
    return why = std::string("message after success: ") + ENTRY(last_error)(), false;
  return true;
}

/// A call refused for num_threads = -marker: the message names the marker, and still does after
/// the other threads' own failures.
bool badCallKeepsItsMessage(const Problem &p, int marker, std::string &why) {
  keops_options o = KEOPS_OPTIONS_DEFAULT;
  o.num_threads = -marker;
  std::vector<float> out(size_t(p.M), 1.5f);
  const keops_status st = ENTRY(lse)(p.M, p.N, p.x.data(), p.y.data(), &p.g, out.data(), &o);
  const std::string expected = "got -" + std::to_string(marker);
  for (int k = 0; k < 50; ++k) {
    if (st != KEOPS_ERROR_INVALID_OPTION || !std::strstr(ENTRY(last_error)(), expected.c_str()))
      return why = std::string("message '") + ENTRY(last_error)() + "', wanted '" + expected + "'",
             false;
    std::this_thread::yield();
  }
  for (float v : out)
    if (v != 1.5f)
      return why = "a refused call wrote its output", false;
  return true;
}

} // namespace

int main(int argc, char **argv) {
  const uint64_t seed = argc > 1 ? std::stoull(argv[1]) : std::random_device{}();
  const int iterations = argc > 2 ? std::atoi(argv[2]) : 24;
  std::printf("seed %llu, %d threads x %d iterations\n", (unsigned long long)seed, kThreads,
              iterations);
  std::atomic<int> failures{0}, calls{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(seed * 1000 + uint64_t(t));
      for (int it = 0; it < iterations; ++it) {
        const Problem p = makeProblem(rng);
        std::string why;
        const int which = int(rng() % 3), libraryThreads = int(rng() % 3);
        bool ok = callAndCheck(which, p, libraryThreads, why);
        if (ok && it % 3 == 0)
          ok = badCallKeepsItsMessage(p, 1000 + 100 * t + it, why);
        calls += 1;
        if (!ok) {
          std::printf("thread %d iteration %d: %s\n", t, it, why.c_str());
          failures += 1;
        }
      }
    });
  for (std::thread &th : threads)
    th.join();
  std::printf("%d calls, %d failures\n", calls.load(), failures.load());
  return failures.load() == 0 && calls.load() == kThreads * iterations ? 0 : 1;
}
