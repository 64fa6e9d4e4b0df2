# add_keops_kernels(): .kfl files → a static library target with its generated C header.
# Owns the macro only; keopscConfig.cmake (installed) or keopsc's own build defines keopsc::keopsc.
#
#   add_keops_kernels(<target> SOURCES a.kfl [b.kfl ...] [BACKENDS cpu [cuda]]
#                     [TARGET isa] [INCLUDE_DIRS dir ...] [OPTIONS arg ...] [TORCH])
#
# Each source is one keopsc module, compiled by keopsc::keopsc into one object of the library.
# With one source the module is named <target> (symbols <target>_<reduction>, header
# <target>.h); with several, each module is named after its file (gauss.kfl → gauss.h, gauss_*).
# The headers lie in the target's PUBLIC include directory (a HEADERS file set, so
# `install(TARGETS <target> FILE_SET HEADERS)` installs them). keopsc writes a depfile, so an
# edited import (stdlib, INCLUDE_DIRS, the source's folder) rebuilds the library.
#   BACKENDS      defaults to every backend the keopsc found can build (its KEOPSC_BACKENDS
#                 property); asking for one it cannot build is an error.
#   TARGET        the CPU code's instruction set (keopsc --target=): dispatch (the default: baseline,
#                 AVX2 and AVX-512 paths, picked at run time), native, baseline, x86-64,
#                 x86-64-v2, x86-64-v3 or x86-64-v4.
#   INCLUDE_DIRS  import search paths (-I), relative to the current source directory.
#   OPTIONS       further keopsc arguments, passed as they are (e.g. --passes=...).
#   TORCH         also build each module as a PyTorch extension (keopsc --emit=torch):
#                 <binary dir>/<target>.keops/lib<module>_torch.so, built by the target
#                 <target>_torch (part of ALL), listed in <target>'s KEOPS_TORCH_LIBRARIES
#                 property; load it with keopsc.torch.load(path). keopsc asks the Python in the
#                 KEOPSC_PYTHON variable (or environment variable; else python3) where torch is.
# What the library needs at link time (threads, the C++ runtime, libm; the CUDA runtime with
# cuda) is an INTERFACE usage requirement: a consumer links only <target>.
include_guard(GLOBAL)

function(add_keops_kernels name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "TORCH" "TARGET" "SOURCES;BACKENDS;INCLUDE_DIRS;OPTIONS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "add_keops_kernels(${name}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}"
                        " (expected SOURCES, BACKENDS, TARGET, INCLUDE_DIRS, OPTIONS, TORCH)")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "add_keops_kernels(${name}): SOURCES names no .kfl file")
  endif()
  if(NOT TARGET keopsc::keopsc)
    message(FATAL_ERROR "add_keops_kernels(${name}): no keopsc::keopsc target; call "
                        "find_package(keopsc) or add_subdirectory(<keopsc source>) first")
  endif()
  _keops_choose_backends(${name} backends "${arg_BACKENDS}")
  list(JOIN backends "," backendList)
  set(options --backends=${backendList} ${arg_OPTIONS})
  if(DEFINED arg_TARGET)
    set(targets dispatch native baseline x86-64 x86-64-v2 x86-64-v3 x86-64-v4)
    if(NOT arg_TARGET IN_LIST targets)
      message(FATAL_ERROR "add_keops_kernels(${name}): unknown TARGET '${arg_TARGET}' (known: "
                          "${targets})")
    endif()
    list(APPEND options --target=${arg_TARGET})
  endif()
  _keops_linker_language(${name} language)

  set(includeArgs "")
  foreach(dir IN LISTS arg_INCLUDE_DIRS)
    cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} NORMALIZE)
    list(APPEND includeArgs -I ${dir})
  endforeach()

  # Outputs go to their own folder, which becomes the library's include directory.
  # keopsc writes into an existing folder, and Makefile generators do not create it.
  set(outDir ${CMAKE_CURRENT_BINARY_DIR}/${name}.keops)
  file(MAKE_DIRECTORY ${outDir})
  set(objects "")
  set(headers "")
  set(modules "")
  set(torchLibraries "")
  list(LENGTH arg_SOURCES sourceCount)
  foreach(source IN LISTS arg_SOURCES)
    cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} NORMALIZE)
    if(sourceCount EQUAL 1)
      set(module ${name})
    else()
      cmake_path(GET source STEM module)
    endif()
    if(NOT module MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
      message(FATAL_ERROR "add_keops_kernels(${name}): module name '${module}' (from "
                          "${source}) is not a C identifier; it prefixes every C symbol")
    endif()
    if(module IN_LIST modules)
      message(FATAL_ERROR "add_keops_kernels(${name}): two sources give module '${module}'")
    endif()
    get_source_file_property(generated ${source} GENERATED)
    if(NOT EXISTS ${source} AND NOT generated)
      message(FATAL_ERROR "add_keops_kernels(${name}): source ${source} does not exist")
    endif()
    list(APPEND modules ${module})
    _keops_compile_module(${source} ${outDir}/${module} "${includeArgs}" "${options}")
    list(APPEND objects ${outDir}/${module}.o)
    list(APPEND headers ${outDir}/${module}.h)
    if(arg_TORCH)
      _keops_compile_torch_module(${source} ${outDir}/lib${module}_torch.so "${includeArgs}"
                                  "${options}")
      list(APPEND torchLibraries ${outDir}/lib${module}_torch.so)
    endif()
  endforeach()
  if(arg_TORCH)
    add_custom_target(${name}_torch ALL DEPENDS ${torchLibraries})
  endif()

  add_library(${name} STATIC ${objects})
  set_target_properties(${name} PROPERTIES LINKER_LANGUAGE ${language}
                                           KEOPS_BACKENDS "${backends}" KEOPS_MODULES "${modules}"
                                           KEOPS_TORCH_LIBRARIES "${torchLibraries}")
  target_sources(${name} PUBLIC FILE_SET HEADERS BASE_DIRS ${outDir} FILES ${headers})
  foreach(backend IN LISTS backends)
    _keops_link_backend(${name} ${backend})
  endforeach()
endfunction()

# One keopsc run: SOURCE → OUT.o and OUT.h, plus OUT.d listing every .kfl read. Its target is
# the absolute OUT.o, the custom command's first output, as Ninja requires. The backends come in
# `options` (--backends=...).
function(_keops_compile_module source out includeArgs options)
  cmake_path(GET out FILENAME module)
  cmake_path(GET source FILENAME sourceName)
  add_custom_command(
    OUTPUT ${out}.o ${out}.h
    COMMAND keopsc::keopsc ${source} --emit=obj -o ${out}.o --depfile ${out}.d ${includeArgs}
            ${options}
    DEPENDS keopsc::keopsc ${source}
    DEPFILE ${out}.d
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
    COMMENT "keopsc ${sourceName} (module ${module})"
    VERBATIM COMMAND_EXPAND_LISTS)
endfunction()

# One keopsc --emit=torch run: SOURCE → OUT (lib<module>_torch.so), with its depfile.
function(_keops_compile_torch_module source out includeArgs options)
  cmake_path(GET source FILENAME sourceName)
  set(python "")
  if(KEOPSC_PYTHON)
    set(python KEOPSC_PYTHON=${KEOPSC_PYTHON})
  endif()
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E env ${python} $<TARGET_FILE:keopsc::keopsc> ${source} --emit=torch
            -o ${out} --depfile ${out}.d ${includeArgs} ${options}
    DEPENDS keopsc::keopsc ${source}
    DEPFILE ${out}.d
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
    COMMENT "keopsc --emit=torch ${sourceName}"
    VERBATIM COMMAND_EXPAND_LISTS)
endfunction()

# BACKENDS given, or else everything keopsc::keopsc can build; each must be one it can build.
function(_keops_choose_backends name outVar requested)
  # The backends this file knows how to link (_keops_link_backend); a new one is added here too.
  set(known cpu cuda)
  get_target_property(available keopsc::keopsc KEOPSC_BACKENDS)
  if(NOT available)
    set(available cpu) # a keopsc::keopsc defined without the property predates CUDA
  endif()
  if(NOT requested)
    set(requested ${available})
  endif()
  list(REMOVE_DUPLICATES requested)
  foreach(backend IN LISTS requested)
    if(NOT backend IN_LIST known)
      message(FATAL_ERROR "add_keops_kernels(${name}): unknown backend '${backend}' in BACKENDS "
                          "(known: ${known})")
    endif()
    if(NOT backend IN_LIST available)
      get_target_property(version keopsc::keopsc KEOPSC_VERSION)
      message(FATAL_ERROR
        "add_keops_kernels(${name}): BACKENDS ${backend}: this keopsc (${version}) cannot build "
        "the ${backend} backend; it builds: ${available}. Leave BACKENDS out for what it can "
        "build (the library's _${backend} entry points then return "
        "KEOPS_ERROR_BACKEND_UNAVAILABLE).")
    endif()
  endforeach()
  if(NOT "cpu" IN_LIST requested)
    message(FATAL_ERROR "add_keops_kernels(${name}): BACKENDS must include cpu (keopsc always "
                        "compiles the CPU entry points)")
  endif()
  set(${outVar} ${requested} PARENT_SCOPE)
endfunction()

# keopsc's object is compiled C++ code; CMake archives it with an enabled C or C++ toolchain.
function(_keops_linker_language name outVar)
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if(CXX IN_LIST languages)
    set(${outVar} CXX PARENT_SCOPE)
  elseif(C IN_LIST languages)
    set(${outVar} C PARENT_SCOPE)
  else()
    message(FATAL_ERROR "add_keops_kernels(${name}): enable C or CXX in project() or "
                        "enable_language(); the library is archived and linked with it")
  endif()
endfunction()

# Usage requirements per backend: what `keopsc --print-link-flags` prints for cpu (the
# KEOPSC_LINK_LIBRARIES property of keopsc::keopsc), and for cuda the static CUDA runtime of the
# toolkit keopsc compiles with (its KEOPSC_CUDA_LINK_FLAGS: -L, -lcudart_static, -ldl, -lrt).
function(_keops_link_backend name backend)
  if(backend STREQUAL "cpu")
    if(NOT TARGET Threads::Threads)
      find_package(Threads REQUIRED)
    endif()
    get_target_property(libraries keopsc::keopsc KEOPSC_LINK_LIBRARIES)
    if(libraries)
      target_link_libraries(${name} INTERFACE ${libraries})
    endif()
  elseif(backend STREQUAL "cuda")
    get_target_property(flags keopsc::keopsc KEOPSC_CUDA_LINK_FLAGS)
    if(flags)
      target_link_libraries(${name} INTERFACE ${flags})
    endif()
  endif()
endfunction()
