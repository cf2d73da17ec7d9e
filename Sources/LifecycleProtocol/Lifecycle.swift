/// `initialize` and the capabilities exchanged in it.

public struct InitializeRequest: LSPRequest {
  public static let method = "initialize"
  public typealias Response = InitializeResult

  public var processId: Int?
  public var rootUri: String?
  public var rootPath: String?
  public var workspaceFolders: [WorkspaceFolder]?
  public var capabilities: ClientCapabilities
  public var initializationOptions: JSONValue?
}

public struct WorkspaceFolder: Codable, Hashable, Sendable {
  public var uri: String
  public var name: String
}

/// The client capabilities this server acts on; everything else is ignored.
public struct ClientCapabilities: Codable, Hashable, Sendable {
  public struct General: Codable, Hashable, Sendable {
    public var positionEncodings: [String]?
  }
  public struct Workspace: Codable, Hashable, Sendable {
    public struct DynamicRegistration: Codable, Hashable, Sendable {
      public var dynamicRegistration: Bool?
    }
    public struct Refresh: Codable, Hashable, Sendable {
      public var refreshSupport: Bool?
    }
    public var configuration: Bool?
    public var didChangeWatchedFiles: DynamicRegistration?
    public var diagnostics: Refresh?
  }
  public struct TextDocument: Codable, Hashable, Sendable {
    public struct Completion: Codable, Hashable, Sendable {
      public struct Item: Codable, Hashable, Sendable {
        public var snippetSupport: Bool?
        public var documentationFormat: [String]?
        public var insertReplaceSupport: Bool?
      }
      public var completionItem: Item?
    }
    public struct Present: Codable, Hashable, Sendable {}
    public struct Hover: Codable, Hashable, Sendable {
      public var contentFormat: [String]?
    }
    public var completion: Completion?
    public var hover: Hover?
    public var diagnostic: Present?
  }
  public struct Window: Codable, Hashable, Sendable {
    public struct ShowDocument: Codable, Hashable, Sendable {
      public var support: Bool?
    }
    public var workDoneProgress: Bool?
    public var showDocument: ShowDocument?
  }
  public var general: General?
  public var workspace: Workspace?
  public var textDocument: TextDocument?
  public var window: Window?
  public init() {}
}

public struct InitializeResult: Codable, Hashable, Sendable {
  public struct ServerInfo: Codable, Hashable, Sendable {
    public var name: String
    public var version: String
  }
  public var capabilities: ServerCapabilities
  public var serverInfo: ServerInfo

  public init(capabilities: ServerCapabilities, serverInfo: ServerInfo) {
    self.capabilities = capabilities
    self.serverInfo = serverInfo
  }
}

extension InitializeResult.ServerInfo {
  public init(name: String, version: String, _: Void = ()) {
    self.name = name
    self.version = version
  }
}

/// What the server offers; each handler of the dispatch table fills in its own part.
public struct ServerCapabilities: Codable, Hashable, Sendable {
  public struct TextDocumentSync: Codable, Hashable, Sendable {
    public struct Save: Codable, Hashable, Sendable {
      public var includeText: Bool
      public init(includeText: Bool) { self.includeText = includeText }
    }
    public var openClose: Bool?
    /// 2: incremental.
    public var change: Int?
    public var save: Save?
    public init(openClose: Bool?, change: Int?, save: Save?) {
      self.openClose = openClose
      self.change = change
      self.save = save
    }
  }
  public struct CompletionOptions: Codable, Hashable, Sendable {
    public var triggerCharacters: [String]?
    public var resolveProvider: Bool?
    public init(triggerCharacters: [String]?, resolveProvider: Bool?) {
      self.triggerCharacters = triggerCharacters
      self.resolveProvider = resolveProvider
    }
  }
  public struct CodeActionOptions: Codable, Hashable, Sendable {
    public var codeActionKinds: [String]?
    public init(codeActionKinds: [String]?) { self.codeActionKinds = codeActionKinds }
  }
  public struct DocumentLinkOptions: Codable, Hashable, Sendable {
    public var resolveProvider: Bool?
    public init(resolveProvider: Bool?) { self.resolveProvider = resolveProvider }
  }
  public struct DiagnosticOptions: Codable, Hashable, Sendable {
    public var identifier: String?
    public var interFileDependencies: Bool
    public var workspaceDiagnostics: Bool
    public init(identifier: String?, interFileDependencies: Bool, workspaceDiagnostics: Bool) {
      self.identifier = identifier
      self.interFileDependencies = interFileDependencies
      self.workspaceDiagnostics = workspaceDiagnostics
    }
  }
  public struct CodeLensOptions: Codable, Hashable, Sendable {
    public var resolveProvider: Bool?
    public init(resolveProvider: Bool?) { self.resolveProvider = resolveProvider }
  }
  public struct ExecuteCommandOptions: Codable, Hashable, Sendable {
    public var commands: [String]
    public init(commands: [String]) { self.commands = commands }
  }

  public var positionEncoding: String?
  public var textDocumentSync: TextDocumentSync?
  public var completionProvider: CompletionOptions?
  public var hoverProvider: Bool?
  public var definitionProvider: Bool?
  public var documentSymbolProvider: Bool?
  public var documentLinkProvider: DocumentLinkOptions?
  public var codeActionProvider: CodeActionOptions?
  public var codeLensProvider: CodeLensOptions?
  public var executeCommandProvider: ExecuteCommandOptions?
  public var diagnosticProvider: DiagnosticOptions?
  public var workspace: WorkspaceOptions?

  public struct WorkspaceOptions: Codable, Hashable, Sendable {
    public struct Folders: Codable, Hashable, Sendable {
      public var supported: Bool
      public var changeNotifications: Bool
      public init(supported: Bool, changeNotifications: Bool) {
        self.supported = supported
        self.changeNotifications = changeNotifications
      }
    }
    public var workspaceFolders: Folders?
    public init(workspaceFolders: Folders?) { self.workspaceFolders = workspaceFolders }
  }

  public init() {}
}

public struct DidChangeWorkspaceFoldersNotification: LSPNotification {
  public static let method = "workspace/didChangeWorkspaceFolders"
  public struct Event: Codable, Hashable, Sendable {
    public var added: [WorkspaceFolder]
    public var removed: [WorkspaceFolder]
  }
  public var event: Event
}

public struct InitializedNotification: LSPNotification {
  public static let method = "initialized"
}

public struct ShutdownRequest: LSPRequest {
  public static let method = "shutdown"
  public typealias Response = JSONValue?
}

public struct ExitNotification: LSPNotification {
  public static let method = "exit"
}

public struct CancelRequestNotification: LSPNotification {
  public static let method = "$/cancelRequest"
  public var id: RequestID
}

public struct SetTraceNotification: LSPNotification {
  public static let method = "$/setTrace"
  public var value: String
}
