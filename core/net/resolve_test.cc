#include "core/net/resolve.h"

#include <gtest/gtest.h>

namespace echo {
namespace {

// Only numeric hosts: these tests never ask DNS.

TEST(Resolve, Ipv4LiteralGivesThatAddress) {
  Result<std::vector<Endpoint>> r = resolve({"127.0.0.1", 7007, HostKind::kIpv4});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->front(), Endpoint::loopback_v4(7007));
}

TEST(Resolve, Ipv6LiteralGivesThatAddress) {
  Result<std::vector<Endpoint>> r = resolve({"::1", 7, HostKind::kIpv6});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->front(), Endpoint::loopback_v6(7));
}

TEST(Resolve, LiteralKindNeverFallsBackToNames) {
  Result<std::vector<Endpoint>> r = resolve({"nohost.invalid", 7, HostKind::kIpv4});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "cannot resolve 'nohost.invalid': Name or service not known");
  EXPECT_TRUE(r.error().code);
}

}  // namespace
}  // namespace echo
