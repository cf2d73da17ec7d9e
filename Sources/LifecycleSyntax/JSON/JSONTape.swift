/// One event of a parsed JSON text: the values in document order, each with its exact range.
///
/// A tape is flat, so documents nested 100,000 deep neither overflow the stack while parsing nor
/// while being released, and consumers walk only the levels they care about.
public struct JSONEvent: Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    case beginArray, endArray, beginObject, endObject
    /// An object member's name; its value is the next event.
    case key
    case string, number, `true`, `false`, null
  }

  public var kind: Kind
  /// The token's bytes: the quotes of a string are included; a container's begin and end events
  /// both carry the range from its opening to its closing bracket.
  public var range: TextRange
  /// The index of the matching end (for a begin) or begin (for an end) event; for other events,
  /// its own index.
  public var partner: Int
  /// The decoded text of a `key` or `string`.
  public var text: String?
}

/// The kind of a JSON value, for messages ("a number", "an object").
public enum JSONValueKind: String, Equatable, Sendable {
  case array, object, string, number, boolean, null

  /// "an array", "a number", ... for messages.
  public var phrase: String {
    switch self {
    case .array: return "an array"
    case .object: return "an object"
    case .string: return "a string"
    case .number: return "a number"
    case .boolean: return "a boolean"
    case .null: return "null"
    }
  }
}

/// A parsed JSON text.
public struct JSONTape: Equatable, Sendable {
  public var events: [JSONEvent]

  /// The index of the event after the value that starts at `index`.
  public func indexAfterValue(at index: Int) -> Int {
    switch events[index].kind {
    case .beginArray, .beginObject: return events[index].partner + 1
    case .key: return indexAfterValue(at: index + 1)
    default: return index + 1
    }
  }

  /// The events of the direct children of the container that begins at `index`: the element
  /// indexes of an array, or the key indexes of an object.
  public func children(of index: Int) -> [Int] {
    var result: [Int] = []
    var cursor = index + 1
    let end = events[index].partner
    while cursor < end {
      result.append(cursor)
      cursor = events[cursor].kind == .key ? indexAfterValue(at: cursor + 1) : indexAfterValue(at: cursor)
    }
    return result
  }

  /// The kind of the value that starts at `index`.
  public func valueKind(at index: Int) -> JSONValueKind {
    switch events[index].kind {
    case .beginArray, .endArray: return .array
    case .beginObject, .endObject: return .object
    case .string, .key: return .string
    case .number: return .number
    case .true, .false: return .boolean
    case .null: return .null
    }
  }
}

/// The first syntax error in a JSON text, with a human hint about its likely cause.
public struct JSONSyntaxError: Error, Equatable, Sendable {
  public enum Kind: String, Equatable, Sendable {
    case empty, unexpectedCharacter, unquotedWord, missingComma, missingColon, trailingComma
    case singleQuotes, typographicQuotes, unterminatedString, unclosedBracket, unexpectedClosingBracket
    case mismatchedBracket, badEscape, controlCharacter, invalidNumber, invalidLiteral
    case loneSurrogate, invalidUTF8, byteOrderMark, comment, trailingContent, tooDeep
  }

  public var kind: Kind
  /// Where the problem is, in the parsed bytes.
  public var range: TextRange
  /// A complete sentence for a diagnostic.
  public var message: String
  /// Where a missing character (`,` `]` `}` `:` `"`) should be inserted, when that is the fix.
  public var insertion: (offset: Int, text: String)?

  public init(kind: Kind, range: TextRange, message: String, insertion: (offset: Int, text: String)? = nil) {
    self.kind = kind
    self.range = range
    self.message = message
    self.insertion = insertion
  }

  public static func == (lhs: JSONSyntaxError, rhs: JSONSyntaxError) -> Bool {
    lhs.kind == rhs.kind && lhs.range == rhs.range && lhs.message == rhs.message
      && lhs.insertion?.offset == rhs.insertion?.offset && lhs.insertion?.text == rhs.insertion?.text
  }
}
