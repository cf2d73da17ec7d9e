import LifecycleSyntax

/// Commands that ask for a confirmation nobody will give: the job then hangs until its timeout.
enum InteractiveCommands {
  /// What makes a confirmation unnecessary, from the spec's variables and the event's scripts.
  struct Environment {
    /// `TF_CLI_ARGS`, `TF_CLI_ARGS_apply` or `TF_CLI_ARGS_destroy` adds `-auto-approve`.
    var terraformAutoApproves: Bool
    /// `PULUMI_SKIP_CONFIRMATIONS` is set.
    var pulumiSkipsConfirmations: Bool

    init(spec: JobSpec, sites: [CommandSite]) {
      var values: [(String, String)] = spec.variables.compactMap { variable in
        variable.value.map { (variable.name, $0.value) }
      }
      // Names set by the scripts themselves, with the text of the assignment.
      for site in sites {
        for word in site.command.assignments + site.command.arguments where word.text.contains("=") {
          let parts = word.text.split(separator: "=", maxSplits: 1)
          if parts.count == 2 { values.append((String(parts[0]), String(parts[1]))) }
        }
      }
      terraformAutoApproves = values.contains {
        $0.0.hasPrefix("TF_CLI_ARGS") && $0.1.contains("-auto-approve")
      }
      pulumiSkipsConfirmations = values.contains {
        $0.0 == "PULUMI_SKIP_CONFIRMATIONS" && !["", "0", "false"].contains($0.1.lowercased())
      }
      // Variables Terraform computes may set either.
      if spec.variablesMayBeIncomplete {
        terraformAutoApproves = true
        pulumiSkipsConfirmations = true
      }
      // A secret can set it too, or a variable whose value Terraform computes: its value is unknown.
      let unknownValue: (VariableDefinition) -> Bool = { $0.kind == .secret || $0.value == nil }
      if spec.variables.contains(where: { unknownValue($0) && $0.name.hasPrefix("TF_CLI_ARGS") }) {
        terraformAutoApproves = true
      }
      if spec.variables.contains(where: { unknownValue($0) && $0.name == "PULUMI_SKIP_CONFIRMATIONS" }) {
        pulumiSkipsConfirmations = true
      }
    }
  }

  static func check(_ site: CommandSite, environment: Environment) -> [Diagnostic] {
    let command = site.command
    let arguments = Array(command.arguments)
    guard let name = command.name,
      let subcommandIndex = arguments.firstIndex(where: { !$0.text.hasPrefix("-") })
    else { return [] }
    let subcommand = arguments[subcommandIndex]
    let rest = arguments[(subcommandIndex + 1)...]
    let flags = Set(rest.map { $0.text })
    switch name {
    case "terraform", "tofu", "terragrunt":
      guard ["apply", "destroy"].contains(subcommand.text), !environment.terraformAutoApproves else {
        return []
      }
      if flags.contains("-auto-approve") || flags.contains("--auto-approve")
        || flags.contains("-auto-approve=true")
      {
        return []
      }
      // `terraform apply plan.tfplan` applies a saved plan without asking.
      if subcommand.text == "apply", rest.contains(where: { !$0.text.hasPrefix("-") && $0.isLiteral }) {
        return []
      }
      return [
        diagnostic(
          site, subcommand,
          "`\(name) \(subcommand.text)` asks for confirmation and nobody will answer: the job hangs until its timeout; add `-auto-approve`",
          insert: "-auto-approve")
      ]
    case "pulumi":
      guard ["up", "update", "destroy", "refresh", "import"].contains(subcommand.text),
        !environment.pulumiSkipsConfirmations
      else { return [] }
      if flags.contains("--yes") || flags.contains("-y")
        || flags.contains(where: { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("y") })
      {
        return []
      }
      return [
        diagnostic(
          site, subcommand,
          "`pulumi \(subcommand.text)` asks for confirmation and nobody will answer: the job hangs until its timeout; add `--yes`",
          insert: "--yes")
      ]
    case "cdk":
      if subcommand.text == "destroy", !flags.contains("--force"), !flags.contains("-f") {
        return [
          diagnostic(
            site, subcommand,
            "`cdk destroy` asks for confirmation and nobody will answer: the job hangs until its timeout; add `--force`",
            insert: "--force")
        ]
      }
      if subcommand.text == "deploy", !rest.contains(where: { $0.text.hasPrefix("--require-approval") }) {
        return [
          diagnostic(
            site, subcommand,
            "`cdk deploy` stops to ask for approval of security-related changes and nobody will answer; add `--require-approval never`",
            insert: "--require-approval never")
        ]
      }
      return []
    default:
      return []
    }
  }

  private static func diagnostic(
    _ site: CommandSite, _ subcommand: ShellWord, _ message: String, insert flag: String
  )
    -> Diagnostic
  {
    let range = site.fileRange(subcommand.range)
    var fixes: [Fix] = []
    if site.script != nil, site.isEditable(subcommand.range) {
      fixes.append(
        Fix(title: "Add `\(flag)`", edits: [TextEdit(range: .at(range.end), newText: " \(flag)")]))
    }
    return Diagnostic(.interactiveCommand, range, message, fixes: fixes)
  }
}
