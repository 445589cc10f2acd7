// libFuzzer entry point for the numbers body (numbers_body.h); built by the `fuzz` preset only.
#include "fuzz/numbers_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return isnad::fuzz::numbers_one(data, size);
}
