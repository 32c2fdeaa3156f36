# Helpers that keep each target definition to a few lines (in the manner of
# Abseil's absl_cc_library / absl_cc_test).

set(ECHO_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # g++ 12 at -O3 reports "literal" + std::string inside libstdc++ as overlapping
  # memcpy: a false positive (GCC bug 105329, fixed in g++ 13).
  list(APPEND ECHO_WARNINGS -Wno-restrict)
endif()
if(ECHO_WERROR)
  list(APPEND ECHO_WARNINGS -Werror)
endif()

# Code no test needs fast: the tests' own files, and the sources a target lists
# as COLD (command-line parsing and report writing, whose CLI11 and
# nlohmann-json templates cost far more to optimise than to parse). They get
# ECHO_COLD_FLAGS (the asan preset: -O0, so CI spends its compile time on the
# code under test).
separate_arguments(echo_cold_flags UNIX_COMMAND "${ECHO_COLD_FLAGS}")
function(echo_cold_sources)
  if(echo_cold_flags AND ARGN)
    set_source_files_properties(${ARGN} PROPERTIES COMPILE_OPTIONS "${echo_cold_flags}")
  endif()
endfunction()

if(ECHO_SANITIZE)
  add_compile_options(-fsanitize=${ECHO_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${ECHO_SANITIZE})
endif()

# echo_library(NAME SOURCES ... [COLD ...] [DEPS ...])
function(echo_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;COLD;DEPS" ${ARGN})
  echo_cold_sources(${ARG_COLD})
  add_library(${name} STATIC ${ARG_SOURCES} ${ARG_COLD})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${ECHO_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# echo_executable(NAME SOURCES ... [COLD ...] [DEPS ...])
function(echo_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;COLD;DEPS" ${ARGN})
  echo_cold_sources(${ARG_COLD})
  add_executable(${name} ${ARG_SOURCES} ${ARG_COLD})
  target_compile_options(${name} PRIVATE ${ECHO_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
endfunction()

# Nearly every test file includes GoogleTest, whose headers cost more to parse
# than most test files: one precompiled header, built once, serves every test
# target (-DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON builds without it).
if(ECHO_BUILD_TESTS)
  add_library(echo_test_pch OBJECT ${CMAKE_CURRENT_LIST_DIR}/test_pch.cc)
  target_compile_options(echo_test_pch PRIVATE ${ECHO_WARNINGS} ${echo_cold_flags})
  target_link_libraries(echo_test_pch PRIVATE GTest::gtest)
  target_precompile_headers(echo_test_pch PRIVATE <gtest/gtest.h>)
endif()

# echo_test(NAME SOURCES ... [DEPS ...] [TIMEOUT seconds])
# Every test gets a ctest deadline so that nothing can hang, and the test
# program's name as a label (ctest -L echo_server_test runs its tests).
function(echo_test name)
  if(NOT ECHO_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 60)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${ECHO_WARNINGS} ${echo_cold_flags})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main Threads::Threads)
  target_precompile_headers(${name} REUSE_FROM echo_test_pch)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
                       PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS ${name})
endfunction()
