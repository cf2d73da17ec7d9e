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
      + style.bold(diagnostic.message) + " [\(diagnostic.code)]\n"
    // The line and a caret under the range (its first line only).
    let lineRange = file.source.lineRange(start.line)
    let lineText = file.source.text(lineRange)
    let prefix = file.source.text(
      TextRange(lineRange.start, min(max(diagnostic.range.start, lineRange.start), lineRange.end)))
    let endOffset = min(diagnostic.range.end, lineRange.end)
    let covered = file.source.text(TextRange(min(diagnostic.range.start, endOffset), endOffset))
    let padding = String(prefix.map { $0 == "\t" ? "\t" : " " })
    let marker = "^" + String(repeating: "~", count: max(0, covered.count - 1))
    text += "  \(lineText)\n  \(padding)\(style.green(marker))\n"
    for related in diagnostic.related {
      let position = file.source.position(of: related.range.start)
      text += "\(file.path):\(position.line + 1):\(position.character + 1): note: \(related.message)\n"
    }
    return text
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
