# How the test suites build generated libraries, as users do: keopsc compiles a .kfl into a
# static library and its header, and the test links it with exactly the flags keopsc prints.

# keopsc_test_library_from(kfl dir module [ENV var=value...] [keopsc options]): DIR/lib<module>.a
# + DIR/<module>.h from `kfl`, and DIR/link_flags.rsp holding `keopsc --print-link-flags` with the
# same options (the linker reads it). Without options the library is CPU-only (--backends=cpu):
# nvcc spends minutes on the suites' hundreds of entry points. keopsc runs under ENV's variables;
# without ENV, under KEOPSC_SANITIZE (the asan preset) the generated code is compiled with those
# sanitizers (keopsc_sanitized_cxx) at -O0: GCC 12 instruments a suite's 160,000 generated lines
# with ASan + UBSan in about 4 CPU-minutes at -O0, and had not finished one in 6 at -O1 (over 30
# minutes a library at keopsc's -O3 on 2 cores, 19 libraries); what they check is the same.
function(keopsc_test_library_from kfl dir module)
  cmake_parse_arguments(PARSE_ARGV 3 arg "" "" "ENV")
  set(options ${arg_UNPARSED_ARGUMENTS})
  if(NOT options)
    set(options --backends=cpu)
  endif()
  set(env ${arg_ENV})
  if(NOT DEFINED arg_ENV AND KEOPSC_SANITIZE)
    keopsc_sanitized_cxx(env ${KEOPSC_SANITIZE} OPTIMIZATION -O0)
  endif()
  add_custom_command(
    OUTPUT ${dir}/lib${module}.a ${dir}/${module}.h
    COMMAND ${CMAKE_COMMAND} -E env ${env} $<TARGET_FILE:keopsc> --verify-each ${options} ${kfl}
            -o ${dir}/lib${module}.a
    DEPENDS keopsc ${kfl}
    COMMENT "keopsc ${module}.kfl ${options}")
  add_custom_command(
    OUTPUT ${dir}/link_flags.rsp
    COMMAND $<TARGET_FILE:keopsc> ${options} --print-link-flags > ${dir}/link_flags.rsp
    DEPENDS keopsc
    COMMENT "keopsc --print-link-flags (${module})")
endfunction()

# keopsc_link_test_library(target dir module): links `target` with that library and exactly the
# flags keopsc prints, after it as a user would (the static CUDA runtime must follow the library),
# plus what the test itself needs. The flags reach the linker as a response file, which the
# target must list among its sources (so that it is generated first).
function(keopsc_link_test_library target dir module)
  find_package(Threads REQUIRED)
  target_include_directories(${target} PRIVATE ${dir})
  target_link_libraries(${target} PRIVATE ${dir}/lib${module}.a -Wl,@${dir}/link_flags.rsp
                                          Threads::Threads m)
endfunction()
