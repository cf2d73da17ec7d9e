//! Runs from the editor: the ▶ Run lenses, and `lifecycle-job.runEvent`, which starts
//! `lifecycle-job run … --format jsonl` in a child process and reads its `RunLine`s on the loop.
//!
//! A run never holds the editor: the command is answered as soon as the runner says the job
//! started (its first line) or was refused (its only line), at most `startReplySeconds` after
//! launch. Then the log goes to `window/logMessage` (Info, stderr as Warning) and into a file of
//! its own, the last line to `$/progress` where the client accepted a progress token, and the run
//! ends with one `window/showMessage` naming that file.
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
import Synchronization

/// A job the editor asked to run.
struct RunningJob {
  var specPath: String
  var event: EventName
  /// "Run start — rds".
  var title: String
  /// The `executeCommand` request, until it is answered (started or refused).
  var pendingReply: RequestID?
  /// Our progress token, once the client accepted it.
  var token: RequestID?
  var process: any LaunchedProcess
  var log: RunLogFile
  var startedAt = LanguageServer.now()
  var outputs: [String] = []
  var exit: (status: Int32, timedOut: Bool, durationSeconds: Double)?
  var refusal: String?
  /// The job's first stderr lines and the runner's warnings: what a failure summary quotes.
  var why: [String] = []
  var lastLine: [UInt8] = []
  var cancelledByClient = false
  /// What the runner itself wrote on stderr (it reports there when it cannot even start).
  let runnerErrors: RunnerErrors
}

extension LanguageServer {
  static let runEventCommand = "lifecycle-job.runEvent"
  static let stopRunCommand = "lifecycle-job.stopRun"
  /// The commands the server executes.
  static let runCommands = [runEventCommand, stopRunCommand]
  /// The longest a run's command waits for the runner's first line before answering "started".
  static let startReplySeconds = 2.0

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

  func applyRunSettings(_ value: JSONValue?) {
    guard let value else { return }
    runSettings = RunSettings(value)
  }

  /// `lifecycle-job.runEvent(uri, event)` starts a run; `lifecycle-job.stopRun(uri, event)`
  /// stops it.
  func executeCommand(_ id: RequestID, _ params: ExecuteCommandRequest) {
    guard Self.runCommands.contains(params.command) else {
      reply(id, error: .invalidParams("unknown command `\(params.command)`"))
      return
    }
    guard let arguments = params.arguments, arguments.count >= 2, let uri = arguments[0].stringValue,
      let eventName = arguments[1].stringValue, let event = EventName(rawValue: eventName)
    else {
      reply(
        id, error: .invalidParams("\(params.command) takes a spec URI and an event (start, stop or delete)"))
      return
    }
    guard let path = DocumentURI.path(uri), case .spec = FileKind.of(fileName: Paths.name(path)) else {
      reply(id, error: .invalidParams("\(uri) is not a job spec on disk"))
      return
    }
    let title = "Run \(event.rawValue) — \(Paths.name(Paths.parent(path)))"
    let running = runs.first { $0.value.specPath == path && $0.value.event == event }
    if params.command == Self.stopRunCommand {
      guard let (runID, run) = running else {
        reply(id, error: .requestFailed("\(title): not running"))
        return
      }
      runs[runID]?.cancelledByClient = true
      run.process.signalGroup(SIGINT)
      reply(id, result: JSONValue.null)
      return
    }
    if let (_, run) = running {
      let seconds = Int(Self.now() - run.startedAt)
      reply(
        id,
        error: .requestFailed(
          "\(title): refused: this event is already running (for \(seconds) s); wait for its end or stop it (lifecycle-job.stopRun)"
        ))
      return
    }
    if let unsaved = unsavedFile(ofJobAt: path) {
      reply(
        id,
        error: .requestFailed(
          "\(title): refused: \(Paths.name(unsaved)) has unsaved changes, and the run would use the file on disk; save it first"
        ))
      return
    }
    let environment: [String: String]
    switch runEnvironmentVariables(forSpecAt: path) {
    case .success(let variables): environment = variables
    case .failure(let error):
      reply(id, error: .requestFailed("\(title): refused: \(error.message)"))
      return
    }
    let runID = nextRunNumber
    nextRunNumber += 1
    let logFile: RunLogFile
    switch RunLogFile.create(
      in: runLogFolder(), name: Self.logFileName(specPath: path, event: event, run: runID))
    {
    case .success(let file): logFile = file
    case .failure(let error):
      reply(id, error: .requestFailed("\(title): refused: \(error.message) (set `run.logFolder`)"))
      return
    }
    // The folder the editor works in, so the runner decides the repository as this server does.
    let canonicalPath = workspace.canonical(path)
    let root =
      workspace.roots.filter { Paths.relative(canonicalPath, to: $0) != nil }.max { $0.count < $1.count }
      ?? Paths.parent(canonicalPath)
    var runnerArguments = [
      runnerExecutable, "run", event.rawValue, path, "--format", "jsonl", "--environment", runEnvironment,
      "--root", root,
    ]
    if let engine = runSettings.engine { runnerArguments += ["--engine", engine] }
    let command = LaunchCommand(
      runnerArguments, environment: environment, workingDirectory: Paths.parent(path))
    let inbox = self.inbox
    let runnerErrors = RunnerErrors()
    let process: any LaunchedProcess
    do {
      process = try launcher.launch(command) { stream, bytes in
        if stream == .stdout {
          inbox.post(.runOutput(run: runID, bytes: bytes))
        } else {
          runnerErrors.append(bytes)
        }
      }
    } catch {
      logFile.close()
      reply(id, error: .requestFailed("\(title): cannot start the runner: \(error)"))
      return
    }
    DispatchQueue(label: "lifecycle-job.run-wait").async {
      let termination = process.wait()
      inbox.post(.runEnded(run: runID, status: termination.status))
    }
    DispatchQueue.global().asyncAfter(deadline: .now() + Self.startReplySeconds) {
      inbox.post(.runStartDeadline(run: runID))
    }
    logFile.write("\(title) (\(path))\n")
    runs[runID] = RunningJob(
      specPath: path, event: event, title: title, pendingReply: id, process: process, log: logFile,
      runnerErrors: runnerErrors)
  }

  /// The runner said nothing yet: answer "started" rather than hold the editor.
  func runStartDeadline(_ runID: Int) {
    if runs[runID]?.pendingReply != nil { runStarted(runID) }
  }

  /// The command's answer, a message naming the log, and progress where the client takes it.
  func runStarted(_ runID: Int) {
    guard let run = runs[runID], let id = run.pendingReply else { return }
    runs[runID]?.pendingReply = nil
    reply(id, result: JSONValue.object(["started": .bool(true), "logFile": .string(run.log.path)]))
    notify(
      ShowMessageParams.method,
      ShowMessageParams(type: 3, message: "\(run.title): started; log: \(run.log.path)"))
    guard client.window?.workDoneProgress == true else { return }
    let token = RequestID.string("lifecycle-job-run-\(runID)")
    request(WorkDoneProgressCreateParams.method, WorkDoneProgressCreateParams(token: token)) {
      [self] response in
      // Progress only on a token the client accepted, and only while the run lasts.
      guard case .response(_, _, nil) = response, runs[runID] != nil else { return }
      runs[runID]?.token = token
      notify(ProgressParams.method, ProgressParams(token: token, value: .begin(run.title, cancellable: true)))
    }
  }

  /// Lines from a run: the log goes to the client and the log file as it comes.
  func runOutput(_ runID: Int, _ bytes: [UInt8]) {
    guard runs[runID] != nil else { return }
    runs[runID]!.lastLine += bytes
    while let run = runs[runID], let newline = run.lastLine.firstIndex(of: 0x0A) {
      let line = Array(run.lastLine[..<newline])
      runs[runID]!.lastLine.removeSubrange(...newline)
      guard let decoded = RunLine.decode(line) else { continue }
      if case .refused = decoded {} else { runStarted(runID) }
      handle(decoded, ofRun: runID)
    }
  }

  private func handle(_ line: RunLine, ofRun runID: Int) {
    guard var run = runs[runID] else { return }
    defer { runs[runID] = run }
    switch line {
    case .note(let message):
      run.log.write("lifecycle-job: \(message)\n")
    case .log(let stream, let text):
      run.log.write(text)
      let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
      if stream == .stderr, run.why.count < 3 {
        run.why += lines.prefix(3 - run.why.count).map(String.init)
      }
      log(text.trimmingCharacters(in: .newlines), type: stream == .stderr ? 2 : 3)
      if let token = run.token, let last = lines.last {
        notify(ProgressParams.method, ProgressParams(token: token, value: .report(String(last.prefix(120)))))
      }
    case .warning(let code, let message):
      let text = "warning: \(message) [\(code)]"
      run.log.write("lifecycle-job: \(text)\n")
      log(text, type: 2)
    case .output(let name, let alias, let sensitive, let value):
      let shown = sensitive ? LogMasker.mask : value ?? ""
      run.log.write("lifecycle-job: output \(name) (alias \(alias)) = \(shown)\n")
      run.outputs.append("\(alias)=\(shown)")
    case .refused(let reason, let missingSecrets):
      let because =
        missingSecrets.isEmpty
        ? reason
        : "no value for the secret\(missingSecrets.count == 1 ? "" : "s") "
          + missingSecrets.map { "`\($0)`" }.joined(separator: ", ")
          + ": give \(missingSecrets.count == 1 ? "it" : "them") in the setting `run.env`, in the file the setting `run.envFile` names, or in the editor's environment; nothing was run"
      run.refusal = because
      run.log.write("lifecycle-job: refused: \(because)\n")
    case .exit(let status, let timedOut, let durationSeconds, _):
      run.exit = (status, timedOut, durationSeconds)
    }
  }

  /// The runner exited: the summary, the end of the progress, and fresh analyses.
  func runEnded(_ runID: Int, status: Int32) {
    guard let run = runs.removeValue(forKey: runID) else { return }
    var message: String
    var failed = true
    if let refusal = run.refusal {
      message = "\(run.title): refused: \(refusal)"
    } else if let exit = run.exit {
      failed = exit.status != 0
      message =
        "\(run.title): \(exit.timedOut ? "timed out" : "exit \(exit.status)") after \(String(format: "%.1f", exit.durationSeconds)) s"
      if !run.outputs.isEmpty { message += "; outputs: " + run.outputs.joined(separator: ", ") }
    } else {
      message = "\(run.title): the runner stopped (status \(status)) before the job ran"
    }
    message += "; log: \(run.log.path)"
    let why = run.exit == nil && run.refusal == nil ? Array(run.runnerErrors.all.prefix(3)) : run.why
    if failed && run.refusal == nil && !why.isEmpty { message += "\n" + why.joined(separator: "\n") }
    run.log.write("lifecycle-job: \(message)\n")
    run.log.close()
    if let id = run.pendingReply {
      // Refused (or gone) before it started: the answer says why, and nothing else is shown.
      reply(id, error: run.cancelledByClient ? .requestCancelled : .requestFailed(message))
    } else {
      if let token = run.token {
        notify(
          ProgressParams.method,
          ProgressParams(token: token, value: .end(message.prefix { $0 != "\n" }.description)))
      }
      notify(ShowMessageParams.method, ShowMessageParams(type: failed ? 1 : 3, message: message))
      if failed, client.window?.showDocument?.support == true {
        request(
          ShowDocumentParams.method, ShowDocumentParams(uri: DocumentURI.uri(run.log.path), takeFocus: false)
        ) { _ in }
      }
    }
    log(message, type: failed ? 2 : 3)
    // The new outputs reach completion, hover and diagnostics.
    workspace.invalidate()
    scheduleAll(delay: 0)
  }

  /// `$/cancelRequest` for a run not yet answered, or `window/workDoneProgress/cancel`.
  func cancelRun(request id: RequestID?, token: RequestID?) {
    for (runID, run) in runs
    where (id != nil && run.pendingReply == id) || (token != nil && run.token == token) {
      runs[runID]?.cancelledByClient = true
      // The runner forwards it to the job's process tree, then kills what remains.
      run.process.signalGroup(SIGINT)
    }
  }

  /// An open document of the job (the spec, its Dockerfile, its Terraform files: anything open
  /// under the spec's folder) whose text differs from the file on disk.
  func unsavedFile(ofJobAt specPath: String) -> String? {
    let folder = Paths.parent(specPath)
    return documents.values.compactMap { document -> String? in
      guard let path = document.path, path == specPath || path.hasPrefix(folder + "/"),
        workspace.disk.contents(path) != document.source.bytes
      else { return nil }
      return path
    }.min()
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
