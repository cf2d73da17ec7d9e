import Foundation
import TestSupport
import Testing

/// `check` on each repository folder of the shared corpus of real Dockerfiles
/// (`../shared/corpus/dockerfiles-real`, beside the repository) reports exactly the true findings
/// listed, each with its reason, in `Tests/Fixtures/dockerfiles-real-findings.json`, and exits 1
/// only when one of them is an error.
@Suite struct CorpusCheckTests {
  static let corpus = Fixtures.repository.deletingLastPathComponent()
    .appendingPathComponent("shared/corpus/dockerfiles-real")

  struct Finding: Codable, Hashable, CustomStringConvertible {
    var path: String
    var line: Int
    var column: Int
    var code: String
    var severity: String
    var reason: String?

    var description: String { "\(path):\(line):\(column) \(severity) \(code)" }
  }

  /// What `check --format json` prints, in the fixture's shape (without reasons).
  static func findings(in output: String, folder: URL) throws -> [Finding] {
    struct Output: Decodable {
      struct Diagnostic: Decodable {
        struct Range: Decodable {
          struct Position: Decodable {
            var line: Int
            var character: Int
          }
          var start: Position
        }
        var path: String
        var range: Range
        var code: String
        var severity: String
      }
      var diagnostics: [Diagnostic]
    }
    let prefix = folder.standardizedFileURL.path + "/"
    return try JSONDecoder().decode(Output.self, from: Data(output.utf8)).diagnostics.map {
      Finding(
        path: $0.path.hasPrefix(prefix) ? String($0.path.dropFirst(prefix.count)) : $0.path,
        line: $0.range.start.line + 1, column: $0.range.start.character + 1, code: $0.code,
        severity: $0.severity)
    }
  }

  static func expected() throws -> [String: [Finding]] {
    try JSONDecoder().decode(
      [String: [Finding]].self, from: Data(contentsOf: Fixtures.url("dockerfiles-real-findings.json")))
  }

  /// Runs `check` with `arguments` (paths inside the repository folder `folder`) and expects
  /// exactly `listed`, and the exit status they imply.
  static func expectFindings(
    _ listed: [Finding], folder: String, arguments: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let url = corpus.appendingPathComponent(folder)
    let result = try CLI.run(["check", "--format", "json"] + arguments)
    #expect(
      listed.allSatisfy { !($0.reason ?? "").isEmpty }, "\(folder): every finding says why it is true",
      sourceLocation: sourceLocation)
    let actual = try findings(in: result.stdout, folder: url)
    let withoutReasons = listed.map {
      Finding(path: $0.path, line: $0.line, column: $0.column, code: $0.code, severity: $0.severity)
    }
    #expect(
      actual.map(\.description) == withoutReasons.map(\.description), "\(folder)",
      sourceLocation: sourceLocation)
    #expect(
      result.status == (listed.contains { $0.severity == "error" } ? 1 : 0), "\(folder)",
      sourceLocation: sourceLocation)
  }

  /// The repository folders of the corpus.
  static func folders() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter {
      var isFolder: ObjCBool = false
      return FileManager.default.fileExists(
        atPath: corpus.appendingPathComponent($0).path, isDirectory: &isFolder)
        && isFolder.boolValue
    }.sorted()
  }

  @Test func checkReportsOnlyTheListedTrueFindings() throws {
    guard SharedCorpus.isPresent else { return }
    let expected = try Self.expected()
    #expect(try Self.folders() == expected.keys.sorted())
    for folder in try Self.folders() {
      try Self.expectFindings(
        expected[folder] ?? [], folder: folder, arguments: [Self.corpus.appendingPathComponent(folder).path])
    }
  }

  /// The same findings when `check` is given each real Dockerfile (the files BuildKit's reading
  /// sits beside) whose name every version of discovery accepts: `Dockerfile`, `Containerfile`,
  /// `Dockerfile.*`, `*.Dockerfile`.
  @Test func checkOnEachRealDockerfileReportsOnlyTheListedTrueFindings() throws {
    guard SharedCorpus.isPresent else { return }
    let expected = try Self.expected()
    #expect(try Self.folders() == expected.keys.sorted())
    for folder in try Self.folders() {
      let url = Self.corpus.appendingPathComponent(folder)
      let paths = (FileManager.default.subpaths(atPath: url.path) ?? []).sorted().filter { path in
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let named =
          name == "Dockerfile" || name == "Containerfile" || name.hasPrefix("Dockerfile.")
          || name.hasSuffix(".Dockerfile")
        return named && !name.hasSuffix(".buildkit.json")
          && FileManager.default.fileExists(atPath: url.appendingPathComponent(path + ".buildkit.json").path)
      }
      #expect(!paths.isEmpty, "\(folder)")
      let listed = (expected[folder] ?? []).filter { paths.contains($0.path) }
      try Self.expectFindings(
        listed, folder: folder, arguments: paths.map { url.appendingPathComponent($0).path })
    }
  }
}
