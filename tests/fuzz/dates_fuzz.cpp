// libFuzzer entry point for the dates body (dates_body.h); built by the `fuzz` preset only.
#include "fuzz/dates_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return isnad::fuzz::dates_one(data, size);
}
