/// The three notions of "space" BuildKit's parser uses, since it is written in Go and each step
/// picks its own: `unicode.IsSpace` on decoded UTF-8 (trimming lines and arguments, splitting
/// ARG/ENV/LABEL words), `unicode.IsSpace` on single bytes taken as Latin-1 runes (flags and
/// HEALTHCHECK, which index the string byte by byte), and the ASCII class `[\t\v\f\r ]` of its
/// `reWhitespace` (the keyword, FROM, EXPOSE, COPY/ADD words).
enum GoSpaces {
  /// Go's `unicode.IsSpace`.
  static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
      return true
    default: return false
    }
  }

  /// `unicode.IsSpace(rune(b))` for one byte: ASCII spaces, NEL (0x85) and NBSP (0xA0).
  static func isLatin1Space(_ byte: UInt8) -> Bool {
    byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) || byte == 0x85 || byte == 0xA0
  }

  /// `[\t\v\f\r ]`: BuildKit's `reWhitespace`.
  static func isSeparator(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || (byte >= 0x0B && byte <= 0x0D)
  }

  /// The length in bytes of the Unicode space that starts at `index` (before `end`), or 0.
  static func spaceLength(_ bytes: [UInt8], at index: Int, end: Int) -> Int {
    guard index < end else { return 0 }
    let first = bytes[index]
    if first < 0x80 { return first == 0x20 || (first >= 0x09 && first <= 0x0D) ? 1 : 0 }
    guard let (scalar, length) = decode(bytes, at: index, end: end) else { return 0 }
    return isSpace(scalar) ? length : 0
  }

  /// The length in bytes of the Unicode space that ends at `end` (after `start`), or 0.
  static func spaceLength(_ bytes: [UInt8], endingAt end: Int, start: Int) -> Int {
    for length in 1...3 where end - length >= start {
      if spaceLength(bytes, at: end - length, end: end) == length { return length }
    }
    return 0
  }

  /// `bytes.TrimLeftFunc(unicode.IsSpace)`: the first offset that is not a space.
  static func trimmedStart(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int {
    var index = start
    while true {
      let length = spaceLength(bytes, at: index, end: end)
      if length == 0 { return index }
      index += length
    }
  }

  /// `strings.TrimSpace`: the range without its leading and trailing Unicode spaces.
  static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
    let start = trimmedStart(bytes, range.lowerBound, range.upperBound)
    var end = range.upperBound
    while true {
      let length = spaceLength(bytes, endingAt: end, start: start)
      if length == 0 { return start..<end }
      end -= length
    }
  }

  /// Decodes one well-formed UTF-8 scalar of two or three bytes (every Unicode space above
  /// ASCII is one of those); nil for anything else.
  static func decode(_ bytes: [UInt8], at index: Int, end: Int) -> (Unicode.Scalar, Int)? {
    let first = bytes[index]
    if first >= 0xC2, first <= 0xDF, index + 1 < end, bytes[index + 1] & 0xC0 == 0x80 {
      let value = UInt32(first & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
      return Unicode.Scalar(value).map { ($0, 2) }
    }
    if first >= 0xE0, first <= 0xEF, index + 2 < end, bytes[index + 1] & 0xC0 == 0x80,
      bytes[index + 2] & 0xC0 == 0x80
    {
      let value =
        UInt32(first & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
      guard value >= 0x800 else { return nil }
      return Unicode.Scalar(value).map { ($0, 3) }
    }
    return nil
  }
}
