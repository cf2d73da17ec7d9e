/// One element of a JSON array written in a command string.
public struct JSONArrayElement: Equatable, Sendable {
  public var kind: JSONValueKind
  /// The element's bytes in the scanned text (a string's quotes included).
  public var range: TextRange
  /// The decoded text, for a string element.
  public var value: String?
  /// Maps the decoded text's bytes to the scanned text, for a string element.
  public var valueMap: SourceMap?
}

/// What a command string that should hold a JSON array turned out to hold.
public enum JSONArrayScan: Equatable, Sendable {
  /// A valid array: its elements and its range, brackets included.
  case array([JSONArrayElement], range: TextRange)
  /// Valid JSON, but not an array.
  case notArray(JSONValueKind, range: TextRange)
  /// Not JSON: the first error.
  case invalid(JSONSyntaxError)
}

/// Reads a JSON array of arguments (`["-c", "terraform apply"]`) from a command string or an
/// exec-form Dockerfile instruction, strictly per RFC 8259.
public enum JSONArrayScanner {
  public static func scan(_ text: String, options: JSONParseOptions = .strict) -> JSONArrayScan {
    scan(Array(text.utf8), options: options)
  }

  /// Scans raw bytes, which may not be UTF-8 (that is then the error).
  public static func scan(_ bytes: [UInt8], options: JSONParseOptions = .strict) -> JSONArrayScan {
    let tape: JSONTape
    switch JSONParser.parse(bytes, options: options) {
    case .failure(let error): return .invalid(error)
    case .success(let parsed): tape = parsed
    }
    guard let first = tape.events.first else {
      return .invalid(
        JSONSyntaxError(kind: .empty, range: .at(0), message: "expected a JSON value, found nothing"))
    }
    guard first.kind == .beginArray else {
      return .notArray(tape.valueKind(at: 0), range: first.range)
    }
    // The parse succeeded, so the bytes are valid UTF-8.
    let text = String(decoding: bytes, as: UTF8.self)
    let elements = tape.children(of: 0).map { index -> JSONArrayElement in
      let event = tape.events[index]
      guard event.kind == .string else {
        return JSONArrayElement(kind: tape.valueKind(at: index), range: event.range)
      }
      let (value, map) = JSONParser.decodeString(text, token: event.range, options: options)
      return JSONArrayElement(kind: .string, range: event.range, value: value, valueMap: map)
    }
    return .array(elements, range: first.range)
  }
}
