/// The language features: completion, hover, definition, symbols, links and code actions.

public struct CompletionRequest: LSPRequest {
  public static let method = "textDocument/completion"
  public typealias Response = CompletionList
  public var textDocument: TextDocumentIdentifier
  public var position: Position
  public init(textDocument: TextDocumentIdentifier, position: Position) {
    self.textDocument = textDocument
    self.position = position
  }
}

public struct CompletionItemLabelDetails: Codable, Hashable, Sendable {
  public var detail: String?
  public var description: String?
  public init(detail: String? = nil, description: String? = nil) {
    self.detail = detail
    self.description = description
  }
}

public struct CompletionItem: LSPRequest, Codable, Hashable {
  public static let method = "completionItem/resolve"
  public typealias Response = CompletionItem

  public var label: String
  public var labelDetails: CompletionItemLabelDetails?
  /// LSP's CompletionItemKind.
  public var kind: Int?
  public var detail: String?
  public var documentation: Documentation?
  public var sortText: String?
  public var filterText: String?
  /// 1 plain text, 2 snippet.
  public var insertTextFormat: Int?
  public var textEdit: CompletionTextEdit?
  public var data: JSONValue?

  public init(
    label: String, labelDetails: CompletionItemLabelDetails? = nil, kind: Int? = nil, detail: String? = nil,
    documentation: Documentation? = nil, sortText: String? = nil, filterText: String? = nil,
    insertTextFormat: Int? = nil, textEdit: CompletionTextEdit? = nil, data: JSONValue? = nil
  ) {
    self.label = label
    self.labelDetails = labelDetails
    self.kind = kind
    self.detail = detail
    self.documentation = documentation
    self.sortText = sortText
    self.filterText = filterText
    self.insertTextFormat = insertTextFormat
    self.textEdit = textEdit
    self.data = data
  }
}

/// An edit that inserts (the text before the cursor replaced) or replaces (the whole word under
/// the cursor replaced), the client's user choosing which.
public struct InsertReplaceEdit: Codable, Hashable, Sendable {
  public var newText: String
  public var insert: Range
  public var replace: Range
  public init(newText: String, insert: Range, replace: Range) {
    self.newText = newText
    self.insert = insert
    self.replace = replace
  }
}

/// A completion item's edit: `TextEdit | InsertReplaceEdit`.
public enum CompletionTextEdit: Codable, Hashable, Sendable {
  case plain(TextEdit)
  case insertReplace(InsertReplaceEdit)

  public init(from decoder: any Decoder) throws {
    if let edit = try? InsertReplaceEdit(from: decoder) {
      self = .insertReplace(edit)
    } else {
      self = .plain(try TextEdit(from: decoder))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .plain(let edit): try edit.encode(to: encoder)
    case .insertReplace(let edit): try edit.encode(to: encoder)
    }
  }
}

public struct CompletionList: Codable, Hashable, Sendable {
  public var isIncomplete: Bool
  public var items: [CompletionItem]
  public init(isIncomplete: Bool, items: [CompletionItem]) {
    self.isIncomplete = isIncomplete
    self.items = items
  }
}

public struct HoverRequest: LSPRequest {
  public static let method = "textDocument/hover"
  public typealias Response = Hover?
  public var textDocument: TextDocumentIdentifier
  public var position: Position
}

public struct Hover: Codable, Hashable, Sendable {
  public var contents: MarkupContent
  public var range: Range?
  public init(contents: MarkupContent, range: Range?) {
    self.contents = contents
    self.range = range
  }
}

public struct DefinitionRequest: LSPRequest {
  public static let method = "textDocument/definition"
  public typealias Response = [Location]
  public var textDocument: TextDocumentIdentifier
  public var position: Position
}

public struct DocumentSymbolRequest: LSPRequest {
  public static let method = "textDocument/documentSymbol"
  public typealias Response = [DocumentSymbol]
  public var textDocument: TextDocumentIdentifier
}

public struct DocumentSymbol: Codable, Hashable, Sendable {
  public var name: String
  public var detail: String?
  /// LSP's SymbolKind.
  public var kind: Int
  public var range: Range
  public var selectionRange: Range
  public var children: [DocumentSymbol]?
  public init(
    name: String, detail: String?, kind: Int, range: Range, selectionRange: Range, children: [DocumentSymbol]?
  ) {
    self.name = name
    self.detail = detail
    self.kind = kind
    self.range = range
    self.selectionRange = selectionRange
    self.children = children
  }
}

public struct DocumentLinkRequest: LSPRequest {
  public static let method = "textDocument/documentLink"
  public typealias Response = [DocumentLink]
  public var textDocument: TextDocumentIdentifier
}

public struct DocumentLink: Codable, Hashable, Sendable {
  public var range: Range
  public var target: String?
  public var tooltip: String?
  public init(range: Range, target: String?, tooltip: String?) {
    self.range = range
    self.target = target
    self.tooltip = tooltip
  }
}

public struct CodeActionContext: Codable, Hashable, Sendable {
  /// The diagnostics the client asks about. Read leniently: a client passes along other
  /// servers' diagnostics too, with numeric codes or none.
  public var diagnostics: [DiagnosticReference]
  public var only: [String]?
}

/// A diagnostic a client names in a request: its range and code (a number read as its digits).
public struct DiagnosticReference: Codable, Hashable, Sendable {
  public var range: Range
  public var code: String?

  enum CodingKeys: String, CodingKey { case range, code }

  public init(range: Range, code: String?) {
    self.range = range
    self.code = code
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    range = try container.decode(Range.self, forKey: .range)
    if let text = try? container.decodeIfPresent(String.self, forKey: .code) {
      code = text
    } else if let number = try? container.decodeIfPresent(Int.self, forKey: .code) {
      code = String(number)
    } else {
      code = nil
    }
  }
}

public struct CodeActionRequest: LSPRequest {
  public static let method = "textDocument/codeAction"
  public typealias Response = [CodeAction]
  public var textDocument: TextDocumentIdentifier
  public var range: Range
  public var context: CodeActionContext
}

public struct CodeAction: Codable, Hashable, Sendable {
  public var title: String
  public var kind: String?
  public var diagnostics: [Diagnostic]?
  public var isPreferred: Bool?
  public var edit: WorkspaceEdit?
  public var command: Command?
  public init(
    title: String, kind: String?, diagnostics: [Diagnostic]? = nil, isPreferred: Bool? = nil,
    edit: WorkspaceEdit? = nil, command: Command? = nil
  ) {
    self.title = title
    self.kind = kind
    self.diagnostics = diagnostics
    self.isPreferred = isPreferred
    self.edit = edit
    self.command = command
  }
}

/// `string | MarkupContent`, as completion items document themselves.
public enum Documentation: Codable, Hashable, Sendable {
  case text(String)
  case markup(MarkupContent)

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let text = try? container.decode(String.self) {
      self = .text(text)
    } else {
      self = .markup(try container.decode(MarkupContent.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .text(let text): try container.encode(text)
    case .markup(let markup): try container.encode(markup)
    }
  }
}

public struct CodeLensRequest: LSPRequest {
  public static let method = "textDocument/codeLens"
  public typealias Response = [CodeLens]
  public var textDocument: TextDocumentIdentifier
}

public struct CodeLens: Codable, Hashable, Sendable {
  public var range: Range
  public var command: Command?
  public init(range: Range, command: Command?) {
    self.range = range
    self.command = command
  }
}

public struct ExecuteCommandRequest: LSPRequest {
  public static let method = "workspace/executeCommand"
  public typealias Response = JSONValue?
  public var command: String
  public var arguments: [JSONValue]?
  public var workDoneToken: RequestID?
}

/// Work-done progress (server → client `$/progress`).
public struct ProgressParams: Codable, Hashable, Sendable {
  public static let method = "$/progress"
  public var token: RequestID
  public var value: WorkDoneProgress
  public init(token: RequestID, value: WorkDoneProgress) {
    self.token = token
    self.value = value
  }
}

public struct WorkDoneProgress: Codable, Hashable, Sendable {
  /// "begin", "report" or "end".
  public var kind: String
  public var title: String?
  public var cancellable: Bool?
  public var message: String?

  public static func begin(_ title: String, cancellable: Bool) -> WorkDoneProgress {
    WorkDoneProgress(kind: "begin", title: title, cancellable: cancellable, message: nil)
  }
  public static func report(_ message: String) -> WorkDoneProgress {
    WorkDoneProgress(kind: "report", title: nil, cancellable: nil, message: message)
  }
  public static func end(_ message: String) -> WorkDoneProgress {
    WorkDoneProgress(kind: "end", title: nil, cancellable: nil, message: message)
  }
}

public struct WorkDoneProgressCreateParams: Codable, Hashable, Sendable {
  public static let method = "window/workDoneProgress/create"
  public var token: RequestID
  public init(token: RequestID) { self.token = token }
}

public struct WorkDoneProgressCancelNotification: LSPNotification {
  public static let method = "window/workDoneProgress/cancel"
  public var token: RequestID
}
