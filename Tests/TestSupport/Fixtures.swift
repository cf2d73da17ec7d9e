import Foundation

/// The repository's test fixtures (`Tests/Fixtures`), found from this file's path.
public enum Fixtures {
  public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  /// The repository's root folder.
  public static let repository = root.deletingLastPathComponent().deletingLastPathComponent()

  public static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

  public static func files(in folder: String) -> [URL] {
    let url = url(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.sorted().map { url.appendingPathComponent($0) }
  }
}
