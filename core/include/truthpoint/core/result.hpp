// Errors as values at every module boundary (core, app, sync, hub): a Result<T> holds a value or an
// Error that says what went wrong in words a person can act on, plus a code the caller can branch on.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace truthpoint::core {

enum class ErrorCode {
    InvalidArgument,  // the caller (or the person behind it) gave something unusable
    NotFound,
    AlreadyExists,
    Conflict,     // the thing is in a state that refuses this change (closing a closed case)
    Unauthorized,
    Untrusted,    // the other side's identity did not check out (a TLS certificate or pinned key)
    Unsupported,  // valid, but not handled by this binary (e.g. a database migrated by a newer hub)
    Unavailable,  // storage or network failed; retrying later may work
    Busy,         // the other side is overloaded; retry after Error::retry_after
    Internal,     // a bug; the message says where
};

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
    std::optional<std::chrono::seconds> retry_after;  // set with Busy (and Unavailable when known)
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    // Asking an error for its value is a bug; the exception carries the error's message, so the report
    // says what failed (std::get would only say "bad variant access").
    const T& value() const& {
        require_value();
        return std::get<T>(state_);
    }
    T& value() & {
        require_value();
        return std::get<T>(state_);
    }
    T&& value() && {
        require_value();
        return std::get<T>(std::move(state_));
    }
    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }

    const Error& error() const { return std::get<Error>(state_); }

private:
    void require_value() const {
        if (!ok()) throw std::logic_error("value() of a failed Result: " + error().message);
    }
    std::variant<T, Error> state_;
};

struct Ok {};
// For operations that return nothing but may fail.
using Status = Result<Ok>;

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message), {}}; }
inline Error make_busy(std::chrono::seconds retry_after, std::string message) {
    return Error{ErrorCode::Busy, std::move(message), retry_after};
}

}  // namespace truthpoint::core
