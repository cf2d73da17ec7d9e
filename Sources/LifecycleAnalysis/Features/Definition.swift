import LifecycleSyntax

/// Go to definition: `TF_VAR_x` → `variable "x"`, a variable → its definition, an alias → its
/// target, an ARG reference → its declaration, a script → its file, the Dockerfile path → the file.
public enum Definition {
  public static func targets(_ input: FeatureInput, at offset: Int) -> [Target] {
    let knowledge = VariableKnowledge(input)
    if case .spec = input.kind, let link = Links.links(input).first(where: { $0.range.touches(offset) }) {
      return [Target(link.target)]
    }
    guard let (name, range) = Cursor.identifier(at: offset, in: input.source) else { return [] }
    if case .dockerfile = input.kind,
      let reference = input.analysis.dockerfile?.instructions.lazy.flatMap(\.variables).first(where: {
        $0.nameRange.touches(offset)
      })
    {
      return knowledge.definitions(of: reference.name, excluding: reference.nameRange)
    }
    return knowledge.definitions(of: name, excluding: range)
  }
}

/// Document links: the spec's Dockerfile path and the scripts its events run.
public enum Links {
  public static func links(_ input: FeatureInput) -> [Link] {
    guard case .spec = input.kind, let spec = input.analysis.spec, let context = input.context else {
      return []
    }
    var links: [Link] = []
    if let dockerfile = spec.dockerfile, case .found(let path, _) = context.dockerfile {
      links.append(
        Link(
          range: innerRange(dockerfile.range, in: input.source), target: .dockerfile, tooltip: "Open \(path)")
      )
    }
    guard let parsed = context.parsedDockerfile, let rootFiles = context.rootFiles else { return links }
    let image = ImageCommand(parsed, target: spec.target?.value)
    let files = ImageFiles(dockerfile: parsed, target: spec.target?.value, rootFiles: rootFiles)
    for event in spec.events {
      for candidate in ScriptChecks.candidates(event, image: image) {
        guard let file = files.rootFile(for: candidate.path) else { continue }
        links.append(Link(range: candidate.range, target: .rootFile(file), tooltip: "Open \(file)"))
      }
    }
    return links
  }

  /// A scalar's range without its quotes.
  static func innerRange(_ range: TextRange, in source: SourceText) -> TextRange {
    guard range.length >= 2, let first = source.bytes[safe: range.start],
      first == UInt8(ascii: "\"") || first == UInt8(ascii: "'")
    else { return range }
    return TextRange(range.start + 1, range.end - 1)
  }
}

extension Array {
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// The outline: a spec's keys, events and variables; a Dockerfile's stages and instructions.
public enum Symbols {
  public static func symbols(_ input: FeatureInput) -> [Symbol] {
    switch input.kind {
    case .spec:
      guard let root = input.document.root else { return [] }
      return mapping(root, path: [])
    case .dockerfile:
      return dockerfile(input.analysis.dockerfile)
    case .outputFile:
      return []
    }
  }

  static func mapping(_ node: SyntaxNode, path: [String]) -> [Symbol] {
    if let items = node.items, path == ["secrets"] {
      return items.compactMap { item in
        item.string.map {
          Symbol(name: $0, detail: "secret", kind: .variable, range: item.range, selectionRange: item.range)
        }
      }
    }
    guard let entries = node.entries else { return [] }
    return entries.compactMap { entry in
      guard let key = entry.key.scalar?.text else { return nil }
      let range = TextRange(entry.key.range.start, max(entry.key.range.end, entry.value.range.end))
      let kind: Symbol.Kind
      var detail: String?
      switch path {
      case ["events"]:
        kind = .event
      case ["environment"], ["aliases"]:
        kind = .variable
        detail = path == ["aliases"] ? entry.value.string.map { "= \($0)" } : entry.value.scalar?.text
      default:
        kind = .property
        if let scalar = entry.value.scalar { detail = scalar.text }
      }
      return Symbol(
        name: key, detail: detail, kind: kind, range: range, selectionRange: entry.key.range,
        children: path.count < 2 ? mapping(entry.value, path: path + [key]) : [])
    }
  }

  /// Instructions listed at most, over all stages: an outline is for finding one's way, and a
  /// generated Dockerfile of 70,000 lines would send megabytes on every request. Stages are
  /// always listed.
  public static let maximumInstructionSymbols = 2_000

  /// The longest detail shown beside an instruction: its first line, cut.
  static let maximumDetailCharacters = 80

  static func dockerfile(_ dockerfile: Dockerfile?) -> [Symbol] {
    guard let dockerfile else { return [] }
    var stages: [Symbol] = []
    var preamble: [Symbol] = []
    var listed = 0
    for instruction in dockerfile.instructions {
      if instruction.name == "from" {
        stages.append(
          Symbol(
            name: instruction.stageName ?? instruction.values.first ?? "FROM",
            detail: shortDetail(instruction.arguments.value),
            kind: .stage, range: instruction.range, selectionRange: instruction.keywordRange))
        continue
      }
      if !stages.isEmpty {
        stages[stages.count - 1].range.end = max(stages[stages.count - 1].range.end, instruction.range.end)
      }
      guard listed < maximumInstructionSymbols else { continue }
      listed += 1
      let symbol = Symbol(
        name: instruction.keyword.uppercased(), detail: shortDetail(instruction.arguments.value),
        kind: instruction.name == "arg" || instruction.name == "env" ? .variable : .instruction,
        range: instruction.range, selectionRange: instruction.keywordRange)
      if stages.isEmpty {
        preamble.append(symbol)
      } else {
        stages[stages.count - 1].children.append(symbol)
      }
    }
    return preamble + stages
  }

  /// The first line of `text`, cut to `maximumDetailCharacters` with `…`.
  static func shortDetail(_ text: String) -> String {
    let line = text.prefix { $0 != "\n" }
    guard line.count > maximumDetailCharacters || line.count < text.count else { return text }
    return String(line.prefix(maximumDetailCharacters)) + "…"
  }
}
