// Tests of the conformance checker's rules (tests/conformance/reference/Check.h) that the
// suites cannot show, since keopsc's outputs pass them: a wrong pick must be rejected.
#include "reference/Check.h"

#include "reference/Suite.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

namespace keopsc::conformance {
namespace {

/// Min_ArgMin over j of x = Vj(1), one output row, loaded as keopsc would.
std::unique_ptr<Suite> minArgMinSuite() {
  char path[] = "/tmp/keopsc_check_testXXXXXX.kfl";
  const int fd = mkstemps(path, 4);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << "alias x = Vj(1);\n"
                         "reduction r(x) = Min_ArgMin(x, axis = 1);\n";
  std::ostringstream errors;
  std::unique_ptr<Suite> suite = Suite::load(path, "check", "", errors);
  std::remove(path);
  EXPECT_TRUE(suite) << errors.str();
  return suite;
}

/// The mismatches `checkOutputs` reports for the pick (value, index) on x = xs.
std::vector<std::string> mismatchesOfPick(const std::vector<double> &xs, double value,
                                          int64_t index, const Widening &widening) {
  std::unique_ptr<Suite> suite = minArgMinSuite();
  const ir::EntryPoint *entry = suite ? suite->entry("r") : nullptr;
  if (!entry)
    return {"no entry point"};
  Problem problem;
  problem.M = 1;
  problem.N = int64_t(xs.size());
  problem.inputs = {xs.data()};
  const Reference ref = computeReferences({entry}, problem).at(0);
  Got got;
  got.values = &value;
  got.indices = &index;
  std::vector<std::string> mismatches;
  checkOutputs(
      ref, problem, got, [&](const std::string &m) { mismatches.push_back(m); }, widening);
  return mismatches;
}

TEST(Check, MinOfExactTiesTakesTheFirstIndex) {
  const std::vector<double> xs = {0.5, -1, 2, -1};
  EXPECT_TRUE(mismatchesOfPick(xs, -1, 1, {}).empty());
  const std::vector<std::string> late = mismatchesOfPick(xs, -1, 3, {});
  ASSERT_EQ(late.size(), 1u);
  EXPECT_NE(late[0].find("not the first"), std::string::npos) << late[0];
}

/// A formula whose terms round (Normalize: x·rsqrt(x²) is −1 within an ulp) may order the
/// reference's exact ties: then any of them is right, and only a term off the tie is wrong.
TEST(Check, RoundedTermsMaySplitExactTies) {
  const std::vector<double> xs = {0.5, -1, 2, -1};
  Widening widening;
  widening.roundingSplitsTies = true;
  EXPECT_TRUE(mismatchesOfPick(xs, -1, 3, widening).empty());
  EXPECT_EQ(mismatchesOfPick(xs, -1, 0, widening).size(), 1u); // term 0.5, not −1
}

} // namespace
} // namespace keopsc::conformance
