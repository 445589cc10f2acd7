#include <exception>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"isnad — who reports what about an event, across Arabic news sources", "isnad"};
  app.set_version_flag("--version", ISNAD_VERSION);
  app.require_subcommand(1);
  isnad::cli::ExitStatus status;
  isnad::cli::register_analyze(app, status);
  isnad::cli::register_corpus(app, status);
  isnad::cli::register_eval(app, status);
  isnad::cli::register_serve(app, status);
  isnad::cli::register_worker(app, status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const std::exception& e) {  // a command that cannot go on (store unusable, disk full)
    std::cerr << "isnad: " << e.what() << '\n';
    return 1;
  }
  return status.code;
}
