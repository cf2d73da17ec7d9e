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
  /// The same as a snippet (`$0` for the cursor), when a richer insertion exists.
  public var snippet: String?
  public var replaceRange: TextRange
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
    self.snippet = snippet
    self.replaceRange = replaceRange
    self.sortKey = sortKey
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

  public init(
    source: SourceText, kind: FileKind, analysis: FileAnalysis, context: JobContext? = nil,
    users: DockerfileUsers? = nil
  ) {
    self.source = source
    self.kind = kind
    self.analysis = analysis
    self.context = context
    self.users = users
  }

  /// The spec's syntax tree (read again: cheap, and only features that need it pay).
  var document: SyntaxDocument {
    if case .spec(true) = kind { return JSONDocumentReader.read(source) }
    return YAMLReader.read(source)
  }
}
