import ArgumentParser
import LifecycleServer

struct LspCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lsp",
    abstract: "Run the language server (JSON-RPC over stdin/stdout).",
    discussion: """
      Speaks the Language Server Protocol for job specs and Dockerfiles. Logs go to stderr. \
      Exit status: 0 after `shutdown` then `exit`, 1 otherwise.
      """)

  @Flag(help: "Accepted for editors that pass it; stdio is the only transport.")
  var stdio = false

  func run() throws {
    let status = LanguageServer.run(input: 0, output: 1)
    throw ExitCode(status)
  }
}
