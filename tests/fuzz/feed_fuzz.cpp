// libFuzzer entry point for the feed body (feed_body.h); built outside tests/fuzz/CMakeLists.txt's
// text-core loop because it needs isnad_ingest and libxml2 (see docs/RELIABILITY.md).
#include "fuzz/feed_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return isnad::fuzz::feed_one(data, size);
}
