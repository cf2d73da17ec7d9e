import LifecycleAnalysis
import LifecycleProtocol
import LifecycleSyntax
import LifecycleWorkspace

/// An open document: the editor's text, which wins over the disk.
struct OpenDocument {
  var uri: String
  /// The file's path, for a `file:` URI.
  var path: String?
  var version: Int
  var source: SourceText
  var kind: FileKind?

  init(uri: String, languageId: String, version: Int, text: String) {
    self.uri = uri
    path = DocumentURI.path(uri)
    self.version = version
    source = SourceText(text)
    kind = Self.kind(uri: uri, languageId: languageId, contents: source.bytes)
  }

  /// By file name first, and content for a `Dockerfile.*` (a jq template is not a Dockerfile,
  /// whatever the editor's language says); an unnamed buffer by its language.
  static func kind(uri: String, languageId: String?, contents: [UInt8]) -> FileKind? {
    let name = Paths.name(DocumentURI.path(uri) ?? uri)
    if FileKind.of(fileName: name) != nil { return FileKind.of(fileName: name, contents: contents) }
    switch languageId {
    case "dockerfile": return .dockerfile
    case "lifecycle-job": return .spec(isJSON: false)
    default: return nil
    }
  }
}

/// Conversions between the analysis' UTF-8 offsets and the protocol's positions in the
/// negotiated encoding.
struct PositionConverter {
  var encoding: PositionEncoding

  func range(_ range: TextRange, in source: SourceText) -> LifecycleProtocol.Range {
    LifecycleProtocol.Range(start: position(range.start, in: source), end: position(range.end, in: source))
  }

  func position(_ offset: Int, in source: SourceText) -> Position {
    let position = source.position(of: offset, in: encoding)
    return Position(line: position.line, character: position.character)
  }

  /// The offset of a position the client sent, never refused: a character past the end of its
  /// line means the line's end (as the specification says), a line past the last means the end
  /// of the document (`{lineCount, 0}` is how clients name it), and a negative number means 0.
  /// A client and the server that disagree on a position must not come to disagree on the text.
  func offset(_ position: Position, in source: SourceText) -> Int {
    source.offset(
      of: LinePosition(line: max(0, position.line), character: max(0, position.character)), in: encoding)
  }

  /// The range a client sent, clamped as `offset` does; ends given in the wrong order are swapped.
  func textRange(_ range: LifecycleProtocol.Range, in source: SourceText) -> TextRange {
    let start = offset(range.start, in: source)
    let end = offset(range.end, in: source)
    return TextRange(min(start, end), max(start, end))
  }

  /// Applies one content change; returns the new text.
  func apply(_ change: TextDocumentContentChangeEvent, to source: SourceText) -> SourceText {
    guard let range = change.range else { return SourceText(change.text) }
    let textRange = self.textRange(range, in: source)
    var bytes = source.bytes
    bytes.replaceSubrange(textRange.start..<textRange.end, with: Array(change.text.utf8))
    return SourceText(bytes: bytes)
  }
}

extension LifecycleAnalysis.Severity {
  var protocolValue: Int {
    switch self {
    case .error: return 1
    case .warning: return 2
    case .information: return 3
    case .hint: return 4
    }
  }
}
