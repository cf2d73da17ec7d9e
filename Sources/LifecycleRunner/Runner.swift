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
import LifecycleSyntax
import LifecycleWorkspace
import Synchronization

/// What a run reports, in order; the CLI prints these as text or JSON lines.
public enum RunEvent: Equatable, Sendable {
  /// Job output, secrets masked.
  case log(StandardStream, String)
  /// An output variable the platform would create; `value` is nil when sensitive.
  case output(name: String, alias: String, sensitive: Bool, value: String?)
  case warning(code: String, message: String)
  /// Progress for a person (engine, attempts); not part of the JSON lines.
  case note(String)
  /// Always last.
  case exit(status: Int32, timedOut: Bool, durationSeconds: Double, peakMemoryMegabytes: Int)
}

/// What to run.
public struct RunRequest: Sendable {
  /// The spec (absolute path).
  public var specPath: String
  public var event: EventName
  public var environmentName: String
  /// Secret values from --env and --env-file.
  public var secrets: [String: String]
  /// The caller's environment: PATH and HOME pass to the job, declared secrets are read from it.
  public var callerEnvironment: [String: String]
  public var inheritEnvironment: Bool
  public var engine: EngineChoice
  /// Between SIGTERM and SIGKILL when a job must stop.
  public var graceSeconds: Double
  /// The folders the caller works in (`run --root`, the current folder by default; the editor's
  /// workspace folder): a spec with no `.git` above it belongs to the one that holds it, exactly
  /// as `check` and the server decide (`Workspace`).
  public var roots: [String]
  /// For a Terraform file at `specPath`: the `qovery_job` to run (`qovery_job.NAME`), nil when
  /// the file declares one.
  public var resource: String?
  /// Where a `qovery_job`'s repository is when it is not the checkout holding its file.
  public var repositories = RepositoryMap()

  public init(
    specPath: String, event: EventName, environmentName: String = "local", secrets: [String: String] = [:],
    callerEnvironment: [String: String], inheritEnvironment: Bool = false, engine: EngineChoice = .auto,
    graceSeconds: Double = 10, roots: [String] = [], resource: String? = nil
  ) {
    self.roots = roots
    self.resource = resource
    self.specPath = specPath
    self.event = event
    self.environmentName = environmentName
    self.secrets = secrets
    self.callerEnvironment = callerEnvironment
    self.inheritEnvironment = inheritEnvironment
    self.engine = engine
    self.graceSeconds = graceSeconds
  }
}

/// Runs one event of a job as the platform would: variables, engine, timeout over all attempts,
/// retries, masking, output file, state.
///
/// Architecture Invariant: every process starts through `launcher`; a refusal (a spec with
/// errors, a missing secret) happens before anything is started.
public final class Runner: Sendable {
  let launcher: any Launcher
  private let cancelled = Mutex(false)
  private let current = Mutex<(any LaunchedProcess)?>(nil)
  private let wake = DispatchSemaphore(value: 0)

  public init(launcher: any Launcher = SpawnLauncher()) {
    self.launcher = launcher
  }

  /// Stops the run (Ctrl-C, the editor's cancel): the job's group gets SIGINT, then SIGKILL.
  public func cancel() {
    cancelled.withLock { $0 = true }
    current.withLock { $0 }?.signalGroup(SIGINT)
    wake.signal()
  }

  /// Checks and prepares the run; throws before anything executes when it cannot run.
  public func run(
    _ request: RunRequest, files: any FileSystem = DiskFileSystem(),
    report: @escaping @Sendable (RunEvent) -> Void
  )
    throws(RunRefusal) -> Int32
  {
    let started = DispatchTime.now()
    let workspace = Workspace(files: files, roots: request.roots)
    let spec: JobSpec
    let loaded: LoadedJob
    var specInRepository: String
    if TerraformFileName.isJSON(Paths.name(request.specPath)) != nil {
      // A `qovery_job`: the same job a spec gives, identified by its file and resource name.
      switch workspace.terraformJobToRun(
        at: workspace.canonical(request.specPath), resource: request.resource,
        repositories: request.repositories)
      {
      case .failure(let problem): throw .unreadable(problem.message)
      case .success(let found):
        guard found.errorCount == 0 else {
          throw .specHasErrors(path: request.specPath, count: found.errorCount)
        }
        (spec, loaded) = (found.spec, found.job)
        specInRepository = "#qovery_job.\(found.resourceName)"
      }
    } else {
      guard let bytes = files.contents(request.specPath),
        case .spec(let isJSON) = FileKind.of(fileName: Paths.name(request.specPath))
      else { throw .unreadable("\(request.specPath): not a readable job spec") }
      let (analysis, job) = workspace.analyzeSpec(
        at: workspace.canonical(request.specPath), source: SourceText(bytes: bytes), isJSON: isJSON)
      let errors = analysis.diagnostics.filter { $0.severity == .error }.count
      guard errors == 0, let read = analysis.spec, let job else {
        throw .specHasErrors(path: request.specPath, count: max(1, errors))
      }
      (spec, loaded) = (read, job)
      specInRepository = ""
    }
    let environment = LocalEnvironment(name: request.environmentName, repository: loaded.repository)
    specInRepository =
      (Paths.relative(request.specPath, to: loaded.repository) ?? request.specPath) + specInRepository
    let jobID = environment.jobID(spec: specInRepository)
    let variables = try VariableResolver.resolve(
      spec: spec, event: request.event, environment: environment, jobID: jobID,
      state: environment.load(files: files),
      secrets: request.secrets, caller: request.callerEnvironment, inheritCaller: request.inheritEnvironment)
    let toRun = JobToRun(
      spec: spec, event: spec.event(request.event), eventName: request.event,
      root: loaded.root ?? Paths.parent(request.specPath),
      dockerfile: loaded.dockerfile, parsedDockerfile: loaded.context.parsedDockerfile, jobID: jobID)

    guard toRun.event != nil else {
      report(.note("the job has no `\(request.event.rawValue)` event: nothing to run, as on the platform"))
      report(
        .exit(status: 0, timedOut: false, durationSeconds: seconds(since: started), peakMemoryMegabytes: 0))
      return 0
    }
    let useDocker: Bool
    switch request.engine {
    case .docker: useDocker = true
    case .process: useDocker = false
    case .auto: useDocker = dockerAnswers(request.callerEnvironment)
    }
    if !useDocker, toRun.dockerfile == nil, let image = spec.image?.value { throw .needsDocker(image) }
    report(
      .note("engine: \(useDocker ? "docker" : "process"), environment `\(environment.name)`, job id \(jobID)")
    )
    let masker = Mutex([
      StandardStream.stdout: LogMasker(secrets: variables.secretValues),
      .stderr: LogMasker(secrets: variables.secretValues),
    ])
    let emitLog: @Sendable (StandardStream, [UInt8]) -> Void = { stream, bytes in
      let ready = masker.withLock { $0[stream]!.feed(bytes) }
      if !ready.isEmpty { report(.log(stream, String(decoding: ready, as: UTF8.self))) }
    }
    let flushLogs: @Sendable () -> Void = {
      for stream in [StandardStream.stdout, .stderr] {
        let rest = masker.withLock { $0[stream]!.flush() }
        if !rest.isEmpty { report(.log(stream, String(decoding: rest, as: UTF8.self))) }
      }
    }

    let deadline = started.uptimeNanoseconds + UInt64(max(1, spec.timeoutSeconds)) * 1_000_000_000
    let isolation = useDocker ? nil : outputIsolation(request.callerEnvironment)
    var warned = false
    var peakKilobytes = 0
    var status: Int32 = 0
    var timedOut = false
    var outputFolder = ""
    var preparationDone = false
    for attempt in 0...max(0, spec.restarts) {
      outputFolder = makeOutputFolder()
      defer { if status != 0 || timedOut { removeFolder(outputFolder) } }
      let runName = "lifecycle-job-\(StableID.short(jobID).lowercased())-\(UInt32.random(in: 0...UInt32.max))"
      let plan =
        useDocker
        ? DockerEngine.plan(
          toRun, variables: variables, caller: request.callerEnvironment, outputFolder: outputFolder,
          runName: runName)
        : ProcessEngine.plan(toRun, variables: variables, outputFolder: outputFolder, isolation: isolation!)
      if let warning = plan.warning, !warned {
        warned = true
        report(.warning(code: warning.code, message: warning.message))
      }
      if attempt > 0 { report(.note("attempt \(attempt + 1) of \(spec.restarts + 1)")) }
      var steps = preparationDone ? [] : plan.preparation
      preparationDone = true
      guard let command = plan.job else {
        report(
          .note(
            "the `\(request.event.rawValue)` event runs the image's default command, and the image has none: nothing to run"
          ))
        break
      }
      steps.append(command)
      for step in steps {
        let outcome = execute(
          step, deadline: deadline, grace: request.graceSeconds, stop: plan.stop, output: emitLog)
        flushLogs()
        peakKilobytes = max(peakKilobytes, outcome.termination.peakMemoryKilobytes)
        status = outcome.termination.status
        timedOut = outcome.timedOut
        if outcome.launchError != nil {
          report(.warning(code: "launch-failed", message: outcome.launchError!))
        }
        if status != 0 { break }
      }
      if status == 0 || timedOut || cancelled.withLock({ $0 }) { break }
    }
    if timedOut {
      status = 124
      report(
        .warning(
          code: "timeout",
          message:
            "the job ran past its timeout of \(spec.timeoutSeconds) s (all attempts): its processes were stopped"
        ))
    } else if cancelled.withLock({ $0 }) {
      status = 130
    } else if status == 0 {
      collectOutputs(
        outputFolder, environment: environment, jobID: jobID, spec: spec, specInRepository: specInRepository,
        report: report)
      removeFolder(outputFolder)
    }
    let peakMegabytes = (peakKilobytes + 1023) / 1024
    if peakMegabytes > spec.memoryMegabytes {
      report(
        .warning(
          code: "memory-above-declared",
          message:
            "the job peaked at \(peakMegabytes) MB, above its declared \(spec.memoryMegabytes) MB: on the platform it would be killed"
        ))
    }
    report(
      .exit(
        status: status, timedOut: timedOut, durationSeconds: seconds(since: started),
        peakMemoryMegabytes: peakMegabytes))
    return status
  }

  struct Outcome {
    var termination: Termination
    var timedOut: Bool
    var launchError: String?
  }

  /// Starts `command` and waits for it, until `deadline` (then SIGTERM, SIGKILL after `grace`)
  /// or a cancellation (SIGINT, then SIGKILL after `grace`).
  func execute(
    _ command: LaunchCommand, deadline: UInt64, grace: Double, stop: LaunchCommand?,
    output: @escaping @Sendable (StandardStream, [UInt8]) -> Void
  ) -> Outcome {
    if cancelled.withLock({ $0 }) { return Outcome(termination: Termination(status: 130), timedOut: false) }
    let process: any LaunchedProcess
    do {
      process = try launcher.launch(command, output: output)
    } catch {
      return Outcome(termination: Termination(status: 127), timedOut: false, launchError: "\(error)")
    }
    current.withLock { $0 = process }
    defer { current.withLock { $0 = nil } }
    let finished = Mutex<Termination?>(nil)
    let done = DispatchSemaphore(value: 0)
    DispatchQueue(label: "lifecycle-job.run-wait").async {
      let termination = process.wait()
      finished.withLock { $0 = termination }
      done.signal()
      self.wake.signal()
    }
    // A cancellation that came while launching.
    if cancelled.withLock({ $0 }) { process.signalGroup(SIGINT) }
    var timedOut = false
    while finished.withLock({ $0 }) == nil {
      let now = DispatchTime.now().uptimeNanoseconds
      if now >= deadline {
        timedOut = true
        break
      }
      _ = wake.wait(timeout: DispatchTime(uptimeNanoseconds: deadline))
      if cancelled.withLock({ $0 }) && finished.withLock({ $0 }) == nil { break }
    }
    if finished.withLock({ $0 }) == nil {
      process.signalGroup(timedOut ? SIGTERM : SIGINT)
      if let stop { _ = try? launcher.launch(stop, output: { _, _ in }).wait() }
      if done.wait(timeout: .now() + grace) == .timedOut {
        process.signalGroup(SIGKILL)
        done.wait()
      }
    } else {
      done.wait()
    }
    return Outcome(termination: finished.withLock { $0 }!, timedOut: timedOut)
  }

  func dockerAnswers(_ caller: [String: String]) -> Bool {
    let probe = LaunchCommand(["docker", "info"], environment: DockerEngine.clientEnvironment(caller))
    guard let process = try? launcher.launch(probe, output: { _, _ in }) else { return false }
    return process.wait().status == 0
  }

  /// Mount namespaces when `unshare` works here and `/qovery-output` exists (or can be made).
  func outputIsolation(_ caller: [String: String]) -> ProcessEngine.OutputIsolation {
    let asRoot = getuid() == 0
    if asRoot {
      try? FileManager.default.createDirectory(atPath: "/qovery-output", withIntermediateDirectories: true)
    }
    var isDirectory = false
    if let type = DiskFileSystem().type("/qovery-output") { isDirectory = type == .directory }
    guard isDirectory else {
      return .rewrite(
        reason:
          "`/qovery-output` does not exist on this machine (create it once: `sudo mkdir /qovery-output`)")
    }
    let probe = LaunchCommand(
      ["unshare", "--mount", "--propagation", "private"] + (asRoot ? [] : ["--user", "--map-root-user"])
        + ["/bin/sh", "-c", "mount --bind /tmp /qovery-output"],
      environment: ["PATH": caller["PATH"] ?? "/usr/bin:/bin"])
    guard let process = try? launcher.launch(probe, output: { _, _ in }), process.wait().status == 0 else {
      return .rewrite(reason: "private mount namespaces are not available here (`unshare --mount` failed)")
    }
    return .mountNamespace(asRoot: asRoot)
  }

  func collectOutputs(
    _ folder: String, environment: LocalEnvironment, jobID: String, spec: JobSpec, specInRepository: String,
    report: @Sendable (RunEvent) -> Void
  ) {
    guard let bytes = DiskFileSystem().contents(folder + "/qovery-output.json") else {
      report(.note("the job wrote no /qovery-output/qovery-output.json: no output variables"))
      return
    }
    let (file, diagnostics) = OutputChecks.check(SourceText(bytes: bytes))
    for diagnostic in diagnostics {
      report(.warning(code: diagnostic.code, message: "qovery-output.json: \(diagnostic.message)"))
    }
    guard !file.isRejected else { return }
    let outputs = file.entries.map {
      RecordedOutput(key: $0.name, value: $0.value, sensitive: $0.isSensitive)
    }
    for output in outputs {
      report(
        .output(
          name: "QOVERY_OUTPUT_JOB_\(StableID.short(jobID))_\(output.key)", alias: output.key,
          sensitive: output.sensitive, value: output.sensitive ? nil : output.value))
    }
    do {
      try environment.record(
        jobID: jobID,
        job: EnvironmentState.Job(name: spec.name?.value ?? "", spec: specInRepository, outputs: outputs))
    } catch {
      report(.warning(code: "state-not-saved", message: "the outputs could not be recorded: \(error)"))
    }
  }

  func makeOutputFolder() -> String {
    var template = Array(
      (FileManager.default.temporaryDirectory.path + "/lifecycle-job-output-XXXXXX").utf8CString)
    return template.withUnsafeMutableBufferPointer { buffer in
      guard let path = mkdtemp(buffer.baseAddress!) else { return "/tmp" }
      chmod(path, 0o777)
      return String(cString: path)
    }
  }

  func removeFolder(_ path: String) {
    guard path.hasPrefix(FileManager.default.temporaryDirectory.path) else { return }
    try? FileManager.default.removeItem(atPath: path)
  }

  func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
  }
}
