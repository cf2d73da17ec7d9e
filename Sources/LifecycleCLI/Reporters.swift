import Foundation
import LifecycleAnalysis
import LifecycleSyntax

/// Compiler-style text: `path:line:col: error: message [code]`, the source line and a caret.
struct TextReporter {
  let style: Style

  func report(_ files: [CheckedFile]) {
    var counts: [Severity: Int] = [:]
    var output = ""
    for file in files {
      for diagnostic in file.diagnostics {
        counts[diagnostic.severity, default: 0] += 1
        output += render(diagnostic, in: file)
      }
    }
    if !output.isEmpty { print(output, terminator: "") }
    let parts = Severity.allCases.compactMap { severity -> String? in
      guard let count = counts[severity], count > 0 else { return nil }
      return "\(count) \(severity.rawValue)\(count == 1 || severity == .information ? "" : "s")"
    }
    guard !files.isEmpty else { return }
    let checked = "\(files.count) file\(files.count == 1 ? "" : "s") checked"
    printError(
      parts.isEmpty ? "\(checked), no problems found" : "\(checked): \(parts.joined(separator: ", "))")
  }

  func render(_ diagnostic: Diagnostic, in file: CheckedFile) -> String {
    let start = file.source.position(of: diagnostic.range.start)
    let label: String
    switch diagnostic.severity {
    case .error: label = style.red("error")
    case .warning: label = style.yellow("warning")
    case .information: label = style.cyan("info")
    case .hint: label = style.green("hint")
    }
    var text =
      style.bold("\(file.path):\(start.line + 1):\(start.character + 1):") + " \(label): "
      + style.bold(Excerpt.visible(diagnostic.message)) + " [\(diagnostic.code)]\n"
    // The line and a caret under the range (its first line only).
    let lineRange = file.source.lineRange(start.line)
    let caretOffset = min(max(diagnostic.range.start, lineRange.start), lineRange.end)
    let endOffset = min(max(diagnostic.range.end, caretOffset), lineRange.end)
    let excerpt = Excerpt(
      before: file.source.text(TextRange(lineRange.start, caretOffset)),
      covered: file.source.text(TextRange(caretOffset, endOffset)),
      after: file.source.text(TextRange(endOffset, lineRange.end)))
    let padding = String(excerpt.before.map { $0 == "\t" ? "\t" : " " })
    let marker = "^" + String(repeating: "~", count: max(0, excerpt.covered.count - 1))
    text += "  \(excerpt.line)\n  \(padding)\(style.green(marker))\n"
    for related in diagnostic.related {
      let position = file.source.position(of: related.range.start)
      text +=
        "\(file.path):\(position.line + 1):\(position.character + 1): note: \(Excerpt.visible(related.message))\n"
    }
    return text
  }
}

/// The part of a source line a diagnostic's excerpt shows: all of a line of ordinary length; of a
/// long one (minified JSON, a joined script), a window around the range with `…` where it is cut.
/// Control characters are shown as their Unicode pictures (`␛`), so a file cannot drive the
/// terminal; each stays one column wide, so the caret stays under its character.
struct Excerpt {
  static let longestLine = 160
  static let contextBefore = 40
  static let longestRange = 80

  var before: String
  var covered: String
  var after: String

  init(before: String, covered: String, after: String) {
    var before = Substring(Self.visible(before))
    var covered = Substring(Self.visible(covered))
    var after = Substring(Self.visible(after))
    if before.count + covered.count + after.count > Self.longestLine {
      if before.count > Self.contextBefore { before = "…" + before.suffix(Self.contextBefore - 1) }
      if covered.count > Self.longestRange { covered = covered.prefix(Self.longestRange) }
      let room = max(0, Self.longestLine - before.count - covered.count)
      if after.count > room { after = after.prefix(max(0, room - 1)) + "…" }
    }
    self.before = String(before)
    self.covered = String(covered)
    self.after = String(after)
  }

  var line: String { before + covered + after }

  static func visible(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) else {
      return text
    }
    return String(
      String.UnicodeScalarView(
        text.unicodeScalars.map { scalar in
          if scalar.value < 0x20 && scalar != "\t" { return Unicode.Scalar(0x2400 + scalar.value)! }
          return scalar.value == 0x7F ? "\u{2421}" : scalar
        }))
  }
}

/// A JSON value whose objects keep their keys in the order written.
indirect enum JSONOutput {
  case string(String)
  case int(Int)
  case bool(Bool)
  /// A number with a fixed count of decimals (`1.250`).
  case decimal(Double, places: Int)
  case array([JSONOutput])
  case object([(String, JSONOutput)])

  var text: String {
    switch self {
    case .string(let value): return JSONCompactWriter.quoted(value)
    case .int(let value): return String(value)
    case .bool(let value): return String(value)
    case .decimal(let value, let places): return String(format: "%.\(places)f", value)
    case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
    case .object(let members):
      return "{" + members.map { JSONCompactWriter.quoted($0.0) + ":" + $0.1.text }.joined(separator: ",")
        + "}"
    }
  }
}

/// LSP-style positions: 0-based lines and UTF-16 characters.
private func lspRange(_ range: TextRange, in source: SourceText) -> JSONOutput {
  func position(_ offset: Int) -> JSONOutput {
    let position = source.position(of: offset)
    return .object([("line", .int(position.line)), ("character", .int(position.character))])
  }
  return .object([("start", position(range.start)), ("end", position(range.end))])
}

private func serialize(_ object: Any) -> String {
  let data =
    (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    ?? Data()
  return String(decoding: data, as: UTF8.self)
}

/// `{"diagnostics": [...]}`: exactly one JSON object.
enum JSONReporter {
  static func report(_ files: [CheckedFile]) -> String {
    var diagnostics: [JSONOutput] = []
    for file in files {
      for diagnostic in file.diagnostics {
        diagnostics.append(
          .object([
            ("path", .string(file.path)),
            ("range", lspRange(diagnostic.range, in: file.source)),
            ("severity", .string(diagnostic.severity.rawValue)),
            ("code", .string(diagnostic.code)),
            ("message", .string(diagnostic.message)),
          ]))
      }
    }
    return JSONOutput.object([("diagnostics", .array(diagnostics))]).text
  }
}

/// SARIF 2.1.0 as GitHub code scanning reads it.
enum SARIFReporter {
  static func level(_ severity: Severity) -> String {
    switch severity {
    case .error: return "error"
    case .warning: return "warning"
    case .information, .hint: return "note"
    }
  }

  static func report(_ files: [CheckedFile]) -> String {
    let rules = Rule.catalogue
    let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.code, $0) })
    var results: [[String: Any]] = []
    for file in files {
      let uri = file.path.hasPrefix("./") ? String(file.path.dropFirst(2)) : file.path
      for diagnostic in file.diagnostics {
        let start = file.source.position(of: diagnostic.range.start)
        let end = file.source.position(of: diagnostic.range.end)
        results.append([
          "ruleId": diagnostic.code,
          "ruleIndex": ruleIndex[diagnostic.code] ?? 0,
          "level": level(diagnostic.severity),
          "message": ["text": diagnostic.message],
          "locations": [
            [
              "physicalLocation": [
                "artifactLocation": [
                  "uri": uri.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? uri
                ],
                "region": [
                  "startLine": start.line + 1, "startColumn": start.character + 1,
                  "endLine": end.line + 1, "endColumn": end.character + 1,
                ],
              ]
            ]
          ],
        ])
      }
    }
    let driverRules: [[String: Any]] = rules.map { rule in
      [
        "id": rule.code,
        "name": rule.code.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(),
        "shortDescription": ["text": rule.summary],
        "fullDescription": ["text": rule.explanation],
        "help": ["text": "\(rule.explanation)\n\nRun `lifecycle-job explain \(rule.code)` for an example."],
        "defaultConfiguration": ["level": level(rule.severity)],
      ]
    }
    let log: [String: Any] = [
      "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
      "version": "2.1.0",
      "runs": [
        [
          "tool": [
            "driver": [
              "name": "lifecycle-job",
              "version": LifecycleJobCommand.version,
              "informationUri": "https://github.com/lifecycle-job/lifecycle-job",
              "rules": driverRules,
            ]
          ],
          "columnKind": "utf16CodeUnits",
          "results": results,
        ]
      ],
    ]
    return serialize(log)
  }
}
