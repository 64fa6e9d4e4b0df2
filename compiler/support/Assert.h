// The internal error channel: compiler bugs abort with keopsc's own file:line.
// User mistakes never come here; they go through DiagnosticEngine.
#pragma once

namespace keopsc {
[[noreturn]] void internalError(const char *file, int line, const char *message);
} // namespace keopsc

#define KEOPSC_ASSERT(cond, message)                                                               \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      ::keopsc::internalError(__FILE__, __LINE__, message);                                        \
  } while (0)
#define KEOPSC_UNREACHABLE(message) ::keopsc::internalError(__FILE__, __LINE__, message)
