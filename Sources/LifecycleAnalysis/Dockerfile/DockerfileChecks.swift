import LifecycleSyntax

/// The checks of a Dockerfile on its own: what BuildKit refuses, unknown instructions,
/// instructions before FROM, broken exec forms and variables nothing declares.
enum DockerfileChecks {
  static let instructions: [String] = [
    "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label", "maintainer",
    "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir",
  ]

  /// Build arguments every build has without an ARG line.
  static let predefinedArguments: Set<String> = [
    "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY",
    "no_proxy",
    "ALL_PROXY", "all_proxy", "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH", "BUILDVARIANT", "BUILDKIT_INLINE_CACHE", "SOURCE_DATE_EPOCH",
  ]

  static func check(_ dockerfile: Dockerfile, source: SourceText) -> [Diagnostic] {
    var diagnostics = dockerfile.errors.map { error in
      Diagnostic(
        .dockerfileSyntax,
        error.range.isEmpty
          ? TextRange(error.range.start, source.nextCharacterOffset(after: error.range.start)) : error.range,
        error.message)
    }
    var seenFrom = false
    for instruction in dockerfile.instructions {
      diagnostics += checkInstruction(instruction, seenFrom: seenFrom)
      if instruction.name == "from" { seenFrom = true }
    }
    diagnostics += undefinedVariables(dockerfile)
    return diagnostics
  }

  static func checkInstruction(_ instruction: DockerInstruction, seenFrom: Bool) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    guard instructions.contains(instruction.name) else {
      var message = "unknown instruction `\(instruction.keyword)`"
      var fixes: [Fix] = []
      if let suggestion = DidYouMean.suggestion(for: instruction.name, among: instructions) {
        message += "; did you mean `\(suggestion.uppercased())`?"
        fixes.append(
          Fix.replace(instruction.keywordRange, with: suggestion.uppercased()))
      }
      return [Diagnostic(.unknownInstruction, instruction.keywordRange, message, fixes: fixes)]
    }
    if !seenFrom, instruction.name != "from", instruction.name != "arg" {
      diagnostics.append(
        Diagnostic(
          .instructionBeforeFrom, instruction.keywordRange,
          "`\(instruction.keyword.uppercased())` comes before the first FROM; only ARG may"))
    }
    for child in instruction.child { diagnostics += checkInstruction(child, seenFrom: true) }
    if let error = instruction.jsonError {
      var fixes: [Fix] = []
      if let insertion = error.insertion {
        fixes.append(.insert(insertion.text, at: insertion.offset))
      }
      let keyword = instruction.keyword.uppercased()
      let consequence =
        instruction.name == "shell"
        ? "SHELL requires a JSON array, so the build fails"
        : "Docker silently runs the whole text as a shell command"
      diagnostics.append(
        Diagnostic(
          .execFormInvalidJSON, error.range,
          "the \(keyword) arguments look like a JSON array but are not valid JSON (\(error.message)): \(consequence)",
          fixes: fixes))
    }
    return diagnostics
  }

  /// `$NAME` that no ARG, ENV or predefined argument declares, where that is surely a mistake: a
  /// `TF_VAR_` or `QOVERY_` name (the platform passes variables to the build only through ARG), or
  /// a near-miss of a declared name. Other names may come from the base image and stay quiet, and
  /// so does every name a RUN reads after sourcing a file (`. "$APACHE_ENVVARS"`).
  ///
  /// The message says the value is empty only where that is certain: outside RUN (whose shell also
  /// sees the base image's environment), in a stage whose ancestry starts `FROM scratch`, or on a
  /// FROM line, which sees only the global ARGs.
  static func undefinedVariables(_ dockerfile: Dockerfile) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    var global: Set<String> = []
    var declared: Set<String> = []
    var stages: [String: Set<String>] = [:]
    /// Stages whose every ancestor is known down to `scratch`, so no base image adds variables.
    var stagesFromScratch: Set<String> = []
    var fromScratch = false
    var inStage = false
    var currentStage: String?
    for instruction in dockerfile.instructions {
      let isFrom = instruction.name == "from"
      let visible = inStage && !isFrom ? declared : global
      // The references that would be reported; most instructions have none, and only then is a
      // RUN's script read for the names it assigns or the files it sources.
      var candidates: [(reference: DockerVariableReference, suggestion: String?)] = []
      for reference in instruction.variables
      where !visible.contains(reference.name) && !reference.handlesUnset
        && !predefinedArguments.contains(reference.name) && !KnownNames.shellNames.contains(reference.name)
      {
        let suggestion = DidYouMean.suggestion(for: reference.name, among: visible)
        let reserved = reference.name.hasPrefix("TF_VAR_") || reference.name.hasPrefix("QOVERY_")
        guard reserved || (suggestion != nil && reference.name.count >= 4) else { continue }
        candidates.append((reference, suggestion))
      }
      if !candidates.isEmpty, instruction.name == "run", case .shell(let text?) = instruction.form {
        let script = ShellScript(text.value)
        let sourcedFrom = script.firstSourcedFileOffset.map { text.sourceRange(TextRange($0, $0)).start }
        candidates.removeAll { candidate in
          script.assignedNames.contains(candidate.reference.name)
            || (sourcedFrom.map { candidate.reference.nameRange.start > $0 } ?? false)
        }
      }
      for (reference, suggestion) in candidates {
        let certainlyEmpty = isFrom || (instruction.name != "run" && fromScratch)
        var message =
          "`$\(reference.name)` is declared by no ARG or ENV before this line"
          + (certainlyEmpty ? ", so it is empty here" : ", so it is empty unless the base image sets it")
        var fixes: [Fix] = []
        if let suggestion {
          message += "; did you mean `\(suggestion)`?"
          fixes.append(
            Fix.replace(reference.nameRange, with: suggestion))
        } else {
          message += "; declare it with `ARG \(reference.name)`"
        }
        diagnostics.append(Diagnostic(.undefinedVariable, reference.nameRange, message, fixes: fixes))
      }
      switch instruction.name {
      case "from":
        if inStage, let name = currentStage { stages[name] = declared }
        inStage = true
        let base = instruction.values.first?.lowercased() ?? ""
        declared = stages[base] ?? []
        fromScratch = base == "scratch" || stagesFromScratch.contains(base)
        currentStage = instruction.stageName?.lowercased()
        if fromScratch, let currentStage { stagesFromScratch.insert(currentStage) }
      case "arg":
        let names = Set(instruction.values.map { String($0.split(separator: "=", maxSplits: 1).first ?? "") })
        if inStage { declared.formUnion(names) } else { global.formUnion(names) }
      case "env":
        for index in stride(from: 0, to: instruction.values.count, by: 3) {
          declared.insert(instruction.values[index])
        }
      default: break
      }
    }
    return diagnostics
  }
}
