/// A diagnostic's identity and documentation: its stable code, default severity, a one-line
/// summary (the README catalogue and SARIF), and the text `lifecycle-job explain` prints.
///
/// Rules are declared next to the check that emits them, as `static let` members of `Rule`, and
/// listed once in `Rule.catalogue`.
public struct Rule: Equatable, Hashable, Sendable {
  /// Which kind of file the rule looks at.
  public enum Area: String, Sendable, Hashable, CaseIterable {
    case anyFile = "Any file"
    case spec = "Job spec"
    case events = "Event commands"
    case variables = "Variables"
    case output = "Output file"
    case dockerfile = "Dockerfile"
    case crossFile = "Across files"
  }

  public var code: String
  public var severity: Severity
  public var area: Area
  /// One line: what the diagnostic means.
  public var summary: String
  /// Why it matters on the platform and how to fix it, as paragraphs.
  public var explanation: String
  /// A small example that triggers it (YAML, Dockerfile or JSON).
  public var example: String
  /// The same example, fixed.
  public var fixedExample: String

  public init(
    _ code: String, _ severity: Severity, _ area: Area, summary: String, explanation: String,
    example: String, fixed: String
  ) {
    self.code = code
    self.severity = severity
    self.area = area
    self.summary = summary
    self.explanation = explanation
    self.example = example
    self.fixedExample = fixed
  }

  /// The rule with this code, if any.
  public static func named(_ code: String) -> Rule? { catalogue.first { $0.code == code } }
}
