import LifecycleSyntax

/// Everything a document's job says about variable names: the spec's own, the built-ins, the
/// Terraform variables of its root module, and the Dockerfile's ARG and ENV. One place behind
/// variable completion, hover and definition.
struct VariableKnowledge {
  var spec: JobSpec?
  var terraform: TerraformModule?
  /// ARG and ENV instructions (of the job's Dockerfile, or of the Dockerfile asked about).
  var dockerfile: Dockerfile?
  /// For a Dockerfile: the names the specs that build it define.
  var providedNames: Set<String> = []
  /// The outputs of the local environment's jobs.
  var outputs: [JobOutput] = []
  /// Whether Terraform candidates carry their documentation.
  var documenting = Completion.Documenting.all

  init(_ input: FeatureInput) {
    outputs = input.outputs
    spec = input.analysis.spec
    terraform = input.context?.terraformModule ?? input.users?.terraform
    dockerfile = input.analysis.dockerfile ?? input.context?.parsedDockerfile
    providedNames = input.users?.providedNames ?? []
  }

  /// The Terraform variable a `TF_VAR_` name sets.
  func terraformVariable(_ name: String) -> (file: String, variable: TerraformVariable)? {
    guard name.hasPrefix("TF_VAR_") else { return nil }
    return terraform?.variable(String(name.dropFirst("TF_VAR_".count)))
  }

  /// True when a Terraform variable must be given a value (no default, no tfvars value).
  func isRequired(_ variable: TerraformVariable) -> Bool {
    variable.defaultExpression == nil && !(terraform?.assignedNames.contains(variable.name) ?? false)
  }

  /// The names the job itself defines.
  var definedNames: Set<String> { (spec?.definedNames ?? []).union(providedNames) }

  /// `TF_VAR_<name>` candidates for the Terraform variables no definition provides yet: the
  /// required ones first, each with its type, default and description.
  func terraformCandidates(replacing range: TextRange, suffix: String = "") -> [CompletionCandidate] {
    guard let terraform else { return [] }
    let defined = definedNames
    return terraform.variables.compactMap { file, variable in
      let name = "TF_VAR_" + variable.name
      guard !defined.contains(name) else { return nil }
      let required = isRequired(variable)
      return CompletionCandidate(
        label: name, kind: .variable, detail: terraformDetail(variable, required: required),
        documentation: documenting.includes(name) ? terraformDocumentation(variable, file: file) : nil,
        insertText: name + suffix,
        replaceRange: range, sortKey: required ? "0" : "1")
    }
  }

  func terraformDetail(_ variable: TerraformVariable, required: Bool) -> String {
    var parts = [variable.type ?? "any"]
    if let expression = variable.defaultExpression {
      parts.append("= \(expression)")
    } else if required {
      parts.append("required")
    }
    if variable.isSensitive { parts.append("sensitive") }
    return parts.joined(separator: " ")
  }

  func terraformDocumentation(_ variable: TerraformVariable, file: String) -> String {
    var lines = ["Terraform variable `\(variable.name)` (`\(file)`)"]
    if let description = variable.description, !description.isEmpty { lines.append(description) }
    var facts = ["Type: `\(variable.type ?? "any")`"]
    if let expression = variable.defaultExpression {
      facts.append("default: `\(expression)`")
    } else if isRequired(variable) {
      facts.append("no default: the job must provide it")
    }
    if variable.isSensitive { facts.append("sensitive") }
    lines.append(facts.joined(separator: ", "))
    return lines.joined(separator: "\n\n")
  }

  /// Candidates for a variable name in a reference: the job's variables, the built-ins, and the
  /// Terraform and Dockerfile names.
  func referenceCandidates(replacing range: TextRange, before offset: Int?) -> [CompletionCandidate] {
    var seen: Set<String> = []
    var candidates: [CompletionCandidate] = []
    func add(_ candidate: CompletionCandidate) {
      if seen.insert(candidate.label).inserted { candidates.append(candidate) }
    }
    for variable in spec?.variables ?? [] {
      add(
        CompletionCandidate(
          label: variable.name, kind: .variable, detail: variable.kind.origin,
          documentation: describe(variable.name), replaceRange: range, sortKey: "0"))
    }
    for instruction in dockerfileDeclarations(before: offset) {
      for name in instruction.names {
        add(
          CompletionCandidate(
            label: name, kind: .variable, detail: "\(instruction.keyword) in the Dockerfile",
            documentation: describe(name), replaceRange: range, sortKey: "1"))
      }
    }
    for name in providedNames.sorted() {
      add(
        CompletionCandidate(
          label: name, kind: .variable, detail: "defined by the job", replaceRange: range, sortKey: "1"))
    }
    for candidate in terraformCandidates(replacing: range) {
      var candidate = candidate
      candidate.sortKey = "2"
      add(candidate)
    }
    for variable in BuiltinVariables.fixed {
      add(
        CompletionCandidate(
          label: variable.name, kind: .variable, detail: "built-in", documentation: variable.documentation,
          replaceRange: range, sortKey: "3"))
    }
    return candidates + outputCandidates(replacing: range).filter { seen.insert($0.label).inserted }
  }

  /// The outputs of other jobs, by alias and by full name.
  func outputCandidates(replacing range: TextRange) -> [CompletionCandidate] {
    outputs.flatMap { output in
      [output.key, output.fullName].map { name in
        CompletionCandidate(
          label: name, kind: .variable, detail: "output of \(output.jobName)", documentation: describe(name),
          replaceRange: range, sortKey: "4")
      }
    }
  }

  /// The ARG and ENV instructions before `offset` (all of them when nil) with the names they declare.
  func dockerfileDeclarations(before offset: Int?) -> [(
    keyword: String, names: [String], instruction: DockerInstruction
  )] {
    guard let dockerfile else { return [] }
    return dockerfile.instructions.compactMap { instruction in
      guard offset.map({ instruction.range.end <= $0 }) ?? true else { return nil }
      switch instruction.name {
      case "arg":
        return (
          "ARG", instruction.values.map { String($0.split(separator: "=", maxSplits: 1).first ?? "") },
          instruction
        )
      case "env":
        let names = stride(from: 0, to: instruction.values.count, by: 3).map { instruction.values[$0] }
        return ("ENV", names, instruction)
      default:
        return nil
      }
    }
  }

  /// Markdown saying where `name` comes from and its value when known (secrets masked).
  func describe(_ name: String, depth: Int = 0) -> String? {
    var lines: [String] = []
    for variable in spec?.variables ?? [] where variable.name == name {
      switch variable.kind {
      case .environment:
        lines.append("- Set by the job's `environment`: `\(variable.value?.value ?? "")`")
      case .secret:
        lines.append("- A secret of the job: its value is supplied at run time and masked in logs (`••••••`)")
      case .alias:
        let target = variable.value?.value ?? ""
        lines.append("- An alias of `\(target)`")
        if depth == 0, let inner = describe(target, depth: 1) {
          lines += inner.split(separator: "\n").dropFirst(2).map { "  " + $0 }
        }
      }
    }
    if providedNames.contains(name) && spec == nil {
      lines.append("- Defined by the job that builds this Dockerfile")
    }
    if let (file, variable) = terraformVariable(name) {
      var line =
        "- Sets the Terraform variable `\(variable.name)` (`\(file)`), type `\(variable.type ?? "any")`"
      if let expression = variable.defaultExpression {
        line += ", default `\(expression)`"
      } else if isRequired(variable) {
        line += ", required"
      }
      if variable.isSensitive { line += ", sensitive" }
      lines.append(line)
      if let description = variable.description, !description.isEmpty { lines.append("  \(description)") }
    }
    for declaration in dockerfileDeclarations(before: nil) where declaration.names.contains(name) {
      lines.append(
        "- Declared by `\(declaration.keyword)` in the Dockerfile: `\(declaration.instruction.arguments.value)`"
      )
    }
    for output in outputs where output.key == name || output.fullName == name {
      let value = output.value.map { "`\($0)`" } ?? "`••••••` (sensitive)"
      lines.append(
        "- Output `\(output.key)` of the job `\(output.jobName)` (`\(output.fullName)`), last run in `\(output.environment)`: \(value)"
      )
    }
    switch BuiltinVariables.match(name) {
    case .fixed(let variable)?: lines.append("- Built-in: \(variable.documentation)")
    case .database(let kind, let field)?:
      lines.append("- Built-in: the \(field) of a \(kind.lowercased()) database of the environment")
    case .service(let kind, let field)?:
      lines.append("- Built-in: the \(field) of a \(kind.lowercased()) service of the environment")
    case .jobOutput(let key)?: lines.append("- The output `\(key)` of another job of the environment")
    case nil: break
    }
    guard !lines.isEmpty else { return nil }
    return (["**`\(name)`**", ""] + lines).joined(separator: "\n")
  }

  /// Where `name` is defined, for go-to-definition.
  func definitions(of name: String, excluding range: TextRange) -> [Target] {
    var targets: [Target] = []
    for variable in spec?.variables ?? [] where variable.name == name && variable.nameRange != range {
      targets.append(Target(.sameFile, variable.nameRange))
    }
    if let (file, variable) = terraformVariable(name) {
      targets.append(Target(.rootFile(file), variable.nameRange))
    }
    if spec == nil {
      for declaration in dockerfileDeclarations(before: nil)
      where declaration.names.contains(name) && !declaration.instruction.range.contains(range) {
        targets.append(Target(.sameFile, declaration.instruction.range))
      }
    }
    return targets
  }
}

extension VariableDefinition.Kind {
  /// A short origin, for completion details.
  var origin: String {
    switch self {
    case .environment: return "environment"
    case .secret: return "secret"
    case .alias: return "alias"
    }
  }
}
