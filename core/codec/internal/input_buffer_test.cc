#include "core/codec/internal/input_buffer.h"

#include <gtest/gtest.h>

#include "core/codec/testing/decoding.h"

namespace echo::codec_internal {
namespace {

using testing::bytes;

TEST(InputBuffer, AppendStopsAtTheLimit) {
  InputBuffer buffer(4);
  EXPECT_EQ(buffer.append(bytes("abcdef")), 4u);
  EXPECT_EQ(buffer.size(), 4u);
  EXPECT_EQ(buffer.append(bytes("x")), 0u);
  const auto view = buffer.view();
  EXPECT_EQ(std::vector<std::byte>(view.begin(), view.end()), bytes("abcd"));
}

TEST(InputBuffer, DropMakesRoomAndKeepsTheRestContiguous) {
  InputBuffer buffer(4);
  ASSERT_EQ(buffer.append(bytes("abcd")), 4u);
  buffer.drop(3);
  EXPECT_EQ(buffer.append(bytes("efgh")), 3u);
  const auto view = buffer.view();
  EXPECT_EQ(std::vector<std::byte>(view.begin(), view.end()), bytes("defg"));
}

TEST(InputBuffer, ClearEmptiesTheBuffer) {
  InputBuffer buffer(4);
  ASSERT_EQ(buffer.append(bytes("ab")), 2u);
  buffer.clear();
  EXPECT_EQ(buffer.size(), 0u);
  EXPECT_TRUE(buffer.view().empty());
}

TEST(InputBufferDeathTest, DropPastTheEndAborts) {
  InputBuffer buffer(4);
  ASSERT_EQ(buffer.append(bytes("ab")), 2u);
  EXPECT_DEATH(buffer.drop(3), "InputBuffer::drop past the unread bytes");
}

}  // namespace
}  // namespace echo::codec_internal
