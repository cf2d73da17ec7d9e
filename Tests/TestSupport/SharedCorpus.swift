import Foundation

/// The corpora shared by the team beside the repository (`../shared/corpus` from its root), too
/// large to vendor: real Dockerfiles with BuildKit's reading of each (`dockerfiles-real`).
public enum SharedCorpus {
  public static let root = Fixtures.repository.deletingLastPathComponent()
    .appendingPathComponent("shared/corpus")

  public static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

  /// True when the corpus is there; a clone elsewhere has no `../shared` beside it, and its tests
  /// say `skipped`, except in CI (`CI=true`), where `shared/` is always laid beside the clone and
  /// a missing corpus must fail.
  public static var isPresent: Bool {
    if FileManager.default.fileExists(atPath: root.path) || ExternalTools.isCI { return true }
    print("skipped: the shared corpus is not beside the repository (\(root.path))")
    return false
  }
}
