/// Document synchronisation, diagnostics, workspace notifications and the window.

public struct DidOpenTextDocumentNotification: LSPNotification {
  public static let method = "textDocument/didOpen"
  public var textDocument: TextDocumentItem
}

public struct TextDocumentContentChangeEvent: Codable, Hashable, Sendable {
  public var range: Range?
  public var rangeLength: Int?
  public var text: String

  public init(range: Range?, rangeLength: Int? = nil, text: String) {
    self.range = range
    self.rangeLength = rangeLength
    self.text = text
  }
}

public struct DidChangeTextDocumentNotification: LSPNotification {
  public static let method = "textDocument/didChange"
  public var textDocument: VersionedTextDocumentIdentifier
  public var contentChanges: [TextDocumentContentChangeEvent]
}

public struct DidSaveTextDocumentNotification: LSPNotification {
  public static let method = "textDocument/didSave"
  public var textDocument: TextDocumentIdentifier
  public var text: String?
}

public struct DidCloseTextDocumentNotification: LSPNotification {
  public static let method = "textDocument/didClose"
  public var textDocument: TextDocumentIdentifier
}

public struct FileEvent: Codable, Hashable, Sendable {
  public var uri: String
  /// 1 created, 2 changed, 3 deleted.
  public var type: Int
}

public struct DidChangeWatchedFilesNotification: LSPNotification {
  public static let method = "workspace/didChangeWatchedFiles"
  public var changes: [FileEvent]
}

public struct DidChangeConfigurationNotification: LSPNotification {
  public static let method = "workspace/didChangeConfiguration"
  public var settings: JSONValue?
}

public struct DiagnosticRelatedInformation: Codable, Hashable, Sendable {
  public var location: Location
  public var message: String
  public init(location: Location, message: String) {
    self.location = location
    self.message = message
  }
}

public struct CodeDescription: Codable, Hashable, Sendable {
  public var href: String
}

public struct Diagnostic: Codable, Hashable, Sendable {
  public var range: Range
  /// 1 error, 2 warning, 3 information, 4 hint.
  public var severity: Int
  public var code: String
  public var source: String
  public var message: String
  public var relatedInformation: [DiagnosticRelatedInformation]?

  public init(
    range: Range, severity: Int, code: String, source: String, message: String,
    relatedInformation: [DiagnosticRelatedInformation]?
  ) {
    self.range = range
    self.severity = severity
    self.code = code
    self.source = source
    self.message = message
    self.relatedInformation = relatedInformation
  }
}

public struct PublishDiagnosticsParams: Codable, Hashable, Sendable {
  public static let method = "textDocument/publishDiagnostics"
  public var uri: String
  public var version: Int?
  public var diagnostics: [Diagnostic]
  public init(uri: String, version: Int?, diagnostics: [Diagnostic]) {
    self.uri = uri
    self.version = version
    self.diagnostics = diagnostics
  }
}

public struct DocumentDiagnosticRequest: LSPRequest {
  public static let method = "textDocument/diagnostic"
  public typealias Response = FullDocumentDiagnosticReport
  public var textDocument: TextDocumentIdentifier
  public var identifier: String?
  public var previousResultId: String?
}

public struct FullDocumentDiagnosticReport: Codable, Hashable, Sendable {
  public var kind = "full"
  public var items: [Diagnostic]
  public init(items: [Diagnostic]) { self.items = items }
}

/// Server → client.
public struct LogMessageParams: Codable, Hashable, Sendable {
  public static let method = "window/logMessage"
  /// 1 error, 2 warning, 3 info, 4 log.
  public var type: Int
  public var message: String
  public init(type: Int, message: String) {
    self.type = type
    self.message = message
  }
}

public struct ShowMessageParams: Codable, Hashable, Sendable {
  public static let method = "window/showMessage"
  public var type: Int
  public var message: String
  public init(type: Int, message: String) {
    self.type = type
    self.message = message
  }
}

/// Server → client `window/showDocument`: shows a file (a run's log) in the editor.
public struct ShowDocumentParams: Codable, Hashable, Sendable {
  public static let method = "window/showDocument"
  public var uri: String
  public var takeFocus: Bool?
  public init(uri: String, takeFocus: Bool? = nil) {
    self.uri = uri
    self.takeFocus = takeFocus
  }
}

public struct ConfigurationItem: Codable, Hashable, Sendable {
  public var scopeUri: String?
  public var section: String?
  public init(scopeUri: String? = nil, section: String?) {
    self.scopeUri = scopeUri
    self.section = section
  }
}

public struct ConfigurationParams: Codable, Hashable, Sendable {
  public static let method = "workspace/configuration"
  public var items: [ConfigurationItem]
  public init(items: [ConfigurationItem]) { self.items = items }
}

public struct FileSystemWatcher: Codable, Hashable, Sendable {
  public var globPattern: String
  public init(globPattern: String) { self.globPattern = globPattern }
}

public struct DidChangeWatchedFilesRegistrationOptions: Codable, Hashable, Sendable {
  public var watchers: [FileSystemWatcher]
  public init(watchers: [FileSystemWatcher]) { self.watchers = watchers }
}

public struct Registration: Codable, Hashable, Sendable {
  public var id: String
  public var method: String
  public var registerOptions: DidChangeWatchedFilesRegistrationOptions?
  public init(id: String, method: String, registerOptions: DidChangeWatchedFilesRegistrationOptions?) {
    self.id = id
    self.method = method
    self.registerOptions = registerOptions
  }
}

public struct RegistrationParams: Codable, Hashable, Sendable {
  public static let method = "client/registerCapability"
  public var registrations: [Registration]
  public init(registrations: [Registration]) { self.registrations = registrations }
}

public struct DiagnosticRefreshParams {
  public static let method = "workspace/diagnostic/refresh"
}
