// Paths of the fixture trees used by the agent tests.
#ifndef ESTATE_TESTS_AGENT_FIXTURE_PATHS_H_
#define ESTATE_TESTS_AGENT_FIXTURE_PATHS_H_

#include <string>

namespace estate::agent::testing {

inline std::string FixturePath(const std::string& relative) {
  return std::string(ESTATE_SOURCE_DIR) + "/tests/fixtures/" + relative;
}

inline std::string RootPath(const std::string& machine) { return FixturePath("roots/" + machine); }

}  // namespace estate::agent::testing

#endif  // ESTATE_TESTS_AGENT_FIXTURE_PATHS_H_
