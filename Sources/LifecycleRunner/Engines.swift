import LifecycleAnalysis
import LifecycleSyntax
import LifecycleWorkspace

/// Where a job runs.
public enum EngineChoice: String, Sendable, CaseIterable {
  /// Docker when an engine answers, else the process engine.
  case auto, docker, process
}

/// What the engines need to know of the job.
public struct JobToRun: Sendable {
  public var spec: JobSpec
  public var event: Event?
  public var eventName: EventName
  /// The job's root folder (absolute).
  public var root: String
  /// The Dockerfile (absolute), nil for a prebuilt image.
  public var dockerfile: String?
  public var parsedDockerfile: Dockerfile?
  public var jobID: String

  public init(
    spec: JobSpec, event: Event?, eventName: EventName, root: String, dockerfile: String?,
    parsedDockerfile: Dockerfile?, jobID: String
  ) {
    self.spec = spec
    self.event = event
    self.eventName = eventName
    self.root = root
    self.dockerfile = dockerfile
    self.parsedDockerfile = parsedDockerfile
    self.jobID = jobID
  }
}

/// The processes one attempt starts, and how to stop what they started.
public struct EnginePlan: Equatable, Sendable {
  /// Run once before the attempts (`docker build`).
  public var preparation: [LaunchCommand] = []
  /// The job itself.
  public var job: LaunchCommand?
  /// Run when the job must be stopped early (`docker kill`), besides signalling its group.
  public var stop: LaunchCommand?
  /// A warning to show once.
  public var warning: (code: String, message: String)?

  public static func == (lhs: EnginePlan, rhs: EnginePlan) -> Bool {
    lhs.preparation == rhs.preparation && lhs.job == rhs.job && lhs.stop == rhs.stop
      && lhs.warning?.code == rhs.warning?.code && lhs.warning?.message == rhs.warning?.message
  }
}

/// The docker engine: `docker build` with exactly the ARG-declared variables as build
/// arguments, then `docker run` with the entrypoint, arguments, environment, `/qovery-output`
/// mounted, `--cpus` and `--memory`. Values travel in the docker CLI's environment (`-e NAME`,
/// `--build-arg NAME`), never on its command line where `ps` would show them.
public enum DockerEngine {
  public static func plan(
    _ job: JobToRun, variables: ResolvedVariables, caller: [String: String], outputFolder: String,
    runName: String
  ) -> EnginePlan {
    var plan = EnginePlan()
    let cliEnvironment = variables.environment.merging(clientEnvironment(caller), uniquingKeysWith: { $1 })
    let image: String
    if let dockerfile = job.dockerfile {
      image = "lifecycle-job-\(StableID.short(job.jobID).lowercased())"
      let declared = Set(
        (job.parsedDockerfile?.instructions ?? []).filter { $0.name == "arg" }.flatMap { instruction in
          instruction.values.map { String($0.split(separator: "=", maxSplits: 1).first ?? "") }
        })
      var build = ["docker", "build", "--tag", image, "--file", dockerfile]
      if let target = job.spec.target?.value { build += ["--target", target] }
      for name in variables.jobNames where declared.contains(name) { build += ["--build-arg", name] }
      build.append(job.root)
      plan.preparation = [LaunchCommand(build, environment: cliEnvironment, workingDirectory: job.root)]
    } else {
      image = job.spec.image?.value ?? ""
    }
    var run = [
      "docker", "run", "--rm", "--name", runName, "--cpus", cpus(job.spec.cpuMillicores),
      "--memory", "\(job.spec.memoryMegabytes)m", "--volume", "\(outputFolder):/qovery-output",
    ]
    if let entrypoint = job.event?.entrypoint {
      run += ["--entrypoint", VariableResolver.expandArguments([entrypoint.value], variables.environment)[0]]
    }
    for name in variables.jobNames { run += ["--env", name] }
    run.append(image)
    if let arguments = job.event?.arguments {
      run += VariableResolver.expandArguments(arguments.map(\.value), variables.environment)
    }
    plan.job = LaunchCommand(run, environment: cliEnvironment, workingDirectory: job.root)
    plan.stop = LaunchCommand(["docker", "kill", runName], environment: cliEnvironment)
    return plan
  }

  /// What the docker CLI itself needs of the caller's environment: PATH, HOME and `DOCKER_*`.
  public static func clientEnvironment(_ caller: [String: String]) -> [String: String] {
    caller.filter { $0.key.hasPrefix("DOCKER_") || $0.key == "PATH" || $0.key == "HOME" }
  }

  /// Millicores as `docker run --cpus` wants them: 500 → "0.5".
  static func cpus(_ millicores: Int) -> String {
    let whole = millicores / 1000
    let fraction = millicores % 1000
    guard fraction > 0 else { return String(whole) }
    var digits = String(fraction).leftPadded(3)
    while digits.hasSuffix("0") { digits.removeLast() }
    return "\(whole).\(digits)"
  }
}

/// The process engine: the effective entrypoint and arguments (spec and Dockerfile, as the
/// platform resolves them) run on the host in the job's root, with exactly the job's variables.
///
/// `/qovery-output` is given to each run by a private mount namespace (`unshare --mount`, plus
/// `--user --map-root-user` when not root) in which a fresh host folder is bind-mounted there:
/// the job writes the path production uses and no run sees another's files. That needs
/// `unshare` (util-linux), user namespaces (or root) and an existing `/qovery-output` folder
/// to mount over (created when running as root). Without them the runner falls back to
/// rewriting `/qovery-output` in the arguments and variables, and says so.
public enum ProcessEngine {
  /// How `/qovery-output` reaches the job.
  public enum OutputIsolation: Equatable, Sendable {
    case mountNamespace(asRoot: Bool)
    case rewrite(reason: String)
  }

  public static func plan(
    _ job: JobToRun, variables: ResolvedVariables, outputFolder: String, isolation: OutputIsolation
  ) -> EnginePlan {
    var plan = EnginePlan()
    guard let event = job.event else { return plan }
    let image = job.parsedDockerfile.map { ImageCommand($0, target: job.spec.target?.value) }
    var argv = VariableResolver.expandArguments(
      EffectiveCommand(event: event, image: image).argv, variables.environment)
    guard !argv.isEmpty else { return plan }
    var environment = variables.environment
    switch isolation {
    case .mountNamespace(let asRoot):
      argv =
        ["unshare", "--mount", "--propagation", "private"] + (asRoot ? [] : ["--user", "--map-root-user"])
        + ["/bin/sh", "-c", "mount --bind \"$0\" /qovery-output && exec \"$@\"", outputFolder] + argv
    case .rewrite(let reason):
      argv = argv.map { rewrite($0, to: outputFolder) }
      environment = environment.mapValues { rewrite($0, to: outputFolder) }
      plan.warning = (
        "output-folder-rewritten",
        "\(reason): `/qovery-output` is rewritten to a private folder in the command and variables only; a script that names it itself will not find it"
      )
    }
    plan.job = LaunchCommand(argv, environment: environment, workingDirectory: job.root)
    return plan
  }

  /// `text` with the folder `/qovery-output` (not `/qovery-output.json` or `/qovery-outputs`)
  /// replaced by `folder`.
  static func rewrite(_ text: String, to folder: String) -> String {
    let name = "/qovery-output"
    var result = ""
    var rest = Substring(text)
    while let found = rest.range(of: name) {
      let next = rest[found.upperBound...].first
      let continuesName =
        next.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" } ?? false
      result += rest[..<found.lowerBound] + (continuesName ? name : folder)
      rest = rest[found.upperBound...]
    }
    return result + rest
  }
}
