#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// The folder private to one attempt of a run: `mkdtemp` in `$TMPDIR` (mode 0700, owned by the
/// runner's user, so no other local user can enter it, plant a file or a link there), holding
/// `output/` (0700, what the job sees as `/qovery-output`) and the run's private files (the
/// env file of the container engine). There is no fallback: when it cannot be made, nothing runs.
public struct RunFolder: Sendable {
  public let path: String
  public var output: String { path + "/output" }

  /// The largest output file the platform reads in practice.
  public static let outputLimitBytes = 1 << 20

  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  public static func make(environment: [String: String] = ProcessInfo.processInfo.environment) throws(Failure)
    -> RunFolder
  {
    var base = environment["TMPDIR"] ?? "/tmp"
    if !base.hasPrefix("/") { base = "/tmp" }
    while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
    var template = Array((base + "/lifecycle-job-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
      guard let path = mkdtemp(buffer.baseAddress!) else { return nil }
      return String(cString: path)
    }
    guard let path = made else {
      throw Failure(
        description: "cannot make a private folder in \(base) (\(String(cString: strerror(errno))))")
    }
    // mkdtemp makes it 0700 whatever the umask; say so explicitly, and check what we got.
    chmod(path, 0o700)
    var info = stat()
    guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid(),
      info.st_mode & 0o077 == 0, mkdir(path + "/output", 0o700) == 0
    else {
      rmdir(path)
      throw Failure(description: "cannot make a private folder in \(base)")
    }
    return RunFolder(path: path)
  }

  /// Writes `contents` to a new file at `path` (inside this folder), mode 0600 from the start.
  public func writePrivate(_ path: String, _ contents: String) throws(Failure) {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    let bytes = Array(contents.utf8)
    var written = 0
    while written < bytes.count {
      let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { throw Failure(description: "cannot write \(path)") }
      written += count
    }
  }

  /// Removes the folder and everything in it (links are removed, never followed).
  public func remove() {
    try? FileManager.default.removeItem(atPath: path)
  }

  /// What the job left at `/qovery-output/qovery-output.json`.
  public enum OutputFile: Equatable, Sendable {
    case missing
    case contents([UInt8])
    /// A symbolic link, a folder, a pipe…: never read.
    case notRegular
    case tooLarge(bytes: Int)
  }

  /// The output file, opened without following links, as a regular file, at most
  /// `outputLimitBytes` read.
  public func readOutput(limit: Int = outputLimitBytes) -> OutputFile {
    let folder = open(output, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard folder >= 0 else { return .notRegular }
    defer { close(folder) }
    let fd = openat(folder, "qovery-output.json", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return errno == ENOENT ? .missing : .notRegular }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return .notRegular }
    if Int(info.st_size) > limit { return .tooLarge(bytes: Int(info.st_size)) }
    var bytes = [UInt8](repeating: 0, count: limit + 1)
    var total = 0
    while total < bytes.count {
      let count = bytes[total...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { break }
      total += count
    }
    // It grew while being read.
    if total > limit { return .tooLarge(bytes: total) }
    return .contents(Array(bytes[0..<total]))
  }
}
