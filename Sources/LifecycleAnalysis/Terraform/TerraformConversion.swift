import LifecycleSyntax

/// A spec written as a `qovery_job` resource (`lifecycle-job export terraform`): every setting the
/// two formats share; the environment, the repository and each secret's value are Terraform
/// variables to fill.
public enum TerraformExport {
  /// The resource and the variables it needs. `rootInRepository` is the job's root relative to
  /// its repository ("." for the top), nil for a prebuilt image.
  public static func resource(for spec: JobSpec, rootInRepository: String?) -> String {
    let name = resourceName(spec.name?.value ?? "job")
    var variables: [(name: String, description: String, sensitive: Bool, defaultValue: String?)] = [
      ("environment_id", "Id of the Qovery environment the job belongs to", false, nil)
    ]
    var body: [String] = []
    body.append("environment_id = var.environment_id")
    body.append("name           = \(quoted(spec.name?.value ?? name))")
    body.append("")
    body.append("cpu                  = \(spec.cpuMillicores)")
    body.append("memory               = \(spec.memoryMegabytes)")
    body.append("max_duration_seconds = \(spec.timeoutSeconds)")
    body.append("max_nb_restart       = \(spec.restarts)")
    body.append("")
    body.append("schedule = {")
    body.append("  lifecycle_type = \(quoted(spec.type.rawValue.uppercased()))")
    for event in spec.events {
      guard event.entrypoint != nil || event.arguments != nil else {
        body.append("  on_\(event.name.rawValue) = {}")
        continue
      }
      body.append("  on_\(event.name.rawValue) = {")
      if let entrypoint = event.entrypoint { body.append("    entrypoint = \(quoted(entrypoint.value))") }
      if let arguments = event.arguments {
        body.append("    arguments  = [\(arguments.map { quoted($0.value) }.joined(separator: ", "))]")
      }
      body.append("  }")
    }
    body.append("}")
    body.append("")
    body.append("source = {")
    if let image = spec.image?.value {
      let (imageName, tag) = splitImage(image)
      variables.append(
        ("registry_id", "Id of the container registry the image `\(imageName)` comes from", false, nil))
      body += [
        "  image = {", "    registry_id = var.registry_id", "    name        = \(quoted(imageName))",
        "    tag         = \(quoted(tag))", "  }",
      ]
    } else {
      variables.append(("repository_url", "URL of the git repository holding the job", false, nil))
      variables.append(
        ("repository_branch", "Branch of the git repository the job is built from", false, "main"))
      let root = rootInRepository ?? "."
      body += [
        "  docker = {", "    git_repository = {", "      url       = var.repository_url",
        "      branch    = var.repository_branch",
        "      root_path = \(quoted(root == "." ? "/" : "/" + root))", "    }",
        "    dockerfile_path = \(quoted(spec.dockerfilePath ?? "Dockerfile"))",
      ]
      if let target = spec.target?.value { body.append("    docker_target_build_stage = \(quoted(target))") }
      body.append("  }")
    }
    body.append("}")
    body.append("")
    body.append("healthchecks = {}")
    let secretNames = Set(spec.variables.filter { $0.kind == .secret }.map(\.name))
    func list(_ attribute: String, _ entries: [(String, String)]) {
      guard !entries.isEmpty else { return }
      body.append("")
      body.append("\(attribute) = [")
      for (key, value) in entries { body.append("  { key = \(quoted(key)), value = \(value) },") }
      body.append("]")
    }
    list(
      "environment_variables",
      spec.variables.filter { $0.kind == .environment }.map { ($0.name, quoted($0.value?.value ?? "")) })
    var secrets: [(String, String)] = []
    for secret in spec.variables where secret.kind == .secret {
      let variable = variableName(secret.name)
      variables.append((variable, "The secret `\(secret.name)` of the job", true, nil))
      secrets.append((secret.name, "var.\(variable)"))
    }
    list("secrets", secrets)
    let aliases = spec.variables.filter { $0.kind == .alias }
    list(
      "environment_variable_aliases",
      aliases.filter { !secretNames.contains($0.value?.value ?? "") }.map {
        ($0.name, quoted($0.value?.value ?? ""))
      })
    list(
      "secret_aliases",
      aliases.filter { secretNames.contains($0.value?.value ?? "") }.map {
        ($0.name, quoted($0.value?.value ?? ""))
      })

    var text = ""
    for variable in variables {
      text +=
        "variable \"\(variable.name)\" {\n  description = \(quoted(variable.description))\n  type        = string\n"
      if let value = variable.defaultValue { text += "  default     = \(quoted(value))\n" }
      if variable.sensitive { text += "  sensitive   = true\n" }
      text += "}\n\n"
    }
    text += "resource \"qovery_job\" \"\(name)\" {\n"
    for line in body { text += line.isEmpty ? "\n" : "  \(line)\n" }
    return text + "}\n"
  }

  /// An HCL string literal: escapes, and `${`/`%{` doubled so no template starts.
  public static func quoted(_ value: String) -> String {
    var result = "\""
    var previous: Character?
    for character in value {
      switch character {
      case "\\": result += "\\\\"
      case "\"": result += "\\\""
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case "{" where previous == "$" || previous == "%": result += String(previous!) + "{"
      default:
        if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
          scalar.value < 0x20
        {
          let hex = String(scalar.value, radix: 16, uppercase: true)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.append(character)
        }
      }
      previous = character
    }
    return result + "\""
  }

  /// A Terraform name: letters, digits, `_` and `-`, not starting with a digit or `-`.
  static func resourceName(_ name: String) -> String {
    var result = String(
      name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "_" })
    if result.isEmpty || result.first!.isNumber || result.first == "-" { result = "job_" + result }
    return result
  }

  /// The variable holding a secret's value: `TF_VAR_token` → `tf_var_token`.
  static func variableName(_ name: String) -> String { resourceName(name.lowercased()) }

  /// `hashicorp/terraform:1.9` → (`hashicorp/terraform`, `1.9`); no tag → `latest`.
  static func splitImage(_ image: String) -> (String, String) {
    let lastSlash = image.lastIndex(of: "/") ?? image.startIndex
    if let colon = image[lastSlash...].lastIndex(of: ":") {
      return (String(image[..<colon]), String(image[image.index(after: colon)...]))
    }
    return (image, "latest")
  }
}

/// A `qovery_job` written as a spec (`lifecycle-job import terraform`): every setting the two
/// formats share. What Terraform computes cannot be written in a spec: a computed variable value
/// becomes a secret (supplied at run time), and anything else computed is left out with a note.
public enum TerraformImport {
  /// The spec's YAML and notes on what was left out. `root` is the job's root relative to the
  /// spec's folder (nil: the spec's own folder).
  public static func spec(for job: TerraformJob, root: String?) -> (yaml: String, notes: [String]) {
    let spec = job.spec
    var notes: [String] = []
    var lines: [String] = []
    lines.append("name: \(quoted(spec.name?.value ?? job.resourceName))")
    if spec.type != .generic { lines.append("type: \(spec.type.rawValue)") }
    var source: [String] = []
    if let root, root != "." { source.append("  root: \(quoted(root))") }
    if let image = spec.image { source.append("  image: \(quoted(image.value))") }
    if let dockerfile = spec.dockerfile, dockerfile.value != "Dockerfile" {
      source.append("  dockerfile: \(quoted(dockerfile.value))")
    }
    if let target = spec.target { source.append("  target: \(quoted(target.value))") }
    if case .docker(let git) = job.source, git.dockerfileIsInline {
      notes.append("the Dockerfile is given inline (`dockerfile_raw`) or computed: the spec names none")
    }
    if !source.isEmpty { lines.append("source:"); lines += source }
    lines.append("events:")
    for event in spec.events {
      switch event.form {
      case .invalid:
        notes.append(
          "`on_\(event.name.rawValue)` holds values Terraform computes: it is left out of the spec")
        continue
      case .imageDefault:
        lines.append("  \(event.name.rawValue): {}")
      default:
        if event.entrypoint == nil, let arguments = event.arguments {
          lines.append(
            "  \(event.name.rawValue): [\(arguments.map { quoted($0.value) }.joined(separator: ", "))]")
        } else {
          lines.append("  \(event.name.rawValue):")
          if let entrypoint = event.entrypoint { lines.append("    entrypoint: \(quoted(entrypoint.value))") }
          if let arguments = event.arguments {
            lines.append("    arguments: [\(arguments.map { quoted($0.value) }.joined(separator: ", "))]")
          }
        }
      }
    }
    if job.isCronJob {
      notes.append("`qovery_job.\(job.resourceName)` is a cron job: a spec holds lifecycle events only")
    }
    if spec.timeoutSeconds != JobSpec.defaultTimeoutSeconds {
      lines.append("timeout: \(spec.timeoutSeconds)")
    }
    if spec.restarts != 0 { lines.append("restarts: \(spec.restarts)") }
    if spec.cpuMillicores != JobSpec.defaultCPUMillicores
      || spec.memoryMegabytes != JobSpec.defaultMemoryMegabytes
    {
      lines.append("resources:")
      lines.append("  cpu: \(spec.cpuMillicores)m")
      lines.append("  memory: \(spec.memoryMegabytes)Mi")
    }
    let environment = spec.variables.filter { $0.kind == .environment && $0.value != nil }
    let secrets = spec.variables.filter { $0.kind == .secret || ($0.kind == .environment && $0.value == nil) }
    let aliases = spec.variables.filter { $0.kind == .alias && $0.value != nil }
    for variable in spec.variables where variable.kind == .environment && variable.value == nil {
      notes.append(
        "`\(variable.name)`'s value is computed by Terraform: it is a secret of the spec, supplied at run time"
      )
    }
    if spec.variablesMayBeIncomplete {
      notes.append("some variables are computed by Terraform: they are left out")
    }
    if !environment.isEmpty {
      lines.append("environment:")
      lines += environment.map { "  \(quoted($0.name)): \(quoted($0.value!.value))" }
    }
    if !secrets.isEmpty {
      lines.append("secrets:")
      lines += secrets.map { "  - \(quoted($0.name))" }
    }
    if !aliases.isEmpty {
      lines.append("aliases:")
      lines += aliases.map { "  \(quoted($0.name)): \(quoted($0.value!.value))" }
    }
    return (lines.joined(separator: "\n") + "\n", notes)
  }

  /// A YAML scalar: plain when it reads back as the same string, else double-quoted.
  static func quoted(_ value: String) -> String {
    let plain =
      !value.isEmpty
      && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-./".contains($0)) }
      && !(value.first!.isNumber || value.first == "-" || value.first == ".")
      && !["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"].contains(value.lowercased())
    return plain ? value : JSONCompactWriter.quoted(value)
  }
}
