// keops/accumulators.h: scalar summation policies (SPEC.md §7.2): direct and Kahan-compensated.
// Reduction states (keops/reductions.h) hold one per summed component.
#ifndef KEOPS_RUNTIME_ACCUMULATORS_H
#define KEOPS_RUNTIME_ACCUMULATORS_H

namespace keops_rt {
namespace {

template <class Acc> struct DirectAcc {
  Acc s = Acc(0);
  void add(Acc x) { s += x; }
  void scale(Acc factor) { s *= factor; }
  void merge(const DirectAcc &o) { s += o.s; }
  Acc value() const { return s; }
};

/// Kahan summation: `c` carries the rounding error of the running sum (true sum ≈ s − c).
template <class Acc> struct KahanAcc {
  Acc s = Acc(0);
  Acc c = Acc(0);
  void add(Acc x) {
    Acc y = x - c;
    Acc t = s + y;
    c = (t - s) - y;
    s = t;
  }
  void scale(Acc factor) {
    s *= factor;
    c *= factor;
  }
  void merge(const KahanAcc &o) {
    add(o.s);
    add(-o.c);
  }
  Acc value() const { return s - c; }
};

} // namespace
} // namespace keops_rt

#endif
