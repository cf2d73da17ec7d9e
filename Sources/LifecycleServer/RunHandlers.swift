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

/// A job the editor asked to run: `lifecycle-job run … --format jsonl` in a child process.
struct RunningJob {
  var requestID: RequestID
  var token: RequestID?
  var process: any LaunchedProcess
  var title: String
  var outputs: [JSONValue] = []
  var exit: JSONValue?
  var cancelledByClient = false
  var lastLine: [UInt8] = []
}

/// The "Run event" surface: code lenses, the run code action, and `lifecycle-job.runEvent`.
///
/// Architecture Invariant: this command is the only way the server executes anything.
extension LanguageServer {
  static let runEventCommand = "lifecycle-job.runEvent"

  func codeLenses(_ params: CodeLensRequest) throws(ResponseError) -> [CodeLens] {
    guard let document = document(params.textDocument.uri) else { return [] }
    return RunActions.lenses(document.input).map { lens in
      CodeLens(
        range: converter.range(lens.range, in: document.input.source),
        command: runCommand("▶ Run \(lens.event.rawValue)", uri: document.uri, event: lens.event))
    }
  }

  func runCommand(_ title: String, uri: String, event: EventName) -> Command {
    Command(title: title, command: Self.runEventCommand, arguments: [.string(uri), .string(event.rawValue)])
  }

  /// `lifecycle-job.runEvent(uri, event)`: starts the run and answers when it ends.
  func executeCommand(_ id: RequestID, _ params: ExecuteCommandRequest) {
    guard params.command == Self.runEventCommand else {
      reply(id, error: .invalidParams("unknown command `\(params.command)`"))
      return
    }
    guard let arguments = params.arguments, arguments.count >= 2, let uri = arguments[0].stringValue,
      let eventName = arguments[1].stringValue, let event = EventName(rawValue: eventName)
    else {
      reply(
        id,
        error: .invalidParams("\(Self.runEventCommand) takes a spec URI and an event (start, stop or delete)")
      )
      return
    }
    guard let path = DocumentURI.path(uri), case .spec = FileKind.of(fileName: Paths.name(path)) else {
      reply(id, error: .invalidParams("\(uri) is not a job spec on disk"))
      return
    }
    if documents[uri].map({ files.contents(path) != $0.source.bytes }) == true {
      log("\(Paths.name(path)) has unsaved changes: the run uses the file on disk", type: 2)
    }
    // The folder the editor works in, so the runner decides the repository as this server does.
    let canonicalPath = workspace.canonical(path)
    let root =
      workspace.roots.filter { Paths.relative(canonicalPath, to: $0) != nil }.max { $0.count < $1.count }
      ?? Paths.parent(canonicalPath)
    let command = LaunchCommand(
      [
        runnerExecutable, "run", event.rawValue, path, "--format", "jsonl", "--environment", runEnvironment,
        "--root", root,
      ],
      environment: ProcessInfo.processInfo.environment, workingDirectory: Paths.parent(path))
    let runID = nextRunNumber
    nextRunNumber += 1
    let inbox = self.inbox
    let process: any LaunchedProcess
    do {
      process = try launcher.launch(command) { stream, bytes in
        if stream == .stdout {
          inbox.post(.runOutput(run: runID, bytes: bytes))
        } else {
          Log.write(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines))
        }
      }
    } catch {
      reply(id, error: .requestFailed("cannot start the runner: \(error)"))
      return
    }
    DispatchQueue(label: "lifecycle-job.run-wait").async {
      let termination = process.wait()
      inbox.post(.runEnded(run: runID, status: termination.status))
    }
    let title = "Run \(event.rawValue) — \(Paths.name(Paths.parent(path)))"
    var token = params.workDoneToken
    if token == nil, client.window?.workDoneProgress == true {
      let created = RequestID.string("lifecycle-job-run-\(runID)")
      token = created
      request(WorkDoneProgressCreateParams.method, WorkDoneProgressCreateParams(token: created)) { _ in }
    }
    if let token {
      notify(ProgressParams.method, ProgressParams(token: token, value: .begin(title, cancellable: true)))
    }
    log("\(title): started")
    runs[runID] = RunningJob(requestID: id, token: token, process: process, title: title)
  }

  /// JSON lines from a run: the log goes to the client as it comes.
  func runOutput(_ runID: Int, _ bytes: [UInt8]) {
    guard var run = runs[runID] else { return }
    run.lastLine += bytes
    while let newline = run.lastLine.firstIndex(of: 0x0A) {
      let line = Array(run.lastLine[..<newline])
      run.lastLine.removeSubrange(...newline)
      guard let event = try? JSONCoding.decoder.decode(JSONValue.self, from: Data(line)) else { continue }
      switch event["event"]?.stringValue {
      case "log":
        let text = (event["text"]?.stringValue ?? "").trimmingCharacters(in: .newlines)
        log(text, type: event["stream"]?.stringValue == "stderr" ? 2 : 4)
        if let token = run.token, let last = text.split(separator: "\n").last {
          notify(
            ProgressParams.method, ProgressParams(token: token, value: .report(String(last.prefix(120)))))
        }
      case "warning":
        log("warning: \(event["message"]?.stringValue ?? "") [\(event["code"]?.stringValue ?? "")]", type: 2)
      case "output":
        run.outputs.append(event)
      case "exit":
        run.exit = event
      default:
        break
      }
    }
    runs[runID] = run
  }

  /// The child exited: the reply, the end of the progress, a message, and fresh analyses.
  func runEnded(_ runID: Int, status: Int32) {
    guard let run = runs.removeValue(forKey: runID) else { return }
    let exit = run.exit
    let jobStatus = exit?["status"]?.numberValue.map { Int($0) } ?? Int(status)
    let duration = exit?["durationSeconds"]?.numberValue ?? 0
    let timedOut = exit?["timedOut"] == .bool(true)
    let outputs: [JSONValue] = run.outputs.map { output in
      var object = output.objectValue ?? [:]
      object["event"] = nil
      return .object(object)
    }
    let shown = run.outputs.map { output -> String in
      let alias = output["alias"]?.stringValue ?? ""
      return "\(alias)=\(output["value"]?.stringValue ?? LogMasker.mask)"
    }
    var message: String
    if exit == nil {
      message = "\(run.title): the runner stopped (status \(status)) before the job could run; see the log"
    } else {
      message =
        "\(run.title): \(timedOut ? "timed out" : "exit \(jobStatus)") after \(String(format: "%.1f", duration)) s"
      if !shown.isEmpty { message += "; outputs: " + shown.joined(separator: ", ") }
    }
    if let token = run.token {
      notify(ProgressParams.method, ProgressParams(token: token, value: .end(message)))
    }
    notify(
      ShowMessageParams.method,
      ShowMessageParams(type: jobStatus == 0 && exit != nil ? 3 : 1, message: message))
    log(message)
    if run.cancelledByClient {
      reply(run.requestID, error: .requestCancelled)
    } else {
      let summary: JSONValue = .object([
        "status": .number(Double(jobStatus)), "timedOut": .bool(timedOut),
        "durationSeconds": .number(duration),
        "outputs": .array(outputs),
      ])
      reply(run.requestID, result: summary)
    }
    // The new outputs reach completion, hover and diagnostics.
    workspace.invalidate()
    scheduleAll(delay: 0)
  }

  /// `$/cancelRequest` for a running command, or `window/workDoneProgress/cancel`.
  func cancelRun(request id: RequestID?, token: RequestID?) {
    for (runID, run) in runs where (id != nil && run.requestID == id) || (token != nil && run.token == token)
    {
      runs[runID]?.cancelledByClient = id != nil
      // The runner forwards it to the job's process tree, then kills what remains.
      run.process.signalGroup(SIGINT)
    }
  }

  /// The outputs recorded by local runs in the environment of the job at `repository`.
  static func recordedOutputs(repository: String, environment name: String, files: any FileSystem)
    -> [JobOutput]
  {
    let environment = LocalEnvironment(name: name, repository: repository)
    return environment.load(files: files).jobs.sorted { $0.key < $1.key }.flatMap { id, job in
      job.outputs.map {
        JobOutput(
          jobName: job.name, shortID: StableID.short(id), key: $0.key, value: $0.sensitive ? nil : $0.value,
          environment: name)
      }
    }
  }
}
