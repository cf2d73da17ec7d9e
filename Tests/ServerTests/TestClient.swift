import Foundation
import LifecycleProtocol
import LifecycleServer
import TestSupport

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .number(Double(value)) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
  }
  public init(nilLiteral: ()) { self = .null }

  var arrayValue: [JSONValue]? {
    if case .array(let items) = self { return items }
    return nil
  }

  /// Compact JSON, keys sorted: for readable failure messages.
  var text: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try! encoder.encode(self), as: UTF8.self)
  }
}

/// Drives the real server in-process over a pair of pipes: the same framing, dispatch and JSON
/// as over stdio. Requests the server sends (configuration, registration) are answered here.
final class TestClient: @unchecked Sendable {
  private let toServer = Pipe()
  private let fromServer = Pipe()
  private let condition = NSCondition()
  private var received: [JSONValue] = []
  private var consumed: Set<Int> = []
  private var nextID = 1
  private var serverDone = false
  private var status: Int32?
  /// What `workspace/configuration` answers, for the `lifecycle-job` section.
  var configuration: JSONValue = [:]
  /// Requests the server sent us, in order.
  private(set) var serverRequests: [JSONValue] = []
  /// The requests the server sent so far (read under the lock).
  var receivedServerRequests: [JSONValue] {
    condition.lock()
    defer { condition.unlock() }
    return serverRequests
  }

  static let neovimLikeCapabilities: JSONValue = [
    "workspace": ["configuration": true, "didChangeWatchedFiles": ["dynamicRegistration": true]],
    "textDocument": [
      "completion": [
        "completionItem": ["snippetSupport": false, "documentationFormat": ["markdown", "plaintext"]]
      ],
      "hover": ["contentFormat": ["markdown", "plaintext"]],
    ],
  ]

  /// Starts a server; `initialize` is sent only by `initialize(...)`.
  init() {
    let input = toServer.fileHandleForReading.fileDescriptor
    let output = fromServer.fileHandleForWriting.fileDescriptor
    Thread.detachNewThread { [self] in
      let code = LanguageServer.run(input: input, output: output, runnerExecutable: Fixtures.binary.path)
      try? fromServer.fileHandleForWriting.close()
      condition.lock()
      status = code
      serverDone = true
      condition.broadcast()
      condition.unlock()
    }
    let reading = fromServer.fileHandleForReading
    Thread.detachNewThread { [self] in
      var framer = MessageFramer()
      while true {
        let data = reading.availableData
        if data.isEmpty { break }
        framer.append(data)
        while let frame = framer.next() {
          guard case .body(let body) = frame,
            let message = try? JSONDecoder().decode(JSONValue.self, from: Data(body))
          else { continue }
          if message["method"] != nil, let id = message["id"] {
            answerServerRequest(message, id: id)
          }
          condition.lock()
          received.append(message)
          condition.broadcast()
          condition.unlock()
        }
      }
    }
  }

  deinit {
    try? toServer.fileHandleForWriting.close()
  }

  /// `initialize` then `initialized`; returns the `initialize` result.
  @discardableResult
  func initialize(
    root: String?, capabilities: JSONValue = TestClient.neovimLikeCapabilities,
    options: JSONValue = ["diagnosticsDelayMilliseconds": 0], processId: Int32? = nil
  ) -> JSONValue {
    var params: JSONValue = [
      "capabilities": capabilities, "initializationOptions": options,
      "processId": processId.map { .number(Double($0)) } ?? nil,
    ]
    if let root, case .object(var object) = params {
      object["rootUri"] = .string(URL(fileURLWithPath: root).absoluteString)
      object["workspaceFolders"] = [
        ["uri": .string(URL(fileURLWithPath: root).absoluteString), "name": "root"]
      ]
      params = .object(object)
    }
    let reply = request("initialize", params)
    notify("initialized", [:])
    return reply["result"] ?? reply
  }

  private func answerServerRequest(_ message: JSONValue, id: JSONValue) {
    condition.lock()
    serverRequests.append(message)
    condition.unlock()
    var result: JSONValue = nil
    if message["method"] == "workspace/configuration" { result = [configuration] }
    write(["jsonrpc": "2.0", "id": id, "result": result])
  }

  func write(_ message: JSONValue) {
    let body = Array(message.text.utf8)
    writeRaw(MessageFramer.frame(body))
  }

  func writeRaw(_ bytes: [UInt8]) {
    toServer.fileHandleForWriting.write(Data(bytes))
  }

  /// Sends a request and waits for its whole response message (`result` or `error`).
  func request(_ method: String, _ params: JSONValue?, timeout: TimeInterval = 10) -> JSONValue {
    let id = sendRequest(method, params)
    return response(to: id, timeout: timeout)
  }

  func sendRequest(_ method: String, _ params: JSONValue?) -> Int {
    condition.lock()
    let id = nextID
    nextID += 1
    condition.unlock()
    var message: JSONValue = ["jsonrpc": "2.0", "id": .number(Double(id)), "method": .string(method)]
    if let params, case .object(var object) = message {
      object["params"] = params
      message = .object(object)
    }
    write(message)
    return id
  }

  func response(to id: Int, timeout: TimeInterval = 10) -> JSONValue {
    waitFor(timeout: timeout, "the response to request \(id)") {
      $0["id"] == .number(Double(id)) && $0["method"] == nil
    }
  }

  func notify(_ method: String, _ params: JSONValue) {
    write(["jsonrpc": "2.0", "method": .string(method), "params": params])
  }

  /// The next notification `method` not yet consumed that satisfies `predicate`.
  func notification(
    _ method: String, timeout: TimeInterval = 10,
    where predicate: @escaping (JSONValue) -> Bool = { _ in true }
  ) -> JSONValue {
    waitFor(timeout: timeout, "a \(method) notification") {
      $0["method"] == .string(method) && $0["id"] == nil && predicate($0["params"] ?? nil)
    }["params"] ?? nil
  }

  /// The diagnostics next published for `uri` (that satisfy `predicate`: a publish scheduled
  /// earlier, by the background index or a setting, may come first).
  func diagnostics(
    for uri: String, timeout: TimeInterval = 10,
    where predicate: @escaping (JSONValue) -> Bool = { _ in true }
  ) -> [JSONValue] {
    notification("textDocument/publishDiagnostics", timeout: timeout) {
      $0["uri"] == .string(uri) && predicate($0)
    }["diagnostics"]?.arrayValue ?? []
  }

  /// Every message received so far that satisfies `predicate`, without waiting.
  func received(where predicate: (JSONValue) -> Bool) -> [JSONValue] {
    condition.lock()
    defer { condition.unlock() }
    return received.filter(predicate)
  }

  func waitFor(timeout: TimeInterval, _ what: String, _ predicate: (JSONValue) -> Bool) -> JSONValue {
    let deadline = Date().addingTimeInterval(timeout)
    condition.lock()
    defer { condition.unlock() }
    while true {
      if let index = received.indices.first(where: { !consumed.contains($0) && predicate(received[$0]) }) {
        consumed.insert(index)
        return received[index]
      }
      if !condition.wait(until: deadline) {
        return ["timeout": .string("no \(what) within \(timeout) s")]
      }
    }
  }

  /// `shutdown` and `exit`; returns the server's exit status.
  func shutdownAndExit() -> Int32? {
    _ = request("shutdown", nil)
    notify("exit", nil)
    return exitStatus()
  }

  /// The status the server's loop returned, once it returns.
  func exitStatus(timeout: TimeInterval = 10) -> Int32? {
    let deadline = Date().addingTimeInterval(timeout)
    condition.lock()
    defer { condition.unlock() }
    while !serverDone { if !condition.wait(until: deadline) { return nil } }
    return status
  }

  func closeInput() {
    try? toServer.fileHandleForWriting.close()
  }
}

/// A document text with markers `⟨name⟩`: the text without them, and each marker's position in
/// UTF-16 (or UTF-8) units, as LSP counts.
struct Marked {
  var text: String
  var positions: [String: JSONValue] = [:]

  init(_ marked: String, utf8: Bool = false) {
    var text = ""
    var line = 0
    var character = 0
    var rest = Substring(marked)
    while let first = rest.first {
      if first == "⟨", let close = rest.firstIndex(of: "⟩") {
        let name = String(rest[rest.index(after: rest.startIndex)..<close])
        positions[name] = ["line": .number(Double(line)), "character": .number(Double(character))]
        rest = rest[rest.index(after: close)...]
        continue
      }
      text.append(first)
      if first == "\n" || first == "\r\n" {
        line += 1
        character = 0
      } else {
        character += utf8 ? first.utf8.count : first.utf16.count
      }
      rest = rest.dropFirst()
    }
    self.text = text
  }

  subscript(name: String) -> JSONValue { positions[name]! }

  func range(_ start: String, _ end: String) -> JSONValue { ["start": self[start], "end": self[end]] }
}

/// A job in a temporary folder.
struct TemporaryJob {
  let folder: URL

  init(_ files: [String: String]) throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("lsp-\(UUID().uuidString)")
      .resolvingSymlinksInPath()
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent(".git"), withIntermediateDirectories: true)
    for (name, contents) in files { try write(name, contents) }
  }

  func write(_ name: String, _ contents: String) throws {
    let url = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try contents.write(to: url, atomically: true, encoding: .utf8)
  }

  func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
  func uri(_ name: String) -> String { URL(fileURLWithPath: path(name)).absoluteString }
  var root: String { folder.path }
}

extension TestClient {
  func open(_ uri: String, _ text: String, language: String = "yaml", version: Int = 1) {
    notify(
      "textDocument/didOpen",
      [
        "textDocument": [
          "uri": .string(uri), "languageId": .string(language), "version": .number(Double(version)),
          "text": .string(text),
        ]
      ])
  }

  func at(_ uri: String, _ position: JSONValue) -> JSONValue {
    ["textDocument": ["uri": .string(uri)], "position": position]
  }
}

extension TestClient {
  /// A server on `job` (initialized with `capabilities`) with `job/lifecycle-job.yaml` open as
  /// `text`; returns the client and the spec's URI.
  static func opening(
    _ text: String, in job: TemporaryJob, capabilities: JSONValue = TestClient.neovimLikeCapabilities
  ) -> (TestClient, String) {
    let client = TestClient()
    client.initialize(root: job.root, capabilities: capabilities)
    let uri = job.uri("job/lifecycle-job.yaml")
    client.open(uri, text)
    return (client, uri)
  }
}
