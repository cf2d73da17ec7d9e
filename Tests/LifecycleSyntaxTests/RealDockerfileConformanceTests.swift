import Foundation
import LifecycleSyntax
import TestSupport
import Testing

/// The conformance sweep: every Dockerfile of `corpus/dockerfiles-real` (real repositories and
/// BuildKit's own integration tests) reads exactly as today's BuildKit parser read it, field for
/// field (`F.buildkit.json` beside each file `F`; see the corpus README).
@Suite struct RealDockerfileConformanceTests {
  static let corpus = SharedCorpus.url("dockerfiles-real")

  /// The corpus' record of one file; `error` is BuildKit's refusal, if any.
  struct Expected: Decodable {
    var path: String
    var error: String?
    var instructions: [BuildKitInstruction]
    var warnings: [String]
  }

  /// Every Dockerfile of the corpus: the files with a `.buildkit.json` beside them.
  static func dockerfiles() -> [URL] {
    let suffix = ".buildkit.json"
    let walker = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil)
    var files: [URL] = []
    while let url = walker?.nextObject() as? URL {
      guard url.lastPathComponent.hasSuffix(suffix) else { continue }
      files.append(URL(fileURLWithPath: String(url.path.dropLast(suffix.count))))
    }
    return files.sorted { $0.path < $1.path }
  }

  /// One file's first difference, in a line a reader can act on.
  static func difference(_ file: URL, expected: BuildKitReading, actual: BuildKitReading) -> String? {
    let name = String(file.path.dropFirst(corpus.path.count + 1))
    if expected.refused != actual.refused {
      return
        "\(name): BuildKit \(expected.refused ? "refuses" : "accepts") it, we \(actual.refused ? "refuse" : "accept") it"
    }
    for (index, pair) in zip(expected.instructions, actual.instructions).enumerated() where pair.0 != pair.1 {
      let (want, got) = pair
      let fields: [(String, String, String)] = [
        ("dump", want.dump, got.dump), ("cmd", want.cmd, got.cmd),
        ("sub_cmd", "\(want.subCommand ?? "-")", "\(got.subCommand ?? "-")"),
        ("json", "\(want.json)", "\(got.json)"), ("flags", "\(want.flags)", "\(got.flags)"),
        ("values", "\(want.values)", "\(got.values)"),
        ("lines", "\(want.startLine)-\(want.endLine)", "\(got.startLine)-\(got.endLine)"),
        ("heredocs", "\(want.heredocs)", "\(got.heredocs)"), ("original", want.original, got.original),
      ]
      let differing = fields.filter { $0.1 != $0.2 }.map {
        "\($0.0): BuildKit \(clip($0.1)), we \(clip($0.2))"
      }
      return "\(name): instruction \(index + 1) (line \(want.startLine)) differs in "
        + differing.joined(separator: "; ")
    }
    if expected.instructions.count != actual.instructions.count {
      return
        "\(name): BuildKit reads \(expected.instructions.count) instructions, we read \(actual.instructions.count)"
    }
    if expected.warnings != actual.warnings {
      return "\(name): warnings: BuildKit \(clip("\(expected.warnings)")), we \(clip("\(actual.warnings)"))"
    }
    return nil
  }

  static func clip(_ text: String) -> String {
    text.count <= 160 ? text : String(text.prefix(160)) + "…"
  }

  @Test func everyFileReadsAsBuildKitReadsIt() throws {
    guard SharedCorpus.isPresent else { return }
    let files = Self.dockerfiles()
    #expect(files.count == 1263)
    var differences: [String] = []
    for file in files {
      let record = try Data(contentsOf: URL(fileURLWithPath: file.path + ".buildkit.json"))
      let expected = try JSONDecoder().decode(Expected.self, from: record)
      let source = SourceText(bytes: [UInt8](try Data(contentsOf: file)))
      let actual = BuildKitDump.reading(of: DockerfileParser.parse(source), in: source)
      let wanted = BuildKitReading(
        instructions: expected.instructions, warnings: expected.warnings, refused: expected.error != nil)
      if let difference = Self.difference(file, expected: wanted, actual: actual) {
        differences.append(difference)
      }
    }
    if !differences.isEmpty {
      print("\(differences.count) of \(files.count) files read differently from BuildKit; the first ones:")
      for difference in differences.prefix(20) { print("  " + difference) }
    }
    #expect(differences.count == 0, "\(differences.prefix(5).joined(separator: "\n"))")
  }
}
