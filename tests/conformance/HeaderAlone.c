/* HeaderAlone.c: a translation unit holding only generated headers; compiling it proves that they
   are self-contained and can be included together, as C and as C++. It checks no behaviour. */
#include CONF_HEADER_A
#include CONF_HEADER_B
#include CONF_HEADER_C

/* Uses the shared types so that an empty or broken guard cannot pass unnoticed. */
int conf_header_alone(void);
int conf_header_alone(void) {
  keops_options opts = KEOPS_OPTIONS_DEFAULT;
  keops_status st = KEOPS_OK;
  return (int)st + (int)opts.num_threads;
}
