#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
import LifecycleProtocol

/// One method the server handles: how to decode and answer it, and what it adds to the
/// capabilities. The capabilities sent in `initialize` are derived from this one table.
struct Route: Sendable {
  let method: String
  let isRequest: Bool
  let advertise: @Sendable (inout ServerCapabilities, ClientCapabilities) -> Void
  let handle: @Sendable (LanguageServer, RequestID?, Data) -> Void

  static func request<Request: LSPRequest>(
    _ type: Request.Type,
    advertise: @escaping @Sendable (inout ServerCapabilities, ClientCapabilities) -> Void = { _, _ in },
    _ handler: @escaping @Sendable (LanguageServer, Request) throws -> Request.Response
  ) -> Route {
    Route(method: Request.method, isRequest: true, advertise: advertise) { server, id, body in
      guard let id else { return }
      switch JSONCoding.params(Request.self, from: body) {
      case .failure(let error) where error.code == ResponseError.parseError("").code:
        // A body that is not JSON has no id anyone can trust.
        server.send(JSONCoding.encodeError(id: nil, error: error))
      case .failure(let error):
        server.reply(id, error: error)
      case .success(let params):
        do {
          server.reply(id, result: try handler(server, params))
        } catch let error as ResponseError {
          server.reply(id, error: error)
        } catch {
          server.reply(id, error: .internalError("\(error)"))
        }
      }
    }
  }

  /// A request answered later (a job run): the handler replies itself.
  static func deferredRequest<Request: LSPRequest>(
    _ type: Request.Type,
    advertise: @escaping @Sendable (inout ServerCapabilities, ClientCapabilities) -> Void = { _, _ in },
    _ handler: @escaping @Sendable (LanguageServer, RequestID, Request) -> Void
  ) -> Route {
    Route(method: Request.method, isRequest: true, advertise: advertise) { server, id, body in
      guard let id else { return }
      switch JSONCoding.params(Request.self, from: body) {
      case .failure(let error) where error.code == ResponseError.parseError("").code:
        server.send(JSONCoding.encodeError(id: nil, error: error))
      case .failure(let error): server.reply(id, error: error)
      case .success(let params): handler(server, id, params)
      }
    }
  }

  static func notification<Notification: LSPNotification>(
    _ type: Notification.Type,
    advertise: @escaping @Sendable (inout ServerCapabilities, ClientCapabilities) -> Void = { _, _ in },
    _ handler: @escaping @Sendable (LanguageServer, Notification) -> Void
  ) -> Route {
    Route(method: Notification.method, isRequest: false, advertise: advertise) { server, _, body in
      switch JSONCoding.params(Notification.self, from: body) {
      case .failure(let error) where error.code == ResponseError.parseError("").code:
        server.send(JSONCoding.encodeError(id: nil, error: error))
      case .failure(let error):
        Log.write("\(Notification.method) with bad params: \(error.message)")
        server.log("\(Notification.method) ignored: \(error.message)", type: 1)
      case .success(let params):
        handler(server, params)
      }
    }
  }
}

extension LanguageServer {
  /// Every method the server answers.
  static let routeList: [Route] = [
    .request(InitializeRequest.self) { try $0.initialize($1) },
    .notification(InitializedNotification.self) { server, _ in server.initialized() },
    .request(ShutdownRequest.self) { server, _ in server.shutdown() },
    .notification(ExitNotification.self) { server, _ in server.exitStatus = server.phase == .shutDown ? 0 : 1
    },
    .notification(CancelRequestNotification.self) { server, params in
      server.cancelRun(request: params.id, token: nil)
    },
    .notification(WorkDoneProgressCancelNotification.self) { server, params in
      server.cancelRun(request: nil, token: params.token)
    },
    .notification(SetTraceNotification.self) { _, _ in },
    .notification(
      DidChangeWorkspaceFoldersNotification.self,
      advertise: { capabilities, _ in
        capabilities.workspace = .init(workspaceFolders: .init(supported: true, changeNotifications: true))
      }
    ) { $0.didChangeWorkspaceFolders($1) },
    .notification(
      DidOpenTextDocumentNotification.self,
      advertise: { capabilities, _ in
        capabilities.textDocumentSync = .init(openClose: true, change: 2, save: .init(includeText: false))
      }
    ) { $0.didOpen($1) },
    .notification(DidChangeTextDocumentNotification.self) { $0.didChange($1) },
    .notification(DidSaveTextDocumentNotification.self) { $0.didSave($1) },
    .notification(DidCloseTextDocumentNotification.self) { $0.didClose($1) },
    .notification(DidChangeWatchedFilesNotification.self) { $0.didChangeWatchedFiles($1) },
    .notification(DidChangeConfigurationNotification.self) { $0.didChangeConfiguration($1) },
    .request(
      DocumentDiagnosticRequest.self,
      advertise: { capabilities, client in
        if client.pullsDiagnostics {
          capabilities.diagnosticProvider = .init(
            identifier: "lifecycle-job", interFileDependencies: true, workspaceDiagnostics: false)
        }
      }
    ) { try $0.pullDiagnostics($1) },
    .request(
      CompletionRequest.self,
      advertise: { capabilities, _ in
        capabilities.completionProvider = .init(
          triggerCharacters: ["$", "{", "(", "_", ":"], resolveProvider: true)
      }
    ) { try $0.completion($1) },
    .request(CompletionItem.self) { try $0.resolveCompletion($1) },
    .request(HoverRequest.self, advertise: { capabilities, _ in capabilities.hoverProvider = true }) {
      try $0.hover($1)
    },
    .request(DefinitionRequest.self, advertise: { capabilities, _ in capabilities.definitionProvider = true })
    {
      try $0.definition($1)
    },
    .request(
      DocumentSymbolRequest.self, advertise: { capabilities, _ in capabilities.documentSymbolProvider = true }
    ) { try $0.documentSymbols($1) },
    .request(
      DocumentLinkRequest.self,
      advertise: { capabilities, _ in capabilities.documentLinkProvider = .init(resolveProvider: false) }
    ) { try $0.documentLinks($1) },
    .request(
      CodeActionRequest.self,
      advertise: { capabilities, _ in
        capabilities.codeActionProvider = .init(codeActionKinds: ["quickfix", "refactor.rewrite"])
      }
    ) { try $0.codeActions($1) },
    .request(
      CodeLensRequest.self,
      advertise: { capabilities, _ in capabilities.codeLensProvider = .init(resolveProvider: false) }
    ) { try $0.codeLenses($1) },
    .deferredRequest(
      ExecuteCommandRequest.self,
      advertise: { capabilities, _ in
        capabilities.executeCommandProvider = .init(commands: LanguageServer.runCommands)
      }
    ) { $0.executeCommand($1, $2) },
  ]

  static let routes: [String: Route] = Dictionary(uniqueKeysWithValues: routeList.map { ($0.method, $0) })

  /// The capabilities for `client`, from the dispatch table.
  static func capabilities(for client: ClientCapabilities, encoding: String) -> ServerCapabilities {
    var capabilities = ServerCapabilities()
    capabilities.positionEncoding = encoding
    for route in routeList { route.advertise(&capabilities, client) }
    return capabilities
  }
}

extension ClientCapabilities {
  /// True when diagnostics are pulled: the client pulls *and* supports
  /// `workspace/diagnostic/refresh`, without which a change elsewhere (a saved `variables.tf`, a
  /// run's outputs) could never reach its screen. Neovim 0.10+ pulls without refresh: it is
  /// pushed to, and the pull provider is not advertised, so it does not see everything twice.
  var pullsDiagnostics: Bool {
    textDocument?.diagnostic != nil && workspace?.diagnostics?.refreshSupport == true
  }
}
