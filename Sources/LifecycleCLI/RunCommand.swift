import ArgumentParser
import Dispatch
import Foundation
import LifecycleAnalysis
import LifecycleProtocol
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
      PATH is a spec or the folder holding it (default: the current folder). The job gets the \
      built-in variables of a local environment (--environment), the outputs of the jobs already \
      run in it, the spec's environment, secrets and aliases, and of the caller's environment \
      only PATH and HOME (unless --inherit-env). It runs in Docker when an engine answers, else \
      as a process in the job's root. After exit 0 its /qovery-output/qovery-output.json \
      becomes output variables, recorded in .lifecycle-job/ for later runs and the editor. \
      Exit status: the job's (124 on timeout, 130 when interrupted); 2 when it cannot run.
      """)

  @Argument(help: "The event: start, stop or delete.")
  var event: String

  @Argument(help: "A spec, or the folder holding lifecycle-job.yaml.")
  var path: String = "."

  @Option(help: "The local environment (its ids and recorded outputs).")
  var environment: String = "local"

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
  }

  func run() throws {
    let specPath = try resolveSpec()
    let secrets = try readSecrets()
    let request = RunRequest(
      specPath: specPath, event: EventName(rawValue: event)!, environmentName: environment, secrets: secrets,
      callerEnvironment: ProcessInfo.processInfo.environment, inheritEnvironment: inheritEnv, engine: engine,
      graceSeconds: graceSeconds)
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
      reporter.refuse(error)
      throw ExitCode(2)
    }
    throw ExitCode(status)
  }

  /// The spec named by PATH: the file itself, or the spec in the folder.
  func resolveSpec() throws -> String {
    let absolute = Paths.absolute(path, relativeTo: Paths.currentFolder)
    let disk = DiskFileSystem()
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
      switch SecretFile.parse(text) {
      case .success(let values): secrets.merge(values) { $1 }
      case .failure(let bad): throw ValidationError("--env-file \(file):\(bad.number): expected NAME=VALUE")
      }
    }
    for item in secretValues {
      // The value is not repeated: it may be a secret.
      guard let (name, value) = SecretFile.assignment(item) else {
        throw ValidationError("--env expects NAME=VALUE, not `\(item.prefix { $0 != "=" })=…`")
      }
      secrets[name] = value
    }
    return secrets
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
      Self.writeLine(RunLine(event))
    }
  }

  /// The run did not start: the reason on stderr, and as the only line of jsonl.
  func refuse(_ refusal: RunRefusal) {
    lock.lock()
    defer { lock.unlock() }
    printError("lifecycle-job: error: \(refusal.description)")
    if format == .jsonl { Self.writeLine(RunLine(refusal)) }
  }

  /// One JSON line: `event` first, then the members in the order `RunLine` encodes them.
  private static func writeLine(_ line: RunLine) {
    // A non-finite duration is the only thing that cannot be encoded; it never happens.
    guard let bytes = try? StreamingJSONEncoder.encode(line) else { return }
    FileHandle.standardOutput.write(Data(bytes + [0x0A]))
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
}
