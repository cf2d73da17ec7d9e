//! What a run from the editor needs besides the protocol: its settings, the file that keeps its
//! log, and the runner's own error output.
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif
import LifecycleAnalysis
import LifecycleProtocol
import LifecycleRunner
import LifecycleWorkspace
import Synchronization

/// The `run` section of the settings (`workspace/configuration` or `initializationOptions`):
/// what editor runs are given, since an editor is rarely started from the shell that holds the
/// job's secrets.
struct RunSettings: Equatable {
  /// An env file (`NAME=VALUE` lines) whose values the runs see; relative to the workspace folder.
  var envFile: String?
  /// Values given in the settings themselves; they win over the env file.
  var env: [String: String] = [:]
  /// `auto`, `docker` or `process` (`run --engine`).
  var engine: String?
  /// Where each run's log is kept.
  var logFolder: String?

  init() {}

  /// Unknown members and values of the wrong type are ignored.
  init(_ value: JSONValue) {
    envFile = value["envFile"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    for (name, entry) in value["env"]?.objectValue ?? [:] {
      if let text = entry.stringValue { env[name] = text }
    }
    engine = value["engine"]?.stringValue.flatMap { EngineChoice(rawValue: $0) }?.rawValue
    logFolder = value["logFolder"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
  }
}

/// The runner's stderr, kept by the thread that reads it.
final class RunnerErrors: Sendable {
  private let lines = Mutex<[String]>([])

  func append(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    Log.write(text.trimmingCharacters(in: .newlines))
    lines.withLock { lines in
      lines += text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
      if lines.count > 20 { lines.removeFirst(lines.count - 20) }
    }
  }

  var all: [String] { lines.withLock { $0 } }
}

/// The file that keeps a run's whole log (masked, as the runner reports it): created new, owner only.
struct RunLogFile {
  let path: String
  private let fd: Int32

  /// A new file in `folder` (created, owner only, when missing).
  static func create(in folder: String, name: String) -> Result<RunLogFile, ResponseError> {
    var built = ""
    for component in folder.split(separator: "/") {
      built += "/" + component
      if mkdir(built, 0o700) != 0 && errno != EEXIST {
        return .failure(
          .requestFailed("cannot create \(built) for the run's log: \(String(cString: strerror(errno)))"))
      }
    }
    let path = folder + "/" + name
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else {
      return .failure(
        .requestFailed("cannot create the run's log \(path): \(String(cString: strerror(errno)))"))
    }
    return .success(RunLogFile(path: path, fd: fd))
  }

  private init(path: String, fd: Int32) {
    self.path = path
    self.fd = fd
  }

  func write(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      var written = 0
      while written < bytes.count {
        let count = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { return }
        written += count
      }
    }
  }

  func close() {
    _ = Glibc.close(fd)
  }
}

extension LanguageServer {
  /// The runner's environment: the editor's, with the values of `run.envFile` and `run.env`
  /// (never on its command line). The runner takes from it only the secrets the spec declares.
  func runEnvironmentVariables(forSpecAt specPath: String) -> Result<[String: String], ResponseError> {
    var environment = ProcessInfo.processInfo.environment
    if let envFile = runSettings.envFile {
      let base = workspace.roots.first { specPath.hasPrefix($0 + "/") } ?? Paths.parent(specPath)
      let path =
        envFile.hasPrefix("~/")
        ? Paths.absolute(String(envFile.dropFirst(2)), relativeTo: environment["HOME"] ?? "/")
        : Paths.absolute(envFile, relativeTo: base)
      guard let bytes = workspace.disk.contents(path) else {
        return .failure(.requestFailed("the env file \(path) (setting `run.envFile`) cannot be read"))
      }
      switch SecretFile.parse(String(decoding: bytes, as: UTF8.self)) {
      case .success(let values): environment.merge(values) { $1 }
      case .failure(let bad):
        return .failure(
          .requestFailed(
            "the env file \(path) (setting `run.envFile`), line \(bad.number): expected NAME=VALUE"))
      }
    }
    environment.merge(runSettings.env) { $1 }
    return .success(environment)
  }

  /// `run.logFolder`, else `$XDG_STATE_HOME/lifecycle-job/runs`, else
  /// `~/.local/state/lifecycle-job/runs`.
  func runLogFolder() -> String {
    let environment = ProcessInfo.processInfo.environment
    if let folder = runSettings.logFolder {
      return Paths.absolute(folder, relativeTo: workspace.roots.first ?? environment["HOME"] ?? "/")
    }
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return state + "/lifecycle-job/runs"
    }
    if let home = environment["HOME"], home.hasPrefix("/") {
      return home + "/.local/state/lifecycle-job/runs"
    }
    return "/tmp/lifecycle-job-\(getuid())/runs"
  }

  /// `rds-start-20261130-043640-12345-1.log`: the job's folder, the event, the local time, this
  /// server's process and run number (two servers never pick the same name).
  static func logFileName(specPath: String, event: EventName, run: Int) -> String {
    var now = time(nil)
    var local = tm()
    localtime_r(&now, &local)
    var buffer = [CChar](repeating: 0, count: 32)
    let count = strftime(&buffer, buffer.count, "%Y%m%d-%H%M%S", &local)
    let stamp = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let job = String(
      Paths.name(Paths.parent(specPath)).map {
        $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_"
      }
      .prefix(60))
    return "\(job.isEmpty ? "job" : job)-\(event.rawValue)-\(stamp)-\(getpid())-\(run).log"
  }
}
