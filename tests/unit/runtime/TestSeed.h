// The seed of a randomized test of the vector math: KEOPSC_TEST_SEED when set, so that a seed a
// failing run printed can be replayed, else a fresh one.
#ifndef KEOPSC_TESTS_UNIT_RUNTIME_TESTSEED_H
#define KEOPSC_TESTS_UNIT_RUNTIME_TESTSEED_H

#include <cstdlib>
#include <random>

inline unsigned testSeed() {
  if (const char *text = std::getenv("KEOPSC_TEST_SEED"))
    return static_cast<unsigned>(std::strtoul(text, nullptr, 10));
  return std::random_device{}();
}

#endif
