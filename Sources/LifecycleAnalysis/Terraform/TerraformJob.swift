import LifecycleSyntax

/// A `resource "qovery_job"` of a Terraform file read as a job: the same `JobSpec` a
/// `lifecycle-job.yaml` gives, every value at its range inside the HCL, so every check applies.
///
/// Whatever Terraform computes (`var.x`, references, functions, templates) is unknown: an event
/// with an unknown part has no command (its checks stay quiet), a variable with an unknown value
/// has none, and a list with unknown entries makes `spec.variablesMayBeIncomplete` true.
public struct TerraformJob: Equatable, Sendable {
  /// `qovery_job.NAME`'s NAME.
  public var resourceName: String
  /// The name label (quotes included).
  public var resourceNameRange: TextRange
  /// The whole `resource` block.
  public var range: TextRange
  public var spec: JobSpec
  /// Where the job's image comes from.
  public var source: Source
  /// `schedule.cronjob`: a cron job, not a lifecycle job; it is read and left alone.
  public var isCronJob: Bool

  /// `source.docker` or `source.image`.
  public enum Source: Equatable, Sendable {
    /// `source.docker`: built from a Dockerfile of a git repository.
    case docker(GitRepository)
    /// `source.image`: a prebuilt image.
    case image
    /// No `source`, or one Terraform computes.
    case unknown
  }

  /// `source.docker.git_repository`; nil members are unknown or not set.
  public struct GitRepository: Equatable, Sendable {
    public var url: Located<String>?
    /// The `url` attribute's value, also when Terraform computes it.
    public var urlRange: TextRange?
    public var branch: Located<String>?
    /// As written: relative to the repository, `/` its top.
    public var rootPath: Located<String>?
    /// True when `dockerfile_raw` gives the Dockerfile inline.
    public var dockerfileIsInline: Bool
    /// The attributes that say where the job's files are (`root_path`, `dockerfile_path`,
    /// `docker_target_build_stage`) that Terraform computes: with any, the files are unknown.
    public var computedPaths: [String] = []

    public init(
      url: Located<String>? = nil, urlRange: TextRange? = nil, branch: Located<String>? = nil,
      rootPath: Located<String>? = nil, dockerfileIsInline: Bool = false
    ) {
      self.url = url
      self.urlRange = urlRange
      self.branch = branch
      self.rootPath = rootPath
      self.dockerfileIsInline = dockerfileIsInline
    }
  }

  /// `root_path` as a path relative to the repository ("." for its top).
  public var rootInRepository: String {
    guard case .docker(let repository) = source, let root = repository.rootPath?.value else { return "." }
    let trimmed = String(root.drop { $0 == "/" })
    return trimmed.isEmpty ? "." : trimmed
  }
}

/// Reads the `qovery_job` resources of a Terraform file.
public enum TerraformJobReader {
  public static let resourceType = "qovery_job"

  /// The jobs of an HCL (`.tf`) or JSON (`.tf.json`) file, with what the reading found wrong.
  public static func read(_ source: SourceText, isJSON: Bool) -> [(
    job: TerraformJob, diagnostics: [Diagnostic]
  )] {
    readWithStrings(source, isJSON: isJSON).jobs
  }

  /// The jobs, and the ranges of the file where string contents are written as is (in order):
  /// there an edit of plain text stays inside a string.
  static func readWithStrings(_ source: SourceText, isJSON: Bool)
    -> (jobs: [(job: TerraformJob, diagnostics: [Diagnostic])], verbatimStrings: [TextRange])
  {
    let resources =
      isJSON
      ? HCLResourceReader.readJSON(source, types: [resourceType])
      : HCLResourceReader.read(source, types: [resourceType])
    let jobs = resources.resources.map { resource in
      var reader = Reader(tree: resources.tree, source: source)
      let job = reader.read(resource)
      return (job, reader.diagnostics)
    }
    var verbatim: [TextRange] = []
    for node in resources.tree.nodes {
      guard case .string(let text) = node.kind else { continue }
      for piece in text.map.pieces where piece.isVerbatim {
        verbatim.append(TextRange(piece.sourceStart, piece.sourceStart + piece.sourceLength))
      }
    }
    return (jobs, verbatim.sorted { $0.start < $1.start })
  }

  /// True when `bytes` may declare a `qovery_job` (a cheap test before reading a file).
  public static func mayDeclareJob(_ bytes: [UInt8]) -> Bool {
    let needle = Array(resourceType.utf8)
    guard bytes.count >= needle.count else { return false }
    var index = 0
    while index + needle.count <= bytes.count {
      if bytes[index] == needle[0], Array(bytes[index..<index + needle.count]) == needle { return true }
      index += 1
    }
    return false
  }

  struct Reader {
    let tree: HCLTree
    let source: SourceText
    var diagnostics: [Diagnostic] = []

    mutating func read(_ resource: TerraformResource) -> TerraformJob {
      var spec = JobSpec()
      spec.anchorRange = resource.nameRange
      let body = resource.body
      if let name = member("name", of: body), case .string(let text) = tree[name.value].kind {
        spec.name = Located(text.value, text.range)
      } else {
        spec.name = Located(resource.name, resource.nameRange)
      }
      var isCronJob = false
      if let schedule = member("schedule", of: body) {
        spec.eventsKeyRange = schedule.nameRange
        isCronJob = !tree.members("cronjob", of: schedule.value).isEmpty
        readSchedule(schedule.value, into: &spec)
      }
      readNumbers(body, into: &spec)
      let jobSource = readSource(body, into: &spec)
      readVariables(body, into: &spec)
      return TerraformJob(
        resourceName: resource.name, resourceNameRange: resource.nameRange, range: resource.range, spec: spec,
        source: jobSource, isCronJob: isCronJob)
    }

    func member(_ name: String, of node: Int) -> HCLMember? { tree.member(name, of: node) }

    func string(_ node: Int) -> LocatedText? {
      if case .string(let text) = tree[node].kind { return text }
      return nil
    }

    func isUnknown(_ node: Int) -> Bool { tree[node].kind == .unknown }

    /// The range of a string's content (without its quotes).
    static func contentRange(_ text: LocatedText) -> TextRange {
      text.sourceRange(TextRange(0, text.value.utf8.count))
    }

    mutating func readSchedule(_ schedule: Int, into spec: inout JobSpec) {
      if let type = member("lifecycle_type", of: schedule) {
        if let text = string(type.value) {
          if let value = LifecycleType(rawValue: text.value.lowercased()),
            text.value == text.value.uppercased()
          {
            spec.type = value
          } else {
            diagnostics.append(
              Diagnostic(
                .invalidValue, text.range,
                "`lifecycle_type` must be `GENERIC`, `TERRAFORM` or `CLOUDFORMATION`, not `\(text.value)`"))
          }
        } else if !isUnknown(type.value), tree[type.value].kind != .null {
          diagnostics.append(
            Diagnostic(.wrongType, tree[type.value].range, "`lifecycle_type` must be a string"))
        }
      }
      for (attribute, name) in [("on_start", EventName.start), ("on_stop", .stop), ("on_delete", .delete)] {
        guard let entry = member(attribute, of: schedule), tree[entry.value].kind != .null else { continue }
        checkCommandTypes(entry.value)
        spec.events.append(readEvent(name, entry))
      }
    }

    /// A string as Terraform converts a literal to one (`5` → `"5"`, `true` → `"true"`).
    func convertedString(_ node: Int) -> LocatedText? {
      switch tree[node].kind {
      case .string(let text): return text
      case .number(let text):
        return LocatedText(value: text, range: tree[node].range, map: .verbatim(tree[node].range))
      case .bool(let value):
        return LocatedText(
          value: value ? "true" : "false", range: tree[node].range, map: .verbatim(tree[node].range))
      default: return nil
      }
    }

    /// `arguments` or `entrypoint` written as a literal Terraform cannot convert to its type.
    mutating func checkCommandTypes(_ event: Int) {
      if let arguments = member("arguments", of: event) {
        let node = tree[arguments.value]
        switch node.kind {
        case .string, .number, .bool, .object:
          diagnostics.append(
            Diagnostic(
              .commandNotArray, node.range,
              "`arguments` must be a list of strings such as `[\"-c\", \"terraform apply -auto-approve\"]`"))
        default: break
        }
      }
      if let entrypoint = member("entrypoint", of: event) {
        switch tree[entrypoint.value].kind {
        case .list, .object:
          diagnostics.append(
            Diagnostic(
              .wrongType, tree[entrypoint.value].range,
              "`entrypoint` is one string (an executable such as `/bin/sh`); its arguments go in `arguments`")
          )
        default: break
        }
      }
    }

    /// An event: its command when every part of it is a literal, else no command at all.
    func readEvent(_ name: EventName, _ entry: HCLMember) -> Event {
      let node = entry.value
      var event = Event(name: name, keyRange: entry.nameRange, range: tree[node].range, form: .invalid)
      guard case .object = tree[node].kind else { return event }
      var entrypoint: LocatedText?
      var arguments: [LocatedText]?
      if let member = member("entrypoint", of: node), tree[member.value].kind != .null {
        guard let text = string(member.value) else { return event }
        entrypoint = text
      }
      if let member = member("arguments", of: node), tree[member.value].kind != .null {
        guard case .list(let elements) = tree[member.value].kind else { return event }
        var texts: [LocatedText] = []
        for element in elements {
          guard let text = convertedString(element) else { return event }
          texts.append(text)
        }
        arguments = texts
      }
      event.form = entrypoint == nil && arguments == nil ? .imageDefault : .mapping
      event.entrypoint = entrypoint
      event.arguments = arguments
      return event
    }

    /// `max_duration_seconds`, `max_nb_restart`, `cpu`, `memory`: limits of the provider's schema.
    mutating func readNumbers(_ body: Int, into spec: inout JobSpec) {
      if let seconds = integer("max_duration_seconds", of: body, minimum: 0, unit: "seconds") {
        spec.timeoutSeconds = seconds.value
        if seconds.value > JobSpec.safeTimeoutSeconds {
          diagnostics.append(
            Diagnostic(
              .timeoutTooLong, seconds.range,
              "a timeout of \(seconds.value) seconds is over an hour: the job risks being killed during the platform's maintenance"
            ))
        }
      }
      if let restarts = integer("max_nb_restart", of: body, minimum: 0, unit: "restarts") {
        spec.restarts = restarts.value
      }
      if let cpu = integer(
        "cpu", of: body, minimum: JobSpec.minimumCPUMillicores, unit: "millicores")
      {
        spec.cpuMillicores = cpu.value
      }
      if let memory = integer("memory", of: body, minimum: 1, unit: "MB") {
        spec.memoryMegabytes = memory.value
      }
    }

    /// A whole number as Terraform converts it (a number, or a string holding one).
    mutating func integer(_ attribute: String, of body: Int, minimum: Int, unit: String) -> Located<Int>? {
      guard let member = member(attribute, of: body) else { return nil }
      let node = tree[member.value]
      let written: String
      switch node.kind {
      case .number(let text): written = text
      case .string(let text): written = text.value
      case .unknown, .null: return nil
      default:
        diagnostics.append(
          Diagnostic(.wrongType, node.range, "`\(attribute)` must be a whole number of \(unit)"))
        return nil
      }
      guard let value = Int(written) else {
        diagnostics.append(
          Diagnostic(
            .wrongType, node.range, "`\(attribute)` must be a whole number of \(unit), not `\(written)`"))
        return nil
      }
      guard value >= minimum else {
        diagnostics.append(
          Diagnostic(
            .outOfRange, node.range, "`\(attribute)` must be at least \(minimum) \(unit), not \(value)"))
        return nil
      }
      return Located(value, node.range)
    }

    /// `source.docker` (the repository, root path, Dockerfile and target) or `source.image`.
    mutating func readSource(_ body: Int, into spec: inout JobSpec) -> TerraformJob.Source {
      guard let source = member("source", of: body), case .object = tree[source.value].kind else {
        return .unknown
      }
      if let image = member("image", of: source.value) {
        let name = member("name", of: image.value).flatMap { string($0.value) }
        let tag = member("tag", of: image.value).flatMap { string($0.value) }
        let text = (name?.value ?? "image") + (tag.map { ":" + $0.value } ?? "")
        spec.image = Located(text, name?.range ?? tree[image.value].range)
        return .image
      }
      guard let docker = member("docker", of: source.value), case .object = tree[docker.value].kind else {
        return .unknown
      }
      var repository = TerraformJob.GitRepository()
      func isComputed(_ member: HCLMember?) -> Bool {
        guard let member else { return false }
        return string(member.value) == nil && tree[member.value].kind != .null
      }
      if let dockerfile = member("dockerfile_path", of: docker.value), let text = string(dockerfile.value) {
        spec.dockerfile = Located(text.value, text.range)
      }
      if isComputed(member("dockerfile_path", of: docker.value)) {
        repository.computedPaths.append("dockerfile_path")
      }
      if isComputed(member("docker_target_build_stage", of: docker.value)) {
        repository.computedPaths.append("docker_target_build_stage")
      }
      if let raw = member("dockerfile_raw", of: docker.value), tree[raw.value].kind != .null {
        repository.dockerfileIsInline = true
      }
      if let target = member("docker_target_build_stage", of: docker.value), let text = string(target.value) {
        spec.target = Located(text.value, text.range)
      }
      if let git = member("git_repository", of: docker.value) {
        if let url = member("url", of: git.value) {
          repository.urlRange = tree[url.value].range
          repository.url = string(url.value).map { Located($0.value, $0.range) }
        }
        repository.branch = member("branch", of: git.value).flatMap { string($0.value) }.map {
          Located($0.value, $0.range)
        }
        repository.rootPath = member("root_path", of: git.value).flatMap { string($0.value) }.map {
          Located($0.value, $0.range)
        }
        if isComputed(member("root_path", of: git.value)) {
          repository.computedPaths.insert("root_path", at: 0)
        }
      }
      if let rootPath = repository.rootPath {
        let trimmed = String(rootPath.value.drop { $0 == "/" })
        spec.root = Located(trimmed.isEmpty ? "." : trimmed, rootPath.range)
      }
      return .docker(repository)
    }

    /// The six lists of `{key, value}`: as a list attribute, or as repeated nested blocks.
    mutating func readVariables(_ body: Int, into spec: inout JobSpec) {
      let lists: [(String, VariableDefinition.Kind)] = [
        ("environment_variables", .environment), ("secrets", .secret),
        ("environment_variable_aliases", .alias), ("secret_aliases", .alias),
        ("environment_variable_overrides", .environment), ("secret_overrides", .secret),
      ]
      // `dynamic "environment_variables" { ... }` generates blocks the reading cannot see.
      if !tree.members("dynamic", of: body).isEmpty { spec.variablesMayBeIncomplete = true }
      var entries: [(node: Int, kind: VariableDefinition.Kind)] = []
      for (attribute, kind) in lists {
        for member in tree.members(attribute, of: body) {
          switch tree[member.value].kind {
          case .list(let elements): entries += elements.map { ($0, kind) }
          case .object where member.isBlock: entries.append((member.value, kind))
          case .null: break
          default: spec.variablesMayBeIncomplete = true
          }
        }
      }
      // Terraform sets keep no order: file order is the reading order.
      entries.sort { tree[$0.node].range.start < tree[$1.node].range.start }
      for (node, kind) in entries {
        guard case .object = tree[node].kind, let keyMember = member("key", of: node),
          let key = string(keyMember.value)
        else {
          spec.variablesMayBeIncomplete = true
          continue
        }
        var value: LocatedText?
        if kind != .secret, let valueMember = member("value", of: node) { value = string(valueMember.value) }
        spec.variables.append(
          VariableDefinition(name: key.value, kind: kind, nameRange: Self.contentRange(key), value: value))
      }
    }
  }
}
