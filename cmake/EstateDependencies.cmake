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
# The agent streams apt's package lists: .gz, .xz and .lz4 (software origin).
find_package(ZLIB REQUIRED)
# Foreign agents' XML inventories (collector/inventory): expat, without a DTD.
find_package(EXPAT REQUIRED)
pkg_check_modules(LIBLZMA REQUIRED IMPORTED_TARGET liblzma)
pkg_check_modules(LIBLZ4 REQUIRED IMPORTED_TARGET liblz4)

# net-snmp ships no CMake or pkg-config file; net-snmp-config tells how to link it.
find_program(NETSNMP_CONFIG net-snmp-config REQUIRED)
execute_process(COMMAND ${NETSNMP_CONFIG} --netsnmp-libs
                OUTPUT_VARIABLE NETSNMP_LIBS OUTPUT_STRIP_TRAILING_WHITESPACE)
separate_arguments(NETSNMP_LIBS UNIX_COMMAND "${NETSNMP_LIBS}")
add_library(estate_netsnmp INTERFACE)
target_link_libraries(estate_netsnmp INTERFACE ${NETSNMP_LIBS})

# jemalloc takes the place of glibc's malloc in estated and the collector
# benchmarks: ingest allocates and frees on one thread what another made (the
# I/O threads' frames, the apply thread's batches, RocksDB's memtables), where
# glibc's arenas cost ~15 % of the delta rate and ~25 % of the full-report rate
# (docs/scaling.md). Sanitizers bring their own allocator.
option(ESTATE_USE_JEMALLOC "Link estated and the collector benchmarks with jemalloc" ON)
add_library(estate_allocator INTERFACE)
if(ESTATE_USE_JEMALLOC AND NOT ESTATE_ENABLE_ASAN AND NOT ESTATE_ENABLE_FUZZERS)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
  target_link_libraries(estate_allocator INTERFACE PkgConfig::JEMALLOC)
endif()

if(ESTATE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(ESTATE_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
