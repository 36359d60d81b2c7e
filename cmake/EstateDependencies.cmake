# Every dependency comes from a Debian package; scripts/install-deps.sh installs them.
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(RocksDB REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET libpcap)

# net-snmp ships no CMake or pkg-config file; net-snmp-config tells how to link it.
find_program(NETSNMP_CONFIG net-snmp-config REQUIRED)
execute_process(COMMAND ${NETSNMP_CONFIG} --netsnmp-libs
                OUTPUT_VARIABLE NETSNMP_LIBS OUTPUT_STRIP_TRAILING_WHITESPACE)
separate_arguments(NETSNMP_LIBS UNIX_COMMAND "${NETSNMP_LIBS}")
add_library(estate_netsnmp INTERFACE)
target_link_libraries(estate_netsnmp INTERFACE ${NETSNMP_LIBS})

if(ESTATE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(ESTATE_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
