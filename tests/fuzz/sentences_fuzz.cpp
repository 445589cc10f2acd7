// libFuzzer entry point for the sentences body (sentences_body.h); built by the `fuzz` preset only.
#include "fuzz/sentences_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return isnad::fuzz::sentences_one(data, size);
}
