/// Maps byte offsets in a decoded string value (a YAML scalar, a JSON string) back to byte
/// offsets in the file it was read from.
///
/// A value is a sequence of pieces. A *verbatim* piece was copied byte for byte from the source,
/// so any offset inside it maps exactly; any other piece (an escape such as `\n`, a folded line
/// break, a doubled quote) maps as a whole to the source text that produced it.
public struct SourceMap: Equatable, Sendable {
  public struct Piece: Equatable, Sendable {
    public var valueStart: Int
    public var valueLength: Int
    public var sourceStart: Int
    public var sourceLength: Int
    public var isVerbatim: Bool

    public init(valueStart: Int, valueLength: Int, sourceStart: Int, sourceLength: Int, isVerbatim: Bool) {
      self.valueStart = valueStart
      self.valueLength = valueLength
      self.sourceStart = sourceStart
      self.sourceLength = sourceLength
      self.isVerbatim = isVerbatim
    }
  }

  /// Pieces in value order, contiguous in the value.
  public private(set) var pieces: [Piece]
  /// Where the value's end maps to when the value is empty or an offset falls past the last piece.
  public private(set) var sourceEnd: Int

  public init(pieces: [Piece] = [], sourceEnd: Int) {
    self.pieces = pieces
    self.sourceEnd = sourceEnd
  }

  /// A value copied verbatim from `source`.
  public static func verbatim(_ source: TextRange) -> SourceMap {
    SourceMap(
      pieces: source.isEmpty
        ? []
        : [
          Piece(
            valueStart: 0, valueLength: source.length, sourceStart: source.start, sourceLength: source.length,
            isVerbatim: true)
        ],
      sourceEnd: source.end)
  }

  /// Appends `length` value bytes read from `source`, merging with the previous verbatim piece.
  public mutating func append(valueLength: Int, source: TextRange, verbatim: Bool) {
    let valueStart = pieces.last.map { $0.valueStart + $0.valueLength } ?? 0
    if verbatim, valueLength == source.length, var last = pieces.last, last.isVerbatim,
      last.sourceStart + last.sourceLength == source.start
    {
      last.valueLength += valueLength
      last.sourceLength += source.length
      pieces[pieces.count - 1] = last
    } else if valueLength > 0 || !source.isEmpty {
      pieces.append(
        Piece(
          valueStart: valueStart, valueLength: valueLength, sourceStart: source.start,
          sourceLength: source.length, isVerbatim: verbatim && valueLength == source.length))
    }
    sourceEnd = source.end
  }

  public var valueLength: Int { pieces.last.map { $0.valueStart + $0.valueLength } ?? 0 }

  /// The source offset of value offset `offset`. `preferEnd` chooses, for an offset that falls on
  /// a boundary, the end of the previous piece rather than the start of the next.
  public func sourceOffset(_ offset: Int, preferEnd: Bool = false) -> Int {
    guard let first = pieces.first else { return sourceEnd }
    if offset <= 0 { return first.sourceStart }
    // Binary search for the piece holding `offset`.
    var low = 0
    var high = pieces.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if pieces[middle].valueStart < offset || (!preferEnd && pieces[middle].valueStart == offset) {
        low = middle
      } else {
        high = middle - 1
      }
    }
    let piece = pieces[low]
    let inside = offset - piece.valueStart
    if inside >= piece.valueLength { return piece.sourceStart + piece.sourceLength }
    if piece.isVerbatim { return piece.sourceStart + inside }
    return inside == 0 ? piece.sourceStart : piece.sourceStart + piece.sourceLength
  }

  /// The source range of the value range `range`.
  public func sourceRange(_ range: TextRange) -> TextRange {
    let start = sourceOffset(range.start)
    let end = range.isEmpty ? start : max(start, sourceOffset(range.end, preferEnd: true))
    return TextRange(start, end)
  }

  /// A map for a value decoded from the value described by `inner`: `inner` maps this map's
  /// value offsets into an intermediate text, and `self` maps that text to the file.
  public func composing(_ inner: SourceMap) -> SourceMap {
    var result = SourceMap(sourceEnd: sourceOffset(inner.sourceEnd, preferEnd: true))
    for piece in inner.pieces {
      let outer = sourceRange(TextRange(piece.sourceStart, piece.sourceStart + piece.sourceLength))
      if piece.isVerbatim {
        // A verbatim inner piece may still span several outer pieces: split it on their seams.
        var valueOffset = 0
        while valueOffset < piece.valueLength {
          let intermediate = piece.sourceStart + valueOffset
          let (runLength, runVerbatim) = run(at: intermediate, limit: piece.valueLength - valueOffset)
          let source = sourceRange(TextRange(intermediate, intermediate + runLength))
          result.append(valueLength: runLength, source: source, verbatim: runVerbatim)
          valueOffset += runLength
        }
      } else {
        result.append(valueLength: piece.valueLength, source: outer, verbatim: false)
      }
    }
    return result
  }

  /// How many value bytes from `offset` lie in the same piece, and whether that piece is verbatim.
  private func run(at offset: Int, limit: Int) -> (Int, Bool) {
    guard let index = pieceIndex(containing: offset) else { return (limit, false) }
    let piece = pieces[index]
    return (min(limit, piece.valueStart + piece.valueLength - offset), piece.isVerbatim)
  }

  /// The index of the piece whose value bytes include `offset`.
  private func pieceIndex(containing offset: Int) -> Int? {
    var low = 0
    var high = pieces.count - 1
    while low <= high {
      let middle = (low + high) / 2
      let piece = pieces[middle]
      if offset < piece.valueStart {
        high = middle - 1
      } else if offset >= piece.valueStart + piece.valueLength {
        low = middle + 1
      } else {
        return middle
      }
    }
    return nil
  }
}
