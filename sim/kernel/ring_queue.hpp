// A FIFO queue over a power-of-two ring buffer. It grows by doubling and never shrinks, so in
// steady state pushing and popping allocate nothing (std::deque allocates and frees blocks as
// it slides along).
#pragma once

#include <cassert>
#include <cstddef>
#include <type_traits>
#include <vector>

namespace ratesim::kernel {

template <typename T>
class RingQueue {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  void push_back(const T& v) { emplace_back() = v; }
  /// Adds an element at the back and returns it for the caller to fill in.
  T& emplace_back() {
    if (size_ == buffer_.size()) grow();
    return buffer_[(head_ + size_++) & (buffer_.size() - 1)];
  }
  /// REQUIRES: !empty().
  const T& front() const {
    assert(size_ > 0);
    return buffer_[head_];
  }
  /// The i-th element from the front. REQUIRES: i < size().
  const T& at(std::size_t i) const {
    assert(i < size_);
    return buffer_[(head_ + i) & (buffer_.size() - 1)];
  }
  T& at(std::size_t i) {
    assert(i < size_);
    return buffer_[(head_ + i) & (buffer_.size() - 1)];
  }
  /// REQUIRES: !empty().
  void pop_front() {
    assert(size_ > 0);
    head_ = (head_ + 1) & (buffer_.size() - 1);
    --size_;
  }

 private:
  void grow() {
    std::vector<T> bigger(buffer_.empty() ? 16 : 2 * buffer_.size());
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = buffer_[(head_ + i) & (buffer_.size() - 1)];
    buffer_.swap(bigger);
    head_ = 0;
  }

  std::vector<T> buffer_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace ratesim::kernel
