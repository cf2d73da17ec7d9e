import LifecycleAnalysis
import LifecycleSyntax
import Testing

/// Test texts mark each expected diagnostic as `⟦covered text⟧{code}`; markers nest.
enum Markers {
  /// The text without markers, and each marked range (UTF-8 offsets) with its code.
  static func parse(_ annotated: String) -> (text: String, marks: [(TextRange, String)]) {
    var output: [UInt8] = []
    var stack: [Int] = []
    var marks: [(TextRange, String)] = []
    let scalars = Array(annotated.unicodeScalars)
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      if scalar == "⟦" {
        stack.append(output.count)
      } else if scalar == "⟧", let start = stack.popLast() {
        var code = ""
        if index + 1 < scalars.count, scalars[index + 1] == "{" {
          index += 2
          while index < scalars.count, scalars[index] != "}" {
            code.unicodeScalars.append(scalars[index])
            index += 1
          }
        }
        marks.append((TextRange(start, output.count), code))
      } else {
        output += Array(String(scalar).utf8)
      }
      index += 1
    }
    return (String(decoding: output, as: UTF8.self), marks)
  }

  /// `text` with a `⟦…⟧{code}` around each diagnostic's range.
  static func render(_ text: String, _ marks: [(TextRange, String)]) -> String {
    var insertions: [(offset: Int, order: Int, text: String)] = []
    let marks = marks.sorted { ($0.0.start, $0.0.end, $0.1) < ($1.0.start, $1.0.end, $1.1) }
    for (index, (range, code)) in marks.enumerated() {
      // Ends before starts at the same offset; longer ranges open first and close last.
      insertions.append((range.start, 2 * 1_000_000 - range.length * 2 + index, "⟦"))
      insertions.append((range.end, range.length * 2 - index, "⟧{\(code)}"))
    }
    insertions.sort { ($0.offset, $0.order) < ($1.offset, $1.order) }
    var bytes = Array(text.utf8)
    for insertion in insertions.reversed() {
      bytes.insert(contentsOf: Array(insertion.text.utf8), at: insertion.offset)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// Analyses the marked text and expects exactly the marked diagnostics.
func expectDiagnostics(
  _ annotated: String, kind: FileKind = .spec(isJSON: false),
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let (text, expected) = Markers.parse(annotated)
  let diagnostics = Analyzer.analyze(SourceText(text), kind: kind).diagnostics
  let actual = Markers.render(text, diagnostics.map { ($0.range, $0.code) })
  #expect(actual == Markers.render(text, expected), sourceLocation: sourceLocation)
}

/// `code: message` for each diagnostic of `text`.
func messages(_ text: String, kind: FileKind = .spec(isJSON: false)) -> [String] {
  Analyzer.analyze(SourceText(text), kind: kind).diagnostics.map { "\($0.code): \($0.message)" }
}

/// `text` after applying the first fix of the first diagnostic with `code`, or nil.
func applyingFix(_ text: String, code: String, kind: FileKind = .spec(isJSON: false)) -> String? {
  guard
    let fix = Analyzer.analyze(SourceText(text), kind: kind).diagnostics.first(where: { $0.code == code })?
      .fixes.first
  else { return nil }
  var bytes = Array(text.utf8)
  for edit in fix.edits.sorted(by: { $0.range.start > $1.range.start }) {
    bytes.replaceSubrange(edit.range.start..<edit.range.end, with: Array(edit.newText.utf8))
  }
  return String(decoding: bytes, as: UTF8.self)
}

/// A minimal valid spec around `events`.
func spec(events: String, extra: String = "") -> String {
  "name: job\nevents:\n\(events)\(extra)"
}
