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
  /// The longest any call to the container engine's CLI may take that is not the job itself
  /// (`info`, `kill`): an engine that never answers must not hold the run.
  public var engineCallSeconds: Double
  /// Restarts follow each other at once instead of backing off as Kubernetes does.
  public var noBackoff: Bool
  /// For a Terraform file at `specPath`: the `qovery_job` to run (`qovery_job.NAME`), nil when
  /// the file declares one.
  public var resource: String?
  /// Where a `qovery_job`'s repository is when it is not the checkout holding its file.
  public var repositories = RepositoryMap()

  public init(
    specPath: String, event: EventName, environmentName: String = "local", secrets: [String: String] = [:],
    callerEnvironment: [String: String], inheritEnvironment: Bool = false, engine: EngineChoice = .auto,
    graceSeconds: Double = 10, engineCallSeconds: Double = 15, noBackoff: Bool = false, roots: [String] = [],
    resource: String? = nil
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
    self.engineCallSeconds = engineCallSeconds
    self.noBackoff = noBackoff
  }
}

/// Runs one event of a job as the platform would: variables, engine, timeout over all attempts,
/// retries, masking, output file, state.
///
/// Architecture Invariant: every process starts through `launcher`; a refusal (a spec with
/// errors, a missing secret) happens before anything is started.
public final class Runner: Sendable {
  let launcher: any Launcher
  /// The signal the run was cancelled with (nil: not cancelled).
  private let cancelled = Mutex<Int32?>(nil)
  private let current = Mutex<(any LaunchedProcess)?>(nil)
  private let wake = DispatchSemaphore(value: 0)

  public init(launcher: any Launcher = SpawnLauncher()) {
    self.launcher = launcher
  }

  /// Stops the run (Ctrl-C, SIGTERM, the editor's cancel): the job's group gets `signal` as
  /// sent, then SIGKILL after the grace period.
  public func cancel(signal: Int32 = SIGINT) {
    cancelled.withLock { $0 = $0 ?? signal }
    current.withLock { $0 }?.signalGroup(signal)
    wake.signal()
  }

  private var isCancelled: Bool { cancelled.withLock { $0 } != nil }

  /// Checks and prepares the run; throws before anything executes when it cannot run.
  public func run(
    _ request: RunRequest, files: any FileSystem = DiskFileSystem(),
    report unmasked: @escaping @Sendable (RunEvent) -> Void
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
    guard LocalEnvironment.isValidName(request.environmentName) else {
      throw .invalidEnvironmentName(request.environmentName)
    }
    let environment = LocalEnvironment(name: request.environmentName, repository: loaded.repository)
    let (state, stateProblem) = environment.loadChecked(files: files)
    specInRepository =
      (Paths.relative(request.specPath, to: loaded.repository) ?? request.specPath) + specInRepository
    let jobID = environment.jobID(spec: specInRepository)
    let variables = try VariableResolver.resolve(
      spec: spec, event: request.event, environment: environment, jobID: jobID,
      state: state,
      secrets: request.secrets, caller: request.callerEnvironment, inheritCaller: request.inheritEnvironment)
    let toRun = JobToRun(
      spec: spec, event: spec.event(request.event), eventName: request.event,
      root: loaded.root ?? Paths.parent(request.specPath),
      dockerfile: loaded.dockerfile, parsedDockerfile: loaded.context.parsedDockerfile, jobID: jobID)
    if let event = toRun.event, let name = Self.secretOnCommandLine(event, variables) {
      throw .secretOnCommandLine(name)
    }
    // Every message, not only the log, is masked: an error may quote what a job wrote.
    let messageMasker = LogMasker(secrets: variables.secretValues)
    let report: @Sendable (RunEvent) -> Void = { event in
      switch event {
      case .warning(let code, let message):
        unmasked(.warning(code: code, message: messageMasker.masked(message)))
      case .note(let message): unmasked(.note(messageMasker.masked(message)))
      default: unmasked(event)
      }
    }
    if let stateProblem { report(.warning(code: "state-unreadable", message: stateProblem)) }

    guard toRun.event != nil else {
      report(.note("the job has no `\(request.event.rawValue)` event: nothing to run, as on the platform"))
      report(
        .exit(status: 0, timedOut: false, durationSeconds: seconds(since: started), peakMemoryMegabytes: 0))
      return 0
    }
    let cli: String?
    switch request.engine {
    case .docker: cli = "docker"
    case .podman: cli = "podman"
    case .process: cli = nil
    case .auto:
      cli = ["docker", "podman"].first {
        engineAnswers($0, caller: request.callerEnvironment, seconds: request.engineCallSeconds)
      }
    }
    if isCancelled { throw .cancelled }
    let useDocker = cli != nil
    if !useDocker, toRun.dockerfile == nil, let image = spec.image?.value { throw .needsDocker(image) }
    report(
      .note("engine: \(cli ?? "process"), environment `\(environment.name)`, job id \(jobID)")
    )
    let masker = Mutex(LogMasker(secrets: variables.secretValues))
    let emitLog: @Sendable (StandardStream, [UInt8]) -> Void = { stream, bytes in
      masker.withLock { masker in
        // Reported under the lock, so pieces keep their order.
        for (stream, piece) in masker.feed(stream, bytes) {
          report(.log(stream, String(decoding: piece, as: UTF8.self)))
        }
      }
    }
    let flushLogs: @Sendable () -> Void = {
      masker.withLock { masker in
        for (stream, piece) in masker.flush() { report(.log(stream, String(decoding: piece, as: UTF8.self))) }
      }
    }

    let deadline = started.uptimeNanoseconds + UInt64(max(1, spec.timeoutSeconds)) * 1_000_000_000
    let isolation = useDocker ? nil : outputIsolation(request.callerEnvironment)
    var warned = false
    var peakKilobytes = 0
    var memoryMeasured = false
    var status: Int32 = 0
    var timedOut = false
    let processUser = useDocker ? .runner : Self.user(ofImage: toRun)
    var runFolder: RunFolder?
    var preparationDone = false
    for attempt in 0...max(0, spec.restarts) {
      runFolder?.remove()
      let folder: RunFolder
      do {
        folder = try RunFolder.make()
      } catch {
        report(.warning(code: "no-private-folder", message: "\(error): nothing was run"))
        status = 2
        break
      }
      runFolder = folder
      // The job's user writes its outputs.
      if case .switchTo(let uid, let gid, _) = processUser { chown(folder.output, uid, gid) }
      let runName = "lifecycle-job-\(StableID.short(jobID).lowercased())-\(UInt32.random(in: 0...UInt32.max))"
      // Podman runs here, under our cgroup; a Docker daemon is elsewhere, with its own.
      let cgroup = Cgroup.make(name: runName)
      defer { cgroup?.remove() }
      let plan =
        if let cli {
          DockerEngine.plan(
            toRun, variables: variables, caller: request.callerEnvironment,
            setup: .init(
              cli: cli, outputFolder: folder.output, environmentFile: folder.path + "/env", runName: runName,
              cgroupParent: cli == "podman" ? cgroup.map { $0.relative + "/engine" } : nil,
              outputOwnedByContainerUser: cli == "podman" && getuid() == 0))
        } else {
          ProcessEngine.plan(
            toRun, variables: variables, outputFolder: folder.output, isolation: isolation!, user: processUser
          )
        }
      do {
        for (path, contents) in plan.files { try folder.writePrivate(path, contents) }
      } catch {
        report(.warning(code: "no-private-folder", message: "\(error): nothing was run"))
        status = 2
        break
      }
      if !warned {
        warned = true
        for warning in plan.warnings { report(.warning(code: warning.code, message: warning.message)) }
      }
      if attempt > 0 {
        let pause = request.noBackoff ? 0 : Self.backoffSeconds(beforeAttempt: attempt)
        if pause > 0 {
          report(
            .note("restarting in \(pause) s (as the platform backs off; --no-backoff to restart at once)"))
          if !sleep(seconds: pause, deadline: deadline) {
            timedOut = !isCancelled
            break
          }
        }
        report(.note("attempt \(attempt + 1) of \(spec.restarts + 1)"))
      }
      // Whatever step the runner dies in, the run's folder (its env file too) goes.
      var steps = (preparationDone ? [] : plan.preparation).map { step in
        var step = step
        step.folderToRemoveOnDeath = folder.path
        step.outputGraceSeconds = request.graceSeconds
        return step
      }
      preparationDone = true
      guard let command = plan.job else {
        report(
          .note(
            "the `\(request.event.rawValue)` event runs the image's default command, and the image has none: nothing to run"
          ))
        break
      }
      var job = command
      job.cgroup = cgroup?.path
      job.folderToRemoveOnDeath = folder.path
      job.onRunnerDeath = plan.stop?.arguments ?? []
      job.outputGraceSeconds = request.graceSeconds
      steps.append(job)
      for (index, step) in steps.enumerated() {
        let outcome = execute(
          step, deadline: deadline, grace: request.graceSeconds, stop: plan.stop,
          engineCallSeconds: request.engineCallSeconds, output: emitLog)
        flushLogs()
        status = outcome.termination.status
        timedOut = outcome.timedOut
        if outcome.launchError != nil {
          report(.warning(code: "launch-failed", message: outcome.launchError!))
        }
        if index == steps.count - 1 {
          // The job's own memory: its cgroup's peak (the container's, under `engine`), else
          // what was sampled of the process engine's group. The docker CLI's is not the job's.
          if let measured = cgroup?.peakKilobytes(child: cli == nil ? nil : "engine") {
            peakKilobytes = max(peakKilobytes, measured)
            memoryMeasured = true
          } else if cli == nil {
            peakKilobytes = max(peakKilobytes, outcome.termination.peakMemoryKilobytes)
            memoryMeasured = true
          }
          if status == 137, cgroup?.outOfMemoryKill() == true {
            report(
              .warning(
                code: "out-of-memory",
                message:
                  "the job was killed for lack of memory (out of memory: exit 137)\(cli == nil ? "" : ", above its limit of \(spec.memoryMegabytes) MB"); on the platform too it would be OOM-killed"
              ))
          }
        }
        if status != 0 { break }
      }
      if status == 0 || timedOut || isCancelled { break }
    }
    if timedOut {
      status = 124
      report(
        .warning(
          code: "timeout",
          message:
            "the job ran past its timeout of \(spec.timeoutSeconds) s (all attempts): its processes were stopped"
        ))
    } else if let signal = cancelled.withLock({ $0 }) {
      status = 128 + signal
    } else if status == 0, let runFolder {
      collectOutputs(
        runFolder, environment: environment, jobID: jobID, spec: spec, specInRepository: specInRepository,
        secretValues: variables.secretValues, report: report)
    }
    runFolder?.remove()
    let peakMegabytes = (peakKilobytes + 1023) / 1024
    if memoryMeasured, peakMegabytes > spec.memoryMegabytes {
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
    engineCallSeconds: Double = 15,
    output: @escaping @Sendable (StandardStream, [UInt8]) -> Void
  ) -> Outcome {
    if let signal = cancelled.withLock({ $0 }) {
      return Outcome(termination: Termination(status: 128 + signal), timedOut: false)
    }
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
    if let signal = cancelled.withLock({ $0 }) { process.signalGroup(signal) }
    var timedOut = false
    while finished.withLock({ $0 }) == nil {
      let now = DispatchTime.now().uptimeNanoseconds
      if now >= deadline {
        timedOut = true
        break
      }
      _ = wake.wait(timeout: DispatchTime(uptimeNanoseconds: deadline))
      if isCancelled && finished.withLock({ $0 }) == nil { break }
    }
    if finished.withLock({ $0 }) == nil {
      process.signalGroup(timedOut ? SIGTERM : cancelled.withLock { $0 } ?? SIGTERM)
      if let stop { _ = bounded(stop, seconds: engineCallSeconds, cancellable: false) }
      if done.wait(timeout: .now() + grace) == .timedOut {
        process.signalGroup(SIGKILL)
        done.wait()
      }
    } else {
      done.wait()
    }
    return Outcome(termination: finished.withLock { $0 }!, timedOut: timedOut)
  }

  /// True when `cli info` succeeds within `seconds` (an engine that never answers is killed
  /// then, and a cancellation stops the probe at once).
  func engineAnswers(_ cli: String, caller: [String: String], seconds: Double) -> Bool {
    let probe = LaunchCommand([cli, "info"], environment: DockerEngine.clientEnvironment(caller))
    return bounded(probe, seconds: seconds) == 0
  }

  /// Runs an engine call that is not the job, for at most `seconds`: its status, nil when it
  /// could not start, ran out of time or the run was cancelled.
  func bounded(_ command: LaunchCommand, seconds: Double, cancellable: Bool = true) -> Int32? {
    let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0.1, seconds) * 1e9)
    guard let process = try? launcher.launch(command, output: { _, _ in }) else { return nil }
    let finished = Mutex<Int32?>(nil)
    let done = DispatchSemaphore(value: 0)
    DispatchQueue(label: "lifecycle-job.engine-call").async {
      let status = process.wait().status
      finished.withLock { $0 = status }
      done.signal()
    }
    while finished.withLock({ $0 }) == nil, !(cancellable && isCancelled),
      DispatchTime.now().uptimeNanoseconds < deadline
    {
      _ = done.wait(timeout: .now() + .milliseconds(50))
    }
    guard let status = finished.withLock({ $0 }) else {
      process.signalGroup(SIGKILL)
      _ = done.wait(timeout: .now() + 2)
      return nil
    }
    return status
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
    return .mountNamespace(asRoot: asRoot, uid: getuid(), gid: getgid())
  }

  func collectOutputs(
    _ folder: RunFolder, environment: LocalEnvironment, jobID: String, spec: JobSpec,
    specInRepository: String, secretValues: [String],
    report: @Sendable (RunEvent) -> Void
  ) {
    let bytes: [UInt8]
    switch folder.readOutput() {
    case .missing:
      report(.note("the job wrote no /qovery-output/qovery-output.json: no output variables"))
      return
    case .notRegular:
      report(
        .warning(
          code: "output-not-a-file",
          message:
            "/qovery-output/qovery-output.json is not a regular file (a link, a folder or a pipe): it was not read, no output variables"
        ))
      return
    case .tooLarge(let size):
      report(
        .warning(
          code: "output-too-large",
          message:
            "/qovery-output/qovery-output.json has \(size) bytes, more than the \(RunFolder.outputLimitBytes) bytes (1 MiB) the platform reads: it was not read, no output variables"
        ))
      return
    case .contents(let read):
      bytes = read
    }
    let (file, diagnostics) = OutputChecks.check(SourceText(bytes: bytes))
    for diagnostic in diagnostics {
      report(.warning(code: diagnostic.code, message: "qovery-output.json: \(diagnostic.message)"))
    }
    guard !file.isRejected else { return }
    let masker = LogMasker(secrets: secretValues)
    var outputs: [RecordedOutput] = []
    for entry in file.entries {
      let name = "QOVERY_OUTPUT_JOB_\(StableID.short(jobID))_\(entry.name)"
      if OutputNames.isReserved(entry.name) {
        report(
          .warning(
            code: "output-reserved-name",
            message:
              "the output `\(entry.name)` would set a variable the job's process, its shell or the container engine reads for itself: not recorded (use another name)"
          ))
        continue
      }
      if name.utf8.count + entry.value.utf8.count + 1 > OutputNames.maximumVariableBytes {
        report(
          .warning(
            code: "output-value-too-large",
            message:
              "the output `\(entry.name)` has \(entry.value.utf8.count) bytes, too large for an environment variable (at most \(OutputNames.maximumVariableBytes) bytes with its name): not recorded"
          ))
        continue
      }
      var value = entry.value
      let hidden = masker.masked(value)
      if hidden != value {
        report(
          .warning(
            code: "output-contains-secret",
            message:
              "the output `\(entry.name)` contains the value of a secret: it is recorded with the secret masked (a secret never reaches the state file)"
          ))
        value = hidden
      }
      outputs.append(RecordedOutput(key: entry.name, value: value, sensitive: entry.isSensitive))
    }
    for output in outputs {
      report(
        .output(
          name: "QOVERY_OUTPUT_JOB_\(StableID.short(jobID))_\(output.key)", alias: output.key,
          sensitive: output.sensitive, value: output.sensitive ? nil : output.value))
    }
    do {
      let warnings = try environment.record(
        jobID: jobID,
        job: EnvironmentState.Job(name: spec.name?.value ?? "", spec: specInRepository, outputs: outputs))
      for warning in warnings { report(.warning(code: "state-kept-aside", message: warning)) }
    } catch {
      report(.warning(code: "state-not-saved", message: "the outputs could not be recorded: \(error)"))
    }
  }

  /// Who the process engine runs the job as, given the image's `USER`.
  static func user(ofImage job: JobToRun) -> ProcessEngine.User {
    guard let dockerfile = job.parsedDockerfile,
      let user = ImageDefaults(dockerfile, target: job.spec.target?.value).user, !user.isEmpty
    else { return .runner }
    let name = String(user.split(separator: ":", maxSplits: 1).first ?? "")
    if name == "root" || name == "0" { return .runner }
    guard getuid() == 0 else {
      return .notHonoured(user: user, reason: "only root can switch users")
    }
    if let entry = localUser(name) {
      return .switchTo(uid: entry.uid, gid: entry.gid, name: name)
    }
    if let uid = UInt32(name) {
      let group = user.split(separator: ":").dropFirst().first.flatMap { UInt32($0) } ?? uid
      return .switchTo(uid: uid, gid: group, name: name)
    }
    return .notHonoured(user: user, reason: "this machine has no user `\(name)`")
  }

  /// A user of this machine from `/etc/passwd` (read directly: glibc's `getpwnam` would load
  /// NSS modules, which the static executable must not).
  static func localUser(_ name: String) -> (uid: UInt32, gid: UInt32)? {
    guard let table = Cgroup.readText("/etc/passwd") else { return nil }
    for line in table.split(separator: "\n") {
      let fields = line.split(separator: ":", omittingEmptySubsequences: false)
      if fields.count >= 4, fields[0] == name, let uid = UInt32(fields[2]), let gid = UInt32(fields[3]) {
        return (uid, gid)
      }
    }
    return nil
  }

  /// The first variable whose value is a secret that `$(NAME)` would put on the job's command
  /// line (where every local user reads it, in `/proc/PID/cmdline`), nil when there is none.
  static func secretOnCommandLine(_ event: Event, _ variables: ResolvedVariables) -> String? {
    let secrets = Set(variables.secretValues.filter { !$0.isEmpty })
    guard !secrets.isEmpty else { return nil }
    let jobVariables = variables.jobVariables
    let words = (event.entrypoint.map { [$0.value] } ?? []) + (event.arguments ?? []).map(\.value)
    for word in words {
      let names = KubernetesExpansion.expand(word, lookup: { jobVariables[$0] }).names
      if let name = names.first(where: { secrets.contains(jobVariables[$0] ?? "") }) { return name }
    }
    return nil
  }

  /// Kubernetes' back-off between a Job's pod failures: 10 s, doubled each time, at most 6 min.
  static func backoffSeconds(beforeAttempt attempt: Int) -> Int {
    guard attempt > 0 else { return 0 }
    return min(360, 10 << min(attempt - 1, 6))
  }

  /// Waits `seconds`, or less when the deadline comes or the run is cancelled: true when the
  /// whole pause passed.
  func sleep(seconds: Int, deadline: UInt64) -> Bool {
    let end = min(deadline, DispatchTime.now().uptimeNanoseconds + UInt64(seconds) * 1_000_000_000)
    while DispatchTime.now().uptimeNanoseconds < end {
      if isCancelled { return false }
      _ = wake.wait(timeout: DispatchTime(uptimeNanoseconds: end))
    }
    return !isCancelled && DispatchTime.now().uptimeNanoseconds < deadline
  }

  func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
  }
}
