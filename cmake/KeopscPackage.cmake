# keopsc's install tree and CMake/pkg-config packages: config, version, macro, .pc, CPack.
# Owns install rules other than keopsc and the stdlib (compiler/driver/CMakeLists.txt installs them).
include(CMakePackageConfigHelpers)

# The layout keopsc itself relies on: it finds its stdlib at <exe>/../share/keopsc/stdlib
# (compiler/driver/main.cpp), so these stay fixed rather than follow GNUInstallDirs.
set(KEOPSC_INSTALL_BINDIR bin)
set(KEOPSC_INSTALL_INCLUDEDIR include)
set(KEOPSC_INSTALL_STDLIBDIR share/keopsc/stdlib)
set(KEOPSC_INSTALL_CMAKEDIR lib/cmake/keopsc)
set(KEOPSC_INSTALL_PKGCONFIGDIR lib/pkgconfig)
# The Python package (keopsc.torch, keopsc.numpy): PYTHONPATH=<prefix>/share/keopsc/python.
set(KEOPSC_INSTALL_PYTHONDIR share/keopsc/python)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/keops DESTINATION
        ${KEOPSC_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/python/keopsc DESTINATION ${KEOPSC_INSTALL_PYTHONDIR}
        FILES_MATCHING PATTERN "*.py")

set(package_dir ${PROJECT_BINARY_DIR}/package)
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/keopscConfig.cmake.in ${package_dir}/keopscConfig.cmake
  INSTALL_DESTINATION ${KEOPSC_INSTALL_CMAKEDIR}
  PATH_VARS KEOPSC_INSTALL_BINDIR KEOPSC_INSTALL_INCLUDEDIR KEOPSC_INSTALL_STDLIBDIR)
# 0.x: a minor version may break the generated API, so only the same minor is compatible.
write_basic_package_version_file(${package_dir}/keopscConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
list(JOIN KEOPSC_LINK_FLAGS " " KEOPSC_LINK_FLAGS_STRING)
configure_file(${CMAKE_CURRENT_LIST_DIR}/keopsc.pc.in ${package_dir}/keopsc.pc @ONLY)

install(FILES ${package_dir}/keopscConfig.cmake ${package_dir}/keopscConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/KeOpsKernels.cmake
        DESTINATION ${KEOPSC_INSTALL_CMAKEDIR})
install(FILES ${package_dir}/keopsc.pc DESTINATION ${KEOPSC_INSTALL_PKGCONFIGDIR})

# `cpack` (or `cmake --build build --target package`) makes a relocatable .tar.gz of the above;
# not when keopsc is some other project's subdirectory.
if(NOT PROJECT_IS_TOP_LEVEL)
  return()
endif()
set(CPACK_PACKAGE_NAME keopsc)
set(CPACK_PACKAGE_VENDOR keopsc)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Ahead-of-time compiler for KeOps-style kernel reductions")
set(CPACK_GENERATOR TGZ)
set(CPACK_SOURCE_GENERATOR "")
set(CPACK_PACKAGE_FILE_NAME keopsc-${PROJECT_VERSION}-${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR})
include(CPack)
