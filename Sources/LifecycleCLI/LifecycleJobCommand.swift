import ArgumentParser

/// The `lifecycle-job` command and its subcommands.
public struct LifecycleJobCommand: ParsableCommand {
  public static let version = "0.1.0"

  public static let configuration = CommandConfiguration(
    commandName: "lifecycle-job",
    abstract: "Author, check and run deployment lifecycle jobs locally.",
    discussion: """
      A lifecycle job is a container the platform runs when an environment starts, stops or is \
      deleted. `lifecycle-job` checks its spec (lifecycle-job.yaml), Dockerfile and output file, \
      and serves editors as a language server.
      """,
    version: "lifecycle-job \(version)",
    subcommands: [
      CheckCommand.self, RunCommand.self, ExportCommand.self, ImportCommand.self, ExplainCommand.self,
      InitCommand.self,
      LspCommand.self,
    ])

  public init() {}

  /// Parses the command line and runs it. Usage errors exit with status 2, as `check` documents.
  public static func mainWithStatus(_ arguments: [String]? = nil) -> Never {
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
      exit()
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure {
        let message = fullMessage(for: error)
        printError(message)
        exit(withError: ExitCode(2))
      }
      exit(withError: error)
    }
  }
}
