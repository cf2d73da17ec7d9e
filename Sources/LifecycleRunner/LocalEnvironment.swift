#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import LifecycleWorkspace

/// Stable local identities: the same environment name and job always get the same ids, and
/// different environment names get different ones.
public enum StableID {
  /// A UUID-shaped id (lowercase hex) derived from `seed` with two 64-bit FNV-1a hashes.
  public static func uuid(_ seed: String) -> String {
    func fnv(_ text: String, basis: UInt64) -> UInt64 {
      var hash = basis
      for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
      }
      return hash
    }
    let high = fnv(seed, basis: 0xcbf2_9ce4_8422_2325)
    let low = fnv(seed + "\u{1}", basis: 0x8422_2325_cbf2_9ce4)
    let hex = String(high, radix: 16).leftPadded(16) + String(low, radix: 16).leftPadded(16)
    let characters = Array(hex)
    let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }
    return groups.joined(separator: "-")
  }

  /// The platform's short id of a job: `Z` and the first 8 hex characters, upper-cased.
  public static func short(_ id: String) -> String {
    "Z" + String(id.filter(\.isHexDigit).prefix(8)).uppercased()
  }
}

extension String {
  func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// One output variable a job produced.
public struct RecordedOutput: Codable, Equatable, Sendable {
  /// The key upper-cased (`DB_HOST`): the alias, and the suffix of the full name.
  public var key: String
  public var value: String
  public var sensitive: Bool

  public init(key: String, value: String, sensitive: Bool) {
    self.key = key
    self.value = value
    self.sensitive = sensitive
  }
}

/// What a local environment remembers: the outputs of the jobs run in it.
public struct EnvironmentState: Codable, Equatable, Sendable {
  public struct Job: Codable, Equatable, Sendable {
    public var name: String
    /// The spec, relative to the repository.
    public var spec: String
    public var outputs: [RecordedOutput]
  }

  /// By job id.
  public var jobs: [String: Job] = [:]

  public init() {}
}

/// A local environment: its name, its ids, and its state file in the repository's
/// `.lifecycle-job/` folder (which ignores itself in git).
public struct LocalEnvironment: Sendable {
  public var name: String
  public var repository: String

  public init(name: String, repository: String) {
    self.name = name
    self.repository = repository
  }

  public var id: String { StableID.uuid("environment/\(name)") }
  public var projectID: String { StableID.uuid("project/\(Paths.name(repository))") }

  /// The id of the job whose spec is `specPath` (relative to the repository).
  public func jobID(spec specPath: String) -> String { StableID.uuid("job/\(name)/\(specPath)") }

  var folder: String { repository + "/.lifecycle-job" }
  public var stateFile: String { folder + "/\(Self.fileName(name)).json" }

  /// A file name for any environment name.
  static func fileName(_ name: String) -> String {
    String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
  }

  /// The state; empty when there is none yet or it cannot be read.
  public func load(files: any FileSystem = DiskFileSystem()) -> EnvironmentState {
    guard let bytes = files.contents(stateFile),
      let state = try? JSONDecoder().decode(EnvironmentState.self, from: Data(bytes))
    else { return EnvironmentState() }
    return state
  }

  /// Records a job's outputs: written to a temporary file, then renamed over the state, so a
  /// reader never sees half a file.
  public func record(jobID: String, job: EnvironmentState.Job) throws {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let ignore = folder + "/.gitignore"
    if !FileManager.default.fileExists(atPath: ignore) {
      try Data("# Local run state of lifecycle-job: never committed.\n*\n".utf8).write(
        to: URL(fileURLWithPath: ignore))
    }
    var state = load()
    state.jobs[jobID] = job
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(state)
    let temporary = stateFile + ".\(getpid()).tmp"
    try data.write(to: URL(fileURLWithPath: temporary))
    // Sensitive outputs are in there: readable by the owner only.
    chmod(temporary, 0o600)
    guard rename(temporary, stateFile) == 0 else {
      throw LaunchError(description: "cannot write \(stateFile)")
    }
  }
}
