// Sending webhooks (see webhook_sender.hpp).
#include "webhook_sender.hpp"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace truthpoint::hub {
namespace {

constexpr long kConnectTimeoutSeconds = 5;
constexpr long kTimeoutSeconds = 15;
constexpr std::chrono::seconds kLongestBackoff{300};

std::vector<unsigned char> bytes_of_hex(std::string_view hex) {
    std::vector<unsigned char> bytes(hex.size() / 2);
    std::size_t length = 0;
    if (sodium_hex2bin(bytes.data(), bytes.size(), hex.data(), hex.size(), nullptr, &length, nullptr) != 0) return {};
    bytes.resize(length);
    return bytes;
}

// The receiver's answer is read and dropped: only its status matters.
std::size_t ignore_body(char*, std::size_t size, std::size_t count, void*) { return size * count; }

}  // namespace

std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body) {
    const std::vector<unsigned char> key = bytes_of_hex(secret);
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, key.data(), key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(timestamp.data()), timestamp.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>("."), 1);
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return "sha256=" + std::string(hex);
}

std::optional<std::string> send_webhook(const WebhookDelivery& delivery, core::Timestamp now) {
    const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) return "libcurl could not start a request";
    const std::string timestamp =
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
    const std::string headers_text[] = {
        "Content-Type: application/json",
        "User-Agent: truthpoint-hub",
        "X-Truthpoint-Delivery: " + delivery.delivery_id,
        "X-Truthpoint-Timestamp: " + timestamp,
        "X-Truthpoint-Signature: " + webhook_signature(delivery.secret, timestamp, delivery.payload),
    };
    curl_slist* raw_headers = nullptr;
    for (const std::string& header : headers_text) raw_headers = curl_slist_append(raw_headers, header.c_str());
    const std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(raw_headers, &curl_slist_free_all);
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl.get(), CURLOPT_URL, delivery.url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, delivery.payload.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(delivery.payload.size()));
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, kTimeoutSeconds);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);  // a worker thread: no SIGALRM for timeouts
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &ignore_body);
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
    const CURLcode sent = curl_easy_perform(curl.get());
    if (sent != CURLE_OK) return std::string(error[0] != '\0' ? error : curl_easy_strerror(sent));
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) return "the receiver answered HTTP " + std::to_string(status);
    return std::nullopt;
}

std::chrono::seconds webhook_backoff(std::int64_t attempts) {
    const std::int64_t doublings = std::clamp<std::int64_t>(attempts - 1, 0, 20);
    return std::min(kLongestBackoff, std::chrono::seconds(std::int64_t{1} << doublings));
}

}  // namespace truthpoint::hub
