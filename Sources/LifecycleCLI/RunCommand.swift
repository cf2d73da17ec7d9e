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
      PATH is a spec or the folder holding it (default: the current folder), or a Terraform file \
      declaring a qovery_job resource (--resource qovery_job.NAME when it declares several; its \
      secrets are supplied as a spec's, their Terraform values are never read). The job gets the \
      built-in variables of a local environment (--environment), the outputs of the jobs already \
      run in it, the spec's environment, secrets and aliases, and of the caller's environment \
      only PATH and HOME (unless --inherit-env). It runs in Docker when an engine answers, else \
      as a process in the job's root. After exit 0 its /qovery-output/qovery-output.json \
      becomes output variables, recorded in .lifecycle-job/ for later runs and the editor. \
      Exit status: the job's (124 on timeout, 128 + the signal when interrupted: 130 for Ctrl-C); 2 when it cannot run.
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

  @Option(
    help:
      "Where to run: auto (docker, else podman, when its engine answers), docker, podman or process (default: $LIFECYCLE_JOB_ENGINE, else auto; editor runs follow it too)."
  )
  var engine: EngineChoice?

  @Flag(help: "Restart a failed job at once, instead of backing off 10 s, 20 s, 40 s … as the platform does.")
  var noBackoff = false

  @Option(help: "Output: text, or jsonl (one JSON object per line, for tools and the editor).")
  var format: RunFormat = .text

  @Option(
    help: ArgumentHelp("Seconds between SIGTERM and SIGKILL when the job must stop.", visibility: .hidden))
  var graceSeconds: Double = 10

  @Option(
    help: ArgumentHelp(
      "Seconds an engine call other than the job (info, kill) may take.", visibility: .hidden))
  var engineTimeoutSeconds: Double = 15

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
      callerEnvironment: ProcessInfo.processInfo.environment, inheritEnvironment: inheritEnv,
      engine: engine ?? ProcessInfo.processInfo.environment["LIFECYCLE_JOB_ENGINE"].flatMap(EngineChoice.init)
        ?? .auto,
      graceSeconds: graceSeconds, engineCallSeconds: engineTimeoutSeconds, noBackoff: noBackoff,
      roots: [root ?? Paths.currentFolder], resource: terraform.resource)
    request.repositories = try terraform.repositoryMap()
    SpawnLauncher.becomeSubreaper()
    signal(SIGPIPE, SIG_IGN)
    let runner = Runner()
    // Each signal reaches the job as it was sent (SIGTERM as SIGTERM).
    let interrupts = [SIGINT, SIGTERM, SIGHUP].map { number -> DispatchSourceSignal in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { runner.cancel(signal: number) }
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
      switch SecretFile.parse(text) {
      case .success(let values): secrets.merge(values) { $1 }
      case .failure(let bad):
        // The line is not quoted: it may hold a secret.
        throw ValidationError(
          "--env-file \(file):\(bad.number): expected NAME=VALUE with NAME made of letters, digits and `_`")
      }
    }
    for (index, item) in secretValues.enumerated() {
      guard let (name, value) = SecretFile.assignment(item) else {
        // The value is not quoted: it may be a secret.
        throw ValidationError(
          "--env number \(index + 1) is not NAME=VALUE with NAME made of letters, digits and `_`")
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
