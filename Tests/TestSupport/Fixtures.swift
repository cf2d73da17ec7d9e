import Foundation

/// The repository's test fixtures (`Tests/Fixtures`), found from this file's path.
public enum Fixtures {
  public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  /// The repository's root folder.
  public static let repository = root.deletingLastPathComponent().deletingLastPathComponent()

  public static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

  /// The product binary: `LIFECYCLE_JOB_BIN` when set (CI runs the suite again against the
  /// static release build), else the one built next to the test bundle by `swift test`.
  public static let binary: URL = {
    if let path = ProcessInfo.processInfo.environment["LIFECYCLE_JOB_BIN"], !path.isEmpty {
      return URL(fileURLWithPath: path, relativeTo: repository).standardizedFileURL
    }
    var folder = Bundle.main.bundleURL
    for _ in 0..<4 {
      let candidate = folder.appendingPathComponent("lifecycle-job")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      folder.deleteLastPathComponent()
    }
    return repository.appendingPathComponent(".build/debug/lifecycle-job")
  }()

  public static func files(in folder: String) -> [URL] {
    let url = url(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.sorted().map { url.appendingPathComponent($0) }
  }
}
