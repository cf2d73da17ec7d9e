import LifecycleSyntax

/// Completion for specs and Dockerfiles: keys and values, events, lifecycle types, variables
/// (`TF_VAR_*` from Terraform, built-ins, the job's own, Dockerfile ARG and ENV) and Dockerfile
/// instructions.
public enum Completion {
  /// Which candidates get their Terraform documentation written: a module of thousands of
  /// variables would otherwise spend a completion request writing Markdown nobody reads; resolve
  /// asks for the one item it documents.
  public enum Documenting: Equatable, Sendable {
    case all, none
    case only(label: String)

    func includes(_ label: String) -> Bool {
      switch self {
      case .all: return true
      case .none: return false
      case .only(let wanted): return wanted == label
      }
    }
  }

  /// The candidates at `offset`, best first, documented as `documenting` says.
  public static func candidates(_ input: FeatureInput, at offset: Int, documenting: Documenting = .all)
    -> [CompletionCandidate]
  {
    guard input.kind.admits(input.source) else { return [] }
    var knowledge = VariableKnowledge(input)
    knowledge.documenting = documenting
    let candidates: [CompletionCandidate]
    switch input.kind {
    case .spec(let isJSON):
      candidates = spec(input, knowledge, at: offset, isJSON: isJSON)
    case .dockerfile:
      candidates = dockerfile(input, knowledge, at: offset)
    case .outputFile:
      candidates = []
    }
    // The rest of the word under the cursor, for clients that replace it.
    let bytes = input.source.bytes
    var wordEnd = offset
    while wordEnd < bytes.count, Cursor.isIdentifierByte(bytes[wordEnd]) || bytes[wordEnd] == UInt8(ascii: "-") {
      wordEnd += 1
    }
    return candidates.map { candidate in
      var candidate = candidate
      if candidate.replaceRange.end == offset { candidate.wordRange = TextRange(candidate.replaceRange.start, wordEnd) }
      return candidate
    }.sorted { ($0.sortKey, $0.label) < ($1.sortKey, $1.label) }
  }

  /// True when the word at `offset` is followed, on its line, by a key's colon.
  static func colonFollowsWord(at offset: Int, in source: SourceText) -> Bool {
    let bytes = source.bytes
    let end = source.lineRange(source.line(of: offset)).end
    var index = offset
    while index < end, Cursor.isIdentifierByte(bytes[index]) || bytes[index] == UInt8(ascii: "-") { index += 1 }
    while index < end, bytes[index] == 0x20 { index += 1 }
    return index < end && bytes[index] == UInt8(ascii: ":")
  }

  static func spec(_ input: FeatureInput, _ knowledge: VariableKnowledge, at offset: Int, isJSON: Bool)
    -> [CompletionCandidate]
  {
    if let (_, range) = Cursor.reference(at: offset, in: input.source, includingAfter: false) {
      return knowledge.referenceCandidates(replacing: range, before: nil)
    }
    guard !isJSON, let slot = YAMLSlot(at: offset, in: input.source) else { return [] }
    switch (slot.place, slot.path) {
    case (.key, ["events"]):
      return EventName.allCases.filter { !slot.siblingKeys.contains($0.rawValue) }.map { event in
        let key = SpecSchema.key(at: ["events", event.rawValue])
        return CompletionCandidate(
          label: event.rawValue, kind: .event, detail: "event", documentation: key?.documentation,
          insertText: "\(event.rawValue): ", snippet: "\(event.rawValue): [\"-c\", \"$0\"]",
          replaceRange: slot.typed,
          sortKey: "0\(EventName.allCases.firstIndex(of: event)!)")
      }
    case (.key, ["environment"]), (.key, ["aliases"]):
      let undefinedArgs = dockerfileArguments(knowledge).filter {
        !knowledge.definedNames.contains($0) && !$0.hasPrefix("TF_VAR_")
      }
      return knowledge.terraformCandidates(replacing: slot.typed, suffix: ": ")
        + undefinedArgs.map {
          CompletionCandidate(
            label: $0, kind: .variable, detail: "ARG in the Dockerfile", insertText: "\($0): ",
            replaceRange: slot.typed, sortKey: "2")
        }
    case (.item, ["secrets"]):
      return knowledge.terraformCandidates(replacing: slot.typed)
    case (.key, let path):
      guard let keys = SpecSchema.keys(at: path) else { return [] }
      let colonFollows = Self.colonFollowsWord(at: offset, in: input.source)
      return keys.filter { !slot.siblingKeys.contains($0.name) }.map { key in
        let opensMapping = !key.children.isEmpty || ["environment", "aliases"].contains(key.name)
        let opensList = key.name == "secrets"
        let indent = String(
          repeating: " ", count: input.source.position(of: slot.typed.start, in: .utf8).character + 2)
        // Inside a key that already has its colon (`time|out: 600`), only the key is written.
        let insert =
          colonFollows
          ? key.name
          : opensMapping ? "\(key.name):\n\(indent)" : opensList ? "\(key.name):\n\(indent)- " : "\(key.name): "
        return CompletionCandidate(
          label: key.name, kind: .key, documentation: key.documentation, insertText: insert,
          replaceRange: slot.typed, sortKey: "1")
      }
    case (.value(let key), let path):
      return values(for: path + [key], input, knowledge, replacing: slot.typed)
    case (.item, _):
      return []
    }
  }

  static func values(
    for path: [String], _ input: FeatureInput, _ knowledge: VariableKnowledge, replacing range: TextRange
  ) -> [CompletionCandidate] {
    switch path {
    case ["type"]:
      return LifecycleType.allCases.map {
        CompletionCandidate(label: $0.rawValue, kind: .value, replaceRange: range, sortKey: "0")
      }
    case let path where path.count == 2 && path[0] == "aliases":
      var candidates = BuiltinVariables.fixed.map {
        CompletionCandidate(
          label: $0.name, kind: .variable, detail: "built-in", documentation: $0.documentation,
          replaceRange: range, sortKey: "0")
      }
      for variable in knowledge.spec?.variables ?? []
      where variable.kind != .alias && variable.name != path[1] {
        candidates.append(
          CompletionCandidate(
            label: variable.name, kind: .variable, detail: variable.kind.origin, replaceRange: range,
            sortKey: "1"))
      }
      return candidates + knowledge.outputCandidates(replacing: range)
    case let path where path.count == 2 && path[0] == "events":
      return [
        CompletionCandidate(
          label: "[\"-c\", \"...\"]", kind: .value,
          detail: "a shell script, for an image whose ENTRYPOINT is a shell",
          insertText: "[\"-c\", \"\"]", snippet: "[\"-c\", \"$0\"]", replaceRange: range, sortKey: "0")
      ]
    case ["source", "dockerfile"]:
      return (input.context?.rootFiles ?? []).filter {
        FileKind.of(fileName: String($0.split(separator: "/").last ?? "")) == .dockerfile
      }.map { CompletionCandidate(label: $0, kind: .file, replaceRange: range, sortKey: "0") }
    case ["source", "root"]:
      return [
        CompletionCandidate(label: ".", kind: .value, detail: "this file's folder", replaceRange: range)
      ]
    default:
      return []
    }
  }

  static func dockerfileArguments(_ knowledge: VariableKnowledge) -> [String] {
    knowledge.dockerfileDeclarations(before: nil).filter { $0.keyword == "ARG" }.flatMap(\.names)
  }

  static func dockerfile(_ input: FeatureInput, _ knowledge: VariableKnowledge, at offset: Int)
    -> [CompletionCandidate]
  {
    let source = input.source
    if let (form, range) = Cursor.reference(at: offset, in: source, includingAfter: false), form == .shell {
      var candidates: [CompletionCandidate] = []
      var seen: Set<String> = []
      for declaration in knowledge.dockerfileDeclarations(before: offset) {
        for name in declaration.names where seen.insert(name).inserted {
          candidates.append(
            CompletionCandidate(
              label: name, kind: .variable,
              detail: "\(declaration.keyword): \(declaration.instruction.arguments.value)",
              documentation: knowledge.describe(name), replaceRange: range, sortKey: "0"))
        }
      }
      for name in DockerfileChecks.predefinedArguments.sorted() where seen.insert(name).inserted {
        candidates.append(
          CompletionCandidate(
            label: name, kind: .variable, detail: "predefined build argument", replaceRange: range,
            sortKey: "2"))
      }
      return candidates
    }
    let line = source.line(of: offset)
    let lineStart = source.lineRange(line).start
    let before = Array(source.bytes[lineStart..<offset])
    var index = 0
    while index < before.count && (before[index] == 0x20 || before[index] == 0x09) { index += 1 }
    let typed = before[index...]
    if typed.allSatisfy({ Cursor.isIdentifierByte($0) }), !continues(line - 1, in: input) {
      let range = TextRange(lineStart + index, offset)
      return DockerfileInstruction.all.map { instruction in
        CompletionCandidate(
          label: instruction.keyword, kind: .instruction, detail: instruction.summary,
          documentation: instruction.documentation, insertText: instruction.keyword + " ",
          replaceRange: range,
          sortKey: instruction.isCommon ? "0" : "1")
      }
    }
    let words = String(decoding: typed, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
    if words.count == 2, words[0].uppercased() == "ARG",
      words[1].utf8.allSatisfy({ Cursor.isIdentifierByte($0) })
    {
      let range = TextRange(offset - words[1].utf8.count, offset)
      let declared = Set(dockerfileArguments(knowledge))
      var candidates = knowledge.terraformCandidates(replacing: range).filter { !declared.contains($0.label) }
      for name in knowledge.providedNames.sorted() where !declared.contains(name) {
        candidates.append(
          CompletionCandidate(
            label: name, kind: .variable, detail: "defined by the job", replaceRange: range, sortKey: "1"))
      }
      for variable in BuiltinVariables.fixed where !declared.contains(variable.name) {
        candidates.append(
          CompletionCandidate(
            label: variable.name, kind: .variable, detail: "built-in", documentation: variable.documentation,
            replaceRange: range, sortKey: "3"))
      }
      return candidates
    }
    return []
  }

  /// True when `line` ends with the Dockerfile's escape character (the next line continues it).
  static func continues(_ line: Int, in input: FeatureInput) -> Bool {
    guard line >= 0 else { return false }
    let range = input.source.lineRange(line)
    var end = range.end
    while end > range.start && (input.source.bytes[end - 1] == 0x20 || input.source.bytes[end - 1] == 0x09) {
      end -= 1
    }
    let escape = input.analysis.dockerfile?.escapeCharacter ?? UInt8(ascii: "\\")
    return end > range.start && input.source.bytes[end - 1] == escape
  }
}
