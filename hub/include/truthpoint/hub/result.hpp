// Errors as values at the hub's module boundaries: a Result<T> holds a value or an Error that says
// what went wrong in words a person can act on, plus a code the caller can branch on.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace truthpoint::hub {

enum class ErrorCode {
    InvalidArgument,  // the caller (or the person behind it) gave something unusable
    NotFound,
    AlreadyExists,
    Unauthorized,
    Unsupported,  // valid, but not handled by this binary (e.g. a database migrated by a newer hub)
    Unavailable,  // storage or network failed; retrying later may work
    Internal,     // a bug; the message says where
};

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<T>(state_); }
    T& value() & { return std::get<T>(state_); }
    T&& value() && { return std::get<T>(std::move(state_)); }
    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }

    const Error& error() const { return std::get<Error>(state_); }

private:
    std::variant<T, Error> state_;
};

struct Ok {};
// For operations that return nothing but may fail.
using Status = Result<Ok>;

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace truthpoint::hub
