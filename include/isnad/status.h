// isnad/status.h — the error model of the core.
//
// The core never throws. A function that can fail returns `Expected<T>` (a value or an `Error`),
// or `Status` (= `Expected<void>`) when it has nothing else to return. Exceptions are reserved
// for the edges (CLI, server), which turn an `Error` into a message and an exit code or HTTP status.
//
//   isnad::Expected<Text> t = isnad::load_text(bytes);
//   if (!t) { report(t.error().message, t.error().offset); return; }
//   use(*t);
//
// `Error::offset` is the byte offset into the input that caused the error, when there is one
// (invalid UTF-8 at byte 4711), so callers can print `file:4711: reason`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace isnad {

enum class ErrorCode : std::uint8_t {
  kInvalidUtf8,
  kBinaryInput,
  kEmptyInput,
  kTooLarge,
  kNoArabic,
  kIo,
  kParse,
  kInvalidArgument,
  kStore,
};

struct Error {
  ErrorCode code;
  std::string message;
  std::optional<std::uint64_t> offset;  // byte offset into the input, when the error has one
};

inline Error make_error(ErrorCode code, std::string message, std::optional<std::uint64_t> offset = {}) {
  return Error{code, std::move(message), offset};
}

template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  Expected(Error error) : state_(std::move(error)) {}    // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Expected<void> {
 public:
  Expected() = default;
  Expected(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

using Status = Expected<void>;

}  // namespace isnad
