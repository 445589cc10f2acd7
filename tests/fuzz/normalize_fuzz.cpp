// libFuzzer entry point for the normalize body (normalize_body.h); built by the `fuzz` preset only.
#include "fuzz/normalize_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return isnad::fuzz::normalize_one(data, size);
}
