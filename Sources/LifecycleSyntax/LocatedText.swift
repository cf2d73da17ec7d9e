/// A text read from a file (an argument, an entrypoint, a variable value, a Dockerfile word): its text, the node it came from, and how each byte of
/// the text maps back to the file (through YAML quoting, JSON escapes, joined Dockerfile lines), so that a problem deep inside a script is reported at its exact column.
public struct LocatedText: Equatable, Sendable {
  public var value: String
  public var range: TextRange
  public var map: SourceMap

  public init(value: String, range: TextRange, map: SourceMap) {
    self.value = value
    self.range = range
    self.map = map
  }

  /// The file range of `valueRange`, a range of UTF-8 offsets in `value`.
  public func sourceRange(_ valueRange: TextRange) -> TextRange { map.sourceRange(valueRange) }

  /// True when the bytes of `valueRange` are written as is in the file, so an edit there may
  /// replace them with text that needs no escaping.
  public func isVerbatim(_ valueRange: TextRange) -> Bool {
    map.pieces.contains {
      $0.isVerbatim && $0.valueStart <= valueRange.start
        && valueRange.end <= $0.valueStart + $0.valueLength
    }
  }
}
