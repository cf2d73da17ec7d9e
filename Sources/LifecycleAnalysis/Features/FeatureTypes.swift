import LifecycleSyntax

/// A file a feature points to, as the analysis names it; the server turns it into a URI.
public enum FileTarget: Equatable, Hashable, Sendable {
  /// The document asked about.
  case sameFile
  /// The job's Dockerfile.
  case dockerfile
  /// A file under the job's root, by its path relative to the root.
  case rootFile(String)
}

/// A place a feature points to: a file and, when known, a range in it (nil: the file's start).
public struct Target: Equatable, Hashable, Sendable {
  public var file: FileTarget
  public var range: TextRange?

  public init(_ file: FileTarget, _ range: TextRange? = nil) {
    self.file = file
    self.range = range
  }
}

/// One completion proposal, in editor-neutral terms.
public struct CompletionCandidate: Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    case key, value, event, variable, instruction, file
  }

  public var label: String
  public var kind: Kind
  /// One line shown next to the label (a type, an origin).
  public var detail: String?
  /// Markdown.
  public var documentation: String?
  /// The text that replaces `replaceRange`.
  public var insertText: String
  /// The same as a snippet (`$0` for the cursor), when a richer insertion exists. An insertion
  /// that ends in whitespace (`TF_VAR_x: `) always has one, ending in `$0`: clients that take a
  /// plain-text item's trailing space for noise (Neovim 0.12 keeps its first word) would leave
  /// `TF_VAR_x:5`, which is not YAML.
  public var snippet: String?
  public var replaceRange: TextRange
  /// `replaceRange` and the rest of the word after the cursor: what a client that offers to
  /// replace rather than insert replaces (`time|out` → `timeout`, not `timeoutout`).
  public var wordRange: TextRange
  /// Candidates sort by this key, then by label.
  public var sortKey: String

  public init(
    label: String, kind: Kind, detail: String? = nil, documentation: String? = nil, insertText: String? = nil,
    snippet: String? = nil, replaceRange: TextRange, sortKey: String = "5"
  ) {
    self.label = label
    self.kind = kind
    self.detail = detail
    self.documentation = documentation
    self.insertText = insertText ?? label
    self.snippet = snippet ?? Self.snippetKeepingTrailingSpace(self.insertText)
    self.replaceRange = replaceRange
    self.wordRange = replaceRange
    self.sortKey = sortKey
  }
}

extension CompletionCandidate {
  /// `text` as a snippet whose cursor stop follows it, when it ends in whitespace.
  static func snippetKeepingTrailingSpace(_ text: String) -> String? {
    guard let last = text.unicodeScalars.last, last == " " || last == "\n" else { return nil }
    return escapedForSnippet(text) + "$0"
  }

  /// `text` with the characters a snippet gives a meaning to (`\`, `$`, `}`) escaped.
  static func escapedForSnippet(_ text: String) -> String {
    var escaped = ""
    for character in text {
      if character == "\\" || character == "$" || character == "}" { escaped.append("\\") }
      escaped.append(character)
    }
    return escaped
  }
}

/// Hover text (Markdown) and the range it describes.
public struct HoverText: Equatable, Sendable {
  public var markdown: String
  public var range: TextRange

  public init(_ markdown: String, range: TextRange) {
    self.markdown = markdown
    self.range = range
  }
}

/// An outline entry.
public struct Symbol: Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    case property, event, variable, constant, stage, instruction
  }

  public var name: String
  public var detail: String?
  public var kind: Kind
  public var range: TextRange
  public var selectionRange: TextRange
  public var children: [Symbol]

  public init(
    name: String, detail: String? = nil, kind: Kind, range: TextRange, selectionRange: TextRange,
    children: [Symbol] = []
  ) {
    self.name = name
    self.detail = detail
    self.kind = kind
    self.range = range
    self.selectionRange = selectionRange
    self.children = children
  }
}

/// A range of the document that names another file.
public struct Link: Equatable, Sendable {
  public var range: TextRange
  public var target: FileTarget
  public var tooltip: String

  public init(range: TextRange, target: FileTarget, tooltip: String) {
    self.range = range
    self.target = target
    self.tooltip = tooltip
  }
}

/// A code action in editor-neutral terms: edits to the document, fixing a diagnostic or
/// rewriting what is there.
public struct QuickFix: Equatable, Sendable {
  public var title: String
  public var edits: [TextEdit]
  public var isPreferred: Bool
  /// The diagnostic it resolves; nil for a rewrite that fixes nothing.
  public var diagnostic: Diagnostic?

  public init(title: String, edits: [TextEdit], isPreferred: Bool, diagnostic: Diagnostic?) {
    self.title = title
    self.edits = edits
    self.isPreferred = isPreferred
    self.diagnostic = diagnostic
  }
}

/// What a feature knows of the document asked about and its job: the text, its analysis, and
/// what the caller found of the other files.
public struct FeatureInput: Sendable {
  public var source: SourceText
  public var kind: FileKind
  public var analysis: FileAnalysis
  /// For a spec: the job's other files.
  public var context: JobContext?
  /// For a Dockerfile: the specs that build it.
  public var users: DockerfileUsers?
  /// The outputs the jobs of the local environment produced when last run.
  public var outputs: [JobOutput]

  public init(
    source: SourceText, kind: FileKind, analysis: FileAnalysis, context: JobContext? = nil,
    users: DockerfileUsers? = nil, outputs: [JobOutput] = []
  ) {
    self.source = source
    self.kind = kind
    self.analysis = analysis
    self.context = context
    self.users = users
    self.outputs = outputs
  }

  /// The spec's syntax tree, as its analysis read it.
  var document: SyntaxDocument { analysis.tree ?? SyntaxDocument(root: nil, errors: []) }
}

/// An output variable a job produced in a local run: `QOVERY_OUTPUT_JOB_<shortID>_<key>` and
/// its alias `<key>`.
public struct JobOutput: Equatable, Sendable {
  public var jobName: String
  /// `Z` and 8 upper-case hex digits.
  public var shortID: String
  public var key: String
  /// Nil when sensitive: features never show a secret.
  public var value: String?
  public var environment: String

  public init(jobName: String, shortID: String, key: String, value: String?, environment: String) {
    self.jobName = jobName
    self.shortID = shortID
    self.key = key
    self.value = value
    self.environment = environment
  }

  public var fullName: String { "QOVERY_OUTPUT_JOB_\(shortID)_\(key)" }
}

/// A "▶ Run <event>" lens over an event's key.
public struct RunLens: Equatable, Sendable {
  public var range: TextRange
  public var event: EventName
}

/// The events a spec can run: a lens over each, and a "Run <event>" action where the cursor is.
public enum RunActions {
  public static func lenses(_ input: FeatureInput) -> [RunLens] {
    guard case .spec = input.kind, let spec = input.analysis.spec else { return [] }
    return spec.events.map { RunLens(range: $0.keyRange, event: $0.name) }
  }

  public static func events(_ input: FeatureInput, in range: TextRange) -> [EventName] {
    guard case .spec = input.kind, let spec = input.analysis.spec else { return [] }
    return spec.events.filter { event in
      let whole = TextRange(event.keyRange.start, max(event.keyRange.end, event.range.end))
      return whole.touches(range.start) || range.touches(whole.start)
    }.map(\.name)
  }
}
