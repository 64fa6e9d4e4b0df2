// Prints an internal error and aborts; see Assert.h.
#include "support/Assert.h"

#include <cstdio>
#include <cstdlib>

namespace keopsc {
void internalError(const char *file, int line, const char *message) {
  std::fprintf(stderr, "keopsc: internal error: %s (at %s:%d); please report this bug\n", message,
               file, line);
  std::abort();
}
} // namespace keopsc
