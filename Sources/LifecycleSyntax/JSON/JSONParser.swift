/// How a parse treats what RFC 8259 leaves to the implementation.
public struct JSONParseOptions: Sendable, Equatable {
  /// An escaped lone surrogate (`"\uD800"`): rejected, or decoded as U+FFFD as Go's
  /// encoding/json (and so Docker) does.
  public var replacesLoneSurrogates: Bool
  /// A leading U+FEFF: rejected, as serde_json (the platform) does, or skipped.
  public var skipsByteOrderMark: Bool
  /// Containers nested deeper than this are an error (nil: no limit; the parser itself never
  /// recurses).
  public var maximumDepth: Int?
  /// A byte that is not UTF-8 inside a string: rejected, or decoded as U+FFFD (one per byte) as
  /// Go's encoding/json (and so Docker) does.
  public var replacesInvalidUTF8: Bool

  public init(
    replacesLoneSurrogates: Bool = false, skipsByteOrderMark: Bool = false, maximumDepth: Int? = nil,
    replacesInvalidUTF8: Bool = false
  ) {
    self.replacesLoneSurrogates = replacesLoneSurrogates
    self.skipsByteOrderMark = skipsByteOrderMark
    self.maximumDepth = maximumDepth
    self.replacesInvalidUTF8 = replacesInvalidUTF8
  }

  /// Strict RFC 8259 with the platform's (serde_json's) choices.
  public static let strict = JSONParseOptions()
}

/// An RFC 8259 parser that produces a `JSONTape` or the first syntax error with a hint.
///
/// Architecture Invariant: iterative, never recursive; any byte sequence yields a tape or an
/// error, never a trap.
public enum JSONParser {
  public static func parse(_ text: String, options: JSONParseOptions = .strict) -> Result<
    JSONTape, JSONSyntaxError
  > {
    var text = text
    return text.withUTF8 { parse(buffer: $0, options: options) }
  }

  public static func parse(_ bytes: [UInt8], options: JSONParseOptions = .strict) -> Result<
    JSONTape, JSONSyntaxError
  > {
    bytes.withUnsafeBufferPointer { parse(buffer: $0, options: options) }
  }

  public static func parse(buffer: UnsafeBufferPointer<UInt8>, options: JSONParseOptions) -> Result<
    JSONTape, JSONSyntaxError
  > {
    var parser = Machine(bytes: buffer, options: options)
    do {
      try parser.run()
      return .success(JSONTape(events: parser.events))
    } catch let error as JSONSyntaxError {
      return .failure(error)
    } catch {
      preconditionFailure("JSONParser throws only JSONSyntaxError")
    }
  }

  /// Decodes the JSON string token at `range` (quotes included) of an already validated text,
  /// with the map from the decoded value's bytes back to the token's bytes.
  public static func decodeString(_ text: String, token range: TextRange, options: JSONParseOptions = .strict)
    -> (String, SourceMap)
  {
    var text = text
    return text.withUTF8 { decodeString(buffer: $0, token: range, options: options) }
  }

  /// `decodeString` over bytes, which need not be UTF-8 (see `replacesInvalidUTF8`).
  public static func decodeString(bytes: [UInt8], token range: TextRange, options: JSONParseOptions = .strict)
    -> (String, SourceMap)
  {
    bytes.withUnsafeBufferPointer { decodeString(buffer: $0, token: range, options: options) }
  }

  static func decodeString(
    buffer: UnsafeBufferPointer<UInt8>, token range: TextRange, options: JSONParseOptions
  )
    -> (String, SourceMap)
  {
    var machine = Machine(bytes: buffer, options: options)
    machine.index = range.start
    var map = SourceMap(sourceEnd: range.start + 1)
    let value = (try? machine.scanString(map: &map)) ?? ""
    return (value, map)
  }
}

private struct Machine {
  let bytes: UnsafeBufferPointer<UInt8>
  let options: JSONParseOptions
  var index = 0
  var events: [JSONEvent] = []

  /// Open containers: the index of their begin event.
  var stack: [Int] = []

  enum Expect {
    case value, valueOrEndArray, commaOrEndArray, keyOrEndObject, key, colon, commaOrEndObject, end
  }
  var expect = Expect.value
  /// The comma just read, for "trailing comma" hints.
  var lastComma: TextRange?
  /// The end of the last complete value, where a missing `,` or `]` belongs.
  var lastValueEnd = 0

  init(bytes: UnsafeBufferPointer<UInt8>, options: JSONParseOptions) {
    self.bytes = bytes
    self.options = options
  }

  // MARK: - The state machine

  mutating func run() throws {
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
      guard options.skipsByteOrderMark else {
        throw JSONSyntaxError(
          kind: .byteOrderMark, range: TextRange(0, 3),
          message:
            "the text starts with a byte order mark (U+FEFF), which JSON parsers such as the platform's reject; save the file as UTF-8 without BOM"
        )
      }
      index = 3
    }
    while true {
      skipWhitespace()
      guard index < bytes.count else { return try finish() }
      let byte = bytes[index]
      switch expect {
      case .value, .valueOrEndArray:
        if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
          if expect == .valueOrEndArray && byte == UInt8(ascii: "]") {
            try close(byte)
          } else if let comma = lastComma {
            throw JSONSyntaxError(
              kind: .trailingComma, range: comma,
              message: "trailing comma: JSON does not allow a `,` before `\(Character(UnicodeScalar(byte)))`")
          } else if stack.isEmpty {
            throw unexpectedClosing(byte)
          } else {
            throw JSONSyntaxError(
              kind: .unexpectedCharacter, range: TextRange(index, index + 1),
              message: "expected a value before `\(Character(UnicodeScalar(byte)))`")
          }
        } else {
          try value(byte)
        }
      case .commaOrEndArray, .commaOrEndObject:
        let isArray = expect == .commaOrEndArray
        if byte == UInt8(ascii: ",") {
          lastComma = TextRange(index, index + 1)
          index += 1
          expect = isArray ? .value : .key
        } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
          try close(byte)
        } else if startsValue(byte) {
          let what = isArray ? "elements" : "members"
          throw JSONSyntaxError(
            kind: .missingComma, range: tokenRange(at: index),
            message: "missing `,` between \(what)", insertion: (lastValueEnd, ","))
        } else if byte == UInt8(ascii: ":") && isArray {
          throw JSONSyntaxError(
            kind: .unexpectedCharacter, range: TextRange(index, index + 1),
            message: "unexpected `:` in an array: only objects have `name: value` members")
        } else {
          throw unexpected(at: index, expected: isArray ? "`,` or `]`" : "`,` or `}`")
        }
      case .keyOrEndObject, .key:
        if byte == UInt8(ascii: "\"") {
          let start = index
          var map = SourceMap(sourceEnd: start)
          let text = try scanString(map: &map)
          events.append(
            JSONEvent(kind: .key, range: TextRange(start, index), partner: events.count, text: text))
          expect = .colon
        } else if byte == UInt8(ascii: "}") && expect == .keyOrEndObject {
          try close(byte)
        } else if byte == UInt8(ascii: "}"), let comma = lastComma {
          throw JSONSyntaxError(
            kind: .trailingComma, range: comma,
            message: "trailing comma: JSON does not allow a `,` before `}`")
        } else if let quote = try quoteProblem(at: index) {
          throw quote
        } else if isWordByte(byte) {
          let range = wordRange(at: index)
          throw JSONSyntaxError(
            kind: .unquotedWord, range: range,
            message: "member name `\(text(range))` is not quoted: JSON names need double quotes")
        } else {
          throw unexpected(at: index, expected: "a member name in double quotes")
        }
      case .colon:
        if byte == UInt8(ascii: ":") {
          index += 1
          lastComma = nil
          expect = .value
        } else {
          throw JSONSyntaxError(
            kind: .missingColon, range: tokenRange(at: index),
            message: "missing `:` after the member name", insertion: (lastValueEnd, ":"))
        }
      case .end:
        if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") { throw unexpectedClosing(byte) }
        throw JSONSyntaxError(
          kind: .trailingContent, range: tokenRange(at: index),
          message: "unexpected `\(text(tokenRange(at: index)))` after the end of the JSON value")
      }
    }
  }

  mutating func finish() throws {
    if expect == .end { return }
    if stack.isEmpty {
      throw JSONSyntaxError(
        kind: .empty, range: TextRange(index, index), message: "expected a JSON value, found nothing")
    }
    let open = events[stack.last!]
    let isArray = open.kind == .beginArray
    let closer = isArray ? "]" : "}"
    let what = isArray ? "array" : "object"
    if let comma = lastComma, expect == .value || expect == .key {
      throw JSONSyntaxError(
        kind: .unclosedBracket, range: comma,
        message: "unexpected end after `,`: the \(what) is never closed with `\(closer)`",
        insertion: (comma.start, closer))
    }
    let end = max(lastValueEnd, open.range.start + 1)
    throw JSONSyntaxError(
      kind: .unclosedBracket, range: TextRange(end, end),
      message:
        "missing `\(closer)`: the \(what) opened by the `\(isArray ? "[" : "{")` \(describeOpening(open)) is never closed",
      insertion: (end, closer))
  }

  func describeOpening(_ event: JSONEvent) -> String {
    event.range.start == firstSignificantOffset ? "at the start" : "at byte \(event.range.start + 1)"
  }

  var firstSignificantOffset: Int {
    var offset = 0
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { offset = 3 }
    while offset < bytes.count && isWhitespace(bytes[offset]) { offset += 1 }
    return offset
  }

  mutating func value(_ byte: UInt8) throws {
    let start = index
    lastComma = nil
    switch byte {
    case UInt8(ascii: "\""):
      var map = SourceMap(sourceEnd: start)
      let text = try scanString(map: &map)
      events.append(
        JSONEvent(kind: .string, range: TextRange(start, index), partner: events.count, text: text))
      completeValue()
    case UInt8(ascii: "["), UInt8(ascii: "{"):
      if let limit = options.maximumDepth, stack.count >= limit {
        throw JSONSyntaxError(
          kind: .tooDeep, range: TextRange(start, start + 1),
          message: "containers are nested deeper than \(limit) levels")
      }
      index += 1
      stack.append(events.count)
      let isArray = byte == UInt8(ascii: "[")
      events.append(
        JSONEvent(kind: isArray ? .beginArray : .beginObject, range: TextRange(start, start + 1), partner: -1)
      )
      expect = isArray ? .valueOrEndArray : .keyOrEndObject
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      try scanNumber()
      events.append(JSONEvent(kind: .number, range: TextRange(start, index), partner: events.count))
      completeValue()
    case UInt8(ascii: "+"), UInt8(ascii: "."):
      let range = wordRange(at: start)
      throw JSONSyntaxError(
        kind: .invalidNumber, range: range,
        message: byte == UInt8(ascii: "+")
          ? "invalid number `\(text(range))`: JSON numbers cannot start with `+`"
          : "invalid number `\(text(range))`: write a digit before the decimal point, as in `0.5`")
    default:
      if let quote = try quoteProblem(at: start) { throw quote }
      if byte == UInt8(ascii: "/"), index + 1 < bytes.count,
        bytes[index + 1] == UInt8(ascii: "/") || bytes[index + 1] == UInt8(ascii: "*")
      {
        throw JSONSyntaxError(
          kind: .comment, range: TextRange(start, start + 2), message: "comments are not allowed in JSON")
      }
      guard isWordByte(byte) else { throw unexpected(at: start, expected: "a value") }
      let range = wordRange(at: start)
      let word = text(range)
      switch word {
      case "true", "false", "null":
        index = range.end
        events.append(
          JSONEvent(
            kind: word == "true" ? .true : word == "false" ? .false : .null, range: range,
            partner: events.count))
        completeValue()
      case "True", "TRUE", "False", "FALSE", "Null", "NULL", "None", "nil", "NaN", "Infinity", "undefined":
        let suggestion =
          [
            "True": "true", "TRUE": "true", "False": "false", "FALSE": "false", "Null": "null",
            "NULL": "null", "None": "null", "nil": "null",
          ][word]
        throw JSONSyntaxError(
          kind: .invalidLiteral, range: range,
          message: suggestion.map { "`\(word)` is not a JSON value: write `\($0)`" }
            ?? "`\(word)` is not a JSON value; quote it if it is meant as a string")
      default:
        throw JSONSyntaxError(
          kind: .unquotedWord, range: range,
          message: "`\(word)` is not quoted: JSON strings need double quotes")
      }
    }
  }

  mutating func completeValue() {
    lastValueEnd = index
    guard let top = stack.last else {
      expect = .end
      return
    }
    expect = events[top].kind == .beginArray ? .commaOrEndArray : .commaOrEndObject
  }

  mutating func close(_ byte: UInt8) throws {
    guard let top = stack.last else { throw unexpectedClosing(byte) }
    let isArray = events[top].kind == .beginArray
    if (byte == UInt8(ascii: "]")) != isArray {
      throw JSONSyntaxError(
        kind: .mismatchedBracket, range: TextRange(index, index + 1),
        message:
          "`\(Character(UnicodeScalar(byte)))` cannot close the \(isArray ? "array" : "object") opened \(describeOpening(events[top])); expected `\(isArray ? "]" : "}")`"
      )
    }
    stack.removeLast()
    index += 1
    let range = TextRange(events[top].range.start, index)
    events[top].range = range
    events[top].partner = events.count
    events.append(JSONEvent(kind: isArray ? .endArray : .endObject, range: range, partner: top))
    lastComma = nil
    completeValue()
  }

  func unexpectedClosing(_ byte: UInt8) -> JSONSyntaxError {
    JSONSyntaxError(
      kind: .unexpectedClosingBracket, range: TextRange(index, index + 1),
      message:
        "unexpected `\(Character(UnicodeScalar(byte)))`: there is no open \(byte == UInt8(ascii: "]") ? "array" : "object") to close"
    )
  }

  /// A single or typographic quote where a JSON string should start.
  func quoteProblem(at offset: Int) throws -> JSONSyntaxError? {
    if bytes[offset] == UInt8(ascii: "'") {
      return JSONSyntaxError(
        kind: .singleQuotes, range: TextRange(offset, offset + 1),
        message: "single quotes are not JSON: strings need double quotes (`\"`)")
    }
    if let quote = typographicQuote(at: offset) {
      return JSONSyntaxError(
        kind: .typographicQuotes, range: TextRange(offset, offset + 3),
        message:
          "typographic quote `\(quote)` (usually pasted from a word processor or a web page): JSON strings need straight double quotes (`\"`)"
      )
    }
    return nil
  }

  func typographicQuote(at offset: Int) -> String? {
    guard offset + 2 < bytes.count, bytes[offset] == 0xE2, bytes[offset + 1] == 0x80 else { return nil }
    switch bytes[offset + 2] {
    case 0x9C: return "“"
    case 0x9D: return "”"
    case 0x98: return "‘"
    case 0x99: return "’"
    case 0x9E: return "„"
    default: return nil
    }
  }

  func unexpected(at offset: Int, expected: String) -> JSONSyntaxError {
    let byte = bytes[offset]
    if byte >= 0x80 {
      let length = UTF8Validation.validSequenceLength(bytes, at: offset, end: bytes.count)
      if length == 0 {
        return JSONSyntaxError(
          kind: .invalidUTF8, range: TextRange(offset, offset + 1),
          message: "invalid UTF-8 byte 0x\(hex(byte))")
      }
      let scalar = text(TextRange(offset, offset + length)).unicodeScalars.first!
      let name = Self.spaceNames[scalar.value]
      if let name {
        return JSONSyntaxError(
          kind: .unexpectedCharacter, range: TextRange(offset, offset + length),
          message:
            "\(name) (U+\(hex(scalar.value, width: 4))) is not JSON whitespace; replace it with a plain space"
        )
      }
      return JSONSyntaxError(
        kind: .unexpectedCharacter, range: TextRange(offset, offset + length),
        message: "unexpected `\(scalar)`: expected \(expected)")
    }
    if byte < 0x20 || byte == 0x7F {
      return JSONSyntaxError(
        kind: .unexpectedCharacter, range: TextRange(offset, offset + 1),
        message: "unexpected control character U+\(hex(byte, width: 4)): expected \(expected)")
    }
    return JSONSyntaxError(
      kind: .unexpectedCharacter, range: tokenRange(at: offset),
      message: "unexpected `\(text(tokenRange(at: offset)))`: expected \(expected)")
  }

  static let spaceNames: [UInt32: String] = [
    0xA0: "a non-breaking space", 0x2002: "an en space", 0x2003: "an em space", 0x2009: "a thin space",
    0x200B: "a zero-width space", 0x202F: "a narrow non-breaking space",
    0xFEFF: "a zero-width no-break space",
    0x3000: "an ideographic space", 0x2028: "a line separator", 0x2029: "a paragraph separator",
  ]

  // MARK: - Tokens

  @inline(__always)
  func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
  }

  mutating func skipWhitespace() {
    while index < bytes.count && isWhitespace(bytes[index]) { index += 1 }
  }

  func startsValue(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "-"), UInt8(ascii: "'"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    default:
      return isWordByte(byte) || typographicQuote(at: index) != nil
    }
  }

  /// Bytes that may form an unquoted word (`tru`, `-c`, `echo`).
  func isWordByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"),
      UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "$"),
      UInt8(ascii: "+"):
      return true
    default:
      return false
    }
  }

  /// The run of word bytes (or of one character) at `offset`.
  func wordRange(at offset: Int) -> TextRange {
    var end = offset
    while end < bytes.count && isWordByte(bytes[end]) { end += 1 }
    return TextRange(offset, max(end, min(offset + 1, bytes.count)))
  }

  /// The token at `offset`, for messages: a word, a string's first character, or one character.
  func tokenRange(at offset: Int) -> TextRange {
    if isWordByte(bytes[offset]) { return wordRange(at: offset) }
    let length =
      bytes[offset] < 0x80
      ? 1 : max(1, UTF8Validation.validSequenceLength(bytes, at: offset, end: bytes.count))
    return TextRange(offset, offset + length)
  }

  func text(_ range: TextRange) -> String {
    var word = String(decoding: UnsafeBufferPointer(rebasing: bytes[range.start..<range.end]), as: UTF8.self)
    if word.count > 40 { word = String(word.prefix(37)) + "..." }
    return word
  }

  func hex<T: BinaryInteger>(_ value: T, width: Int = 2) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  // MARK: - Strings

  /// Scans the string whose opening quote is at `index`; leaves `index` after its closing quote.
  mutating func scanString(map: inout SourceMap) throws -> String {
    let open = index
    index += 1
    var decoded: [UInt8]? = nil
    var runStart = index
    while true {
      guard index < bytes.count else {
        throw JSONSyntaxError(
          kind: .unterminatedString, range: TextRange(open, index),
          message: "unterminated string: the `\"` that opens it is never closed", insertion: (index, "\""))
      }
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        map.append(valueLength: index - runStart, source: TextRange(runStart, index), verbatim: true)
        let value: String
        if var decoded {
          decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
          value = String(decoding: decoded, as: UTF8.self)
        } else {
          value = String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<index]), as: UTF8.self)
        }
        index += 1
        return value
      }
      if byte == UInt8(ascii: "\\") {
        var buffer = decoded ?? []
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
        map.append(valueLength: index - runStart, source: TextRange(runStart, index), verbatim: true)
        let escapeStart = index
        let before = buffer.count
        try scanEscape(into: &buffer)
        map.append(valueLength: buffer.count - before, source: TextRange(escapeStart, index), verbatim: false)
        decoded = buffer
        runStart = index
        continue
      }
      if byte < 0x20 {
        let message: String
        switch byte {
        case 0x0A, 0x0D:
          message = "line break inside a string: close the string with `\"`, or write the break as `\\n`"
        case 0x09:
          message = "raw tab inside a string: JSON needs it written as `\\t`"
        default:
          message =
            "control character U+\(hex(byte, width: 4)) inside a string must be escaped as `\\u\(hex(byte, width: 4))`"
        }
        throw JSONSyntaxError(kind: .controlCharacter, range: TextRange(index, index + 1), message: message)
      }
      if byte >= 0x80 {
        let length = UTF8Validation.validSequenceLength(bytes, at: index, end: bytes.count)
        if length == 0, options.replacesInvalidUTF8 {
          var buffer = decoded ?? []
          buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
          map.append(valueLength: index - runStart, source: TextRange(runStart, index), verbatim: true)
          buffer += [0xEF, 0xBF, 0xBD]
          map.append(valueLength: 3, source: TextRange(index, index + 1), verbatim: false)
          decoded = buffer
          index += 1
          runStart = index
          continue
        }
        if length == 0 {
          throw JSONSyntaxError(
            kind: .invalidUTF8, range: TextRange(index, index + 1),
            message: "invalid UTF-8 byte 0x\(hex(byte)) inside a string")
        }
        index += length
        continue
      }
      index += 1
    }
  }

  /// Decodes the escape at `index` (a backslash) into `buffer`.
  mutating func scanEscape(into buffer: inout [UInt8]) throws {
    let start = index
    guard index + 1 < bytes.count else {
      throw JSONSyntaxError(
        kind: .unterminatedString, range: TextRange(start, bytes.count),
        message: "unterminated string: it ends with a lone `\\`", insertion: (bytes.count, "\""))
    }
    let letter = bytes[index + 1]
    index += 2
    switch letter {
    case UInt8(ascii: "\""): buffer.append(0x22)
    case UInt8(ascii: "\\"): buffer.append(0x5C)
    case UInt8(ascii: "/"): buffer.append(0x2F)
    case UInt8(ascii: "b"): buffer.append(0x08)
    case UInt8(ascii: "f"): buffer.append(0x0C)
    case UInt8(ascii: "n"): buffer.append(0x0A)
    case UInt8(ascii: "r"): buffer.append(0x0D)
    case UInt8(ascii: "t"): buffer.append(0x09)
    case UInt8(ascii: "u"):
      let first = try hexQuad(escapeStart: start)
      var scalar = first
      if (0xD800...0xDBFF).contains(first) {
        // A high surrogate must be followed by an escaped low surrogate.
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
        {
          let save = index
          index += 2
          let second = try hexQuad(escapeStart: save)
          if (0xDC00...0xDFFF).contains(second) {
            scalar = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
          } else {
            index = save
            try loneSurrogate(first, range: TextRange(start, start + 6))
            scalar = 0xFFFD
          }
        } else {
          try loneSurrogate(first, range: TextRange(start, start + 6))
          scalar = 0xFFFD
        }
      } else if (0xDC00...0xDFFF).contains(first) {
        try loneSurrogate(first, range: TextRange(start, start + 6))
        scalar = 0xFFFD
      }
      buffer.append(contentsOf: Array(String(Character(UnicodeScalar(scalar)!)).utf8))
    default:
      var length = 1
      if letter >= 0x80 {
        length = max(1, UTF8Validation.validSequenceLength(bytes, at: start + 1, end: bytes.count))
      }
      let range = TextRange(start, min(bytes.count, start + 1 + length))
      let shown = text(range)
      let hint: String
      switch letter {
      case UInt8(ascii: "'"): hint = "a single quote needs no escape in JSON: write `'`"
      case UInt8(ascii: "x"): hint = "JSON has no `\\x` escapes: write `\\u00XX`"
      case UInt8(ascii: "$"), UInt8(ascii: " "), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "!"):
        hint = "for a literal backslash, write `\\\\`"
      default: hint = "JSON allows only `\\\"` `\\\\` `\\/` `\\b` `\\f` `\\n` `\\r` `\\t` and `\\uXXXX`"
      }
      throw JSONSyntaxError(kind: .badEscape, range: range, message: "invalid escape `\(shown)`: \(hint)")
    }
  }

  mutating func hexQuad(escapeStart: Int) throws -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard index < bytes.count, let digit = hexValue(bytes[index]) else {
        let end = index < bytes.count ? index + 1 : index
        throw JSONSyntaxError(
          kind: .badEscape, range: TextRange(escapeStart, end),
          message:
            "invalid escape `\(text(TextRange(escapeStart, end)))`: `\\u` needs exactly four hexadecimal digits"
        )
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  func loneSurrogate(_ value: UInt32, range: TextRange) throws {
    if options.replacesLoneSurrogates { return }
    throw JSONSyntaxError(
      kind: .loneSurrogate, range: range,
      message:
        "`\\u\(hex(value, width: 4))` is half of a UTF-16 surrogate pair with no other half; it is not a character"
    )
  }

  func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }

  // MARK: - Numbers

  mutating func scanNumber() throws {
    let start = index
    func isDigit(_ offset: Int) -> Bool {
      offset < bytes.count && bytes[offset] >= UInt8(ascii: "0") && bytes[offset] <= UInt8(ascii: "9")
    }
    func invalid(_ reason: String) -> JSONSyntaxError {
      let range = wordRange(at: start)
      return JSONSyntaxError(
        kind: .invalidNumber, range: range, message: "invalid number `\(text(range))`: \(reason)")
    }
    if bytes[index] == UInt8(ascii: "-") {
      index += 1
      if !isDigit(index) {
        let range = wordRange(at: start)
        if range.length > 1 {
          throw JSONSyntaxError(
            kind: .unquotedWord, range: range,
            message: "`\(text(range))` is not quoted: JSON strings need double quotes")
        }
        throw invalid("a `-` must be followed by digits")
      }
    }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      if isDigit(index) { throw invalid("JSON numbers cannot have leading zeros") }
    } else {
      while isDigit(index) { index += 1 }
    }
    if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
      index += 1
      if !isDigit(index) { throw invalid("a decimal point must be followed by digits") }
      while isDigit(index) { index += 1 }
    }
    if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
      index += 1
      if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
        index += 1
      }
      if !isDigit(index) { throw invalid("an exponent must have digits") }
      while isDigit(index) { index += 1 }
    }
    if index < bytes.count && isWordByte(bytes[index]) {
      let range = wordRange(at: start)
      if range.length > index - start {
        let word = text(range)
        if word.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "e" || $0 == "E" || $0 == "+" }) {
          throw invalid("it is not a valid JSON number")
        }
        throw JSONSyntaxError(
          kind: .unquotedWord, range: range,
          message: "`\(word)` is not quoted: JSON strings need double quotes")
      }
    }
  }
}
