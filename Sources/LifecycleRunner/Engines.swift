import LifecycleAnalysis
import LifecycleSyntax
import LifecycleWorkspace

/// Where a job runs.
public enum EngineChoice: String, Sendable, CaseIterable {
  /// Docker when its engine answers, else Podman when it answers, else the process engine.
  case auto, docker, podman, process
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
  /// Warnings to show once.
  public var warnings: [(code: String, message: String)] = []
  /// Files to write (mode 0600, in the run's private folder) before the job starts, by path.
  public var files: [String: String] = [:]

  public static func == (lhs: EnginePlan, rhs: EnginePlan) -> Bool {
    lhs.preparation == rhs.preparation && lhs.job == rhs.job && lhs.stop == rhs.stop && lhs.files == rhs.files
      && lhs.warnings.map(\.code) == rhs.warnings.map(\.code)
      && lhs.warnings.map(\.message) == rhs.warnings.map(\.message)
  }
}

/// The docker engine, for Docker or Podman (the same command lines, `cli` = `docker` or
/// `podman`): `build` with exactly the ARG-declared variables as build arguments, then `run`
/// with the entrypoint, arguments, environment, `/qovery-output` mounted, `--cpus` and `--memory`.
///
/// Values never travel on the CLI's command line, where other local users read them in
/// `/proc/*/cmdline`: they travel in the CLI's environment (`--env NAME`, `--build-arg NAME`),
/// except the names the CLI itself reads (`PATH`, `HOME`, `DOCKER_*`, `LD_*`, …): those go
/// through an env file private to the run, so the job's variables never configure the CLI.
public enum DockerEngine {
  /// What `plan` needs besides the job.
  public struct Setup: Sendable {
    /// `docker` or `podman`.
    public var cli: String
    /// The folder mounted at `/qovery-output`.
    public var outputFolder: String
    /// Where the env file of the CLI-reserved names is written (private to the run).
    public var environmentFile: String
    /// The container's name (to kill it by name).
    public var runName: String
    /// The cgroup the container is made under (Podman, here), so the runner measures and
    /// contains it; nil: the engine's default.
    public var cgroupParent: String?
    /// Podman's `:U`: the output folder (0700) is given to the container's user, so an image
    /// whose `USER` is not root can write it (rootful Podman only: the owner is then the real one).
    public var outputOwnedByContainerUser = false

    public init(
      cli: String, outputFolder: String, environmentFile: String, runName: String,
      cgroupParent: String? = nil,
      outputOwnedByContainerUser: Bool = false
    ) {
      self.cli = cli
      self.outputFolder = outputFolder
      self.environmentFile = environmentFile
      self.runName = runName
      self.cgroupParent = cgroupParent
      self.outputOwnedByContainerUser = outputOwnedByContainerUser
    }
  }

  public static func plan(
    _ job: JobToRun, variables: ResolvedVariables, caller: [String: String], setup: Setup
  ) -> EnginePlan {
    var plan = EnginePlan()
    let client = clientEnvironment(caller)
    var cliEnvironment = client
    var fileNames: [String] = []
    for name in variables.jobNames {
      if EngineEnvironment.isReservedForCLI(name) {
        fileNames.append(name)
      } else {
        cliEnvironment[name] = variables.environment[name]
      }
    }
    let image: String
    if let dockerfile = job.dockerfile {
      // Named after the Dockerfile and target it is built from: two repositories (or two
      // stages) never build over each other's image, even at once.
      image =
        "lifecycle-job-\(StableID.short(StableID.uuid("image/\(dockerfile)/\(job.spec.target?.value ?? "")")).lowercased())"
      let declared = Set(
        (job.parsedDockerfile?.instructions ?? []).filter { $0.name == "arg" }.flatMap { instruction in
          instruction.values.map { String($0.split(separator: "=", maxSplits: 1).first ?? "") }
        })
      var build = [setup.cli, "build", "--tag", image, "--file", dockerfile]
      if let target = job.spec.target?.value { build += ["--target", target] }
      for name in variables.jobNames
      where declared.contains(name) && !EngineEnvironment.isReservedForCLI(name) {
        build += ["--build-arg", name]
      }
      build.append(job.root)
      plan.preparation = [LaunchCommand(build, environment: cliEnvironment, workingDirectory: job.root)]
    } else {
      image = job.spec.image?.value ?? ""
    }
    var run = [
      setup.cli, "run", "--rm", "--name", setup.runName, "--cpus", cpus(job.spec.cpuMillicores),
      "--memory", "\(job.spec.memoryMegabytes)m",
      "--volume", "\(setup.outputFolder):/qovery-output" + (setup.outputOwnedByContainerUser ? ":U" : ""),
    ]
    if let parent = setup.cgroupParent { run += ["--cgroup-parent", parent] }
    let expansionVariables = variables.jobVariables
    if let entrypoint = job.event?.entrypoint {
      run += ["--entrypoint", KubernetesExpansion.expand(entrypoint.value, expansionVariables)]
    }
    for name in variables.jobNames where !fileNames.contains(name) { run += ["--env", name] }
    if !fileNames.isEmpty {
      run += ["--env-file", setup.environmentFile]
      plan.files = [
        setup.environmentFile: fileNames.map { "\($0)=\(variables.environment[$0] ?? "")\n" }.joined()
      ]
    }
    run.append(image)
    if let arguments = job.event?.arguments {
      run += arguments.map { KubernetesExpansion.expand($0.value, expansionVariables) }
    }
    plan.job = LaunchCommand(run, environment: cliEnvironment, workingDirectory: job.root)
    plan.stop = LaunchCommand([setup.cli, "kill", setup.runName], environment: client)
    return plan
  }

  /// What the engine's CLI itself needs of the caller's environment: PATH, HOME and the
  /// variables that configure Docker or Podman. Nothing of the job's reaches it.
  public static func clientEnvironment(_ caller: [String: String]) -> [String: String] {
    caller.filter { EngineEnvironment.isReservedForCLI($0.key) && !$0.key.hasPrefix("LD_") }
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

/// The names a container engine's CLI reads from its own environment.
public enum EngineEnvironment {
  static let exact: Set<String> = [
    "PATH", "HOME", "TMPDIR", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "HTTP_PROXY", "HTTPS_PROXY",
    "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "REGISTRY_AUTH_FILE", "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "GODEBUG", "GOTRACEBACK", "GOMAXPROCS", "STORAGE_DRIVER", "STORAGE_OPTS",
  ]
  static let prefixes = [
    "DOCKER_", "BUILDKIT_", "BUILDX_", "CONTAINERS_", "CONTAINER_", "PODMAN_", "BUILDAH_", "XDG_", "LD_",
  ]

  /// True when the engine's CLI reads `name` for itself.
  public static func isReservedForCLI(_ name: String) -> Bool {
    exact.contains(name) || prefixes.contains { name.hasPrefix($0) }
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
    /// Not root: the namespace maps the runner's user to root (to mount), then a nested one maps
    /// it back to `uid`/`gid`, so the job runs as the user who ran it, not as uid 0.
    case mountNamespace(asRoot: Bool, uid: UInt32 = 0, gid: UInt32 = 0)
    case rewrite(reason: String)
  }

  /// Who the job runs as, given the image's `USER`.
  public enum User: Equatable, Sendable {
    /// The runner's own user (the image sets none, or root).
    case runner
    /// The image's user, found on this machine, switched to (the runner is root).
    case switchTo(uid: UInt32, gid: UInt32, name: String)
    /// The image's user, which cannot be honoured here, and why.
    case notHonoured(user: String, reason: String)
  }

  public static func plan(
    _ job: JobToRun, variables: ResolvedVariables, outputFolder: String, isolation: OutputIsolation,
    user: User = .runner
  ) -> EnginePlan {
    var plan = EnginePlan()
    guard let event = job.event else { return plan }
    let defaults =
      job.parsedDockerfile.map { ImageDefaults($0, target: job.spec.target?.value) } ?? ImageDefaults()
    let image = job.parsedDockerfile.map { ImageCommand($0, target: job.spec.target?.value) }
    let command = EffectiveCommand(event: event, image: image)
    // Only what the spec wrote is expanded (the platform leaves the image's own words alone).
    let expansionVariables = variables.jobVariables
    var argv = command.argv.indices.map { index in
      let fromSpec = command.specArgumentIndex[index] != nil || (index == 0 && event.entrypoint != nil)
      return fromSpec
        ? KubernetesExpansion.expand(command.argv[index], expansionVariables) : command.argv[index]
    }
    guard !argv.isEmpty else { return plan }
    // The image's ENV under the job's variables (as a container gets them), over the base.
    let base = variables.environment.filter { !expansionVariables.keys.contains($0.key) }
    var environment = base.merging(defaults.environment) { $1 }.merging(expansionVariables) { $1 }
    if let workdir = defaults.workingDirectory {
      plan.warnings.append(
        (
          "image-workdir-not-used",
          "the image's `WORKDIR \(workdir)` is a folder inside the image: the process engine runs the job in its root folder"
        ))
    }
    switch user {
    case .runner: break
    case .switchTo(let uid, let gid, let name):
      // A user of this machine gets its groups; a bare number, none.
      let groups = UInt32(name) == nil ? "--init-groups" : "--clear-groups"
      argv = ["setpriv", "--reuid", String(uid), "--regid", String(gid), groups, "--"] + argv
      environment["USER"] = environment["USER"] ?? name
    case .notHonoured(let name, let reason):
      plan.warnings.append(
        (
          "image-user-not-used",
          "the image runs as `USER \(name)`; here the job runs as the runner's user: \(reason)"
        ))
    }
    switch isolation {
    case .mountNamespace(let asRoot, let uid, let gid):
      let mapBack = asRoot ? [] : ["unshare", "--user", "--map-user=\(uid)", "--map-group=\(gid)", "--"]
      argv =
        ["unshare", "--mount", "--propagation", "private"] + (asRoot ? [] : ["--user", "--map-root-user"])
        + ["/bin/sh", "-c", "mount --bind \"$0\" /qovery-output && exec \"$@\"", outputFolder] + mapBack
        + argv
    case .rewrite(let reason):
      argv = argv.map { rewrite($0, to: outputFolder) }
      environment = environment.mapValues { rewrite($0, to: outputFolder) }
      plan.warnings.append(
        (
          "output-folder-rewritten",
          "\(reason): `/qovery-output` is rewritten to a private folder in the command and variables only; a script that names it itself will not find it"
        ))
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
