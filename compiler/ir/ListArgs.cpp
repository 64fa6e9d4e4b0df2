// List arguments of TensorDot and Kron: encoding and SPEC.md §3's rule; see ListArgs.h.
#include "ir/ListArgs.h"

#include "support/Assert.h"

namespace keopsc::ir {
namespace {

DimError badArgument(const char *op, const std::string &detail) {
  return {DimErrorKind::BadArgument, std::string(op) + ": " + detail};
}

std::string named(const char *name, const IntList &list) {
  return std::string(name) + " = " + listText(list);
}

/// Every size at least 1 and their product `dim` (the operand's dimension).
bool checkShape(const char *op, const char *name, const IntList &shape, const char *operand,
                int dim, DimError &error) {
  int64_t product = 1;
  for (int64_t size : shape) {
    if (size < 1) {
      error = badArgument(op, named(name, shape) + " has a size below 1");
      return false;
    }
    // Past kMaxDim the product cannot be an operand's dimension; stop before it overflows.
    product = product > kMaxDim ? product : product * size;
  }
  if (product == dim)
    return true;
  error = {DimErrorKind::Mismatch,
           named(name, shape) + " describes " +
               (product > kMaxDim ? "more than 2^20" : std::to_string(product)) + " entries, but " +
               operand + " has dimension " + std::to_string(dim)};
  return false;
}

/// Axes in range and pairwise distinct.
bool checkAxes(const char *op, const char *name, const IntList &axes, const char *shapeName,
               const IntList &shape, DimError &error) {
  std::vector<bool> seen(shape.size(), false);
  for (int64_t axis : axes) {
    if (axis < 0 || axis >= static_cast<int64_t>(shape.size())) {
      error = {DimErrorKind::IndexOutOfRange,
               std::string(op) + ": axis " + std::to_string(axis) + " in " + named(name, axes) +
                   " is out of range for " + named(shapeName, shape) + " (rank " +
                   std::to_string(shape.size()) + ")"};
      return false;
    }
    if (seen[static_cast<size_t>(axis)]) {
      error = badArgument(op, "axis " + std::to_string(axis) + " appears twice in " +
                                  named(name, axes));
      return false;
    }
    seen[static_cast<size_t>(axis)] = true;
  }
  return true;
}

bool checkContraction(const TensorDotArgs &args, DimError &error) {
  if (args.ca.size() != args.cb.size()) {
    error = badArgument("TensorDot", named("ca", args.ca) + " and " + named("cb", args.cb) +
                                         " have different lengths");
    return false;
  }
  if (!checkAxes("TensorDot", "ca", args.ca, "da", args.da, error) ||
      !checkAxes("TensorDot", "cb", args.cb, "db", args.db, error))
    return false;
  for (size_t t = 0; t < args.ca.size(); ++t) {
    int64_t sizeA = args.da[static_cast<size_t>(args.ca[t])];
    int64_t sizeB = args.db[static_cast<size_t>(args.cb[t])];
    if (sizeA != sizeB) {
      error = {DimErrorKind::Mismatch,
               "contracted axes differ in size: da[" + std::to_string(args.ca[t]) +
                   "] = " + std::to_string(sizeA) + " but db[" + std::to_string(args.cb[t]) +
                   "] = " + std::to_string(sizeB)};
      return false;
    }
  }
  return true;
}

bool checkPermutation(const IntList &p, size_t freeCount, DimError &error) {
  if (p.size() != freeCount) {
    error = badArgument("TensorDot", named("p", p) + " has " + std::to_string(p.size()) +
                                         " entries, but there are " + std::to_string(freeCount) +
                                         " free axes");
    return false;
  }
  std::vector<bool> seen(freeCount, false);
  for (int64_t position : p) {
    if (position < 0 || position >= static_cast<int64_t>(freeCount) ||
        seen[static_cast<size_t>(position)]) {
      error = badArgument("TensorDot", named("p", p) + " is not a permutation of 0.." +
                                           std::to_string(static_cast<int64_t>(freeCount) - 1));
      return false;
    }
    seen[static_cast<size_t>(position)] = true;
  }
  return true;
}

/// Kron = TensorDot(a, b, da, db, [], [], [0, 2, ..., 2r-2, 1, 3, ..., 2r-1]).
TensorDotArgs kronArgs(const IntList &da, const IntList &db) {
  TensorDotArgs args{da, db, {}, {}, {}};
  const int64_t rank = static_cast<int64_t>(da.size());
  for (int64_t m = 0; m < 2 * rank; ++m)
    args.p.push_back(m < rank ? 2 * m : 2 * (m - rank) + 1);
  return args;
}

/// The arguments of `ints`; `givenP` says whether TensorDot's p was written (Kron builds its own).
TensorDotArgs decode(OpKind kind, const std::vector<int64_t> &ints, bool &givenP) {
  std::vector<IntList> lists = decodeLists(ints);
  const ListCount count = listCount(opInfo(kind).lists);
  KEOPSC_ASSERT(static_cast<int>(lists.size()) >= count.min &&
                    static_cast<int>(lists.size()) <= count.max,
                "wrong number of list arguments");
  givenP = true;
  if (kind == OpKind::Kron)
    return kronArgs(lists[0], lists[1]);
  TensorDotArgs args{lists[0], lists[1], lists[2], lists[3], {}};
  givenP = lists.size() == 5;
  if (givenP)
    args.p = lists[4];
  return args;
}

} // namespace

ListCount listCount(ListSchema schema) {
  switch (schema) {
  case ListSchema::NoLists:
    return {0, 0};
  case ListSchema::TensorDotLists:
    return {4, 5}; // da, db, ca, cb[, p]
  case ListSchema::KronLists:
    return {2, 2}; // da, db
  }
  KEOPSC_UNREACHABLE("bad list schema");
}

std::vector<int64_t> encodeLists(const std::vector<IntList> &lists) {
  std::vector<int64_t> ints;
  for (const IntList &list : lists) {
    ints.push_back(static_cast<int64_t>(list.size()));
    ints.insert(ints.end(), list.begin(), list.end());
  }
  return ints;
}

std::vector<IntList> decodeLists(const std::vector<int64_t> &ints) {
  std::vector<IntList> lists;
  for (size_t k = 0; k < ints.size();) {
    KEOPSC_ASSERT(ints[k] >= 0 && static_cast<uint64_t>(ints[k]) <= ints.size() - k - 1,
                  "malformed list arguments");
    auto begin = ints.begin() + static_cast<std::ptrdiff_t>(k + 1);
    lists.emplace_back(begin, begin + ints[k]);
    k += 1 + static_cast<size_t>(ints[k]);
  }
  return lists;
}

std::string listText(const IntList &list) {
  std::string text = "[";
  for (size_t k = 0; k < list.size(); ++k)
    text += (k ? ", " : "") + std::to_string(list[k]);
  return text + "]";
}

IntList freeAxes(const IntList &dims, const IntList &contracted) {
  IntList axes;
  for (int64_t axis = 0; axis < static_cast<int64_t>(dims.size()); ++axis) {
    bool isContracted = false;
    for (int64_t c : contracted)
      isContracted = isContracted || c == axis;
    if (!isContracted)
      axes.push_back(axis);
  }
  return axes;
}

int tensorDotDim(OpKind kind, const std::vector<int64_t> &ints, int dimA, int dimB,
                 TensorDotArgs &args, DimError &error) {
  const char *op = opInfo(kind).name;
  bool givenP = false;
  args = decode(kind, ints, givenP);
  if (!checkShape(op, "da", args.da, "a", dimA, error) ||
      !checkShape(op, "db", args.db, "b", dimB, error))
    return 0;
  if (kind == OpKind::Kron && args.da.size() != args.db.size()) {
    error = badArgument(op, named("da", args.da) + " and " + named("db", args.db) +
                                " have different ranks; Kron needs equal ranks");
    return 0;
  }
  if (!checkContraction(args, error))
    return 0;
  IntList freeA = freeAxes(args.da, args.ca), freeB = freeAxes(args.db, args.cb);
  if (!givenP)
    for (size_t m = 0; m < freeA.size() + freeB.size(); ++m)
      args.p.push_back(static_cast<int64_t>(m));
  if (!checkPermutation(args.p, freeA.size() + freeB.size(), error))
    return 0;
  int64_t width = 1;
  for (int64_t axis : freeA)
    width *= args.da[static_cast<size_t>(axis)];
  for (int64_t axis : freeB)
    width *= args.db[static_cast<size_t>(axis)]; // at most dimA * dimB <= 2^40: no overflow
  if (width > kMaxDim) {
    error = {DimErrorKind::TooWide, std::string(op) + " result is wider than 2^20"};
    return 0;
  }
  return static_cast<int>(width);
}

TensorDotArgs tensorDotArgs(const Formula *f) {
  TensorDotArgs args;
  DimError error{DimErrorKind::Mismatch, ""};
  int dim = tensorDotDim(f->kind(), f->ints(), f->child(0)->dim(), f->child(1)->dim(), args, error);
  KEOPSC_ASSERT(dim == f->dim(), "a TensorDot or Kron node breaks its dimension rule");
  return args;
}

} // namespace keopsc::ir
