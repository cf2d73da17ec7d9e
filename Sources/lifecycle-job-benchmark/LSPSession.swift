import Foundation
import LifecycleProtocol

/// A language server in a child process, spoken to over its stdin/stdout.
final class LSPSession {
  let child: Child
  private var framer = MessageFramer()
  private var pending: [[String: Any]] = []
  private var nextID = 1

  init(_ command: [String]) throws {
    child = try Child(command, pipes: true)
  }

  var pid: Int32 { child.pid }

  func send(_ message: [String: Any]) {
    let body = try! JSONSerialization.data(withJSONObject: message)
    child.input!.write(Data(MessageFramer.frame([UInt8](body))))
  }

  /// Sends a request and returns the raw body of its response, as soon as its last byte is in:
  /// the time a client waits, without this harness's JSON parsing. With `keepingNotifications`
  /// false, notifications that arrive meanwhile are dropped unread (large publishes would
  /// otherwise be timed as this harness parsing them).
  func requestBody(_ method: String, _ params: Any, keepingNotifications: Bool = true) -> [UInt8] {
    let id = nextID
    nextID += 1
    send(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
    let marker = Array("\"id\":\(id),".utf8)
    while true {
      while let frame = framer.next() {
        guard case .body(let body) = frame else { continue }
        // A response has `"id":N,` near its start and no "method" (a request from the server has both).
        if contains(body, marker), !contains(body, Array("\"method\"".utf8)) { return body }
        if !keepingNotifications, !contains(body, Array("\"id\"".utf8)) { continue }
        if let message = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
          if message["method"] != nil, let id = message["id"] {
            send(["jsonrpc": "2.0", "id": id, "result": NSNull()])
          }
          if pending.count < 10_000 { pending.append(message) }
        }
      }
      let data = child.output!.availableData
      if data.isEmpty { return [] }
      framer.append(data)
    }
  }

  private func contains(_ body: [UInt8], _ marker: [UInt8]) -> Bool {
    let window = body.prefix(64)
    guard window.count >= marker.count else { return false }
    for start in 0...(window.count - marker.count) where Array(window[start..<start + marker.count]) == marker
    { return true }
    return false
  }

  @discardableResult
  func request(_ method: String, _ params: Any) -> [String: Any] {
    let id = nextID
    nextID += 1
    send(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
    return next { ($0["id"] as? Int) == id && $0["method"] == nil }
  }

  func notify(_ method: String, _ params: Any) {
    send(["jsonrpc": "2.0", "method": method, "params": params])
  }

  /// The next message that satisfies `predicate` (others are kept for later; requests from the
  /// server are answered with null).
  func next(_ predicate: ([String: Any]) -> Bool) -> [String: Any] {
    if let index = pending.firstIndex(where: predicate) { return pending.remove(at: index) }
    while true {
      while let frame = framer.next() {
        guard case .body(let body) = frame,
          let message = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        else { continue }
        if message["method"] != nil, let id = message["id"] {
          send(["jsonrpc": "2.0", "id": id, "result": NSNull()])
          continue
        }
        if predicate(message) { return message }
        if pending.count < 10_000 { pending.append(message) }
      }
      let data = child.output!.availableData
      if data.isEmpty { return [:] }
      framer.append(data)
    }
  }

  func initialize(root: String?, options: [String: Any] = ["diagnosticsDelayMilliseconds": 0]) {
    var params: [String: Any] = [
      "processId": NSNull(), "capabilities": [:], "initializationOptions": options,
    ]
    if let root { params["rootUri"] = URL(fileURLWithPath: root).absoluteString }
    request("initialize", params)
    notify("initialized", [:])
  }

  func close() {
    _ = request("shutdown", NSNull())
    notify("exit", NSNull())
    try? child.input!.close()
    child.wait()
  }
}
