/// What the platform does to values and arguments before a job sees them, on the same reading
/// of `{{NAME}}` and `$(NAME)` as the checks: the runner calls this, so a reference the checks
/// see is the reference the runner replaces.
public enum PlatformExpansion {
  /// An environment value with each `{{NAME}}` replaced by NAME's value (one level; an unknown
  /// name becomes empty).
  public static func interpolate(_ value: String, _ variables: [String: String]) -> String {
    replace(value, VariableReferences.interpolations(in: value)) { variables[$0] ?? "" }
  }

  /// An argument with each `$(NAME)` replaced by NAME's value when defined (left as it is
  /// otherwise), and `$$(` standing for a literal `$(`.
  public static func expand(_ argument: String, _ variables: [String: String]) -> String {
    let references = VariableReferences.platformExpansions(in: argument, requiringCapital: false)
    return replace(argument, references, unescaping: true) { variables[$0] }
  }

  /// `text` with `references` replaced by `value(name)` (kept when nil); between them, `$$(` is
  /// `$(` when `unescaping`.
  static func replace(
    _ text: String, _ references: [VariableReferences.Reference], unescaping: Bool = false,
    value: (String) -> String?
  ) -> String {
    guard !references.isEmpty || (unescaping && text.contains("$$(")) else { return text }
    let bytes = Array(text.utf8)
    var result = ""
    var position = 0
    func copy(upTo end: Int) {
      let gap = String(decoding: bytes[position..<end], as: UTF8.self)
      result += unescaping ? gap.replacing("$$(", with: "$(") : gap
    }
    for reference in references {
      copy(upTo: reference.range.start)
      result +=
        value(reference.name)
        ?? String(decoding: bytes[reference.range.start..<reference.range.end], as: UTF8.self)
      position = reference.range.end
    }
    copy(upTo: bytes.count)
    return result
  }
}
