import LifecycleSyntax

/// A string read from a spec, with where it came from.
public struct Located<Value: Equatable & Sendable>: Equatable, Sendable {
  public var value: Value
  /// The whole node (quotes included).
  public var range: TextRange

  public init(_ value: Value, _ range: TextRange) {
    self.value = value
    self.range = range
  }
}

/// The three events of a job.
public enum EventName: String, Equatable, Hashable, Sendable, CaseIterable {
  case start, stop, delete

  /// The value of `QOVERY_JOB_ACTION` while the event runs.
  public var action: String { rawValue.uppercased() }
}

/// One event of a spec, as the platform will run it.
public struct Event: Equatable, Sendable {
  /// How the event was written.
  public enum Form: Equatable, Sendable {
    /// `start: ["-c", "..."]` or a block sequence.
    case sequence
    /// `start: {entrypoint: ..., arguments: [...]}`.
    case mapping
    /// `start: '["-c", "..."]'`: a string holding a JSON array.
    case jsonString
    /// Nothing (`start:` or `start: {}`): the image default runs.
    case imageDefault
    /// Something that is not a command; a diagnostic says why.
    case invalid
  }

  public var name: EventName
  public var keyRange: TextRange
  /// The event's value node.
  public var range: TextRange
  public var form: Form
  /// Replaces the image's ENTRYPOINT and CMD when set.
  public var entrypoint: LocatedText? {
    didSet { readShell() }
  }
  /// Replace the image's CMD when set (nil: not set; empty: set to nothing).
  public var arguments: [LocatedText]? {
    didSet { readShell() }
  }
  /// How the arguments hand a script to a shell (`-c`), judged from the spec alone.
  public private(set) var invocation: ShellInvocation?
  /// The `-c` script, parsed once for every check.
  public private(set) var script: (text: LocatedText, parsed: ShellScript)?

  public init(
    name: EventName, keyRange: TextRange, range: TextRange, form: Form, entrypoint: LocatedText? = nil,
    arguments: [LocatedText]? = nil
  ) {
    self.name = name
    self.keyRange = keyRange
    self.range = range
    self.form = form
    self.entrypoint = entrypoint
    self.arguments = arguments
    readShell()
  }

  public static func == (lhs: Event, rhs: Event) -> Bool {
    lhs.name == rhs.name && lhs.keyRange == rhs.keyRange && lhs.range == rhs.range && lhs.form == rhs.form
      && lhs.entrypoint == rhs.entrypoint && lhs.arguments == rhs.arguments
  }

  private mutating func readShell() {
    let arguments = self.arguments ?? []
    invocation = ShellInvocation.find(entrypoint: entrypoint?.value, arguments: arguments.map(\.value))
    script = invocation?.scriptIndex.map { (arguments[$0], ShellScript(arguments[$0].value)) }
  }
}

/// The lifecycle type of a job.
public enum LifecycleType: String, Equatable, Sendable, CaseIterable {
  case generic, terraform, cloudformation
}

/// A variable the spec defines under `environment` or `secrets`, or an alias under `aliases`.
public struct VariableDefinition: Equatable, Sendable {
  public enum Kind: String, Equatable, Sendable {
    case environment, secret, alias
  }

  public var name: String
  public var kind: Kind
  public var nameRange: TextRange
  /// An environment value or an alias target (nil for a secret, whose value is supplied at run time).
  public var value: LocatedText?

  public init(name: String, kind: Kind, nameRange: TextRange, value: LocatedText? = nil) {
    self.name = name
    self.kind = kind
    self.nameRange = nameRange
    self.value = value
  }
}

/// A job spec as the platform understands it, with the defaults it applies.
///
/// Built by `SpecReader` from any document, however broken: a field it cannot read keeps its
/// default and the reader reports why.
public struct JobSpec: Equatable, Sendable {
  public static let defaultTimeoutSeconds = 300
  public static let defaultCPUMillicores = 500
  public static let minimumCPUMillicores = 10
  public static let defaultMemoryMegabytes = 512
  /// Beyond an hour a job risks being killed during the platform's maintenance windows.
  public static let safeTimeoutSeconds = 3600

  public var name: Located<String>?
  public var type: LifecycleType = .generic
  /// The root application path, relative to the spec's folder ("." when not set).
  public var root: Located<String>?
  /// Relative to the root ("Dockerfile" when neither it nor `image` is set).
  public var dockerfile: Located<String>?
  public var image: Located<String>?
  public var target: Located<String>?
  public var events: [Event] = []
  public var timeoutSeconds = JobSpec.defaultTimeoutSeconds
  public var restarts = 0
  public var cpuMillicores = JobSpec.defaultCPUMillicores
  public var memoryMegabytes = JobSpec.defaultMemoryMegabytes
  /// Environment variables, secrets and aliases, in file order.
  public var variables: [VariableDefinition] = []
  /// Where to report a problem of the job as a whole (its first key).
  public var anchorRange = TextRange.at(0)
  /// The `events` key, when there is one.
  public var eventsKeyRange: TextRange?
  /// True when lines of the file were set aside to read past syntax errors: the spec is what the
  /// rest of the file says.
  public var readPastSyntaxErrors = false
  /// True when the job may define variables the reading cannot name (a `qovery_job` whose
  /// variable lists Terraform computes): checks that need every name stay quiet.
  public var variablesMayBeIncomplete = false

  public init() {}

  public func event(_ name: EventName) -> Event? { events.first { $0.name == name } }

  /// Names the events' arguments read as shell variables (`$NAME`, `${NAME}`): such a
  /// `TF_VAR_` name is meant for more than Terraform.
  public var namesReadAsShellVariables: Set<String> {
    Set(events.flatMap { ($0.arguments ?? []).flatMap { ShellScript($0.value).references.map(\.name) } })
  }

  /// The names the job defines itself (environment, secrets and aliases).
  public var definedNames: Set<String> { Set(variables.map(\.name)) }

  /// The Dockerfile path relative to the root, or nil when the job uses a prebuilt image.
  public var dockerfilePath: String? {
    if let dockerfile { return dockerfile.value }
    return image == nil ? "Dockerfile" : nil
  }
}
