#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import LifecycleSyntax

/// Secret values as people write them for a run: `NAME=VALUE` assignments, one per line (an env
/// file for `run --env-file` and the editor's `run.envFile`, or `--env NAME=VALUE`).
public enum SecretFile {
  /// The assignments of an env file: blank lines and `#` comments are skipped, `export ` is
  /// allowed; a later assignment wins. Fails with the 1-based number of the first line that is not
  /// an assignment (never its text, which may hold a secret).
  public static func parse(_ text: String) -> Result<[String: String], BadLine> {
    var values: [String: String] = [:]
    // `\r\n` is one Character: CRLF files (written on Windows) split into the same lines.
    for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      var line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") { continue }
      if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)) }
      guard let (name, value) = assignment(line) else { return .failure(BadLine(number: index + 1)) }
      values[name] = value
    }
    return .success(values)
  }

  /// `NAME=VALUE`, with one pair of surrounding quotes removed from the value; nil when the text
  /// is not an assignment to a valid variable name.
  public static func assignment(_ text: String) -> (name: String, value: String)? {
    guard let equals = text.firstIndex(of: "="), VariableName.isValid(String(text[..<equals])) else {
      return nil
    }
    var value = String(text[text.index(after: equals)...])
    if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
      value = String(value.dropFirst().dropLast())
    }
    return (String(text[..<equals]), value)
  }

  /// A line of an env file that is not `NAME=VALUE`.
  public struct BadLine: Error, Equatable, Sendable {
    public var number: Int
  }
}
