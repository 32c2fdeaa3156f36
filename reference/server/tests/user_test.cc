// echo-server --user: started as root, it binds a privileged port and then
// runs as the user; not root, or an unknown user, it refuses (exit 4).
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/net/socket.h"
#include "core/process/listening_line.h"
#include "reference/server/tests/server_fixture.h"
#include "reference/server/tests/service_helpers.h"

namespace echo::server::testing {
namespace {

// The ids on the "Uid:", "Gid:" or "Groups:" line of a task's status file
// (real, effective, saved and filesystem ids; or the supplementary groups).
std::vector<long> ids(const std::filesystem::path& task, const std::string& field) {
  std::ifstream status(task / "status");
  std::vector<long> values;
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) != 0) continue;
    std::istringstream numbers(line.substr(field.size() + 1));
    for (long id; numbers >> id;) values.push_back(id);
  }
  return values;
}

TEST(User, DropsRootAfterBindingAPrivilegedPort) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: binds a port below 1024, then switches users";
  const passwd* nobody = ::getpwnam("nobody");
  if (nobody == nullptr) GTEST_SKIP() << "no user 'nobody' here";
  const long uid = nobody->pw_uid;
  const long gid = nobody->pw_gid;

  // Port 7 (RFC 862) unless something holds it; then other privileged ports.
  for (int port : {7, 907, 807, 707, 607}) {
    Result<ChildProcess> server =
        ChildProcess::spawn(sibling_program("echo-server"),
                            {"--user", "nobody", "--listen", "127.0.0.1:" + std::to_string(port),
                             "--quiet", "--threads", "2"},
                            SpawnOptions{.pipe_stderr = true});
    ASSERT_TRUE(server) << server.error().message;
    Result<Listening> listening = wait_for_listening(*server, Deadline::after(kStartTimeout));
    if (!listening) continue;  // the port is taken: exit 3
    ASSERT_EQ(listening->tcp.front().port(), port);

    {
      Result<Fd> client = tcp_connect(listening->tcp.front(), io_deadline());
      ASSERT_TRUE(client) << client.error().message;
      expect_echo(client->get(), "served as nobody");
    }  // closed: the stop below need not wait for the drain
    expect_datagram_echo(listening->udp.front(), "served as nobody");

    // Every thread of the server (the event loops that just served): no longer root, in no group
    // but the user's.
    const std::filesystem::path tasks = "/proc/" + std::to_string(server->pid()) + "/task";
    int threads = 0;
    for (const auto& task : std::filesystem::directory_iterator(tasks)) {
      ++threads;
      EXPECT_EQ(ids(task.path(), "Uid"), std::vector<long>(4, uid));
      EXPECT_EQ(ids(task.path(), "Gid"), std::vector<long>(4, gid));
      EXPECT_EQ(ids(task.path(), "Groups"), std::vector<long>{gid});
    }
    EXPECT_GE(threads, 1);

    EXPECT_FALSE(stop_and_read_counters(*server).empty());
    return;
  }
  FAIL() << "every privileged port tried was taken";
}

void expect_user_refusal(const std::string& program, const std::vector<std::string>& args,
                         const std::string& why) {
  Result<ChildProcess> server =
      ChildProcess::spawn(program, args, SpawnOptions{.pipe_stderr = true});
  ASSERT_TRUE(server) << server.error().message;
  EXPECT_EQ(wait_for_exit(*server), 4);
  const std::string error = read_pipe(server->stderr_fd(), io_deadline());
  EXPECT_NE(error.find(why), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), error.size() - 1) << "one line: " << error;
}

TEST(User, AnUnknownUserIsRefusedWithExit4BeforeBinding) {
  const std::string why = ::geteuid() == 0 ? "--user no-such-echo-user: no such user"
                                           : "--user no-such-echo-user needs root";
  expect_user_refusal(sibling_program("echo-server"),
                      {"--user", "no-such-echo-user", "--listen", "127.0.0.1:0"}, why);
}

TEST(User, SwitchingUsersWithoutRootIsRefusedWithExit4) {
  const std::string server = sibling_program("echo-server");
  const std::vector<std::string> args = {"--user", "nobody", "--listen", "127.0.0.1:0"};
  if (::geteuid() != 0) {
    expect_user_refusal(server, args, "--user nobody needs root");
    return;
  }
  std::optional<std::string> setpriv = find_program("setpriv");
  if (!setpriv) GTEST_SKIP() << "runs as root and setpriv (util-linux) is missing to drop it";
  std::vector<std::string> unprivileged = {"--reuid=65534", "--regid=65534", "--clear-groups",
                                           server};
  unprivileged.insert(unprivileged.end(), args.begin(), args.end());
  expect_user_refusal(*setpriv, unprivileged, "--user nobody needs root");
}

}  // namespace
}  // namespace echo::server::testing
