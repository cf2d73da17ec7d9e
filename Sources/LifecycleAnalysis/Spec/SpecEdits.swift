import LifecycleSyntax

/// Edits that add to a YAML spec, written the way its author writes it.
enum SpecEdits {
  /// Adds `name: ""` under `environment`: after the last entry of a block mapping, or as a new
  /// `environment` block at the end of a spec that has none. Nil when it cannot be done safely (a
  /// JSON spec, a flow mapping, an `environment` key with no entries).
  static func addEnvironmentEntry(_ name: String, spec: JobSpec, source: SourceText, isJSON: Bool) -> Fix? {
    guard !isJSON else { return nil }
    let title = "Add `\(name)` under `environment`"
    if let last = spec.variables.last(where: { $0.kind == .environment }) {
      let line = source.line(of: last.nameRange.start)
      let lineStart = source.lineRange(line).start
      guard source.bytes[lineStart..<last.nameRange.start].allSatisfy({ $0 == 0x20 }) else { return nil }
      let indent = String(repeating: " ", count: last.nameRange.start - lineStart)
      let end = source.lineRange(source.line(of: last.value?.range.end ?? last.nameRange.end)).end
      return Fix(title: title, edits: [TextEdit(range: .at(end), newText: "\n\(indent)\(name): \"\"")])
    }
    let hasEnvironmentKey = (0..<source.lineCount).contains {
      source.text(source.lineRange($0)).hasPrefix("environment:")
    }
    guard !hasEnvironmentKey else { return nil }
    let needsNewline = source.count > 0 && source.bytes[source.count - 1] != 0x0A
    return Fix(
      title: title,
      edits: [
        TextEdit(
          range: .at(source.count), newText: (needsNewline ? "\n" : "") + "environment:\n  \(name): \"\"\n")
      ])
  }
}
