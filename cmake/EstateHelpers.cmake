# Compiler settings for Estate's own code (not generated protobuf sources).
add_library(estate_warnings INTERFACE)
target_compile_options(estate_warnings INTERFACE -Wall -Wextra)
# GCC 12's -Wrestrict misfires on libstdc++'s own std::string assignment and
# concatenation once inlined at -O2 (GCC bug 105329): every report is a
# memcpy of ~2^63 bytes that cannot happen. Debian 12 ships GCC 12.2.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(estate_warnings INTERFACE -Wno-restrict)
endif()

if(ESTATE_ENABLE_ASAN)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# libFuzzer targets (tests/fuzz). Every library they link is built with coverage
# instrumentation and ASan/UBSan, so a bug deep in a parser's callee is caught too;
# only the fuzzer executables link libFuzzer's main (-fsanitize=fuzzer).
if(ESTATE_ENABLE_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "ESTATE_ENABLE_FUZZERS needs clang: configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

# estate_add_plugin(NAME SOURCES a.cc b.cc [DEPS lib...]) -> static library estate_plugin_NAME.
function(estate_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(estate_plugin_${name} STATIC ${ARG_SOURCES})
  target_include_directories(estate_plugin_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(estate_plugin_${name} PUBLIC estate_tls ${ARG_DEPS} PRIVATE estate_warnings)
endfunction()

# estate_add_test(NAME SOURCES a_test.cc ... DEPS lib... [LABELS l...]) -> a GoogleTest binary in CTest.
function(estate_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main estate_warnings)
  target_compile_definitions(${name} PRIVATE
    ESTATE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    ESTATE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
include(GoogleTest)

# estate_add_fuzzer(NAME SOURCES a.cc ... DEPS lib...) -> libFuzzer executable fuzz_NAME whose
# seed corpus is tests/fuzz/corpus/NAME; the target estate_fuzzers builds them all.
function(estate_add_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(fuzz_${name} ${ARG_SOURCES})
  target_link_libraries(fuzz_${name} PRIVATE ${ARG_DEPS} estate_warnings)
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  target_include_directories(fuzz_${name} PRIVATE ${PROJECT_SOURCE_DIR})
  add_dependencies(estate_fuzzers fuzz_${name})
endfunction()
