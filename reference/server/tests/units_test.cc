// The systemd units shipped in packaging/systemd/: systemd-analyze accepts
// them (with ExecStart pointed at the built echo-server) and rates the
// service's sandbox as exposing little.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/process/child_process.h"
#include "reference/server/tests/server_fixture.h"
#include "reference/server/tests/service_helpers.h"

namespace echo::server::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Runs systemd-analyze with `args`: its exit status, its output in `output`.
int analyze(const std::string& program, const std::vector<std::string>& args, std::string& output) {
  std::vector<std::string> sh = {"-c", "exec \"$0\" \"$@\" 2>&1", program};
  sh.insert(sh.end(), args.begin(), args.end());
  Result<ChildProcess> child = ChildProcess::spawn("/bin/sh", sh);
  if (!child) return -1;
  Result<std::string> all = child->read_all(io_deadline());
  output = all ? *all : all.error().message;
  return wait_for_exit(*child);
}

class SystemdUnits : public ::testing::Test {
 protected:
  void SetUp() override {
    program_ = find_program("systemd-analyze");
    if (!program_) GTEST_SKIP() << "systemd-analyze is not installed (package systemd)";
    char folder[] = "/tmp/echo-units-XXXXXX";
    ASSERT_NE(::mkdtemp(folder), nullptr);
    folder_ = folder;
    std::string service = read_file(std::string(ECHO_UNITS_DIR) + "/echo-server.service");
    const std::string installed = "/usr/bin/echo-server";
    const std::size_t at = service.find("ExecStart=" + installed);
    ASSERT_NE(at, std::string::npos) << "ExecStart runs " << installed;
    service.replace(at + 10, installed.size(), sibling_program("echo-server"));
    std::ofstream(folder_ + "/echo-server.service") << service;
    std::ofstream(folder_ + "/echo-server.socket")
        << read_file(std::string(ECHO_UNITS_DIR) + "/echo-server.socket");
  }
  void TearDown() override {
    if (folder_.empty()) return;
    for (const char* name : {"/echo-server.service", "/echo-server.socket"}) {
      ::unlink((folder_ + name).c_str());
    }
    ::rmdir(folder_.c_str());
  }

  std::optional<std::string> program_;
  std::string folder_;
};

TEST_F(SystemdUnits, AreValid) {
  std::string output;
  EXPECT_EQ(analyze(*program_,
                    {"verify", "--man=no", folder_ + "/echo-server.socket",
                     folder_ + "/echo-server.service"},
                    output),
            0)
      << output;
}

TEST_F(SystemdUnits, SandboxTheServiceToAnExposureOfAtMost1Point5Of10) {
  std::string output;
  EXPECT_EQ(
      analyze(*program_,
              {"security", "--offline=yes", "--threshold=15", folder_ + "/echo-server.service"},
              output),
      0)
      << output.substr(output.rfind("Overall") == std::string::npos ? 0 : output.rfind("Overall"));
}

}  // namespace
}  // namespace echo::server::testing
