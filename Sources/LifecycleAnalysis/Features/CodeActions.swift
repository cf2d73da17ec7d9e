import LifecycleSyntax

/// Quick fixes (each diagnostic's own fixes, and a suppression comment for any diagnostic) and
/// rewrites (a JSON-array string into a YAML list).
public enum CodeActions {
  /// An event written as a string holding a JSON array, rewritten as a YAML flow sequence of
  /// double-quoted strings (JSON's escapes are YAML's).
  public static func rewrites(_ input: FeatureInput, in range: TextRange) -> [QuickFix] {
    guard case .spec(false) = input.kind, let spec = input.analysis.spec else { return [] }
    return spec.events.compactMap { event in
      guard event.form == .jsonString, let arguments = event.arguments,
        event.range.touches(range.start) || range.touches(event.range.start)
      else { return nil }
      let list = "[" + arguments.map { JSONCompactWriter.quoted($0.value) }.joined(separator: ", ") + "]"
      return QuickFix(
        title: "Convert the JSON string to a YAML list", edits: [TextEdit(range: event.range, newText: list)],
        isPreferred: false, diagnostic: nil)
    }
  }

  /// The fixes of the diagnostics the request is about: those `range` touches, those on the
  /// lines it covers (a cursor anywhere on a diagnostic's line offers its fixes), and those the
  /// client names (`requested`: its range and code, as LSP's `context.diagnostics`).
  public static func quickFixes(
    _ input: FeatureInput, in range: TextRange, requested: [(range: TextRange, code: String)] = []
  ) -> [QuickFix] {
    let source = input.source
    let lines = source.line(of: range.start)...source.line(of: range.end)
    var fixes: [QuickFix] = []
    for diagnostic in input.analysis.diagnostics
    where diagnostic.range.touches(range.start) || range.touches(diagnostic.range.start)
      || (range.start <= diagnostic.range.start && diagnostic.range.end <= range.end)
      || lines.overlaps(source.line(of: diagnostic.range.start)...source.line(of: diagnostic.range.end))
      || requested.contains(where: { $0.code == diagnostic.code && $0.range == diagnostic.range })
    {
      for fix in diagnostic.fixes {
        fixes.append(
          QuickFix(title: fix.title, edits: fix.edits, isPreferred: fix.isPreferred, diagnostic: diagnostic))
      }
      if let suppression = suppression(for: diagnostic, in: input) {
        fixes.append(suppression)
      }
    }
    return fixes
  }

  /// `# lifecycle-job: ignore=<code>`: added to an existing one, at the end of a YAML line, or on
  /// its own line above a Dockerfile line (where a trailing `#` is not a comment). JSON has no
  /// comments, so a JSON spec gets none.
  static func suppression(for diagnostic: Diagnostic, in input: FeatureInput) -> QuickFix? {
    if case .spec(true) = input.kind { return nil }
    if case .outputFile = input.kind { return nil }
    let source = input.source
    let line = source.line(of: diagnostic.range.start)
    let title = "Ignore `\(diagnostic.code)` on this line"
    let marker = "lifecycle-job: ignore="
    let ownLine = line > 0 ? source.text(source.lineRange(line - 1)) : ""
    let lineText = source.text(source.lineRange(line))
    func appendCode(to text: String, lineStart: Int) -> QuickFix? {
      guard let markerRange = text.range(of: marker) else { return nil }
      var end = markerRange.upperBound
      while end < text.endIndex, text[end] != " ", text[end] != "\t" { end = text.index(after: end) }
      let offset = lineStart + text.utf8.distance(from: text.startIndex, to: end)
      return QuickFix(
        title: title, edits: [TextEdit(range: .at(offset), newText: ",\(diagnostic.code)")],
        isPreferred: false, diagnostic: diagnostic)
    }
    let ownLineIsComment = ownLine.trimmed.hasPrefix("#")
    if ownLineIsComment, let fix = appendCode(to: ownLine, lineStart: source.lineRange(line - 1).start) {
      return fix
    }
    if case .dockerfile = input.kind {
      let indent = String(lineText.prefix { $0 == " " || $0 == "\t" })
      let start = source.lineRange(line).start
      return QuickFix(
        title: title,
        edits: [TextEdit(range: .at(start), newText: "\(indent)# \(marker)\(diagnostic.code)\n")],
        isPreferred: false, diagnostic: diagnostic)
    }
    if lineText.contains("#"), let fix = appendCode(to: lineText, lineStart: source.lineRange(line).start) {
      return fix
    }
    return QuickFix(
      title: title,
      edits: [TextEdit(range: .at(source.lineRange(line).end), newText: "  # \(marker)\(diagnostic.code)")],
      isPreferred: false, diagnostic: diagnostic)
  }
}
