// keops/portable/accumulators.h: scalar summation policies (SPEC.md §7.2): direct and
// Kahan-compensated. Reduction states (keops/portable/reductions.h) hold one per component.
#ifndef KEOPS_PORTABLE_ACCUMULATORS_H
#define KEOPS_PORTABLE_ACCUMULATORS_H

#include "keops/portable/config.h"

namespace keops_rt {
namespace {

template <class Acc> struct DirectAcc {
  Acc s = Acc(0);
  KEOPS_HD void add(Acc x) { s += x; }
  KEOPS_HD void scale(Acc factor) { s *= factor; }
  KEOPS_HD void merge(const DirectAcc &o) { s += o.s; }
  KEOPS_HD Acc value() const { return s; }
};

/// Kahan summation: `c` carries the rounding error of the running sum (true sum ≈ s − c).
template <class Acc> struct KahanAcc {
  Acc s = Acc(0);
  Acc c = Acc(0);
  KEOPS_HD void add(Acc x) {
    Acc y = x - c;
    Acc t = s + y;
    c = (t - s) - y;
    s = t;
  }
  KEOPS_HD void scale(Acc factor) {
    s *= factor;
    c *= factor;
  }
  KEOPS_HD void merge(const KahanAcc &o) {
    add(o.s);
    add(-o.c);
  }
  KEOPS_HD Acc value() const { return s - c; }
};

} // namespace
} // namespace keops_rt

#endif
