import LifecycleSyntax

/// What a Dockerfile's checks know of the specs that build it: the names they provide and read,
/// and their Terraform module. Handed in by the caller; nil means no spec is known to use it.
public struct DockerfileUsers: Equatable, Sendable {
  /// Names the specs define (environment, secrets, aliases).
  public var providedNames: Set<String>
  /// Names their scripts read as plain variables (`$NAME`).
  public var readNames: Set<String>
  /// The root module, when the job's root holds `.tf` files.
  public var terraform: TerraformModule?

  public init(specs: [JobSpec], terraform: TerraformModule?) {
    providedNames = Set(specs.flatMap { $0.variables.map(\.name) })
    readNames = specs.reduce(into: []) { $0.formUnion($1.namesReadAsShellVariables) }
    self.terraform = terraform
  }
}

extension Rule {
  static let missingBuildArg = Rule(
    "missing-build-arg", .warning, .crossFile,
    summary: "An ARG that a RUN uses but the job does not provide.",
    explanation: """
      The platform passes a job's variables to `docker build` only for the names an ARG declares; \
      an ARG with no default that the job does not define is empty when the RUN that reads it \
      runs (`terraform init` with an empty backend bucket). An ARG counts as having a default when \
      it has one, when a global `ARG X=default` before the first FROM gives it one, or when an ENV \
      of the stage sets the name before the RUN.
      """,
    example:
      "# lifecycle-job.yaml defines no TF_VAR_bucket\nARG TF_VAR_bucket\nRUN terraform init -backend-config=bucket=$TF_VAR_bucket\n",
    fixed:
      "# lifecycle-job.yaml: environment: {TF_VAR_bucket: my-states}\nARG TF_VAR_bucket\nRUN terraform init -backend-config=bucket=$TF_VAR_bucket\n"
  )
}

/// The checks of a Dockerfile against the specs that build it.
enum DockerfileUserChecks {
  static func check(_ dockerfile: Dockerfile, users: DockerfileUsers) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    let readInDockerfile = Set(dockerfile.instructions.flatMap { $0.variables.map(\.name) })
    let declaredTerraform = users.terraform.map { $0.variables.map(\.variable.name) }
    // ARGs of the current stage with no value: their own default, a global `ARG X=default` before
    // the first FROM (which `ARG X` in a stage inherits) or an ENV that sets X gives them one.
    var stageArguments: [String: DockerInstruction] = [:]
    var globalDefaults: Set<String> = []
    var seenFrom = false
    for instruction in dockerfile.instructions {
      switch instruction.name {
      case "from":
        stageArguments = [:]
        seenFrom = true
      case "env":
        for index in stride(from: 0, to: instruction.values.count, by: 3) {
          stageArguments[instruction.values[index]] = nil
        }
      case "arg":
        for (index, value) in instruction.values.enumerated() {
          let name = String(value.split(separator: "=", maxSplits: 1).first ?? "")
          if !seenFrom, value.contains("=") { globalDefaults.insert(name) }
          if seenFrom, !value.contains("="), !globalDefaults.contains(name) {
            stageArguments[name] = instruction
          }
          guard name.hasPrefix("TF_VAR_"), let declared = declaredTerraform else { continue }
          let variable = String(name.dropFirst("TF_VAR_".count))
          guard !declared.contains(variable), !readInDockerfile.contains(name),
            !users.readNames.contains(name)
          else { continue }
          let range = wordRange(instruction, index: index, name: name)
          diagnostics.append(
            CrossFileChecks.unknownTerraformVariable(
              name, at: range, declared: declared, what: "`ARG \(name)` matches no Terraform variable"))
        }
      case "run":
        for reference in instruction.variables where !reference.handlesUnset {
          guard let declaration = stageArguments.removeValue(forKey: reference.name),
            !users.providedNames.contains(reference.name), BuiltinVariables.match(reference.name) == nil,
            !DockerfileChecks.predefinedArguments.contains(reference.name)
          else { continue }
          let index = declaration.values.firstIndex { $0 == reference.name } ?? 0
          diagnostics.append(
            Diagnostic(
              .missingBuildArg, wordRange(declaration, index: index, name: reference.name),
              "`\(reference.name)` is read by a RUN but the job does not define it, so it is empty at build time; add it to the spec's `environment`, `secrets` or `aliases`, or give the ARG a default"
            ))
        }
      default: break
      }
    }
    return diagnostics
  }

  /// The range of `name` among the instruction's arguments.
  static func wordRange(_ instruction: DockerInstruction, index: Int, name: String) -> TextRange {
    let text = instruction.arguments.value
    var searchFrom = text.startIndex
    var occurrence = 0
    while let found = text.range(of: name, range: searchFrom..<text.endIndex) {
      if occurrence == index || index >= instruction.values.count {
        let start = text.utf8.distance(from: text.startIndex, to: found.lowerBound)
        return instruction.arguments.sourceRange(TextRange(start, start + name.utf8.count))
      }
      occurrence += 1
      searchFrom = found.upperBound
    }
    return instruction.keywordRange
  }
}
