import Foundation
import TestSupport
import Testing

/// Which files `check` reads: a folder walk picks Dockerfiles by name and a `Dockerfile.*` also by
/// content; a path named on the command line is checked whatever its name.
@Suite struct DiscoveryTests {
  static func folderWithLookalikes() throws -> URL {
    let folder = try CLI.temporaryFolder()
    let files = [
      "Dockerfile": "FROM alpine\nCMD [\"true\"]\n",
      "Dockerfile.prod": "FROM alpine\n",
      "build.Containerfile": "FROM alpine\n",
      "Dockerfile.dockerignore": "*.go\nnode_modules\n",
      "dockerfile.go": "package dockerfile\n",
      "Dockerfile.template": "{{ include \"header\" }}\nFROM alpine\n",
      "notes.txt": "just text\n",
    ]
    for (name, text) in files { try CLI.write(text, to: folder.appendingPathComponent(name)) }
    return folder
  }

  @Test func verboseListsWhatTheWalkSkippedAndWhy() throws {
    let folder = try Self.folderWithLookalikes()
    #expect(
      try CLI.run(["check", "--verbose", "."], in: folder)
        == CLIResult(
          status: 0, stdout: "",
          stderr: """
            skipped Dockerfile.dockerignore: a `.dockerignore` file, not a Dockerfile
            skipped Dockerfile.template: not a Dockerfile: a template, line 1 starts with `{{`
            skipped dockerfile.go: a `.go` file, not a Dockerfile
            3 files checked, no problems found

            """))
    #expect(
      try CLI.run(["check", "."], in: folder)
        == CLIResult(status: 0, stdout: "", stderr: "3 files checked, no problems found\n"))
  }

  @Test func anExplicitPathIsCheckedWhateverItsName() throws {
    let folder = try Self.folderWithLookalikes()
    #expect(
      try CLI.run(["check", "Dockerfile.template", "notes.txt"], in: folder)
        == CLIResult(
          status: 1,
          stdout: """
            Dockerfile.template:1:1: error: unknown instruction `{{` [unknown-instruction]
              {{ include "header" }}
              ^~
            notes.txt:1:1: error: unknown instruction `just` [unknown-instruction]
              just text
              ^~~~

            """,
          stderr: "2 files checked: 2 errors\n"))
  }

  /// `check` on each repository folder of the shared corpus: nothing is reported on a decoy (a
  /// file named like a Dockerfile with no `.buildkit.json` beside it) nor on a `.buildkit.json`,
  /// and the walk skips exactly the decoys its names would pick, and the `.buildkit.json` files.
  @Test func realRepositoriesReportNothingOnADecoy() throws {
    guard SharedCorpus.isPresent else { return }
    let corpus = SharedCorpus.url("dockerfiles-real")
    let manager = FileManager.default
    let folders = try manager.contentsOfDirectory(atPath: corpus.path).filter { name in
      var isDirectory: ObjCBool = false
      return manager.fileExists(atPath: corpus.appendingPathComponent(name).path, isDirectory: &isDirectory)
        && isDirectory.boolValue
    }.sorted()
    #expect(folders.count == 35)
    func isCorpusDockerfile(_ path: String) -> Bool {
      manager.fileExists(atPath: corpus.appendingPathComponent(path + ".buildkit.json").path)
    }
    var decoysSkipped: [String] = []
    for folder in folders {
      let result = try CLI.run(["check", "--verbose", "--format", "json", folder], in: corpus)
      let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
      let diagnostics = report?["diagnostics"] as? [[String: Any]] ?? []
      let reported = Set(diagnostics.compactMap { $0["path"] as? String })
      #expect(reported.filter { !isCorpusDockerfile($0) } == [], "\(folder)")
      let skipped = result.stderr.split(separator: "\n").filter { $0.hasPrefix("skipped ") }.map {
        String($0.dropFirst("skipped ".count).prefix { $0 != ":" })
      }
      #expect(skipped.filter { isCorpusDockerfile($0) } == [], "\(folder): a real Dockerfile was skipped")
      decoysSkipped += skipped.filter { !$0.hasSuffix(".buildkit.json") }
    }
    #expect(
      decoysSkipped == [
        "docker-library+buildpack-deps/Dockerfile.template", "docker-library+drupal/Dockerfile.template",
        "docker-library+ghost/Dockerfile.template", "docker-library+haproxy/Dockerfile.template",
        "docker-library+mysql/Dockerfile.oracle", "docker-library+redis/Dockerfile.template",
        "docker-library+wordpress/Dockerfile.template", "moby+buildkit/frontend/dockerfile/dockerfile.go",
        "moby+buildkit/frontend/dockerfile/version/dockerfile.go",
      ])
  }
}
