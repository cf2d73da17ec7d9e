import LifecycleSyntax

/// The checks of DESIGN §4 on a spec's variables: names, the reserved prefix, duplicates, alias
/// targets, references nothing defines, and secrets written in plain text.
enum VariableChecks {
  static func check(_ spec: JobSpec) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    var first: [String: VariableDefinition] = [:]
    for variable in spec.variables {
      diagnostics += checkName(variable)
      if let earlier = first[variable.name] {
        diagnostics.append(
          Diagnostic(
            .duplicateVariable, variable.nameRange,
            "`\(variable.name)` is already defined as \(earlier.kind.phrase); the job gets only one of them",
            related: [RelatedLocation(range: earlier.nameRange, message: "first defined here")]))
      } else {
        first[variable.name] = variable
      }
    }
    let known = KnownNames(spec: spec)
    for variable in spec.variables {
      guard let value = variable.value else { continue }
      switch variable.kind {
      case .alias: diagnostics += checkAliasTarget(variable.name, value, known: known)
      case .environment:
        diagnostics += checkSecret(variable)
        diagnostics += VariableReferences.interpolations(in: value.value).compactMap {
          known.undefined($0, in: value, form: "{{\($0.name)}}")
        }
      case .secret: break
      }
    }
    let secrets = Set(spec.variables.filter { $0.kind == .secret }.map(\.name))
    for event in spec.events {
      for argument in [event.entrypoint].compactMap({ $0 }) + (event.arguments ?? []) {
        let expansions = VariableReferences.platformExpansions(in: argument.value)
        diagnostics += expansions.compactMap { known.undefined($0, in: argument, form: "$(\($0.name))") }
        for reference in expansions where secrets.contains(reference.name) {
          diagnostics.append(
            Diagnostic(
              .secretOnCommandLine, argument.sourceRange(reference.nameRange),
              "`$(\(reference.name))` puts the secret's value on the command line, where any process of the node can read it (`ps`, `/proc/*/cmdline`); read it from the environment instead (`$\(reference.name)` inside `sh -c`), and `lifecycle-job run` refuses it"
            ))
        }
      }
      if let (text, script) = event.script {
        for reference in script.references
        where !reference.handlesUnset && !script.assignedNames.contains(reference.name)
          && !script.maySetBySourcedFile(at: reference.nameRange.start)
        {
          let located = VariableReferences.Reference(name: reference.name, nameRange: reference.nameRange)
          if let diagnostic = known.undefined(located, in: text, form: "$\(reference.name)") {
            diagnostics.append(diagnostic)
          }
        }
      }
    }
    return diagnostics
  }

  static func checkName(_ variable: VariableDefinition) -> [Diagnostic] {
    let name = variable.name
    if !VariableName.isValid(name) {
      return [
        Diagnostic(
          .invalidVariableName, variable.nameRange,
          "`\(name)` is not a valid variable name: use letters, digits and `_`, not starting with a digit")
      ]
    }
    if name.uppercased().hasPrefix("QOVERY") {
      return [
        Diagnostic(
          .reservedVariablePrefix, variable.nameRange,
          "names starting with `QOVERY` are reserved for the platform's own variables; rename `\(name)`"
            + (variable.kind == .alias ? "" : ", or alias it if you meant to reuse a built-in"))
      ]
    }
    if name.hasPrefix("__") {
      return [
        Diagnostic(
          .doubleUnderscoreVariable, variable.nameRange,
          "names starting with `__` are kept for the platform's internal use; rename `\(name)`")
      ]
    }
    return []
  }

  static func checkAliasTarget(_ name: String, _ target: LocatedText, known: KnownNames) -> [Diagnostic] {
    let targetName = target.value
    if known.spec.contains(targetName) || BuiltinVariables.match(targetName) != nil { return [] }
    if known.mayBeIncomplete, !targetName.uppercased().hasPrefix("QOVERY") { return [] }
    let suggestion = known.suggestion(for: targetName)
    guard targetName.uppercased().hasPrefix("QOVERY") || suggestion != nil else {
      return []  // It may be a project or environment variable.
    }
    var message =
      "the alias `\(name)` stands for `\(targetName)`, which is neither a built-in variable nor defined by this job"
    var fixes: [Fix] = []
    if let suggestion {
      message += "; did you mean `\(suggestion)`?"
      fixes.append(
        Fix.replace(target.range, with: suggestion))
    }
    return [Diagnostic(.unknownAliasTarget, target.range, message, fixes: fixes)]
  }

  /// Whether a name reads as holding a secret: its last word names one (`DB_PASSWORD`,
  /// `API_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `dbPassword`), and it is not a property of a secret
  /// (`password_length`, `secret_arn`), a flag (`create_kms_key`, `manage_master_user_password`) or
  /// a key that is public or only names one (`ssh_public_key`, `kms_key`).
  static func looksSecret(_ name: String) -> Bool {
    var words = SecretName.words(name)
    if words.starts(with: ["tf", "var"]) { words.removeFirst(2) }
    while let last = words.last, SecretName.neutralSuffixes.contains(last) { words.removeLast() }
    guard let last = words.last, let first = words.first else { return false }
    if SecretName.flagPrefixes.contains(first) { return false }
    if last == "key" {
      return words.count > 1 && !words.contains(where: SecretName.nonSecretKeyKinds.contains)
    }
    // Also run together: `PGPASSWORD`, `APITOKEN`, `APIKEY`.
    return ["password", "passwd", "passphrase", "secret", "token", "credential", "credentials"].contains {
      last.hasSuffix($0)
    } || ["apikey", "privatekey", "secretkey"].contains(last)
  }

  static func checkSecret(_ variable: VariableDefinition) -> [Diagnostic] {
    guard let value = variable.value, looksSecret(variable.name) else { return [] }
    // A value made only of `{{NAME}}` references takes the secret from elsewhere.
    var literal = value.value
    for reference in VariableReferences.interpolations(in: value.value).reversed() {
      let bytes = Array(literal.utf8)
      literal = String(
        decoding: bytes[..<reference.range.start] + bytes[reference.range.end...], as: UTF8.self)
    }
    guard !literal.trimmed.isEmpty else { return [] }
    return [
      Diagnostic(
        .secretInPlainText, value.range,
        "`\(variable.name)` looks like a secret but its value is written in the spec, where anyone with the repository reads it; list the name under `secrets` and supply the value at run time"
      )
    ]
  }
}

extension VariableDefinition.Kind {
  var phrase: String {
    switch self {
    case .environment: return "an environment variable"
    case .secret: return "a secret"
    case .alias: return "an alias"
    }
  }
}

/// Every name a job's variables may refer to.
struct KnownNames {
  /// Names the spec defines.
  var spec: Set<String>
  /// The job may define names its reading could not see.
  var mayBeIncomplete: Bool

  init(spec: JobSpec) {
    self.spec = spec.definedNames
    mayBeIncomplete = spec.variablesMayBeIncomplete
  }

  /// Well-known variables of a shell and a container.
  static let shellNames: Set<String> = [
    "HOME", "PATH", "PWD", "OLDPWD", "USER", "LOGNAME", "SHELL", "HOSTNAME", "TERM", "LANG", "LANGUAGE",
    "LC_ALL",
    "TMPDIR", "IFS", "PS1", "PS2", "PS4", "RANDOM", "SECONDS", "LINENO", "UID", "EUID", "PPID", "REPLY",
    "OPTARG",
    "OPTIND", "BASH", "BASH_SOURCE", "BASH_VERSION", "FUNCNAME", "PIPESTATUS", "HOSTTYPE", "OSTYPE",
    "MACHTYPE",
    "SHLVL", "COLUMNS", "LINES", "EDITOR", "PAGER", "CI", "DEBIAN_FRONTEND", "TZ",
  ]

  /// The nearest defined or built-in name, for a name that is neither.
  func suggestion(for name: String) -> String? {
    if name.uppercased().hasPrefix("QOVERY_"), let builtin = BuiltinVariables.suggestion(for: name) {
      return builtin
    }
    return DidYouMean.suggestion(for: name, among: spec.union(BuiltinVariables.fixed.map(\.name)))
  }

  /// A diagnostic for a reference to a name nothing defines; nil when it is defined, or could
  /// exist at run time (a project or environment variable, another job's output).
  func undefined(_ reference: VariableReferences.Reference, in argument: LocatedText, form: String)
    -> Diagnostic?
  {
    let name = reference.name
    if spec.contains(name) || BuiltinVariables.match(name) != nil || Self.shellNames.contains(name) {
      return nil
    }
    let suggestion = suggestion(for: name)
    let isReserved = name.hasPrefix("QOVERY_")
    guard isReserved || (suggestion != nil && name.count >= 4 && !mayBeIncomplete) else { return nil }
    let range = argument.sourceRange(reference.nameRange)
    var message =
      isReserved
      ? "`\(form)` is not one of the platform's variables"
      : "`\(form)` is defined nowhere in this job"
    var fixes: [Fix] = []
    if let suggestion {
      message += "; did you mean `\(suggestion)`?"
      if argument.isVerbatim(reference.nameRange) {
        fixes.append(
          Fix.replace(range, with: suggestion))
      }
    }
    return Diagnostic(.undefinedVariable, range, message, fixes: fixes)
  }
}

/// The references the platform itself expands: `{{NAME}}` in variable values and `$(NAME)` in
/// arguments.
enum VariableReferences {
  struct Reference: Equatable {
    var name: String
    /// The name, in the value's UTF-8 offsets.
    var nameRange: TextRange
    /// The whole reference, braces included.
    var range: TextRange = .at(0)
  }

  /// `{{NAME}}` references (one level; an unknown name becomes empty).
  static func interpolations(in value: String) -> [Reference] {
    let bytes = Array(value.utf8)
    var references: [Reference] = []
    var index = 0
    while index + 1 < bytes.count {
      guard bytes[index] == UInt8(ascii: "{"), bytes[index + 1] == UInt8(ascii: "{") else {
        index += 1
        continue
      }
      var end = index + 2
      while end < bytes.count, ShellLexer.isNameByte(bytes[end]) { end += 1 }
      if end + 1 < bytes.count, end > index + 2, bytes[end] == UInt8(ascii: "}"),
        bytes[end + 1] == UInt8(ascii: "}")
      {
        references.append(
          Reference(
            name: String(decoding: bytes[(index + 2)..<end], as: UTF8.self),
            nameRange: TextRange(index + 2, end),
            range: TextRange(index, end + 2)))
        index = end + 2
      } else {
        index += 2
      }
    }
    return references
  }

  /// `$(NAME)` references not escaped as `$$(NAME)`. With `requiringCapital`, only names with a
  /// capital letter: `$(date)` is more likely a command substitution for the shell, and a check
  /// should not call it undefined (the platform leaves an undefined one as it is).
  static func platformExpansions(in value: String, requiringCapital: Bool = true) -> [Reference] {
    let bytes = Array(value.utf8)
    var references: [Reference] = []
    var index = 0
    while index + 2 < bytes.count {
      if bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "$") {
        index += 2
        continue
      }
      guard bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "(") else {
        index += 1
        continue
      }
      var end = index + 2
      while end < bytes.count, ShellLexer.isNameByte(bytes[end]) { end += 1 }
      let name = bytes[(index + 2)..<end]
      if end < bytes.count, bytes[end] == UInt8(ascii: ")"), !name.isEmpty, !ShellLexer.isDigit(name.first!),
        !requiringCapital || name.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") })
      {
        references.append(
          Reference(
            name: String(decoding: name, as: UTF8.self), nameRange: TextRange(index + 2, end),
            range: TextRange(index, end + 1)))
      }
      index = end
    }
    return references
  }
}

/// The words a variable name is read by, for `looksSecret`.
enum SecretName {
  /// Words that qualify a name without changing what it holds (`DB_PASSWORD_VALUE`).
  /// `wo` is Terraform's write-only form of an attribute (`master_password_wo`).
  static let neutralSuffixes: Set<String> = ["value", "string", "b64", "base64", "plain", "raw", "wo"]
  /// First words of a switch or an action rather than a value (`create_kms_key`, `is_secret`).
  static let flagPrefixes: Set<String> = [
    "create", "enable", "enabled", "disable", "use", "is", "has", "manage", "generate", "rotate", "allow",
    "skip", "store", "random", "require", "should", "attach", "include", "export",
  ]
  /// Keys that are public or that name a key kept elsewhere (`ssh_public_key`, `pgp_key`, `kms_key`).
  static let nonSecretKeyKinds: Set<String> = [
    "public", "pgp", "gpg", "kms", "cmk", "partition", "sort", "hash", "primary", "foreign", "idempotency",
    "cache",
  ]

  /// Lower-case words split at `_`, `-`, `.` and camel-case humps.
  static func words(_ name: String) -> [String] {
    var words: [String] = []
    var current = ""
    var previousIsLower = false
    for character in name {
      if character == "_" || character == "-" || character == "." {
        if !current.isEmpty { words.append(current) }
        current = ""
        previousIsLower = false
        continue
      }
      if character.isUppercase, previousIsLower, !current.isEmpty {
        words.append(current)
        current = ""
      }
      current += character.lowercased()
      previousIsLower = character.isLowercase || character.isNumber
    }
    if !current.isEmpty { words.append(current) }
    return words
  }
}
