import LifecycleSyntax

/// How serious a diagnostic is, in LSP's four levels.
public enum Severity: String, Equatable, Hashable, Sendable, CaseIterable, Comparable {
  case error, warning, information, hint

  private var rank: Int {
    switch self {
    case .error: return 0
    case .warning: return 1
    case .information: return 2
    case .hint: return 3
    }
  }

  /// `error < warning < information < hint`: the most serious sorts first.
  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A replacement of `range` (UTF-8 offsets in the file the diagnostic is about) by `newText`.
public struct TextEdit: Equatable, Hashable, Sendable {
  public var range: TextRange
  public var newText: String

  public init(range: TextRange, newText: String) {
    self.range = range
    self.newText = newText
  }
}

/// A quick fix: edits to the diagnostic's own file that remove the problem.
public struct Fix: Equatable, Hashable, Sendable {
  public var title: String
  public var edits: [TextEdit]
  /// The one fix an editor may apply without asking ("fix all" and `isPreferred`).
  public var isPreferred: Bool

  public init(title: String, edits: [TextEdit], isPreferred: Bool = true) {
    self.title = title
    self.edits = edits
    self.isPreferred = isPreferred
  }

  /// "Change to `text`": replaces `range` with `text`.
  public static func replace(_ range: TextRange, with text: String) -> Fix {
    Fix(title: "Change to `\(text)`", edits: [TextEdit(range: range, newText: text)])
  }

  /// "Insert `text`" at `offset` (a missing `,`, `]`, `"`).
  public static func insert(_ text: String, at offset: Int) -> Fix {
    Fix(title: "Insert `\(text)`", edits: [TextEdit(range: .at(offset), newText: text)])
  }
}

/// A place elsewhere in the file that explains a diagnostic (the first of two duplicates).
public struct RelatedLocation: Equatable, Hashable, Sendable {
  public var range: TextRange
  public var message: String

  public init(range: TextRange, message: String) {
    self.range = range
    self.message = message
  }
}

/// A problem found in one file, in that file's UTF-8 offsets.
///
/// Architecture Invariant: diagnostics are plain values in editor-neutral terms; the CLI and the
/// server convert `range` to lines and UTF-16 columns at their edge, never here.
public struct Diagnostic: Equatable, Hashable, Sendable {
  public var range: TextRange
  public var severity: Severity
  /// A stable code from `Rule.catalogue`.
  public var code: String
  public var message: String
  public var fixes: [Fix]
  public var related: [RelatedLocation]

  public init(
    _ rule: Rule, _ range: TextRange, _ message: String, fixes: [Fix] = [], related: [RelatedLocation] = []
  ) {
    self.range = range
    self.severity = rule.severity
    self.code = rule.code
    self.message = message
    self.fixes = fixes
    self.related = related
  }
}

extension Array where Element == Diagnostic {
  /// In file order, then most serious first: the order every surface shows them in.
  public func sortedForDisplay() -> [Diagnostic] {
    sorted {
      ($0.range.start, $0.range.end, $0.severity, $0.code, $0.message)
        < ($1.range.start, $1.range.end, $1.severity, $1.code, $1.message)
    }
  }
}
