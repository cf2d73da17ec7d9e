#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif
import Dispatch
import LifecycleAnalysis
import LifecycleProtocol
import LifecycleRunner
import LifecycleSyntax
import LifecycleWorkspace

/// The language server: one loop on one thread owns all state; a reader thread and the
/// background indexer only post events to its inbox.
///
/// Architecture Invariant: nothing here executes a job or any other program. Opening, changing
/// and saving files only analyses them.
public final class LanguageServer {
  enum Phase {
    case uninitialized, running, shutDown
  }

  public static let version = "0.1.0"

  let inbox = Inbox()
  let output: OutputWriter
  var phase = Phase.uninitialized
  var exitStatus: Int32?
  var converter = PositionConverter(encoding: .utf16)
  var client = ClientCapabilities()
  var settings = AnalysisSettings()
  var documents: [String: OpenDocument] = [:]
  var workspace: ServerWorkspace
  /// Documents whose diagnostics are due, and when (seconds on the monotonic clock).
  var publishDue: [String: Double] = [:]
  /// How long after a change diagnostics are published.
  var diagnosticsDelaySeconds = 0.2
  /// Requests the client cancelled before we reached them.
  var cancelled: Set<RequestID> = []
  /// Replies awaited from the client, by the id of our request.
  var awaitingReply: [RequestID: (IncomingMessage) -> Void] = [:]
  var nextRequestNumber = 1
  /// Jobs started by `lifecycle-job.runEvent`, by run number.
  var runs: [Int: RunningJob] = [:]
  var nextRunNumber = 1
  /// The `lifecycle-job` executable the runs start (`run … --format jsonl`).
  let runnerExecutable: String
  let launcher: any Launcher
  /// The local environment runs use and whose outputs features show.
  var runEnvironment = "local"
  /// Documents being analysed off the loop, and the queue that analyses them.
  var analysing: Set<String> = []
  let analysisQueue = DispatchQueue(label: "lifecycle-job.analysis")
  /// True once `initialized` arrived: a second one changes nothing.
  var initializedReceived = false
  /// The client's process (`initialize`'s `processId`): when it is gone, the server exits.
  var parentProcess: Int32?
  /// How often the parent process is looked for, in seconds.
  static let parentCheckSeconds = 3.0
  /// What editor runs are given (`run.envFile`, `run.env`, …).
  var runSettings = RunSettings()

  init(output: Int32, disk: any FileSystem, runnerExecutable: String, launcher: any Launcher) {
    self.output = OutputWriter(fd: output)
    workspace = ServerWorkspace(disk: disk)
    self.runnerExecutable = runnerExecutable
    self.launcher = launcher
  }

  /// Serves the client on `input`/`output` until `exit` or the end of input; returns the
  /// process status: 0 after `shutdown`, 1 otherwise. Runs start `runnerExecutable` (by default
  /// this very executable).
  public static func run(
    input: Int32, output: Int32, disk: any FileSystem = DiskFileSystem(), runnerExecutable: String? = nil
  ) -> Int32 {
    limitAllocatorArenas()
    let server = LanguageServer(
      output: output, disk: disk, runnerExecutable: runnerExecutable ?? Self.ownExecutable(),
      launcher: SpawnLauncher())
    InputReader.start(fd: input, inbox: server.inbox)
    return server.loop()
  }

  func loop() -> Int32 {
    while exitStatus == nil {
      let now = Self.now()
      var wait = publishDue.values.min().map { $0 - now }
      if parentProcess != nil { wait = min(wait ?? Self.parentCheckSeconds, Self.parentCheckSeconds) }
      let events = inbox.take(timeoutSeconds: wait)
      if let parent = parentProcess, !Self.isAlive(parent) {
        // The editor died without `shutdown`/`exit` (LSP: exit when the parent process is gone).
        Log.write("the client process \(parent) is gone: exiting")
        exitStatus = 1
        break
      }
      // Each frame read once; cancellations first: a request cancelled while it waited in the
      // queue is answered -32800.
      let messages = events.map { event -> Result<IncomingMessage, InvalidMessage>? in
        guard case .frame(.body(let body)) = event else { return nil }
        return IncomingMessage.parse(body)
      }
      for case .success(.notification(CancelRequestNotification.method, let body))? in messages {
        if case .success(let cancel) = JSONCoding.params(CancelRequestNotification.self, from: body) {
          cancelled.insert(cancel.id)
        }
      }
      for (event, message) in zip(events, messages) where exitStatus == nil {
        switch event {
        case .frame(.body):
          switch message {
          case .success(let message)?: handle(message)
          case .failure(let invalid)?: send(JSONCoding.encodeError(id: invalid.id, error: invalid.error))
          case nil: break
          }
        case .frame(.malformed(let reason)):
          Log.write("unusable message header: \(reason)")
          send(JSONCoding.encodeError(id: nil, error: .parseError("unusable message header: \(reason)")))
        case .inputClosed:
          Log.write(phase == .shutDown ? "input closed after shutdown" : "input closed without shutdown")
          exitStatus = phase == .shutDown ? 0 : 1
        case .runOutput(let run, let bytes):
          runOutput(run, bytes)
        case .runEnded(let run, let status):
          runEnded(run, status: status)
        case .analysed(let uri, let stamp, let result):
          analysed(uri, stamp: stamp, result: result)
        case .runStartDeadline(let run):
          runStartDeadline(run)
        case .indexed(let roots, let specs):
          if roots == workspace.roots {
            workspace.indexedSpecs = Set(specs)
            // Only a Dockerfile's analysis reads the index (the specs that build it): a spec
            // opened before the index is not published a second time.
            let due = Self.now()
            for (uri, document) in documents where document.kind == .dockerfile {
              workspace.forget(uri)
              publishDue[uri] = due
            }
          }
        }
      }
      cancelled.removeAll()
      // Released before a new analysis is queued behind it: two models of a large file never
      // live at once.
      releaseRetiredAnalyses()
      publishDueDiagnostics()
    }
    // Runs still going stop with the server: their runners stop their jobs' process trees.
    for run in runs.values { run.process.signalGroup(SIGTERM) }
    return exitStatus ?? 1
  }

  /// This process's executable.
  static func ownExecutable() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { return CommandLine.arguments.first ?? "lifecycle-job" }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  static func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
  }

  // MARK: Messages

  func handle(_ message: IncomingMessage) {
    switch message {
    case .request(let id, let method, let body):
      if cancelled.remove(id) != nil {
        reply(id, error: .requestCancelled)
        return
      }
      guard let route = Self.routes[method], route.isRequest else {
        if phase == .uninitialized && method != InitializeRequest.method {
          reply(id, error: .serverNotInitialized)
        } else {
          reply(id, error: .methodNotFound(method))
        }
        return
      }
      switch phase {
      case .uninitialized where method != InitializeRequest.method:
        reply(id, error: .serverNotInitialized)
      case .running where method == InitializeRequest.method:
        reply(id, error: .invalidRequest("`initialize` was already received"))
      case .shutDown:
        reply(id, error: .invalidRequest("the server is shut down: only `exit` is accepted"))
      default:
        route.handle(self, id, body)
      }
    case .notification(let method, let body):
      guard let route = Self.routes[method], !route.isRequest else {
        if !method.hasPrefix("$/") { Log.write("ignored unknown notification `\(method)`") }
        return
      }
      if phase == .uninitialized && method != ExitNotification.method { return }
      route.handle(self, nil, body)
    case .response(let id, _, let error):
      guard let continuation = awaitingReply.removeValue(forKey: id) else { return }
      if let error {
        Log.write("the client answered request \(id) with error \(error.code): \(error.message)")
      }
      continuation(message)
    }
  }

  func send(_ body: [UInt8]) {
    if !output.send(body) && exitStatus == nil {
      Log.write("the client's end is closed")
      exitStatus = phase == .shutDown ? 0 : 1
    }
  }

  func reply<Value: Encodable>(_ id: RequestID, result: Value) {
    send(JSONCoding.encodeResponse(id: id, result: result))
  }

  func reply(_ id: RequestID, error: ResponseError) {
    send(JSONCoding.encodeError(id: id, error: error))
  }

  /// True while process `pid` runs: it exists (even if another user's) and is not a zombie
  /// waiting to be reaped.
  static func isAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 || errno == EPERM else { return false }
    guard let stat = DiskFileSystem().contents("/proc/\(pid)/stat"),
      let close = stat.lastIndex(of: UInt8(ascii: ")")), close + 2 < stat.count
    else { return true }
    return stat[close + 2] != UInt8(ascii: "Z")
  }

  /// Sends a notification; after `shutdown`, nothing (the client expects only `exit`'s effect).
  func notify<Params: Encodable>(_ method: String, _ params: Params) {
    guard phase != .shutDown else { return }
    send(JSONCoding.encodeNotification(method: method, params: params))
  }

  /// Sends a request to the client; `then` runs with its response.
  func request<Params: Encodable>(
    _ method: String, _ params: Params?, then: @escaping (IncomingMessage) -> Void
  ) {
    guard phase != .shutDown else { return }
    let id = RequestID.string("lifecycle-job-\(nextRequestNumber)")
    nextRequestNumber += 1
    awaitingReply[id] = then
    send(JSONCoding.encodeRequest(id: id, method: method, params: params))
  }

  func log(_ message: String, type: Int = 3) {
    notify(LogMessageParams.method, LogMessageParams(type: type, message: message))
  }
}
