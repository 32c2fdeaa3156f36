// The version every program prints for --version: the project's version from
// CMake's project(), plus `git describe` when the build tree was configured
// from a git checkout. Both are fixed at configure time (cmake/EchoVersion.cmake
// writes them into a generated header that only version.cc includes, and
// rewrites it only when they change: a new commit does not rebuild anything
// until the next configure, and then only version.cc and the links).
//
// Example:
//   std::cout << echo::version_line("echo-server") << '\n';
//   // "echo-server 0.1.0 (git 5e2f1c9-dirty)", or "echo-server 0.1.0" from a tarball
#pragma once

#include <string>
#include <string_view>

namespace echo {

// "0.1.0": the project version (MAJOR.MINOR.PATCH), as the package carries it.
[[nodiscard]] std::string_view project_version();

// `git describe --tags --always --dirty` of the source tree at configure
// time; empty when it was not a git checkout.
[[nodiscard]] std::string_view git_description();

// "<program> <project_version>[ (git <git_description>)]": the first line of
// --version, in the form help2man reads the version from.
[[nodiscard]] std::string version_line(std::string_view program);

}  // namespace echo
