/// A node of a spec document, read from YAML or JSON, with the exact range of every key and
/// value.
public struct SyntaxNode: Equatable, Sendable {
  public enum Value: Equatable, Sendable {
    case scalar(Scalar)
    case sequence([SyntaxNode])
    case mapping([Entry])
  }

  /// How a scalar was written; decides its type and how its text maps to the source.
  public enum Style: Equatable, Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded
  }

  /// The type of a scalar under the YAML 1.2 core schema (JSON values map directly).
  public enum Kind: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string
  }

  public struct Scalar: Equatable, Sendable {
    /// The decoded text.
    public var text: String
    public var kind: Kind
    public var style: Style
    /// Maps `text`'s bytes to the file.
    public var map: SourceMap
  }

  public struct Entry: Equatable, Sendable {
    public var key: SyntaxNode
    public var value: SyntaxNode
  }

  public var value: Value
  /// From the first character of the node (a quote, a `[`, a `|`) to its last.
  public var range: TextRange
  /// True for `[...]`, `{...}` and JSON collections.
  public var isFlow: Bool

  public init(value: Value, range: TextRange, isFlow: Bool = false) {
    self.value = value
    self.range = range
    self.isFlow = isFlow
  }

  public var scalar: Scalar? {
    if case .scalar(let scalar) = value { return scalar }
    return nil
  }

  /// The text of a string scalar; nil for any other node, including numbers and booleans.
  public var string: String? {
    guard case .scalar(let scalar) = value, scalar.kind == .string else { return nil }
    return scalar.text
  }

  public var entries: [Entry]? {
    if case .mapping(let entries) = value { return entries }
    return nil
  }

  public var items: [SyntaxNode]? {
    if case .sequence(let items) = value { return items }
    return nil
  }

  /// True for an explicit or empty null (`key:` with nothing after it).
  public var isNull: Bool {
    if case .scalar(let scalar) = value, scalar.kind == .null { return true }
    return false
  }

  /// What the node is, for messages: "a string", "a number", "a list", "a mapping".
  public var typeDescription: String {
    switch value {
    case .sequence: return "a list"
    case .mapping: return "a mapping"
    case .scalar(let scalar):
      switch scalar.kind {
      case .null: return "null"
      case .bool: return "a boolean"
      case .int: return "an integer"
      case .float: return "a number"
      case .string: return "a string"
      }
    }
  }

  /// The value for `key` in a mapping (the first, if the key is duplicated).
  public subscript(key: String) -> SyntaxNode? {
    entries?.first(where: { $0.key.scalar?.text == key })?.value
  }
}

/// A document as read: its root (nil when empty or unreadable) and the syntax errors met.
public struct SyntaxDocument: Equatable, Sendable {
  public var root: SyntaxNode?
  public var errors: [SyntaxError]
  /// Lines set aside to read past syntax errors (each without its line break): the root is the
  /// document without them. Empty when the document read as written.
  public var skipped: [TextRange]

  public init(root: SyntaxNode?, errors: [SyntaxError], skipped: [TextRange] = []) {
    self.root = root
    self.errors = errors
    self.skipped = skipped
  }
}

/// A problem that stops a file from being read as its format says.
public struct SyntaxError: Equatable, Sendable {
  public enum Kind: String, Equatable, Sendable {
    case yaml, json, encoding, tooDeep, duplicateKey
  }
  public var kind: Kind
  public var range: TextRange
  public var message: String
  /// For a duplicate key: the first occurrence.
  public var relatedRange: TextRange?
  /// An edit that repairs it, when obvious (`(offset, text)` to insert).
  public var insertion: (offset: Int, text: String)?

  public init(
    kind: Kind, range: TextRange, message: String, relatedRange: TextRange? = nil,
    insertion: (offset: Int, text: String)? = nil
  ) {
    self.kind = kind
    self.range = range
    self.message = message
    self.relatedRange = relatedRange
    self.insertion = insertion
  }

  public static func == (lhs: SyntaxError, rhs: SyntaxError) -> Bool {
    lhs.kind == rhs.kind && lhs.range == rhs.range && lhs.message == rhs.message
      && lhs.relatedRange == rhs.relatedRange
      && lhs.insertion?.offset == rhs.insertion?.offset && lhs.insertion?.text == rhs.insertion?.text
  }
}
