import LifecycleAnalysis
import LifecycleSyntax

/// The variables a job sees, resolved the way the platform resolves them.
public struct ResolvedVariables: Equatable, Sendable {
  /// Everything the job's process gets, the caller's base (PATH, HOME) included.
  public var environment: [String: String]
  /// The names the platform defines (everything but the caller's base): what `docker run -e` passes.
  public var jobNames: [String]
  /// Values to mask in the log: secrets and sensitive outputs.
  public var secretValues: [String]

  /// The variables the platform defines (`jobNames`), with their values: what `$(NAME)` reads.
  public var jobVariables: [String: String] {
    let names = Set(jobNames)
    return environment.filter { names.contains($0.key) }
  }

  public init(environment: [String: String], jobNames: [String], secretValues: [String]) {
    self.environment = environment
    self.jobNames = jobNames
    self.secretValues = secretValues
  }
}

/// Why a run cannot start; nothing has been executed.
public enum RunRefusal: Error, Equatable, Sendable, CustomStringConvertible {
  case unreadable(String)
  case specHasErrors(path: String, count: Int)
  case missingSecrets([String])
  case undeclaredSecret(String)
  case needsDocker(String)
  case cancelled
  case secretOnCommandLine(String)
  case secretTooShort(String)
  case invalidEnvironmentName(String)

  public var description: String {
    switch self {
    case .unreadable(let message): return message
    case .specHasErrors(let path, let count):
      return
        "\(path) has \(count) error\(count == 1 ? "" : "s"): fix \(count == 1 ? "it" : "them") first (`lifecycle-job check`)"
    case .missingSecrets(let names):
      return
        "no value for the secret\(names.count == 1 ? "" : "s") \(names.map { "`\($0)`" }.joined(separator: ", ")): give \(names.count == 1 ? "it" : "them") with --env NAME=VALUE, --env-file FILE or in the environment; nothing was run"
    case .undeclaredSecret(let name):
      return
        "`\(name)` is not listed under `secrets` in the spec: --env and --env-file only supply declared secrets"
    case .needsDocker(let image):
      return
        "the job runs the prebuilt image `\(image)`, which needs a container engine, and none answers (`docker info`, `podman info`)"
    case .secretOnCommandLine(let name):
      return
        "`$(\(name))` would put a secret on the job's command line, where every local user can read it (/proc/PID/cmdline): read it from the environment instead (`sh -c '... $\(name) ...'`); nothing was run"
    case .secretTooShort(let name):
      return
        "the secret `\(name)` is shorter than \(LogMasker.minimumSecretBytes) characters: it cannot be masked in the log without hiding everything else, so it would show; nothing was run"
    case .invalidEnvironmentName(let name):
      return
        "the environment name `\(name)` may hold only letters, digits, `_` and `-` (at most 64): each name has its own state file"
    case .cancelled:
      return "interrupted before the job started: nothing was run"
    }
  }
}

/// What an output may be named, and how large it may be.
public enum OutputNames {
  static let exact: Set<String> = [
    "PATH", "HOME", "SHELL", "USER", "LOGNAME", "PWD", "OLDPWD", "TMPDIR", "HOSTNAME", "TERM", "IFS",
    "BASH_ENV", "CDPATH", "PS4", "SHELLOPTS", "BASHOPTS", "GLOBIGNORE", "LANG", "LANGUAGE", "TZ",
    "GCONV_PATH",
    "LOCALDOMAIN", "HOSTALIASES", "RES_OPTIONS", "NODE_OPTIONS", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME",
    "PERL5LIB", "PERL5OPT", "RUBYOPT", "RUBYLIB", "JAVA_TOOL_OPTIONS", "GIT_SSH_COMMAND", "SSH_AUTH_SOCK",
  ]
  static let prefixes = ["LD_", "QOVERY_", "LC_", "MALLOC_", "GLIBC_", "BASH_FUNC_", "GIT_"]

  /// True when an output named `key` (upper-cased) would set a variable that the job's process,
  /// its shell, its loader or the container engine reads for itself.
  public static func isReserved(_ key: String) -> Bool {
    exact.contains(key) || prefixes.contains { key.hasPrefix($0) } || EngineEnvironment.isReservedForCLI(key)
  }

  /// The largest `NAME=value` one environment variable may be (Linux's MAX_ARG_STRLEN, 32 pages).
  public static let maximumVariableBytes = 128 * 1024 - 1
}

/// Resolves variables: the caller's base, the built-ins of the local environment, the outputs of
/// the jobs already run in it (full name and alias), the spec's environment with `{{NAME}}`
/// interpolation (one level, unknown → empty), its secrets, then its aliases.
public enum VariableResolver {
  public static func resolve(
    spec: JobSpec, event: EventName, environment: LocalEnvironment, jobID: String, state: EnvironmentState,
    secrets: [String: String], caller: [String: String], inheritCaller: Bool
  ) throws(RunRefusal) -> ResolvedVariables {
    let declaredSecrets = spec.variables.filter { $0.kind == .secret }.map(\.name)
    for name in secrets.keys.sorted() where !declaredSecrets.contains(name) {
      throw .undeclaredSecret(name)
    }
    var secretValues: [String: String] = [:]
    var missing: [String] = []
    for name in declaredSecrets {
      if let value = secrets[name] ?? caller[name] {
        secretValues[name] = value
      } else {
        missing.append(name)
      }
    }
    if !missing.isEmpty { throw .missingSecrets(missing) }
    for name in declaredSecrets.sorted() {
      let size = secretValues[name]?.utf8.count ?? 0
      if size > 0 && size < LogMasker.minimumSecretBytes { throw .secretTooShort(name) }
    }

    var base: [String: String] = inheritCaller ? caller : [:]
    for name in ["PATH", "HOME"] { base[name] = caller[name] ?? base[name] }
    var job: [String: String] = [:]
    job["QOVERY_PROJECT_ID"] = environment.projectID
    job["QOVERY_ENVIRONMENT_ID"] = environment.id
    job["QOVERY_ENVIRONMENT_NAME"] = environment.name
    job["QOVERY_ENVIRONMENT_TYPE"] = "DEVELOPMENT"
    job["QOVERY_CLOUD_PROVIDER_REGION"] = "local"
    job["QOVERY_KUBERNETES_CLUSTER_NAME"] = "local"
    job["QOVERY_KUBERNETES_NAMESPACE_NAME"] =
      "\(StableID.short(environment.id).lowercased())-\(environment.name)"
    job["QOVERY_JOB_ID"] = jobID
    job["QOVERY_JOB_NAME"] = spec.name?.value ?? ""
    job["QOVERY_JOB_ACTION"] = event.action
    var masked = Array(secretValues.values)
    for (id, recorded) in state.jobs.sorted(by: { $0.key < $1.key }) {
      // A state written before names were checked, or by hand, still sets no reserved variable.
      for output in recorded.outputs where !OutputNames.isReserved(output.key) {
        job["QOVERY_OUTPUT_JOB_\(StableID.short(id))_\(output.key)"] = output.value
        job[output.key] = output.value
        if output.sensitive { masked.append(output.value) }
      }
    }
    let raw = job.merging(
      spec.variables.compactMap { variable -> (String, String)? in
        variable.kind == .environment ? (variable.name, variable.value?.value ?? "") : nil
      }, uniquingKeysWith: { $1 }
    ).merging(secretValues, uniquingKeysWith: { $1 })
    for variable in spec.variables where variable.kind == .environment {
      job[variable.name] = PlatformExpansion.interpolate(variable.value?.value ?? "", raw)
    }
    job.merge(secretValues, uniquingKeysWith: { $1 })
    for variable in spec.variables where variable.kind == .alias {
      if let target = variable.value?.value, let value = job[target] ?? base[target] {
        job[variable.name] = value
      }
    }
    return ResolvedVariables(
      environment: base.merging(job, uniquingKeysWith: { $1 }), jobNames: job.keys.sorted(),
      secretValues: masked)
  }
}
