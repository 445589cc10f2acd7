// libFuzzer entry point for the API-body / JSONL body (documents_body.h); built with the ingest
// targets in tests/fuzz/CMakeLists.txt because it needs isnad_ingest.
#include "fuzz/documents_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return isnad::fuzz::documents_one(data, size);
}
