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
    kind = Self.kind(uri: uri, languageId: languageId)
  }

  /// By file name first; an unnamed buffer by its language.
  static func kind(uri: String, languageId: String?) -> FileKind? {
    let name = Paths.name(DocumentURI.path(uri) ?? uri)
    if let kind = FileKind.of(fileName: name) { return kind }
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

  /// The offset of a position the client sent: a line past the end is an error (-32602); a
  /// character past the end of its line means the line's end, as the specification says.
  func offset(_ position: Position, in source: SourceText) throws(ResponseError) -> Int {
    guard position.line >= 0, position.character >= 0 else {
      throw .invalidParams("position \(position.line):\(position.character) is negative")
    }
    guard position.line < source.lineCount else {
      throw .invalidParams(
        "position \(position.line):\(position.character) is past the end of the document (\(source.lineCount) lines)"
      )
    }
    return source.offset(of: LinePosition(line: position.line, character: position.character), in: encoding)
  }

  func textRange(_ range: LifecycleProtocol.Range, in source: SourceText) throws(ResponseError) -> TextRange {
    let start = try offset(range.start, in: source)
    let end = try offset(range.end, in: source)
    guard start <= end else { throw .invalidParams("range end is before its start") }
    return TextRange(start, end)
  }

  /// Applies one content change; returns the new text.
  func apply(_ change: TextDocumentContentChangeEvent, to source: SourceText) throws(ResponseError)
    -> SourceText
  {
    guard let range = change.range else { return SourceText(change.text) }
    let textRange = try self.textRange(range, in: source)
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
