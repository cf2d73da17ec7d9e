import LifecycleSyntax

/// Builds a `JobSpec` from a read document and reports every structural problem: syntax errors,
/// duplicate and unknown keys, missing keys, wrong types, values out of range, and malformed
/// event commands (the three forms of DESIGN §2).
///
/// Architecture Invariant: any document, however broken, yields a spec (fields it cannot read
/// keep the platform's defaults) and diagnostics; nothing here throws or traps.
public struct SpecReader {
  public let source: SourceText
  /// True for `lifecycle-job.json`: syntax errors are reported as JSON errors.
  public let isJSON: Bool
  var diagnostics: [Diagnostic] = []
  var spec = JobSpec()
  /// The lines of the source set aside to read past a syntax error (line numbers, 0-based).
  var skippedLines: Set<Int> = []

  /// Reads `source`, a spec in YAML (or JSON when `isJSON`).
  public static func read(_ source: SourceText, isJSON: Bool = false) -> (JobSpec, [Diagnostic]) {
    let (_, spec, diagnostics) = readWithTree(source, isJSON: isJSON)
    return (spec, diagnostics)
  }

  /// Reads `source` and also returns its syntax tree, which the editor features keep.
  public static func readWithTree(_ source: SourceText, isJSON: Bool = false)
    -> (SyntaxDocument, JobSpec, [Diagnostic])
  {
    let document = isJSON ? JSONDocumentReader.read(source) : YAMLReader.read(source)
    var reader = SpecReader(source: source, isJSON: isJSON)
    reader.readDocument(document)
    return (document, reader.spec, reader.diagnostics)
  }

  init(source: SourceText, isJSON: Bool) {
    self.source = source
    self.isJSON = isJSON
  }

  mutating func report(_ diagnostic: Diagnostic) {
    if !skippedLines.isEmpty, mayBeAboutASkippedLine(diagnostic) { return }
    diagnostics.append(diagnostic)
  }

  /// True for a diagnostic that a line set aside to read past a syntax error may have made
  /// false: a missing key (the line may hold it), or a value of the wrong type on the line just
  /// above a set-aside line (the line may hold the value: `events:` over a half-typed `start:`).
  /// Certain or silent: the syntax error already stands there.
  func mayBeAboutASkippedLine(_ diagnostic: Diagnostic) -> Bool {
    if diagnostic.code == Rule.missingKey.code { return true }
    guard diagnostic.code == Rule.wrongType.code else { return false }
    var next = source.line(of: diagnostic.range.end) + 1
    while next < source.lineCount, !skippedLines.contains(next), source.isBlank(line: next) { next += 1 }
    return skippedLines.contains(next)
  }

  // MARK: The document

  mutating func readDocument(_ document: SyntaxDocument) {
    spec.readPastSyntaxErrors = !document.skipped.isEmpty
    skippedLines = Set(document.skipped.map { source.line(of: $0.start) })
    for error in document.errors {
      switch error.kind {
      case .duplicateKey:
        report(
          Diagnostic(
            .duplicateKey, error.range, error.message,
            related: error.relatedRange.map { [RelatedLocation(range: $0, message: "first defined here")] }
              ?? []))
      case .json, .yaml, .encoding, .tooDeep:
        let fixes =
          error.insertion.map {
            [Fix.insert($0.text, at: $0.offset)]
          } ?? []
        report(Diagnostic(isJSON ? .jsonSyntax : .yamlSyntax, error.range, error.message, fixes: fixes))
      }
    }
    guard let root = document.root else {
      if document.errors.isEmpty {
        report(
          Diagnostic(
            .missingKey, .at(0),
            "the job spec is empty; it needs at least `name` and `events` (run `lifecycle-job init` for a sample)"
          ))
      }
      return
    }
    guard let entries = root.entries else {
      if !root.isNull {
        report(
          Diagnostic(
            .wrongType, root.range,
            "a job spec is a mapping of keys (`name:`, `events:`, ...), not \(root.typeDescription)"))
      }
      return
    }
    let firstKeyRange = entries.first?.key.range ?? root.range
    spec.anchorRange = firstKeyRange
    for entry in knownEntries(entries, path: []) {
      let value = entry.value
      switch entry.key.scalar?.text {
      case "name": spec.name = text(value, key: "name", allowEmpty: false)
      case "type": readType(value)
      case "source": readSource(value)
      case "events":
        spec.eventsKeyRange = entry.key.range
        readEvents(entry)
      case "timeout": readTimeout(value)
      case "restarts":
        if let count = integer(value, key: "restarts") {
          if count < 0 {
            report(
              Diagnostic(
                .outOfRange, value.range, "`restarts` cannot be negative; 0 (the default) means no retry"))
          } else {
            spec.restarts = count
          }
        }
      case "resources": readResources(value)
      case "environment": readVariableMapping(value, kind: .environment)
      case "secrets": readSecrets(value)
      case "aliases": readVariableMapping(value, kind: .alias)
      default: break
      }
    }
    for required in ["name", "events"] where !entries.contains(where: { $0.key.scalar?.text == required }) {
      report(Diagnostic(.missingKey, firstKeyRange, "the job spec has no `\(required)`; it is required"))
    }
    spec.variables.sort { $0.nameRange.start < $1.nameRange.start }
  }

  /// The entries whose keys the schema allows at `path`; reports the others.
  mutating func knownEntries(_ entries: [SyntaxNode.Entry], path: [String]) -> [SyntaxNode.Entry] {
    guard let allowed = SpecSchema.keys(at: path) else { return entries }
    let names = allowed.map(\.name)
    let place = path.isEmpty ? "the job spec" : "`\(path.joined(separator: "."))`"
    return entries.filter { entry in
      guard let key = entry.key.scalar?.text else {
        report(
          Diagnostic(
            .unknownKey, entry.key.range,
            "\(place) has no key \(entry.key.typeDescription) here; expected one of \(names.map { "`\($0)`" }.joined(separator: ", "))"
          ))
        return false
      }
      if names.contains(key) { return true }
      var message = "unknown key `\(key)` in \(place)"
      var fixes: [Fix] = []
      if let suggestion = DidYouMean.suggestion(for: key, among: names) {
        message += "; did you mean `\(suggestion)`?"
        fixes.append(
          Fix.replace(entry.key.range, with: suggestion))
      } else {
        message += "; expected one of \(names.map { "`\($0)`" }.joined(separator: ", "))"
      }
      report(Diagnostic(.unknownKey, entry.key.range, message, fixes: fixes))
      return false
    }
  }

  // MARK: Scalars

  /// The text of a string value, or nil with a diagnostic.
  mutating func text(_ node: SyntaxNode, key: String, allowEmpty: Bool = true) -> Located<String>? {
    guard let scalar = node.scalar, scalar.kind == .string else {
      report(Diagnostic(.wrongType, node.range, "`\(key)` must be a string, not \(node.typeDescription)"))
      return nil
    }
    if !allowEmpty, scalar.text.allSatisfy(\.isWhitespace) {
      report(Diagnostic(.wrongType, node.range, "`\(key)` must not be empty"))
      return nil
    }
    return Located(scalar.text, node.range)
  }

  mutating func integer(_ node: SyntaxNode, key: String) -> Int? {
    guard let scalar = node.scalar, case .int(let value) = scalar.kind else {
      report(
        Diagnostic(.wrongType, node.range, "`\(key)` must be a whole number, not \(node.typeDescription)"))
      return nil
    }
    return value
  }

  static func argument(_ node: SyntaxNode) -> LocatedText? {
    guard let scalar = node.scalar else { return nil }
    return LocatedText(value: scalar.text, range: node.range, map: scalar.map)
  }

  // MARK: Settings

  mutating func readType(_ node: SyntaxNode) {
    guard let value = text(node, key: "type") else { return }
    if let type = LifecycleType(rawValue: value.value.lowercased()) {
      spec.type = type
      return
    }
    let names = LifecycleType.allCases.map(\.rawValue)
    var message =
      "unknown lifecycle type `\(value.value)`; expected `generic`, `terraform` or `cloudformation`"
    var fixes: [Fix] = []
    if let suggestion = DidYouMean.suggestion(for: value.value, among: names) {
      message += "; did you mean `\(suggestion)`?"
      fixes.append(
        Fix.replace(node.range, with: suggestion))
    }
    report(Diagnostic(.invalidValue, node.range, message, fixes: fixes))
  }

  mutating func readSource(_ node: SyntaxNode) {
    guard let entries = node.entries else {
      report(
        Diagnostic(
          .wrongType, node.range,
          "`source` must be a mapping (`root:`, `dockerfile:` or `image:`), not \(node.typeDescription)"))
      return
    }
    for entry in knownEntries(entries, path: ["source"]) {
      let key = entry.key.scalar?.text ?? ""
      let value = text(entry.value, key: "source.\(key)", allowEmpty: false)
      switch key {
      case "root": spec.root = value
      case "dockerfile": spec.dockerfile = value
      case "image": spec.image = value
      case "target": spec.target = value
      default: break
      }
      if key == "image" || key == "dockerfile",
        let other = entries.first(where: {
          let otherKey = $0.key.scalar?.text
          return (otherKey == "image" || otherKey == "dockerfile") && otherKey != key
        }), other.key.range.start < entry.key.range.start
      {
        report(
          Diagnostic(
            .conflictingKeys, entry.key.range,
            "`source` sets both `image` and `dockerfile`; a job either builds its Dockerfile or runs a prebuilt image",
            related: [
              RelatedLocation(
                range: other.key.range, message: "`\(other.key.scalar?.text ?? "")` is set here")
            ]))
      }
    }
  }

  mutating func readTimeout(_ node: SyntaxNode) {
    guard let seconds = integer(node, key: "timeout") else { return }
    if seconds <= 0 {
      report(
        Diagnostic(
          .outOfRange, node.range,
          "`timeout` must be at least 1 second (the default is \(JobSpec.defaultTimeoutSeconds))"))
      return
    }
    spec.timeoutSeconds = seconds
    if seconds > JobSpec.safeTimeoutSeconds {
      report(
        Diagnostic(
          .timeoutTooLong, node.range,
          "a timeout of \(seconds) seconds is over an hour: the job risks being killed during the platform's maintenance"
        ))
    }
  }

  mutating func readResources(_ node: SyntaxNode) {
    guard let entries = node.entries else {
      report(
        Diagnostic(
          .wrongType, node.range,
          "`resources` must be a mapping (`cpu:`, `memory:`), not \(node.typeDescription)"))
      return
    }
    for entry in knownEntries(entries, path: ["resources"]) {
      switch entry.key.scalar?.text {
      case "cpu": readCPU(entry.value)
      case "memory": readMemory(entry.value)
      default: break
      }
    }
  }

  mutating func readCPU(_ node: SyntaxNode) {
    guard let scalar = node.scalar else {
      report(
        Diagnostic(
          .wrongType, node.range,
          "`cpu` must be `500m` (millicores) or a number of vCPUs, not \(node.typeDescription)"))
      return
    }
    let millicores: Int
    switch scalar.kind {
    case .int(let count) where count >= 100:
      report(
        Diagnostic(
          .outOfRange, node.range,
          "`cpu: \(count)` asks for \(count) vCPUs; write `\(count)m` for \(count) millicores",
          fixes: [
            Fix.replace(node.range, with: "\(count)m")
          ]))
      return
    case .int(let count): millicores = count * 1000
    case .float(let vCPUs) where !(vCPUs < 100):
      report(
        Diagnostic(
          .outOfRange, node.range,
          "`cpu: \(scalar.text)` asks for \(scalar.text) vCPUs; write millicores such as `500m`"))
      return
    case .float(let vCPUs): millicores = Int((vCPUs * 1000).rounded())
    case .string where scalar.text.hasSuffix("m") && Int(scalar.text.dropLast()) != nil:
      millicores = Int(scalar.text.dropLast())!
    case .string where Double(scalar.text) != nil:
      millicores = Int(((Double(scalar.text) ?? 0) * 1000).rounded())
    default:
      report(
        Diagnostic(
          .wrongType, node.range,
          "`cpu` must be millicores such as `500m` or a number of vCPUs such as `0.5`, not `\(scalar.text)`"))
      return
    }
    guard millicores >= JobSpec.minimumCPUMillicores else {
      report(
        Diagnostic(
          .outOfRange, node.range,
          "`cpu` must be at least \(JobSpec.minimumCPUMillicores)m (the default is \(JobSpec.defaultCPUMillicores)m)"
        ))
      return
    }
    spec.cpuMillicores = millicores
  }

  mutating func readMemory(_ node: SyntaxNode) {
    guard let scalar = node.scalar else {
      report(
        Diagnostic(
          .wrongType, node.range,
          "`memory` must be `256Mi`, `1Gi` or a number of MB, not \(node.typeDescription)"))
      return
    }
    var megabytes: Int?
    switch scalar.kind {
    case .int(let count) where count > 0 && count <= 16:
      report(
        Diagnostic(
          .outOfRange, node.range,
          "`memory: \(count)` is \(count) MB, too little for any container; write `\(count)Gi` for gigabytes",
          fixes: [
            Fix.replace(node.range, with: "\(count)Gi")
          ]))
      return
    case .int(let count): megabytes = count
    case .string: megabytes = Self.megabytes(scalar.text)
    default: break
    }
    guard let megabytes else {
      report(
        Diagnostic(
          .wrongType, node.range, "`memory` must be `256Mi`, `1Gi` or a number of MB, not `\(scalar.text)`"))
      return
    }
    guard megabytes > 0 else {
      report(
        Diagnostic(
          .outOfRange, node.range,
          "`memory` must be more than 0 MB (the default is \(JobSpec.defaultMemoryMegabytes))"))
      return
    }
    spec.memoryMegabytes = megabytes
  }

  /// `256Mi`, `1Gi`, `512M`, `1G`, `512` as MB; nil when not a quantity.
  static func megabytes(_ text: String) -> Int? {
    let digits = text.prefix(while: \.isASCII).prefix(while: \.isNumber)
    guard let count = Int(digits), count <= Int.max / 1024 else { return nil }
    switch text.dropFirst(digits.count) {
    case "", "Mi", "M": return count
    case "Gi": return count * 1024
    case "G": return count * 1000
    default: return nil
    }
  }

  // MARK: Variables

  /// Reads `environment` (`NAME: value`) or `aliases` (`ALIAS: TARGET`) into `spec.variables`.
  mutating func readVariableMapping(_ node: SyntaxNode, kind: VariableDefinition.Kind) {
    let section = kind == .alias ? "aliases" : "environment"
    let shape = kind == .alias ? "ALIAS: TARGET" : "NAME: value"
    guard let entries = node.entries else {
      if !node.isNull {
        report(
          Diagnostic(
            .wrongType, node.range,
            "`\(section)` must be a mapping of `\(shape)`, not \(node.typeDescription)"))
      }
      return
    }
    for entry in entries {
      guard let name = entry.key.scalar?.text else {
        report(
          Diagnostic(.wrongType, entry.key.range, "a name must be a string, not \(entry.key.typeDescription)")
        )
        continue
      }
      let scalar = entry.value.scalar
      let isValid =
        kind == .alias ? (scalar?.kind == .string && scalar?.text.isEmpty == false) : scalar != nil
      if !isValid {
        report(
          Diagnostic(
            .wrongType, entry.value.range,
            kind == .alias
              ? "the alias `\(name)` needs the name of the variable it stands for, not \(entry.value.typeDescription)"
              : "the value of `\(name)` must be a string, not \(entry.value.typeDescription)"))
      }
      spec.variables.append(
        VariableDefinition(
          name: name, kind: kind, nameRange: entry.key.range,
          value: isValid ? Self.argument(entry.value) : nil))
    }
  }

  mutating func readSecrets(_ node: SyntaxNode) {
    if let entries = node.entries {
      report(
        Diagnostic(
          .wrongType, node.range,
          "`secrets` lists names only (`- NAME`): their values are supplied at run time and never committed"))
      for entry in entries {
        guard let name = entry.key.scalar?.text else { continue }
        spec.variables.append(VariableDefinition(name: name, kind: .secret, nameRange: entry.key.range))
      }
      return
    }
    guard let items = node.items else {
      if !node.isNull {
        report(
          Diagnostic(.wrongType, node.range, "`secrets` must be a list of names, not \(node.typeDescription)")
        )
      }
      return
    }
    for item in items {
      guard let scalar = item.scalar, scalar.kind == .string else {
        report(Diagnostic(.wrongType, item.range, "a secret is a variable name, not \(item.typeDescription)"))
        continue
      }
      spec.variables.append(VariableDefinition(name: scalar.text, kind: .secret, nameRange: item.range))
    }
  }

}
