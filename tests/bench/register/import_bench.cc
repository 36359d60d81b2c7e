// import_bench: `estatectl import` of a register of --rows rows (issue 30's
// figure: 100,000 rows within seconds). The file has the columns of a
// Snipe-IT style export (tag, serial, host name, class, vendor, model,
// location, department, owner, dates, cost, MAC, notes) with 2,000 people
// and 500 locations. Each run imports it into an empty store through the
// command as estated runs it (the request as estatectl builds it: the file
// read and compressed), then imports it again (every row matched, nothing
// written). Printed beside them, measured in the same run: estatectl's read
// and compression of the file, and the parse and check of every row alone
// (the floor of the matching and writing an import adds).
// Run: build/tests/bench/register/import_bench [--rows 100000] [--runs 3]
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "collector/admin/attribute_schema.h"
#include "collector/admin/command_registry.h"
#include "collector/admin/register_import.h"
#include "collector/estatectl/import_source.h"
#include "collector/inventory/body_codec.h"
#include "tests/bench/bench_ingest.h"

namespace estate::bench {
namespace {

std::string MakeRegister(uint64_t rows) {
  std::string csv =
      "Asset Tag,Serial Number,Hostname,Category,Manufacturer,Model,Location,Department,"
      "Assigned To,Purchase Date,Purchase Cost,Warranty Expires,MAC Address,Notes\r\n";
  static const char* kClasses[] = {"Laptops", "Desktop", "Monitor", "Phone", "Server"};
  static const char* kVendors[] = {"Lenovo", "Dell", "HP", "Apple"};
  char line[512];
  for (uint64_t i = 0; i < rows; ++i) {
    std::snprintf(
        line, sizeof line,
        "T-%07llu,SN%08llX,pc-%06llu,%s,%s,Model %llu,HQ/B%llu/F%llu/R%llu,Dept %llu,"
        "user%04llu,2024-%02llu-%02llu,%llu.%02llu EUR,2027-%02llu-%02llu,"
        "02:00:%02llx:%02llx:%02llx:%02llx,\"bench row, %llu\"\r\n",
        static_cast<unsigned long long>(i), static_cast<unsigned long long>(i * 7919),
        static_cast<unsigned long long>(i), kClasses[i % 5], kVendors[i % 4],
        static_cast<unsigned long long>(i % 40), static_cast<unsigned long long>(i % 5),
        static_cast<unsigned long long>(i % 10), static_cast<unsigned long long>(i % 500 / 50),
        static_cast<unsigned long long>(i % 20), static_cast<unsigned long long>(i % 2000),
        static_cast<unsigned long long>(i % 12 + 1), static_cast<unsigned long long>(i % 28 + 1),
        static_cast<unsigned long long>(500 + i % 1500), static_cast<unsigned long long>(i % 100),
        static_cast<unsigned long long>(i % 12 + 1), static_cast<unsigned long long>(i % 28 + 1),
        static_cast<unsigned long long>((i >> 24) & 0xff),
        static_cast<unsigned long long>((i >> 16) & 0xff),
        static_cast<unsigned long long>((i >> 8) & 0xff), static_cast<unsigned long long>(i & 0xff),
        static_cast<unsigned long long>(i));
    csv += line;
  }
  return csv;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

int Main(int argc, char** argv) {
  uint64_t rows = 100000, runs = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--rows")) rows = std::stoull(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::stoull(argv[i + 1]);
  }
  char dir[] = "/tmp/import-bench-XXXXXX";
  if (!::mkdtemp(dir)) return 1;
  const std::string file = std::string(dir) + "/register.csv";
  const std::string csv = MakeRegister(rows);
  std::ofstream(file, std::ios::binary) << csv;
  std::printf("register: %llu rows, %.1f MiB\n", static_cast<unsigned long long>(rows),
              static_cast<double>(csv.size()) / (1 << 20));

  std::vector<double> client_s, parse_s, import_s, again_s;
  size_t compressed_bytes = 0;
  for (uint64_t run = 0; run < runs; ++run) {
    auto start = Clock::now();
    auto attachment = collector::ReadRegisterFile(file);
    client_s.push_back(Seconds(Clock::now() - start));
    if (!attachment.ok()) {
      std::fprintf(stderr, "%s\n", attachment.status().ToString().c_str());
      return 1;
    }
    compressed_bytes = attachment->size();

    // The floor: inflate, read and check every row, nothing matched or written.
    start = Clock::now();
    auto text = collector::DecodeBody(*attachment, collector::kMaxImportFileBytes);
    auto columns =
        collector::MapColumns({"Asset Tag", "Serial Number", "Hostname", "Category", "Manufacturer",
                               "Model", "Location", "Department", "Assigned To", "Purchase Date",
                               "Purchase Cost", "Warranty Expires", "MAC Address", "Notes"},
                              {});
    collector::CsvReader reader(*text);
    collector::CsvRecord record;
    uint64_t parsed = 0;
    (void)reader.Next(&record);
    while (*reader.Next(&record)) {
      parsed += collector::ParseImportRow(record, *columns, collector::BuiltinClasses()).ok();
    }
    parse_s.push_back(Seconds(Clock::now() - start));
    if (parsed != rows) {
      std::fprintf(stderr, "parsed %llu of %llu rows\n", static_cast<unsigned long long>(parsed),
                   static_cast<unsigned long long>(rows));
      return 1;
    }

    collector::StoreOptions options;
    options.path = std::string(dir) + "/db-" + std::to_string(run);
    auto collector = BenchCollector::Open(options);
    if (!collector) return 1;
    collector::ServerCounters counters;
    collector::CommandRegistry registry = collector::MakeBuiltinCommands();
    v1::AdminRequest request;
    request.set_command("import");
    request.add_args("register.csv");
    request.set_attachment(*attachment);
    auto execute = [&](const char* what, uint64_t want_created) -> double {
      collector::AdminContext context{
          *collector->store, counters, *collector->ingestor,
          collector::Caller{.uid = 0, .user = "root", .role = collector::Role::kAdmin}};
      const auto t0 = Clock::now();
      v1::AdminResponse response = registry.Execute(request, context);
      const double s = Seconds(Clock::now() - t0);
      auto j = nlohmann::json::parse(response.json(), nullptr, false);
      if (!response.ok() || j.is_discarded() || j.value("created", uint64_t{0}) != want_created) {
        std::fprintf(stderr, "%s: %s %s\n", what, response.error().c_str(),
                     response.json().substr(0, 300).c_str());
        return -1;
      }
      return s;
    };
    const double first = execute("import", rows);
    const double second = execute("import again", 0);
    if (first < 0 || second < 0) return 1;
    import_s.push_back(first);
    again_s.push_back(second);
    std::printf("run %llu: import %.2f s, again %.2f s, parse only %.2f s, estatectl %.2f s\n",
                static_cast<unsigned long long>(run + 1), first, second, parse_s.back(),
                client_s.back());
  }
  std::printf("\nmedian of %llu runs, %llu rows (%.1f MiB; %.1f MiB compressed):\n",
              static_cast<unsigned long long>(runs), static_cast<unsigned long long>(rows),
              static_cast<double>(csv.size()) / (1 << 20),
              static_cast<double>(compressed_bytes) / (1 << 20));
  const double import = Median(import_s), parse = Median(parse_s);
  std::printf("  import into an empty store   %6.2f s  (%.0f rows/s)\n", import,
              static_cast<double>(rows) / import);
  std::printf("  same file again (unchanged)  %6.2f s\n", Median(again_s));
  std::printf("  parse and check only         %6.2f s  (import = %.1fx)\n", parse, import / parse);
  std::printf("  estatectl read + compress    %6.2f s\n", Median(client_s));
  std::printf("  peak RSS                     %6ld MiB\n", PeakRssKb() / 1024);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}

}  // namespace
}  // namespace estate::bench

int main(int argc, char** argv) { return estate::bench::Main(argc, argv); }
