# keopsc_set_warnings(target): the warning set of every own target (generated parser excluded).
function(keopsc_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
  if(KEOPSC_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${KEOPSC_SANITIZE} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${KEOPSC_SANITIZE})
  endif()
endfunction()
