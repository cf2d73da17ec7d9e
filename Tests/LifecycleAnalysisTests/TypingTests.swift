import Foundation
import LifecycleAnalysis
import LifecycleSyntax
import TestSupport
import Testing

/// A spec typed character by character keeps working everywhere but the line being typed: each
/// line of each spec is typed again in place, from nothing to complete, and at every step the
/// other lines keep their diagnostics, the outline and hover keep answering, and the lenses of
/// the other events stay.
@Suite struct TypingTests {
  static let specs = ["demo/lifecycle-job.yaml"] + Fixtures.files(in: "examples").map { "examples/" + $0.lastPathComponent }
    .filter { $0.hasSuffix(".yaml") }

  /// Codes that a line being typed may rightly take away from another line: the other copy of a
  /// duplicate is the line typed, and `undefined-variable` speaks only of a likely typo of a
  /// defined name (`{{DB_USR}}` while `DB_USER:` is half-typed has none).
  static let dependsOnOtherLines: Set<String> = ["duplicate-key", "duplicate-variable", "undefined-variable"]

  struct Line {
    var text: String
    var indent: Int { text.prefix { $0 == " " }.count }
    var isBlank: Bool { text.trimmingCharacters(in: .whitespaces).isEmpty || text.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
  }

  static func analyze(_ text: String) -> (SourceText, FeatureInput) {
    let source = SourceText(text)
    let analysis = Analyzer.analyze(source, kind: .spec(isJSON: false))
    return (source, FeatureInput(source: source, kind: .spec(isJSON: false), analysis: analysis))
  }

  /// `line:code` of each diagnostic on `lines` (0-based), as a set.
  static func findings(_ input: FeatureInput, _ source: SourceText, on lines: Set<Int>) -> Set<String> {
    Set(
      input.analysis.diagnostics.compactMap { diagnostic in
        let line = source.line(of: diagnostic.range.start)
        guard lines.contains(line), source.line(of: diagnostic.range.end) == line,
          !dependsOnOtherLines.contains(diagnostic.code)
        else { return nil }
        return "\(line):\(diagnostic.code)"
      })
  }

  @Test(arguments: specs) func typingAnyLineKeepsTheRest(_ name: String) throws {
    let complete = try String(contentsOf: Fixtures.url(name), encoding: .utf8)
    var lines = complete.split(separator: "\n", omittingEmptySubsequences: false).map { Line(text: String($0)) }
    if lines.last?.text.isEmpty == true { lines.removeLast() }
    let (completeSource, completeInput) = Self.analyze(complete)
    let completeLenses = RunActions.lenses(completeInput).map { ($0.event, completeSource.line(of: $0.range.start)) }
    var steps = 0
    for typed in lines.indices where !lines[typed].isBlank {
      // The lines below the typed one that it holds (its children) may read differently while
      // it is half-typed; every other line must not.
      var children = typed + 1
      while children < lines.count, lines[children].isBlank || lines[children].indent > lines[typed].indent {
        children += 1
      }
      let others = Set(lines.indices).subtracting(typed..<children)
      let expected = Self.findings(completeInput, completeSource, on: others)
      let parents = lines[..<typed].enumerated().filter { !$0.element.isBlank && $0.element.indent < lines[typed].indent }
      let parentLines = Set(parents.map(\.offset))
      let text = lines[typed].text
      let indent = String(repeating: " ", count: lines[typed].indent)
      for length in 0...(text.count - indent.count) {
        steps += 1
        var document = lines.map(\.text)
        document[typed] = indent + String(text.dropFirst(indent.count).prefix(length))
        let (source, input) = Self.analyze(document.joined(separator: "\n") + "\n")
        let step = "\(name), line \(typed + 1) typed up to `\(document[typed])`"
        let found = Self.findings(input, source, on: others)
        #expect(expected.subtracting(found).isEmpty, "\(step): lost \(expected.subtracting(found).sorted())")
        // Syntax errors sit on the line being typed (once it holds something: an empty line
        // leaves the lines it held to the key above, where they are the error).
        for diagnostic in input.analysis.diagnostics where diagnostic.code == "yaml-syntax" && length > 0 {
          #expect(source.line(of: diagnostic.range.start) == typed, "\(step): \(diagnostic.message)")
        }
        // The outline still lists the top-level keys of the other lines.
        let outline = Set(Symbols.symbols(input).map(\.name))
        for (index, line) in lines.enumerated() where others.contains(index) && line.indent == 0 && !line.isBlank {
          let key = String(line.text.prefix { $0 != ":" })
          #expect(outline.contains(key), "\(step): the outline lost `\(key)`")
        }
        // Hover answers on the first key of another line.
        if let other = others.sorted().first(where: { !lines[$0].isBlank && lines[$0].indent == 0 }) {
          let offset = source.lineRange(other).start
          #expect(Hover.text(input, at: offset) != nil, "\(step): no hover on line \(other + 1)")
        }
        // The lenses of the events on other lines stay, unless the typed line holds `events`.
        if !parentLines.contains(where: { lines[$0].text.hasPrefix("events:") }) || lines[typed].indent > 2 {
          let lenses = Set(RunActions.lenses(input).map { "\($0.event)@\(source.line(of: $0.range.start))" })
          for (event, line) in completeLenses where others.contains(line) {
            #expect(lenses.contains("\(event)@\(line)"), "\(step): the ▶ Run \(event) lens is gone")
          }
        }
      }
    }
    #expect(steps > 100)
  }

  @Test func aQuickFixIsOfferedAnywhereOnItsDiagnosticsLine() {
    let text = "name: a\nevents:\n  start: terraform apply -auto-approve\n"
    let (source, input) = Self.analyze(text)
    // The cursor at the start of the line, far from the value the diagnostic covers.
    let lineStart = source.lineRange(2).start
    let titles = CodeActions.quickFixes(input, in: TextRange(lineStart, lineStart)).map(\.title)
    #expect(titles.contains { $0.contains("[\"-c\"") }, "\(titles)")
    // And for the diagnostics the client names, wherever the cursor is.
    let named = input.analysis.diagnostics.map { (range: $0.range, code: $0.code) }
    #expect(!CodeActions.quickFixes(input, in: TextRange(0, 0), requested: named).isEmpty)
  }
}
