// Tests of the conformance checker's rules (tests/conformance/reference/Check.h) that the
// suites cannot show, since keopsc's outputs pass them: a wrong pick must be rejected.
#include "reference/Check.h"

#include "reference/Suite.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <limits>
#include <sstream>
#include <unistd.h>

namespace keopsc::conformance {
namespace {

/// A suite of `text`, loaded as keopsc would.
std::unique_ptr<Suite> suiteOf(const std::string &text) {
  char path[] = "/tmp/keopsc_check_testXXXXXX.kfl";
  const int fd = mkstemps(path, 4);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << text;
  std::ostringstream errors;
  std::unique_ptr<Suite> suite = Suite::load(path, "check", "", errors);
  std::remove(path);
  EXPECT_TRUE(suite) << errors.str();
  return suite;
}

/// The mismatches `checkOutputs` reports for `got` from reduction r of `text`, one output row
/// (M = 1) over the N rows of the Vj inputs `columns`.
std::vector<std::string> mismatchesOf(const std::string &text,
                                      const std::vector<const std::vector<double> *> &columns,
                                      const Got &got, const Widening &widening) {
  std::unique_ptr<Suite> suite = suiteOf(text);
  const ir::EntryPoint *entry = suite ? suite->entry("r") : nullptr;
  if (!entry)
    return {"no entry point"};
  Problem problem;
  problem.M = 1;
  problem.N = int64_t(columns.at(0)->size());
  for (const std::vector<double> *column : columns)
    problem.inputs.push_back(column->data());
  const Reference ref = computeReferences({entry}, problem).at(0);
  std::vector<std::string> mismatches;
  checkOutputs(
      ref, problem, got, [&](const std::string &m) { mismatches.push_back(m); }, widening);
  return mismatches;
}

/// The mismatches of the pick (value, index) for Min_ArgMin over j of x = xs.
std::vector<std::string> mismatchesOfPick(const std::vector<double> &xs, double value,
                                          int64_t index, const Widening &widening) {
  Got got;
  got.values = &value;
  got.indices = &index;
  return mismatchesOf("alias x = Vj(1);\nreduction r(x) = Min_ArgMin(x, axis = 1);\n", {&xs}, got,
                      widening);
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

/// The mismatches of `value` for float32 ln Σ_j e^(x_j)·w_j on one output row.
std::vector<std::string> mismatchesOfWeightedLogSumExp(const std::vector<double> &xs,
                                                       const std::vector<double> &ws,
                                                       double value) {
  Got got;
  got.values = &value;
  return mismatchesOf("alias x = Vj(1);\nalias w = Vj(1);\n"
                      "reduction r(x, w) = LogSumExp(x, weight = w, axis = 1);\n",
                      {&xs, &ws}, got, {});
}

/// Weights that cancel exactly: ln 0 = −∞ in float64, while a rounded sum may be a residue of
/// either sign, so −∞, NaN (a negative residue) and a finite value are all right; with a sum
/// that is far from 0, NaN and −∞ are wrong.
TEST(Check, WeightsCancellingExactlyLeaveTheSignToRounding) {
  const std::vector<double> xs = {0.25, 0.25, 0.25}, cancelling = {1.5, -1, -0.5};
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(mismatchesOfWeightedLogSumExp(xs, cancelling, -inf).empty());
  EXPECT_TRUE(mismatchesOfWeightedLogSumExp(xs, cancelling, std::nan("")).empty());
  EXPECT_TRUE(mismatchesOfWeightedLogSumExp(xs, cancelling, -17).empty());
  const std::vector<double> positive = {1.5, 1, 0.5};
  const double right = 0.25 + std::log(3.0);
  EXPECT_TRUE(mismatchesOfWeightedLogSumExp(xs, positive, right).empty());
  EXPECT_EQ(mismatchesOfWeightedLogSumExp(xs, positive, std::nan("")).size(), 1u);
  EXPECT_EQ(mismatchesOfWeightedLogSumExp(xs, positive, -inf).size(), 1u);
  EXPECT_EQ(mismatchesOfWeightedLogSumExp(xs, positive, right + 0.01).size(), 1u);
}

} // namespace
} // namespace keopsc::conformance
