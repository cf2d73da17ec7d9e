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

  @Test(
    .disabled(
      "needs the parser branch: until then .buildkit.json files, Go sources and jq templates are checked as Dockerfiles"
    ))
  func checkReportsOnlyTheListedTrueFindings() throws {
    let expected = try JSONDecoder().decode(
      [String: [Finding]].self,
      from: Data(contentsOf: Fixtures.url("dockerfiles-real-findings.json")))
    let folders = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter {
      var isFolder: ObjCBool = false
      return FileManager.default.fileExists(
        atPath: Self.corpus.appendingPathComponent($0).path, isDirectory: &isFolder) && isFolder.boolValue
    }.sorted()
    #expect(folders == expected.keys.sorted())
    for folder in folders {
      let url = Self.corpus.appendingPathComponent(folder)
      let result = try CLI.run(["check", "--format", "json", url.path])
      let listed = expected[folder] ?? []
      #expect(
        listed.allSatisfy { !($0.reason ?? "").isEmpty }, "\(folder): every finding says why it is true")
      let actual = try Self.findings(in: result.stdout, folder: url)
      let withoutReasons = listed.map {
        Finding(path: $0.path, line: $0.line, column: $0.column, code: $0.code, severity: $0.severity)
      }
      #expect(actual.map(\.description) == withoutReasons.map(\.description), "\(folder)")
      #expect(result.status == (listed.contains { $0.severity == "error" } ? 1 : 0), "\(folder)")
    }
  }
}
