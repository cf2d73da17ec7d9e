import Foundation
import LifecycleProtocol
import Testing

/// The base protocol and the lifecycle: framing, JSON-RPC errors, initialize/shutdown/exit.
@Suite struct ProtocolTests {
  @Test func initializeAdvertisesWhatTheDispatchTableHandles() throws {
    let client = TestClient()
    let result = client.initialize(root: nil)
    #expect(
      result == [
        "capabilities": [
          "positionEncoding": "utf-16",
          "textDocumentSync": ["openClose": true, "change": 2, "save": ["includeText": false]],
          "completionProvider": ["triggerCharacters": ["$", "{", "(", "_", ":"], "resolveProvider": true],
          "hoverProvider": true,
          "definitionProvider": true,
          "documentSymbolProvider": true,
          "documentLinkProvider": ["resolveProvider": false],
          "codeActionProvider": ["codeActionKinds": ["quickfix", "refactor.rewrite"]],
          "codeLensProvider": ["resolveProvider": false],
          "executeCommandProvider": ["commands": ["lifecycle-job.runEvent", "lifecycle-job.stopRun"]],
          "workspace": ["workspaceFolders": ["supported": true, "changeNotifications": true]],
        ],
        "serverInfo": ["name": "lifecycle-job", "version": "0.1.0"],
      ], "\(result.text)")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func utf8IsChosenWhenOfferedAndPullDiagnosticsWhenSupported() {
    let client = TestClient()
    let result = client.initialize(
      root: nil,
      capabilities: [
        "general": ["positionEncodings": ["utf-8", "utf-16"]], "textDocument": ["diagnostic": [:]],
        "workspace": ["diagnostics": ["refreshSupport": true]],
      ])
    #expect(result["capabilities"]?["positionEncoding"] == "utf-8")
    #expect(
      result["capabilities"]?["diagnosticProvider"]
        == ["identifier": "lifecycle-job", "interFileDependencies": true, "workspaceDiagnostics": false])
    #expect(client.shutdownAndExit() == 0)
  }

  /// Neovim 0.10+ pulls but cannot be asked to pull again: a save elsewhere would never reach its
  /// screen. It is pushed to, and not offered the pull provider (it would show both).
  @Test func aClientThatPullsWithoutRefreshIsPushedTo() {
    let client = TestClient()
    let result = client.initialize(root: nil, capabilities: ["textDocument": ["diagnostic": [:]]])
    #expect(result["capabilities"]?["diagnosticProvider"] == nil, "\(result.text)")
    client.open("file:///p/lifecycle-job.yaml", "name: a\n")
    let published = client.notification("textDocument/publishDiagnostics")
    #expect(published["uri"] == "file:///p/lifecycle-job.yaml", "\(published.text)")
    #expect(client.shutdownAndExit() == 0)
  }

  /// The editor died without `shutdown`: the server notices its parent is gone and exits.
  @Test func theServerExitsWhenItsParentProcessIsGone() throws {
    let parent = Process()
    parent.executableURL = URL(fileURLWithPath: "/bin/sleep")
    parent.arguments = ["60"]
    try parent.run()
    let client = TestClient()
    client.initialize(root: nil, processId: parent.processIdentifier)
    kill(parent.processIdentifier, SIGKILL)
    #expect(client.exitStatus(timeout: 15) == 1)
  }

  /// A second `initialized` registers nothing again; nothing is published after `shutdown`.
  @Test func initializedIsIdempotentAndShutdownIsQuiet() {
    let client = TestClient()
    client.initialize(root: nil)
    client.notify("initialized", [:])
    client.open("file:///q/lifecycle-job.yaml", "name: a\n")
    _ = client.notification("textDocument/publishDiagnostics")
    _ = client.request("shutdown", nil)
    let registrations = client.receivedServerRequests.filter { $0["method"] == "client/registerCapability" }
    #expect(registrations.count == 1, "\(registrations)")
    client.notify("textDocument/didChange", [
      "textDocument": ["uri": "file:///q/lifecycle-job.yaml", "version": 2],
      "contentChanges": [["text": "name: b\n"]],
    ])
    let late = client.notification("textDocument/publishDiagnostics", timeout: 1)
    #expect(late["uri"] == nil, "published after shutdown: \(late.text)")
    client.notify("exit", nil)
    #expect(client.exitStatus() == 0)
  }

  @Test func plaintextClientsGetPlainTextHover() {
    let client = TestClient()
    client.initialize(root: nil, capabilities: ["textDocument": ["hover": ["contentFormat": ["plaintext"]]]])
    client.open("file:///h/lifecycle-job.yaml", "name: a\n")
    let hover = client.request("textDocument/hover", client.at("file:///h/lifecycle-job.yaml", ["line": 0, "character": 1]))
    let value = hover["result"]?["contents"]?["value"]?.stringValue ?? ""
    #expect(hover["result"]?["contents"]?["kind"] == "plaintext")
    #expect(value.hasPrefix("name") && !value.contains("**") && !value.contains("`"), "\(hover.text)")
    #expect(client.shutdownAndExit() == 0)
  }

  /// docker-library's jq templates are named like Dockerfiles and are not: nothing published.
  @Test func aTemplateNamedLikeADockerfileIsNotOne() {
    let client = TestClient()
    client.initialize(root: nil)
    client.open("file:///t/Dockerfile.template", "{{ include \"shared\" }}\nFROM {{ .from }}\n", language: "dockerfile")
    client.open("file:///t/lifecycle-job.yaml", "name: a\n")
    // The spec's publish comes; none for the template before it.
    let published = client.notification("textDocument/publishDiagnostics")
    #expect(published["uri"] == "file:///t/lifecycle-job.yaml", "\(published.text)")
    let hover = client.request("textDocument/hover", client.at("file:///t/Dockerfile.template", ["line": 1, "character": 1]))
    #expect(hover["result"] == .null && hover["error"] == nil, "\(hover.text)")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func workspaceFoldersChangeAtRunTime() {
    let client = TestClient()
    let result = client.initialize(root: nil)
    #expect(
      result["capabilities"]?["workspace"]
        == ["workspaceFolders": ["supported": true, "changeNotifications": true]], "\(result.text)")
    client.notify("workspace/didChangeWorkspaceFolders", [
      "event": ["added": [["uri": "file:///nowhere-added", "name": "added"]], "removed": []]
    ])
    // Still serving after the re-index.
    let symbols = client.request("textDocument/documentSymbol", ["textDocument": ["uri": "file:///nowhere-added/x.yaml"]])
    #expect(symbols["error"] == nil, "\(symbols.text)")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func requestsBeforeInitializeAreRefusedAndExitWithoutShutdownIsOne() {
    let client = TestClient()
    let reply = client.request(
      "textDocument/hover", ["textDocument": ["uri": "file:///x"], "position": ["line": 0, "character": 0]])
    #expect(reply["error"]?["code"] == -32002)
    client.notify("exit", nil)
    #expect(client.exitStatus() == 1)
  }

  @Test func malformedTrafficGetsTheRightErrorAndTheServerKeepsServing() {
    let client = TestClient()
    client.initialize(root: nil)
    // A header block without Content-Length: -32700 with a null id.
    client.writeRaw(Array("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n".utf8))
    var error = client.notificationOrResponse { $0["error"] != nil }
    #expect(error["id"] == .null && error["error"]?["code"] == -32700, "\(error.text)")
    // A body that is not JSON.
    client.writeRaw(MessageFramer.frame(Array("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": ".utf8)))
    error = client.notificationOrResponse { $0["error"] != nil }
    #expect(error["id"] == .null && error["error"]?["code"] == -32700, "\(error.text)")
    // Invalid UTF-8.
    client.writeRaw(MessageFramer.frame([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]))
    error = client.notificationOrResponse { $0["error"] != nil }
    #expect(error["error"]?["code"] == -32700, "\(error.text)")
    // JSON that is not a request: an array, a wrong jsonrpc, an id of the wrong type.
    client.writeRaw(MessageFramer.frame(Array("[1, 2]".utf8)))
    error = client.notificationOrResponse { $0["error"] != nil }
    #expect(error["error"]?["code"] == -32600, "\(error.text)")
    client.writeRaw(
      MessageFramer.frame(Array("{\"jsonrpc\": \"1.0\", \"id\": 8, \"method\": \"shutdown\"}".utf8)))
    error = client.notificationOrResponse { $0["error"] != nil }
    #expect(error["id"] == 8 && error["error"]?["code"] == -32600, "\(error.text)")
    client.writeRaw(
      MessageFramer.frame(Array("{\"jsonrpc\": \"2.0\", \"id\": {}, \"method\": \"shutdown\"}".utf8)))
    error = client.notificationOrResponse { $0["error"] != nil }
    #expect(error["id"] == .null && error["error"]?["code"] == -32600, "\(error.text)")
    // An unknown method; params of the wrong type; a position past the end; an unknown document.
    #expect(client.request("textDocument/formatting", [:])["error"]?["code"] == -32601)
    let wrongType = client.request(
      "textDocument/hover", ["textDocument": ["uri": 42], "position": ["line": 0, "character": 0]])
    #expect(
      wrongType["error"] == ["code": -32602, "message": "params.textDocument.uri must be a string"],
      "\(wrongType.text)")
    let missing = client.request(
      "textDocument/hover", ["textDocument": ["uri": "file:///x/lifecycle-job.yaml"]])
    #expect(
      missing["error"] == ["code": -32602, "message": "params.position is required"], "\(missing.text)")
    client.open("file:///nowhere/lifecycle-job.yaml", "name: a\n")
    let past = client.request(
      "textDocument/hover", client.at("file:///nowhere/lifecycle-job.yaml", ["line": 9, "character": 0]))
    // Clamped to the end of the document, never refused.
    #expect(past["error"] == nil && past["result"] == .null, "\(past.text)")
    // A document the server does not handle gets an empty answer, not an error editors pop up.
    let unknown = client.request(
      "textDocument/hover", client.at("file:///nowhere/else.yaml", ["line": 0, "character": 0]))
    #expect(unknown["error"] == nil && unknown["result"] == .null, "\(unknown.text)")
    // A change to a document never opened, and one whose range lies outside the document.
    client.notify(
      "textDocument/didChange",
      [
        "textDocument": ["uri": "file:///never/lifecycle-job.yaml", "version": 2],
        "contentChanges": [["text": "x"]],
      ])
    let logged = client.notification("window/logMessage") {
      ($0["message"]?.stringValue ?? "").contains("not open")
    }
    #expect(logged["type"] == 2)
    // After all that, the server still answers.
    let hover = client.request(
      "textDocument/hover", client.at("file:///nowhere/lifecycle-job.yaml", ["line": 0, "character": 1]))
    #expect(
      hover["result"]?["contents"]?["value"]?.stringValue?.hasPrefix("**`name`**") == true, "\(hover.text)")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func aRequestCancelledWhileQueuedIsAnsweredCancelled() {
    let client = TestClient()
    client.initialize(root: nil)
    client.open("file:///c/lifecycle-job.yaml", "name: a\n")
    // Both frames in one write: the server sees the cancellation before it reaches the request.
    let id = 1000
    let hover: JSONValue = [
      "jsonrpc": "2.0", "id": .number(Double(id)), "method": "textDocument/hover",
      "params": client.at("file:///c/lifecycle-job.yaml", ["line": 0, "character": 0]),
    ]
    let cancel: JSONValue = [
      "jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": .number(Double(id))],
    ]
    client.writeRaw(
      MessageFramer.frame(Array(hover.text.utf8)) + MessageFramer.frame(Array(cancel.text.utf8)))
    let reply = client.response(to: id)
    #expect(reply["error"]?["code"] == -32800, "\(reply.text)")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func requestsAfterShutdownAreRefusedAndEndOfInputEndsTheServer() {
    let client = TestClient()
    client.initialize(root: nil)
    _ = client.request("shutdown", nil)
    #expect(client.request("textDocument/hover", [:])["error"]?["code"] == -32600)
    client.closeInput()
    #expect(client.exitStatus() == 0)
  }
}

extension TestClient {
  /// The next response (a message without a method) that satisfies `predicate`.
  func notificationOrResponse(_ predicate: @escaping (JSONValue) -> Bool) -> JSONValue {
    waitFor(timeout: 10, "such a response") { $0["method"] == nil && predicate($0) }
  }
}
