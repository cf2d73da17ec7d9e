import LifecycleSyntax

/// The checks of DESIGN §4 that need more than the spec: its root and Dockerfile exist, the
/// image's ENTRYPOINT and the event's arguments fit together, and the Terraform variables match.
enum CrossFileChecks {
  static func check(_ spec: JobSpec, context: JobContext, source: SourceText, isJSON: Bool) -> [Diagnostic] {
    var diagnostics = files(spec, context: context)
    let dockerfile = context.parsedDockerfile
    let image = dockerfile.map { ImageCommand($0, target: spec.target?.value) }
    let imageFiles = dockerfile.flatMap { parsed in
      context.rootFiles.map { ImageFiles(dockerfile: parsed, target: spec.target?.value, rootFiles: $0) }
    }
    for event in spec.events {
      diagnostics += commandFit(event, image: image)
      if let image, let imageFiles {
        diagnostics += ScriptChecks.check(event, image: image, files: imageFiles)
      }
    }
    diagnostics += deleteEvent(spec)
    if let module = context.terraformModule {
      diagnostics += terraformVariables(
        spec, module: module, dockerfile: dockerfile, source: source, isJSON: isJSON)
    }
    return diagnostics
  }

  static func files(_ spec: JobSpec, context: JobContext) -> [Diagnostic] {
    switch context.root {
    case .outsideRepository(let path):
      return [
        Diagnostic(
          .rootOutsideRepository, spec.root?.range ?? spec.anchorRange,
          "the root `\(path)` is outside the repository; the platform builds inside the repository only")
      ]
    case .missing(let path):
      return [
        Diagnostic(
          .fileNotFound, spec.root?.range ?? spec.anchorRange, "the root folder `\(path)` does not exist")
      ]
    case .found, .unknown: break
    }
    if case .outsideRepository(let path) = context.dockerfile {
      return [
        Diagnostic(
          .rootOutsideRepository, spec.dockerfile?.range ?? spec.anchorRange,
          "the Dockerfile `\(path)` is outside the repository; the platform builds inside the repository only"
        )
      ]
    }
    if case .missing(let path) = context.dockerfile {
      return [
        Diagnostic(
          .fileNotFound, spec.dockerfile?.range ?? spec.root?.range ?? spec.anchorRange,
          "the Dockerfile `\(path)` does not exist"
            + (spec.dockerfile == nil ? " (the default when `source.dockerfile` is not set)" : ""))
      ]
    }
    return []
  }

  /// ENTRYPOINT against arguments: dropped arguments, `-c` without a shell, shell syntax that no
  /// shell will read.
  static func commandFit(_ event: Event, image: ImageCommand?) -> [Diagnostic] {
    guard let image, let arguments = event.arguments, !arguments.isEmpty else { return [] }
    let command = EffectiveCommand(event: event, image: image)
    if command.argumentsIgnored {
      let line = image.entrypointInstruction.map { "`ENTRYPOINT \($0.arguments.value)`" } ?? "the ENTRYPOINT"
      return [
        Diagnostic(
          .argumentsIgnored, event.range,
          "the Dockerfile's \(line) is in shell form, which ignores arguments: `\(event.name.rawValue)` never runs them; write it as a JSON array such as `ENTRYPOINT [\"/bin/sh\"]`"
        )
      ]
    }
    // What follows depends on the process the arguments reach: unknown behind a base image's
    // ENTRYPOINT.
    guard command.entrypointIsKnown else { return [] }
    if event.entrypoint == nil, let first = arguments.first, first.value.hasPrefix("-"),
      ShellInvocation.find(in: arguments.map(\.value)) != nil,
      !(command.program.map(ShellInvocation.isShell) ?? false)
    {
      let what =
        command.argv.first.map {
          $0 == first.value ? "the image has no ENTRYPOINT" : "the image's ENTRYPOINT is `\($0)`"
        } ?? "the image has no ENTRYPOINT"
      return [
        Diagnostic(
          .noShellEntrypoint, first.range,
          "`\(first.value)` needs a shell to run the script, but \(what); add `ENTRYPOINT [\"/bin/sh\"]` to the Dockerfile or `entrypoint: /bin/sh` to the event"
        )
      ]
    }
    let scriptIndex = command.shellScriptIndex
    var diagnostics: [Diagnostic] = []
    for (position, specIndex) in command.specArgumentIndex.enumerated() {
      guard let specIndex, position != scriptIndex else { continue }
      let argument = arguments[specIndex]
      if let syntax = shellSyntax(in: argument.value) {
        diagnostics.append(
          Diagnostic(
            .shellSyntaxWithoutShell, argument.range,
            "`\(syntax)` reaches no shell: `\(command.argv.first ?? "")` receives it as a plain argument; run the line with a shell (`[\"-c\", \"...\"]` after a shell ENTRYPOINT)"
          ))
      }
    }
    return diagnostics
  }

  /// The first piece of shell syntax in an argument, if any.
  static func shellSyntax(in argument: String) -> String? {
    if ["&&", "||", "|", ";", ">", ">>", "<", "2>&1"].contains(argument) { return argument }
    for operatorText in [" && ", " || ", " | ", "; ", " > ", " >> "] where argument.contains(operatorText) {
      return operatorText.trimmed
    }
    let bytes = Array(argument.utf8)
    for index in bytes.indices where bytes[index] == UInt8(ascii: "$") && index + 1 < bytes.count {
      let next = bytes[index + 1]
      if next == UInt8(ascii: "{") || (ShellLexer.isNameByte(next) && !ShellLexer.isDigit(next)) {
        if index > 0, bytes[index - 1] == UInt8(ascii: "$") { continue }
        var end = index + 1
        while end < bytes.count, ShellLexer.isNameByte(bytes[end]) || bytes[end] == UInt8(ascii: "{") {
          end += 1
        }
        return String(decoding: bytes[index..<min(end, bytes.count)], as: UTF8.self)
      }
    }
    return nil
  }

  /// Commands that create cloud resources.
  static func createsResources(_ script: String) -> Bool {
    let commands = ShellScript(script).commands
    return commands.contains { command in
      let words = command.words.map(\.text)
      switch command.name {
      case "terraform", "tofu", "terragrunt": return words.contains("apply") && !words.contains("-destroy")
      case "pulumi": return words.contains("up") || words.contains("update")
      case "cdk": return words.contains("deploy")
      case "aws":
        return words.contains { $0.hasPrefix("create-") } || words.contains("deploy") || words.contains("mb")
      default: return false
      }
    }
  }

  static func deleteEvent(_ spec: JobSpec) -> [Diagnostic] {
    guard spec.event(.delete) == nil, let start = spec.event(.start), let arguments = start.arguments else {
      return []
    }
    let texts = ([start.entrypoint?.value].compactMap { $0 } + arguments.map(\.value)).joined(separator: " ")
    guard createsResources(texts) else { return [] }
    return [
      Diagnostic(
        .noDeleteEvent, start.keyRange,
        "`start` creates resources but there is no `delete` event to remove them when the environment is deleted"
      )
    ]
  }

  /// The diagnostic for `TF_VAR_x` (`name`) when the module declares no `variable "x"`.
  static func unknownTerraformVariable(_ name: String, at range: TextRange, declared: [String], what: String)
    -> Diagnostic
  {
    let variable = String(name.dropFirst("TF_VAR_".count))
    var message = "\(what): the module declares no `variable \"\(variable)\"`"
    var fixes: [Fix] = []
    if let suggestion = DidYouMean.suggestion(for: variable, among: declared) {
      message += "; did you mean `TF_VAR_\(suggestion)`?"
      fixes.append(
        Fix.replace(range, with: "TF_VAR_\(suggestion)"))
    }
    return Diagnostic(.unknownTerraformVariable, range, message, fixes: fixes)
  }

  /// `TF_VAR_x` without `variable "x"`, and variables without a value.
  static func terraformVariables(
    _ spec: JobSpec, module: TerraformModule, dockerfile: Dockerfile?, source: SourceText, isJSON: Bool
  )
    -> [Diagnostic]
  {
    var diagnostics: [Diagnostic] = []
    let declared = module.variables.map(\.variable.name)
    // Names read as plain variables (`$TF_VAR_x` in a script or the Dockerfile) are meant for more
    // than Terraform.
    let readAsVariables = spec.namesReadAsShellVariables.union(
      dockerfile?.instructions.flatMap { $0.variables.map(\.name) } ?? [])
    for variable in spec.variables where variable.name.hasPrefix("TF_VAR_") {
      let name = String(variable.name.dropFirst("TF_VAR_".count))
      guard !declared.contains(name), !readAsVariables.contains(variable.name) else { continue }
      diagnostics.append(
        unknownTerraformVariable(
          variable.name, at: variable.nameRange, declared: declared,
          what: "`\(variable.name)` sets no Terraform variable"))
    }
    let provided = spec.definedNames
    for (file, variable) in module.variables
    where !spec.variablesMayBeIncomplete && variable.defaultExpression == nil && !module.assignedNames.contains(variable.name)
      && !provided.contains("TF_VAR_\(variable.name)")
    {
      diagnostics.append(
        Diagnostic(
          .missingTerraformVariable, spec.eventsKeyRange ?? spec.anchorRange,
          "the Terraform variable `\(variable.name)` (\(file)) has no default and no tfvars value, and the job does not provide `TF_VAR_\(variable.name)`: terraform will fail or wait for input; add it under `environment`, `secrets` or `aliases`",
          fixes: [
            SpecEdits.addEnvironmentEntry(
              "TF_VAR_\(variable.name)", spec: spec, source: source, isJSON: isJSON)
          ].compactMap { $0 }))
    }
    return diagnostics
  }
}
