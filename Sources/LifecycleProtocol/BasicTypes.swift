/// LSP's basic structures (3.17), with the fields this server reads or writes.

public struct Position: Codable, Hashable, Sendable {
  public var line: Int
  public var character: Int
  public init(line: Int, character: Int) {
    self.line = line
    self.character = character
  }
}

public struct Range: Codable, Hashable, Sendable {
  public var start: Position
  public var end: Position
  public init(start: Position, end: Position) {
    self.start = start
    self.end = end
  }
}

public struct Location: Codable, Hashable, Sendable {
  public var uri: String
  public var range: Range
  public init(uri: String, range: Range) {
    self.uri = uri
    self.range = range
  }
}

public struct TextDocumentIdentifier: Codable, Hashable, Sendable {
  public var uri: String
  public init(uri: String) { self.uri = uri }
}

public struct VersionedTextDocumentIdentifier: Codable, Hashable, Sendable {
  public var uri: String
  public var version: Int
}

public struct TextDocumentItem: Codable, Hashable, Sendable {
  public var uri: String
  public var languageId: String
  public var version: Int
  public var text: String
}

public struct TextEdit: Codable, Hashable, Sendable {
  public var range: Range
  public var newText: String
  public init(range: Range, newText: String) {
    self.range = range
    self.newText = newText
  }
}

public enum MarkupKind: String, Codable, Sendable {
  case plaintext, markdown
}

public struct MarkupContent: Codable, Hashable, Sendable {
  public var kind: MarkupKind
  public var value: String
  public init(kind: MarkupKind = .markdown, value: String) {
    self.kind = kind
    self.value = value
  }
}

public struct Command: Codable, Hashable, Sendable {
  public var title: String
  public var command: String
  public var arguments: [JSONValue]?
  public init(title: String, command: String, arguments: [JSONValue]? = nil) {
    self.title = title
    self.command = command
    self.arguments = arguments
  }
}

public struct WorkspaceEdit: Codable, Hashable, Sendable {
  public var changes: [String: [TextEdit]]
  public init(changes: [String: [TextEdit]]) { self.changes = changes }
}

extension JSONValue: Hashable {
  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let value): hasher.combine(value)
    case .number(let value): hasher.combine(value)
    case .string(let value): hasher.combine(value)
    case .array(let value): hasher.combine(value)
    case .object(let value): hasher.combine(value)
    }
  }
}

/// An empty object result or params (`{}`).
public struct EmptyObject: Codable, Hashable, Sendable {
  public init() {}
}
