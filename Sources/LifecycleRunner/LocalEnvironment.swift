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

  /// True for a name made only of `[A-Za-z0-9_-]` (1 to 64 of them): one name, one state file.
  public static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.count <= 64
      && name.utf8.allSatisfy {
        ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F || $0 == 0x2D
      }
  }

  /// A file name for an environment name (the name itself when valid; the runner refuses others).
  static func fileName(_ name: String) -> String {
    String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
  }

  /// The state; empty when there is none yet or it cannot be read.
  public func load(files: any FileSystem = DiskFileSystem()) -> EnvironmentState {
    loadChecked(files: files).state
  }

  /// The state, and why it could not be read when a state file is there but does not decode.
  public func loadChecked(files: any FileSystem = DiskFileSystem()) -> (
    state: EnvironmentState, problem: String?
  ) {
    guard let bytes = files.contents(stateFile) else { return (EnvironmentState(), nil) }
    guard let state = try? JSONDecoder().decode(EnvironmentState.self, from: Data(bytes)) else {
      return (
        EnvironmentState(),
        ".lifecycle-job/\(Paths.name(stateFile)) cannot be read as a state: the outputs of earlier runs are not available"
      )
    }
    return (state, nil)
  }

  public struct RecordError: Error, CustomStringConvertible {
    public var description: String
  }

  /// Records a job's outputs, under an exclusive lock (`flock` on `<state>.lock`) held across
  /// read, merge and write, so two jobs of one environment recording at once both keep theirs.
  /// The new state is written to a temporary file created 0600 (sensitive values are in it),
  /// then renamed over the old one, so a reader never sees half a file. A state that does not
  /// decode is never replaced silently: it is kept aside (`<state>.unreadable-<time>`) and the
  /// returned warning says where. Temporary files a killed run left are removed; the folder's
  /// `.gitignore` is checked by content and repaired.
  public func record(jobID: String, job: EnvironmentState.Job) throws(RecordError) -> [String] {
    var warnings: [String] = []
    if mkdir(folder, 0o700) != 0 && errno != EEXIST {
      throw RecordError(description: "cannot create \(folder): \(String(cString: strerror(errno)))")
    }
    try ensureIgnored()
    let lock = open(stateFile + ".lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard lock >= 0 else {
      throw RecordError(description: "cannot lock \(stateFile): \(String(cString: strerror(errno)))")
    }
    defer { close(lock) }
    while flock(lock, LOCK_EX) != 0 {
      guard errno == EINTR else { throw RecordError(description: "cannot lock \(stateFile)") }
    }
    defer { flock(lock, LOCK_UN) }
    removeLeftovers()
    var (state, problem) = loadChecked()
    if problem != nil {
      let aside = stateFile + ".unreadable-\(Int(Date().timeIntervalSince1970))"
      guard rename(stateFile, aside) == 0 else {
        throw RecordError(description: "\(stateFile) cannot be read, nor kept aside: not replaced")
      }
      warnings.append(
        ".lifecycle-job/\(Paths.name(stateFile)) could not be read: kept aside as .lifecycle-job/\(Paths.name(aside)); a new state starts with this job's outputs"
      )
    }
    state.jobs[jobID] = job
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(state) else {
      throw RecordError(description: "cannot encode the state")
    }
    let temporary = stateFile + ".\(getpid()).tmp"
    try Self.writeNew(temporary, Array(data), mode: 0o600)
    guard rename(temporary, stateFile) == 0 else {
      unlink(temporary)
      throw RecordError(description: "cannot write \(stateFile): \(String(cString: strerror(errno)))")
    }
    return warnings
  }

  /// `.lifecycle-job/.gitignore` holds a `*` line (an empty or edited one, say after a full
  /// disk, would let `git status` list the state and its secrets).
  func ensureIgnored() throws(RecordError) {
    let ignore = folder + "/.gitignore"
    let current = (try? String(contentsOfFile: ignore, encoding: .utf8)) ?? ""
    guard
      !current.split(whereSeparator: \.isNewline).contains(where: {
        $0.trimmingCharacters(in: .whitespaces) == "*"
      })
    else { return }
    let temporary = ignore + ".\(getpid()).tmp"
    try Self.writeNew(
      temporary, Array("# Local run state of lifecycle-job: never committed.\n*\n".utf8), mode: 0o644)
    guard rename(temporary, ignore) == 0 else {
      unlink(temporary)
      throw RecordError(description: "cannot write \(ignore)")
    }
  }

  /// Removes the temporary files of this state that a killed run left (called under the lock,
  /// when no other run is writing one).
  func removeLeftovers() {
    let prefix = Paths.name(stateFile) + "."
    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
      unlink(folder + "/" + name)
    }
  }

  /// Writes `bytes` to a new file (never an existing one, never through a link), mode `mode`
  /// from its creation, flushed to disk.
  static func writeNew(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(RecordError) {
    unlink(path)
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard fd >= 0 else {
      throw RecordError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    var written = 0
    while written < bytes.count {
      let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else {
        close(fd)
        unlink(path)
        throw RecordError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
      }
      written += count
    }
    guard fsync(fd) == 0, close(fd) == 0 else {
      unlink(path)
      throw RecordError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
  }
}
