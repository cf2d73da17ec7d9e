/// A token of HCL, as far as reading a root module's declarations needs.
struct HCLToken: Equatable {
  enum Kind: Equatable {
    case identifier, string, heredoc, number, punctuation, newline
  }
  var kind: Kind
  var range: TextRange
  /// A string's or heredoc's value (escapes decoded, template sequences kept as written); nil
  /// when it holds `${...}` or `%{...}` and so is not a literal.
  var literal: String?
  /// Where each byte of `literal` was written (through escapes and a heredoc's stripped
  /// indentation), when it is one.
  var map: SourceMap?
}

/// Splits HCL into tokens, skipping `#`, `//` and `/* */` comments, reading quoted strings with
/// nested `${...}` templates and heredocs whole.
///
/// Architecture Invariant: any bytes lex; an unterminated string, template, comment or heredoc
/// ends at the end of the file.
struct HCLLexer {
  let bytes: [UInt8]
  var index = 0
  var tokens: [HCLToken] = []

  static func lex(_ bytes: [UInt8]) -> [HCLToken] {
    var lexer = HCLLexer(bytes: bytes)
    lexer.run()
    return lexer.tokens
  }

  static func isIdentifierByte(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
      || byte == 0x5F || byte == 0x2D || byte >= 0x80
  }

  mutating func run() {
    while index < bytes.count {
      let byte = bytes[index]
      let start = index
      switch byte {
      case 0x20, 0x09, 0x0D:
        index += 1
      case 0x0A:
        tokens.append(HCLToken(kind: .newline, range: TextRange(index, index + 1)))
        index += 1
      case UInt8(ascii: "#"):
        skipLine()
      case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
        skipLine()
      case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
        index += 2
        while index < bytes.count, !(bytes[index] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) {
          index += 1
        }
        index = min(index + 2, bytes.count)
      case UInt8(ascii: "\""):
        let (literal, map) = readStringMapped()
        tokens.append(HCLToken(kind: .string, range: TextRange(start, index), literal: literal, map: map))
      case UInt8(ascii: "<") where peek(1) == UInt8(ascii: "<"):
        if let (literal, map) = readHeredoc() {
          tokens.append(HCLToken(kind: .heredoc, range: TextRange(start, index), literal: literal, map: map))
        } else {
          index = start + 2
          tokens.append(HCLToken(kind: .punctuation, range: TextRange(start, index)))
        }
      case 0x30...0x39:
        while index < bytes.count,
          (bytes[index] >= 0x30 && bytes[index] <= 0x39) || bytes[index] == UInt8(ascii: ".")
            || bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")
        {
          index += 1
        }
        tokens.append(HCLToken(kind: .number, range: TextRange(start, index)))
      default:
        if Self.isIdentifierByte(byte), byte != 0x2D {
          while index < bytes.count, Self.isIdentifierByte(bytes[index]) { index += 1 }
          tokens.append(HCLToken(kind: .identifier, range: TextRange(start, index)))
        } else {
          index += 1
          tokens.append(HCLToken(kind: .punctuation, range: TextRange(start, index)))
        }
      }
    }
  }

  func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

  mutating func skipLine() {
    while index < bytes.count, bytes[index] != 0x0A { index += 1 }
  }

  /// Reads `"..."`, with escapes and nested templates; returns the value when it is a literal.
  mutating func readString() -> String? { readStringMapped().0 }

  /// Reads `"..."` as `readString` does, with the map of the value's bytes back to the file.
  mutating func readStringMapped() -> (String?, SourceMap?) {
    index += 1
    var value: [UInt8] = []
    var map = SourceMap(sourceEnd: index)
    var isLiteral = true
    func finish() -> (String?, SourceMap?) {
      isLiteral ? (String(decoding: value, as: UTF8.self), map) : (nil, nil)
    }
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        return finish()
      }
      if byte == 0x0A { return finish() }  // Unterminated.
      if byte == UInt8(ascii: "\\"), let next = peek(1) {
        let before = value.count
        var length = 2
        switch next {
        case UInt8(ascii: "n"): value.append(0x0A)
        case UInt8(ascii: "t"): value.append(0x09)
        case UInt8(ascii: "r"): value.append(0x0D)
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): value.append(next)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
          // `\u00e9` and `\U0001F600`: a Unicode scalar in 4 or 8 hexadecimal digits.
          let count = next == UInt8(ascii: "u") ? 4 : 8
          if let scalar = hexScalar(from: index + 2, count: count) {
            value += Array(String(Character(scalar)).utf8)
            length = 2 + count
          } else {
            value += [byte, next]
          }
        default: value += [byte, next]
        }
        map.append(
          valueLength: value.count - before, source: TextRange(index, index + length), verbatim: false)
        index += length
        continue
      }
      if (byte == UInt8(ascii: "$") || byte == UInt8(ascii: "%")), peek(1) == UInt8(ascii: "{") {
        if peek(-1) == byte {  // `$${` is a literal `${`.
          value.append(UInt8(ascii: "{"))
          map.append(valueLength: 1, source: TextRange(index + 1, index + 2), verbatim: false)
          index += 2
          continue
        }
        isLiteral = false
        skipTemplate()
        continue
      }
      value.append(byte)
      map.append(valueLength: 1, source: TextRange(index, index + 1), verbatim: true)
      index += 1
    }
    return finish()
  }

  /// The Unicode scalar written as `count` hexadecimal digits at `start`, if they are there.
  func hexScalar(from start: Int, count: Int) -> Unicode.Scalar? {
    guard start + count <= bytes.count else { return nil }
    var number: UInt32 = 0
    for byte in bytes[start..<(start + count)] {
      guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return nil }
      number = number * 16 + UInt32(digit)
    }
    return Unicode.Scalar(number)
  }

  /// Skips `${ ... }`, including nested strings and braces.
  mutating func skipTemplate() {
    index += 2
    var depth = 1
    while index < bytes.count, depth > 0 {
      switch bytes[index] {
      case UInt8(ascii: "{"):
        depth += 1
        index += 1
      case UInt8(ascii: "}"):
        depth -= 1
        index += 1
      case UInt8(ascii: "\""):
        _ = readString()
      default:
        index += 1
      }
    }
  }

  /// Reads `<<EOF` or `<<-EOF` up to the line that holds only the marker, with the map of its
  /// text back to the file.
  mutating func readHeredoc() -> (String, SourceMap)? {
    var cursor = index + 2
    let strips = cursor < bytes.count && bytes[cursor] == UInt8(ascii: "-")
    if strips { cursor += 1 }
    let markerStart = cursor
    while cursor < bytes.count, Self.isIdentifierByte(bytes[cursor]) { cursor += 1 }
    guard cursor > markerStart, cursor < bytes.count, bytes[cursor] == 0x0A || bytes[cursor] == 0x0D else {
      return nil
    }
    let marker = Array(bytes[markerStart..<cursor])
    while cursor < bytes.count, bytes[cursor] != 0x0A { cursor += 1 }
    cursor += 1
    var lines: [(start: Int, content: [UInt8], end: Int)] = []
    func text() -> (String, SourceMap) {
      let contents = lines.map(\.content)
      let value = Self.heredocText(contents, stripsIndentation: strips)
      let cut = strips ? Self.commonIndentation(contents) : 0
      var map = SourceMap(sourceEnd: lines.first?.start ?? min(cursor, bytes.count))
      for line in lines {
        let dropped = min(cut, line.content.count)
        let contentStart = line.start + dropped
        map.append(
          valueLength: line.content.count - dropped,
          source: TextRange(contentStart, line.start + line.content.count), verbatim: true)
        map.append(
          valueLength: 1, source: TextRange(line.start + line.content.count, line.end), verbatim: false)
      }
      return (value, map)
    }
    while cursor < bytes.count {
      var end = cursor
      while end < bytes.count, bytes[end] != 0x0A { end += 1 }
      var content = Array(bytes[cursor..<end])
      if content.last == 0x0D { content.removeLast() }
      if Array(content.drop(while: { $0 == 0x20 || $0 == 0x09 })) == marker {
        index = end
        return text()
      }
      lines.append((cursor, content, min(end + 1, bytes.count)))
      cursor = end + 1
    }
    index = bytes.count
    return text()
  }

  /// The indentation `<<-` removes: the least of the non-blank lines'.
  static func commonIndentation(_ lines: [[UInt8]]) -> Int {
    lines.filter { $0.contains { $0 != 0x20 && $0 != 0x09 } }
      .map { line in line.prefix { $0 == 0x20 || $0 == 0x09 }.count }.min() ?? 0
  }

  /// The lines of a heredoc, each ending with a line break; `<<-` removes their common indentation.
  static func heredocText(_ lines: [[UInt8]], stripsIndentation: Bool) -> String {
    let cut = stripsIndentation ? commonIndentation(lines) : 0
    return lines.map { String(decoding: $0.dropFirst(min(cut, $0.count)), as: UTF8.self) + "\n" }.joined()
  }
}
