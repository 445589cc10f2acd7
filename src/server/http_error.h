// Internal to src/server: the server's one exception boundary. Handlers turn the core's
// Expected/Status errors into these; Server::Impl::routes() turns them into JSON error responses.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace isnad::server {

// A request the client got wrong (400, 404, …): the message is shown to the client.
struct HttpError : std::runtime_error {
  HttpError(int code, const std::string& message) : std::runtime_error(message), status(code) {}
  int status;
};

// The store failed: logged on the server, a generic 500 for the client (no paths or SQL).
struct StoreFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline nlohmann::ordered_json error_body(int status, const std::string& message) {
  return {{"error", {{"status", status}, {"message", message}}}};
}

}  // namespace isnad::server
