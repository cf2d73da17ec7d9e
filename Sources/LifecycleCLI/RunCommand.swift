import ArgumentParser
import Dispatch
import Foundation
import LifecycleAnalysis
import LifecycleRunner
import LifecycleSyntax
import LifecycleWorkspace

/// How `run` reports.
enum RunFormat: String, ExpressibleByArgument, CaseIterable {
  case text, jsonl
}

extension EngineChoice: ExpressibleByArgument {}

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a job's start, stop or delete event locally, as the platform would.",
    discussion: """
      PATH is a spec or the folder holding it (default: the current folder), or a Terraform file \
      declaring a qovery_job resource (--resource qovery_job.NAME when it declares several; its \
      secrets are supplied as a spec's, their Terraform values are never read). The job gets the \
      built-in variables of a local environment (--environment), the outputs of the jobs already \
      run in it, the spec's environment, secrets and aliases, and of the caller's environment \
      only PATH and HOME (unless --inherit-env). It runs in Docker when an engine answers, else \
      as a process in the job's root. After exit 0 its /qovery-output/qovery-output.json \
      becomes output variables, recorded in .lifecycle-job/ for later runs and the editor. \
      Exit status: the job's (124 on timeout, 130 when interrupted); 2 when it cannot run.
      """)

  @Argument(help: "The event: start, stop or delete.")
  var event: String

  @Argument(
    help: "A spec, the folder holding lifecycle-job.yaml, or a Terraform file declaring a qovery_job.")
  var path: String = "."

  @OptionGroup var terraform: TerraformJobOptions

  @Option(help: "The local environment (its ids and recorded outputs).")
  var environment: String = "local"

  @Option(
    help: ArgumentHelp(
      "The folder you work in (default: the current folder): without a .git folder above the spec, it is the repository the job may not leave.",
      valueName: "folder"))
  var root: String?

  @Option(
    name: .customLong("env"), help: ArgumentHelp("A secret's value (repeatable).", valueName: "name=value"))
  var secretValues: [String] = []

  @Option(
    name: .customLong("env-file"),
    help: ArgumentHelp("Secret values, one NAME=VALUE per line.", valueName: "file"))
  var secretFiles: [String] = []

  @Flag(help: "Give the job the caller's whole environment, not only PATH and HOME.")
  var inheritEnv = false

  @Option(help: "Where to run: auto (docker when an engine answers), docker or process.")
  var engine: EngineChoice = .auto

  @Option(help: "Output: text, or jsonl (one JSON object per line, for tools and the editor).")
  var format: RunFormat = .text

  @Option(
    help: ArgumentHelp("Seconds between SIGTERM and SIGKILL when the job must stop.", visibility: .hidden))
  var graceSeconds: Double = 10

  func validate() throws {
    guard EventName(rawValue: event) != nil else {
      throw ValidationError("the event must be start, stop or delete, not `\(event)`")
    }
    _ = try terraform.repositoryMap()
    if terraform.resource != nil, TerraformFileName.isJSON(Paths.name(path)) == nil {
      throw ValidationError(
        "--resource names a qovery_job of a Terraform file (.tf, .tf.json), and `\(path)` is not one")
    }
  }

  func run() throws {
    let specPath = try resolveSpec()
    let secrets = try readSecrets()
    var request = RunRequest(
      specPath: specPath, event: EventName(rawValue: event)!, environmentName: environment, secrets: secrets,
      callerEnvironment: ProcessInfo.processInfo.environment, inheritEnvironment: inheritEnv, engine: engine,
      graceSeconds: graceSeconds, roots: [root ?? Paths.currentFolder],
      resource: terraform.resource)
    request.repositories = try terraform.repositoryMap()
    let runner = Runner()
    let interrupts = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { runner.cancel() }
      source.resume()
      return source
    }
    defer { interrupts.forEach { $0.cancel() } }
    let reporter = RunReporter(format: format)
    let status: Int32
    do {
      status = try runner.run(request) { reporter.report($0) }
    } catch {
      printError("lifecycle-job: error: \(error.description)")
      throw ExitCode(2)
    }
    throw ExitCode(status)
  }

  /// The spec named by PATH: the file itself, or the spec in the folder.
  func resolveSpec() throws -> String {
    let disk = DiskFileSystem()
    // Through a symbolic link too: the job is the one the link leads to.
    let absolute = disk.canonical(Paths.absolute(path, relativeTo: Paths.currentFolder))
    switch disk.type(absolute) {
    case .regular?:
      return absolute
    case .directory?:
      let specs = (disk.entries(absolute) ?? []).sorted().filter { FileKind.of(fileName: $0)?.isSpec == true }
      guard let first = specs.first else {
        printError("lifecycle-job: error: \(path): no lifecycle-job.yaml in this folder")
        throw ExitCode(2)
      }
      guard specs.count == 1 else {
        printError(
          "lifecycle-job: error: \(path): several specs here (\(specs.joined(separator: ", "))): name one")
        throw ExitCode(2)
      }
      return absolute + "/" + first
    default:
      printError("lifecycle-job: error: \(path): no such file or directory")
      throw ExitCode(2)
    }
  }

  func readSecrets() throws -> [String: String] {
    var secrets: [String: String] = [:]
    for file in secretFiles {
      guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
        throw ValidationError("--env-file \(file): cannot be read")
      }
      for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        var line = rawLine.trimmingCharacters(in: .whitespaces)
        if line.isEmpty || line.hasPrefix("#") { continue }
        if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)) }
        guard let (name, value) = Self.assignment(line) else {
          throw ValidationError(
            "--env-file \(file):\(index + 1): expected NAME=VALUE, not `\(line.prefix(40))`")
        }
        secrets[name] = value
      }
    }
    for item in secretValues {
      guard let (name, value) = Self.assignment(item) else {
        throw ValidationError("--env expects NAME=VALUE, not `\(item)`")
      }
      secrets[name] = value
    }
    return secrets
  }

  /// `NAME=VALUE`, with one pair of surrounding quotes removed from the value.
  static func assignment(_ text: String) -> (String, String)? {
    guard let equals = text.firstIndex(of: "="), VariableName.isValid(String(text[..<equals])) else {
      return nil
    }
    var value = String(text[text.index(after: equals)...])
    if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
      value = String(value.dropFirst().dropLast())
    }
    return (String(text[..<equals]), value)
  }
}

/// Prints run events: the job's log as it comes and the runner's notes on stderr (text), or one
/// JSON object per line (jsonl).
final class RunReporter: Sendable {
  let format: RunFormat
  private let lock = NSLock()

  init(format: RunFormat) {
    self.format = format
  }

  func report(_ event: RunEvent) {
    lock.lock()
    defer { lock.unlock() }
    switch format {
    case .text: text(event)
    case .jsonl:
      if let line = Self.jsonLine(event) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }
  }

  private func text(_ event: RunEvent) {
    switch event {
    case .log(.stdout, let text): FileHandle.standardOutput.write(Data(text.utf8))
    case .log(.stderr, let text): FileHandle.standardError.write(Data(text.utf8))
    case .note(let message): printError("lifecycle-job: \(message)")
    case .warning(let code, let message): printError("lifecycle-job: warning: \(message) [\(code)]")
    case .output(let name, let alias, let sensitive, let value):
      printError(
        "lifecycle-job: output \(name) (alias \(alias)) = \(sensitive ? LogMasker.mask + " (sensitive)" : value ?? "")"
      )
    case .exit(let status, let timedOut, let duration, let peak):
      printError(
        "lifecycle-job: \(timedOut ? "timed out" : "exit \(status)") after \(String(format: "%.2f", duration)) s, peak memory \(peak) MB"
      )
    }
  }

  /// The JSON line of an event; notes have none.
  static func jsonLine(_ event: RunEvent) -> String? {
    let (name, members): (String, [(String, JSONOutput)])
    switch event {
    case .log(let stream, let text):
      (name, members) = ("log", [("stream", .string(stream.rawValue)), ("text", .string(text))])
    case .output(let variable, let alias, let sensitive, let value):
      (name, members) = (
        "output",
        [("name", .string(variable)), ("alias", .string(alias)), ("sensitive", .bool(sensitive))]
          + (value.map { [("value", JSONOutput.string($0))] } ?? [])
      )
    case .warning(let code, let message):
      (name, members) = ("warning", [("code", .string(code)), ("message", .string(message))])
    case .note:
      return nil
    case .exit(let status, let timedOut, let duration, let peak):
      (name, members) = (
        "exit",
        [
          ("status", .int(Int(status))), ("timedOut", .bool(timedOut)),
          ("durationSeconds", .decimal(duration, places: 3)), ("peakMemoryMegabytes", .int(peak)),
        ]
      )
    }
    return JSONOutput.object([("event", .string(name))] + members).text
  }
}
