import Foundation

/// The corpora shared by the team beside the repository (`../shared/corpus` from its root), too
/// large to vendor: real Dockerfiles with BuildKit's reading of each (`dockerfiles-real`).
public enum SharedCorpus {
  public static let root = Fixtures.repository.deletingLastPathComponent()
    .appendingPathComponent("shared/corpus")

  public static func url(_ path: String) -> URL { root.appendingPathComponent(path) }
}
