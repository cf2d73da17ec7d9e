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

/// What a path names, as far as reading a workspace cares.
public enum FileType: Equatable, Sendable {
  case regular, directory, other
}

/// Where the workspace readers get files from: the disk for the CLI and the runner, the disk
/// under the open buffers for the server, a dictionary in tests.
///
/// Architecture Invariant: every read of the workspace goes through this protocol, so the CLI
/// and the server see a job the same way and open buffers always win over the disk.
public protocol FileSystem: Sendable {
  /// The bytes of the regular file at `path`, or nil when it cannot be read.
  func contents(_ path: String) -> [UInt8]?
  /// What `path` is, without following a final symbolic link (nil when absent).
  func type(_ path: String) -> FileType?
  /// The names in the folder `path`, or nil when it is not a readable folder.
  func entries(_ path: String) -> [String]?
  /// `path` (absolute, normalised) with its symbolic links resolved, so that one file has one
  /// name; a path that does not exist keeps its missing part as written.
  func canonical(_ path: String) -> String
}

extension FileSystem {
  /// A file system without links (a dictionary in tests): every path is its own name.
  public func canonical(_ path: String) -> String { path }
}

/// The real disk.
public struct DiskFileSystem: FileSystem {
  public init() {}

  public func contents(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
  }

  /// One `lstat`. (`FileManager.attributesOfItem` also looks up the owner's user and group
  /// names, reading `/etc/passwd` and `/etc/group` for every path a job's reading asks about.)
  public func type(_ path: String) -> FileType? {
    var status = stat()
    guard lstat(path, &status) == 0 else { return nil }
    switch status.st_mode & S_IFMT {
    case S_IFREG: return .regular
    case S_IFDIR: return .directory
    default: return .other
    }
  }

  public func entries(_ path: String) -> [String]? {
    try? FileManager.default.contentsOfDirectory(atPath: path)
  }

  public func canonical(_ path: String) -> String {
    if let resolved = realpath(path, nil) {
      defer { free(resolved) }
      return String(cString: resolved)
    }
    // Missing: resolve the folder that holds it, keep the rest as written.
    let parent = Paths.parent(path)
    guard parent != path, parent != "." else { return path }
    let base = canonical(parent)
    return base.hasSuffix("/") ? base + Paths.name(path) : base + "/" + Paths.name(path)
  }
}

/// A file system whose files at some paths are replaced by other contents (the editor's open
/// buffers); a buffer whose file is not on disk yet is listed in its folder all the same.
public struct OverlayFileSystem: FileSystem {
  public var base: any FileSystem
  /// Contents by absolute path.
  public var overlay: [String: [UInt8]]

  public init(base: any FileSystem, overlay: [String: [UInt8]]) {
    self.base = base
    self.overlay = overlay
  }

  public func contents(_ path: String) -> [UInt8]? { overlay[path] ?? base.contents(path) }

  public func type(_ path: String) -> FileType? { overlay[path] != nil ? .regular : base.type(path) }

  /// The disk's answer: the open buffers are named by their canonical paths already.
  public func canonical(_ path: String) -> String { overlay[path] != nil ? path : base.canonical(path) }

  public func entries(_ path: String) -> [String]? {
    let prefix = path.hasSuffix("/") ? path : path + "/"
    let added = overlay.keys.filter { $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains("/") }
      .map { String($0.dropFirst(prefix.count)) }
    guard let listed = base.entries(path) else { return added.isEmpty ? nil : added.sorted() }
    return added.isEmpty ? listed : Array(Set(listed).union(added))
  }
}

/// Absolute paths, handled as strings: joined, normalised, and compared as folders.
public enum Paths {
  /// `path` made absolute against `base` (when relative) with `.` and `..` resolved.
  public static func absolute(_ path: String, relativeTo base: String) -> String {
    let joined = path.hasPrefix("/") ? path : (base.hasSuffix("/") ? base + path : base + "/" + path)
    var parts: [Substring] = []
    for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == ".." {
        if !parts.isEmpty { parts.removeLast() }
        continue
      }
      parts.append(part)
    }
    return "/" + parts.joined(separator: "/")
  }

  /// The folder holding `path`.
  public static func parent(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// The last component of `path`.
  public static func name(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }

  /// `path` relative to `base` ("." for `base` itself), or nil when it lies outside.
  public static func relative(_ path: String, to base: String) -> String? {
    if path == base { return "." }
    let prefix = base.hasSuffix("/") ? base : base + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
  }

  /// The current folder.
  public static var currentFolder: String { FileManager.default.currentDirectoryPath }
}
