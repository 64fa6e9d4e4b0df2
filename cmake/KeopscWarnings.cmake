# keopsc_set_warnings(target): the warning set of every own target (generated parser excluded).
function(keopsc_set_warnings target)
  # -Werror=switch in every build: a switch over ops or reductions has no default:, so a
  # missing case (a new op marked ready without its rule) fails the build.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Werror=switch)
  if(KEOPSC_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${KEOPSC_SANITIZE} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${KEOPSC_SANITIZE})
  endif()
endfunction()
