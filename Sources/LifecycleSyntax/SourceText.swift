/// A half-open range `[start, end)` of UTF-8 byte offsets in one file's text.
///
/// Architecture Invariant: every position inside the core is a UTF-8 offset; lines and UTF-16
/// columns exist only at the edge (the CLI's output and the server's protocol conversion).
public struct TextRange: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var start: Int
  public var end: Int

  public init(_ start: Int, _ end: Int) {
    precondition(start <= end, "a range ends before it starts")
    self.start = start
    self.end = end
  }

  /// An empty range at `offset`.
  public static func at(_ offset: Int) -> TextRange { TextRange(offset, offset) }

  public var length: Int { end - start }
  public var isEmpty: Bool { start == end }

  /// True when `offset` lies inside the range or at its end (an editor cursor right after a
  /// word still "touches" it).
  public func touches(_ offset: Int) -> Bool { start <= offset && offset <= end }
  public func contains(_ other: TextRange) -> Bool { start <= other.start && other.end <= end }

  public static func < (lhs: TextRange, rhs: TextRange) -> Bool {
    (lhs.start, lhs.end) < (rhs.start, rhs.end)
  }

  public var description: String { "\(start)..<\(end)" }
}

/// How the columns of a `LinePosition` are counted: LSP's default is UTF-16 code units.
public enum PositionEncoding: String, Sendable, Hashable {
  case utf8 = "utf-8"
  case utf16 = "utf-16"
}

/// A 0-based line and a 0-based column counted in the units of a `PositionEncoding`.
public struct LinePosition: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var line: Int
  public var character: Int
  public init(line: Int, character: Int) {
    self.line = line
    self.character = character
  }
  public static func < (lhs: LinePosition, rhs: LinePosition) -> Bool {
    (lhs.line, lhs.character) < (rhs.line, rhs.character)
  }
  public var description: String { "\(line):\(character)" }
}

/// The text of one file as UTF-8 bytes with a table of line starts.
///
/// Line terminators are `\n`, `\r\n` and a lone `\r`, as in LSP. Conversions clamp positions that
/// fall past the end of a line or of the file, and never split a UTF-8 sequence.
public struct SourceText: Sendable, Equatable {
  /// The file's bytes. Not necessarily valid UTF-8: see `firstInvalidUTF8Offset`.
  public let bytes: [UInt8]
  /// The offset at which each line starts; `lineStarts[0] == 0`.
  public let lineStarts: [Int]

  public init(_ string: String) {
    self.init(bytes: Array(string.utf8))
  }

  public init(bytes: [UInt8]) {
    self.bytes = bytes
    var starts = [0]
    starts.reserveCapacity(bytes.count / 24 + 1)
    var index = 0
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      if byte == 0x0A {
        starts.append(index + 1)
      } else if byte == 0x0D {
        if index + 1 < count && bytes[index + 1] == 0x0A { index += 1 }
        starts.append(index + 1)
      }
      index += 1
    }
    self.lineStarts = starts
  }

  public var count: Int { bytes.count }
  public var lineCount: Int { lineStarts.count }

  /// The whole text as a Swift string (invalid UTF-8 is repaired with U+FFFD).
  public var string: String { String(decoding: bytes, as: UTF8.self) }

  /// The text of `range` (clamped to the file).
  public func text(_ range: TextRange) -> String {
    let start = max(0, min(range.start, count))
    let end = max(start, min(range.end, count))
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// The 0-based line that holds `offset`.
  public func line(of offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
    }
    return low
  }

  /// The range of line `line` without its terminator.
  public func lineRange(_ line: Int) -> TextRange {
    let clamped = max(0, min(line, lineStarts.count - 1))
    let start = lineStarts[clamped]
    var end = clamped + 1 < lineStarts.count ? lineStarts[clamped + 1] : count
    if end > start && bytes[end - 1] == 0x0A { end -= 1 }
    if end > start && bytes[end - 1] == 0x0D { end -= 1 }
    return TextRange(start, end)
  }

  /// True when line `line` holds nothing but spaces and tabs, or a comment.
  public func isBlank(line: Int) -> Bool {
    let range = lineRange(line)
    for byte in bytes[range.start..<range.end] {
      if byte == 0x20 || byte == 0x09 { continue }
      return byte == UInt8(ascii: "#")
    }
    return true
  }

  /// The line and column of `offset` in `encoding` units.
  public func position(of offset: Int, in encoding: PositionEncoding = .utf16) -> LinePosition {
    let offset = max(0, min(offset, count))
    let line = line(of: offset)
    let lineEnd = lineRange(line).end
    let start = lineStarts[line]
    let stop = min(offset, lineEnd)
    switch encoding {
    case .utf8:
      return LinePosition(line: line, character: stop - start)
    case .utf16:
      var units = 0
      var index = start
      while index < stop {
        let width = SourceText.sequenceLength(bytes[index])
        units += width == 4 ? 2 : 1
        index += width
      }
      return LinePosition(line: line, character: units)
    }
  }

  /// The offset of `position`; a column past the end of its line clamps to the line's end, a
  /// line past the last clamps to the end of the file, and a column inside a character moves
  /// back to that character's start.
  public func offset(of position: LinePosition, in encoding: PositionEncoding = .utf16) -> Int {
    if position.line < 0 { return 0 }
    if position.line >= lineStarts.count { return count }
    let range = lineRange(position.line)
    let wanted = max(0, position.character)
    switch encoding {
    case .utf8:
      var offset = min(range.start + wanted, range.end)
      while offset > range.start && offset < range.end && SourceText.isContinuation(bytes[offset]) { offset -= 1 }
      return offset
    case .utf16:
      var units = 0
      var index = range.start
      while index < range.end {
        let width = SourceText.sequenceLength(bytes[index])
        let unitWidth = width == 4 ? 2 : 1
        if units + unitWidth > wanted { break }
        units += unitWidth
        index += width
      }
      return min(index, range.end)
    }
  }

  /// The offset of the start of the next character after `offset`.
  public func nextCharacterOffset(after offset: Int) -> Int {
    guard offset < count else { return count }
    return min(count, offset + SourceText.sequenceLength(bytes[offset]))
  }

  /// The offset of the first byte that is not part of a valid UTF-8 sequence, or nil.
  public var firstInvalidUTF8Offset: Int? { UTF8Validation.firstInvalidOffset(bytes) }

  /// The number of bytes of the UTF-8 sequence led by `byte` (1 for a stray continuation byte, so
  /// walks always advance).
  @inline(__always)
  public static func sequenceLength(_ byte: UInt8) -> Int {
    if byte < 0xC0 { return 1 }
    if byte < 0xE0 { return 2 }
    if byte < 0xF0 { return 3 }
    return 4
  }

  @inline(__always)
  static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
}

/// Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF).
public enum UTF8Validation {
  /// The offset of the first invalid byte, or nil when `bytes` is valid UTF-8.
  public static func firstInvalidOffset<C: RandomAccessCollection>(_ bytes: C) -> Int?
  where C.Element == UInt8, C.Index == Int {
    var index = bytes.startIndex
    let end = bytes.endIndex
    while index < end {
      let length = validSequenceLength(bytes, at: index, end: end)
      if length == 0 { return index - bytes.startIndex }
      index += length
    }
    return nil
  }

  /// The length of the valid UTF-8 sequence at `index`, or 0 when it is invalid.
  @inline(__always)
  public static func validSequenceLength<C: RandomAccessCollection>(
    _ bytes: C, at index: Int, end: Int
  ) -> Int where C.Element == UInt8, C.Index == Int {
    let lead = bytes[index]
    if lead < 0x80 { return 1 }
    func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
      index + offset < end && bytes[index + offset] >= low && bytes[index + offset] <= high
    }
    switch lead {
    case 0xC2...0xDF:
      return continuation(1) ? 2 : 0
    case 0xE0:
      return continuation(1, 0xA0) && continuation(2) ? 3 : 0
    case 0xE1...0xEC, 0xEE...0xEF:
      return continuation(1) && continuation(2) ? 3 : 0
    case 0xED:
      return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
    case 0xF0:
      return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
    case 0xF1...0xF3:
      return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
    case 0xF4:
      return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
    default:
      return 0
    }
  }
}
