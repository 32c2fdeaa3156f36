#include "core/process/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <climits>
#include <cstring>

#include "core/net/io.h"

extern char** environ;

namespace echo {
namespace {

using Clock = Deadline::Clock;

struct Pipe {
  Fd read;
  Fd write;
};

Result<Pipe> make_pipe() {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) return system_error("cannot create a pipe", errno);
  return Pipe{Fd(ends[0]), Fd(ends[1])};
}

Status set_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    return system_error("cannot make a pipe non-blocking", errno);
  }
  return {};
}

// A pidfd for `pid`, or an invalid Fd when the kernel has none (before 5.3).
Fd open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  long fd = ::syscall(SYS_pidfd_open, pid, 0);
  if (fd >= 0) {
    ::fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
    return Fd(static_cast<int>(fd));
  }
#else
  (void)pid;
#endif
  return Fd();
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// The owned file actions and attributes of one posix_spawn call.
class SpawnSetup {
 public:
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions_);
    posix_spawnattr_init(&attributes_);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attributes_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  // The child starts with default signal dispositions and nothing blocked,
  // whatever the parent ignores (a server ignoring SIGPIPE, say).
  void reset_signals() {
    sigset_t all;
    sigset_t none;
    sigfillset(&all);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attributes_, &all);
    posix_spawnattr_setsigmask(&attributes_, &none);
    posix_spawnattr_setflags(&attributes_, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  }
  void dup_to(int fd, int target) { posix_spawn_file_actions_adddup2(&actions_, fd, target); }
  void dev_null_to(int target) {
    posix_spawn_file_actions_addopen(&actions_, target, "/dev/null", O_RDONLY, 0);
  }
  const posix_spawn_file_actions_t* actions() const { return &actions_; }
  const posix_spawnattr_t* attributes() const { return &attributes_; }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attributes_;
};

void kill_and_reap(pid_t pid) noexcept {
  if (pid <= 0) return;
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) continue;
}

}  // namespace

Result<ChildProcess> ChildProcess::spawn(const std::string& program,
                                         const std::vector<std::string>& args,
                                         const SpawnOptions& options) {
  SpawnSetup setup;
  setup.reset_signals();

  Pipe in;
  if (options.stdin_from >= 0) {
    setup.dup_to(options.stdin_from, STDIN_FILENO);
  } else if (options.pipe_stdin) {
    ECHO_ASSIGN_OR_RETURN(Pipe p, make_pipe());
    in = std::move(p);
    setup.dup_to(in.read.get(), STDIN_FILENO);
  } else {
    setup.dev_null_to(STDIN_FILENO);
  }
  ECHO_ASSIGN_OR_RETURN(Pipe out, make_pipe());
  setup.dup_to(out.write.get(), STDOUT_FILENO);
  Pipe err;
  if (options.pipe_stderr) {
    ECHO_ASSIGN_OR_RETURN(Pipe p, make_pipe());
    err = std::move(p);
    setup.dup_to(err.write.get(), STDERR_FILENO);
  }

  // Copies numbered above every target first, so no dup2 overwrites a source
  // before it is copied; dup2 onto a target clears its close-on-exec flag.
  const int first_passed = STDERR_FILENO + 1;
  const int passed_count = static_cast<int>(options.pass_fds.size());
  std::vector<Fd> passed;
  for (int i = 0; i < passed_count; ++i) {
    passed.emplace_back(::fcntl(options.pass_fds[static_cast<std::size_t>(i)], F_DUPFD_CLOEXEC,
                                first_passed + passed_count));
    if (!passed.back()) return system_error("cannot pass a descriptor", errno);
    setup.dup_to(passed.back().get(), first_passed + i);
  }

  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  pid_t pid = -1;
  // posix_spawnp searches PATH only when the program has no '/'.
  int rc = ::posix_spawnp(&pid, program.c_str(), setup.actions(), setup.attributes(), argv.data(),
                          environ);
  if (rc != 0) return system_error("cannot start " + program, rc);

  ChildProcess child;
  child.pid_ = pid;
  child.program_ = program;
  child.pidfd_ = open_pidfd(pid);
  child.stdin_ = std::move(in.write);
  child.stdout_ = std::move(out.read);
  child.stderr_ = std::move(err.read);
  for (const Fd* fd : {&child.stdin_, &child.stdout_, &child.stderr_}) {
    if (!fd->valid()) continue;
    if (Status st = set_nonblocking(fd->get()); !st) return st.error();
  }
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      exit_status_(other.exit_status_),
      program_(std::move(other.program_)),
      pidfd_(std::move(other.pidfd_)),
      stdin_(std::move(other.stdin_)),
      stdout_(std::move(other.stdout_)),
      stderr_(std::move(other.stderr_)),
      pending_(std::move(other.pending_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this == &other) return *this;
  kill_and_reap(pid_);
  pid_ = std::exchange(other.pid_, -1);
  exit_status_ = other.exit_status_;
  program_ = std::move(other.program_);
  pidfd_ = std::move(other.pidfd_);
  stdin_ = std::move(other.stdin_);
  stdout_ = std::move(other.stdout_);
  stderr_ = std::move(other.stderr_);
  pending_ = std::move(other.pending_);
  return *this;
}

ChildProcess::~ChildProcess() { kill_and_reap(pid_); }

std::string ChildProcess::describe() const {
  return program_ + " (pid " + std::to_string(pid_) + ")";
}

Result<bool> ChildProcess::fill(Deadline deadline, Clock::time_point started,
                                std::string_view waiting_for) {
  if (!stdout_) return false;
  std::array<std::byte, 4096> chunk;
  for (;;) {
    Transfer t = read_fd(stdout_.get(), chunk);
    switch (t.kind) {
      case Transfer::Kind::kDone:
        pending_.append(reinterpret_cast<const char*>(chunk.data()), t.bytes);
        return true;
      case Transfer::Kind::kEof:
        stdout_.reset();
        return false;
      case Transfer::Kind::kError:
        return system_error("cannot read the output of " + describe(), t.error.value());
      case Transfer::Kind::kWouldBlock:
        break;
    }
    ECHO_TRY(wait_ready(stdout_.get(), POLLIN, deadline,
                        std::string(waiting_for) + " from " + describe(), started));
  }
}

Result<std::string> ChildProcess::read_line(Deadline deadline) {
  const auto started = Clock::now();
  std::size_t searched = 0;
  for (;;) {
    std::size_t newline = pending_.find('\n', searched);
    if (newline != std::string::npos) {
      std::string line = pending_.substr(0, newline);
      pending_.erase(0, newline + 1);
      return line;
    }
    searched = pending_.size();
    ECHO_ASSIGN_OR_RETURN(bool more, fill(deadline, started, "waiting for a line"));
    if (more) continue;
    if (!pending_.empty()) return std::exchange(pending_, {});  // a last line with no newline
    return Error{"the output of " + describe() + " has ended",
                 std::make_error_code(std::errc::broken_pipe)};
  }
}

Result<std::string> ChildProcess::read_all(Deadline deadline) {
  const auto started = Clock::now();
  for (;;) {
    ECHO_ASSIGN_OR_RETURN(bool more, fill(deadline, started, "waiting for the end of output"));
    if (!more) return std::exchange(pending_, {});
  }
}

Status ChildProcess::send_signal(int signal_number) {
  if (pid_ <= 0) {
    return Error{"cannot signal " + program_ + ": it has already exited",
                 std::make_error_code(std::errc::no_such_process)};
  }
  if (::kill(pid_, signal_number) != 0) {
    return system_error("cannot signal " + describe(), errno);
  }
  return {};
}

Result<int> ChildProcess::wait(Deadline deadline) {
  if (pid_ <= 0) {
    if (exit_status_ >= 0) return exit_status_;
    return Error{"no process to wait for", std::make_error_code(std::errc::no_child_process)};
  }
  const auto started = Clock::now();
  for (;;) {
    int status = 0;
    pid_t rc = ::waitpid(pid_, &status, WNOHANG);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) return system_error("cannot wait for " + describe(), errno);
    if (rc == pid_) {
      pid_ = -1;
      pidfd_.reset();
      exit_status_ = decode_status(status);
      return exit_status_;
    }
    const std::string waiting_for = "waiting for " + describe() + " to exit";
    if (deadline.expired()) return timeout_error(waiting_for, started, deadline);
    if (pidfd_) {
      // The pidfd becomes readable when the child exits.
      ECHO_TRY(wait_ready(pidfd_.get(), POLLIN, deadline, waiting_for, started));
      continue;
    }
    // No pidfd: look again in 10 ms, never past the deadline.
    Deadline nap = deadline.min(Deadline::after(std::chrono::milliseconds(10)));
    ::poll(nullptr, 0, nap.poll_timeout_ms());
  }
}

std::string sibling_program(const std::string& name) {
  std::array<char, PATH_MAX> path{};
  ssize_t n = ::readlink("/proc/self/exe", path.data(), path.size() - 1);
  if (n <= 0) return name;
  std::string self(path.data(), static_cast<std::size_t>(n));
  std::size_t slash = self.rfind('/');
  if (slash == std::string::npos) return name;
  return self.substr(0, slash + 1) + name;
}

}  // namespace echo
