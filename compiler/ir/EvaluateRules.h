// The float64 meaning of the vector and linear-algebra operations of SPEC.md §3, one function
// per operation, for Evaluator::evalNode (the reference of the conformance suites). Internal to
// the evaluator; operands arrive unbroadcast, exactly as their nodes' values.
#pragma once

#include "ir/ListArgs.h"

#include <vector>

namespace keopsc::ir::evalrules {

using Values = std::vector<double>;

// Vector operations (EvaluateVector.cpp).
void sumT(const Values &f, Values &out);
enum class Extremum { Max, Min, ArgMax, ArgMin };
void extremum(const Values &f, Extremum which, Values &out);
void norm2(const Values &f, Values &out);
void normalize(const Values &f, Values &out);
/// WeightedSqNorm and its three forms, told apart by the weight's dimension (1, d or d²).
void weightedSqNorm(const Values &s, const Values &f, Values &out);
/// WeightedSqNorm(s, f - g), f and g broadcast by rule B.
void weightedSqDist(const Values &s, const Values &f, const Values &g, Values &out);
void elemT(const Values &f, int64_t m, Values &out);
void extract(const Values &f, int64_t start, Values &out);
void extractT(const Values &f, int64_t start, Values &out);
void oneHot(const Values &f, Values &out);

// Linear algebra (EvaluateLinAlg.cpp).
void matVecMult(const Values &a, const Values &b, Values &out);
void vecMatMult(const Values &b, const Values &a, Values &out);
void tensorProd(const Values &a, const Values &b, Values &out);
void tensorDot(const TensorDotArgs &args, const Values &a, const Values &b, Values &out);
void kron(const IntList &da, const IntList &db, const Values &a, const Values &b, Values &out);

} // namespace keopsc::ir::evalrules
