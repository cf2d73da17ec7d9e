import Foundation

/// The repository's test fixtures (`Tests/Fixtures`), found from this file's path.
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

  static func files(in folder: String) -> [URL] {
    let url = url(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.sorted().map { url.appendingPathComponent($0) }
  }
}
