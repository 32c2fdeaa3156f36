#include "reference/client/stream_window.h"

#include <algorithm>

#include "core/util/check.h"

namespace echo::client {

void StreamWindow::take(std::span<const std::byte> data) {
  data = data.first(std::min(data.size(), free_space()));
  if (data.empty()) return;
  chunks_.emplace_back(data.begin(), data.end());
  held_ += data.size();
  taken_ += data.size();
}

std::span<const std::byte> StreamWindow::unsent() const noexcept {
  if (send_chunk_ >= chunks_.size()) return {};
  return std::span<const std::byte>(chunks_[send_chunk_]).subspan(send_skip_);
}

void StreamWindow::on_sent(std::size_t n) {
  ECHO_CHECK(n <= unsent().size(), "StreamWindow::on_sent() of more than unsent()");
  sent_ += n;
  send_skip_ += n;
  if (send_chunk_ < chunks_.size() && send_skip_ == chunks_[send_chunk_].size()) {
    ++send_chunk_;
    send_skip_ = 0;
  }
}

EchoCheck StreamWindow::check_echo(std::span<const std::byte> echoed) {
  while (!echoed.empty()) {
    if (echoed_ == sent_) {
      return EchoCheck{EchoCheck::kUnexpected, echoed_, std::byte{}, echoed.front()};
    }
    const std::vector<std::byte>& chunk = chunks_.front();
    // Only bytes already sent can come back: the front chunk may be partly unsent.
    std::size_t chunk_end = send_chunk_ == 0 ? send_skip_ : chunk.size();
    std::size_t n = std::min(chunk_end - echo_skip_, echoed.size());
    auto expected = chunk.begin() + static_cast<std::ptrdiff_t>(echo_skip_);
    auto [got, want] =
        std::mismatch(echoed.begin(), echoed.begin() + static_cast<std::ptrdiff_t>(n), expected);
    std::size_t same = static_cast<std::size_t>(got - echoed.begin());
    echo_skip_ += same;
    echoed_ += same;
    held_ -= same;
    if (same < n) return EchoCheck{EchoCheck::kDiffers, echoed_, *want, *got};
    echoed = echoed.subspan(n);
    if (echo_skip_ == chunk.size()) {
      chunks_.pop_front();
      echo_skip_ = 0;
      --send_chunk_;
    }
  }
  return EchoCheck{};
}

}  // namespace echo::client
