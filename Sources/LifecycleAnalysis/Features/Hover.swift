import LifecycleSyntax

/// Hover: key documentation, what an event will run and see, where a variable comes from, and
/// Dockerfile instruction documentation.
public enum Hover {
  public static func text(_ input: FeatureInput, at offset: Int) -> HoverText? {
    let knowledge = VariableKnowledge(input)
    switch input.kind {
    case .spec: return spec(input, knowledge, at: offset)
    case .dockerfile: return dockerfile(input, knowledge, at: offset)
    case .outputFile: return nil
    }
  }

  static func spec(_ input: FeatureInput, _ knowledge: VariableKnowledge, at offset: Int) -> HoverText? {
    guard let root = input.document.root, let spec = input.analysis.spec else { return nil }
    let (path, node, entry) = root.locate(offset)
    if let entry, let key = entry.key.scalar?.text {
      let keyRange = entry.key.range
      if path == ["events"], let event = EventName(rawValue: key) {
        return HoverText(
          eventMarkdown(event, spec: spec, input: input, knowledge: knowledge), range: keyRange)
      }
      if path == ["environment"] || path == ["aliases"] {
        return knowledge.describe(key).map { HoverText($0, range: keyRange) }
      }
      if let specKey = SpecSchema.key(at: path + [key]) {
        return HoverText("**`\(key)`**\n\n\(specKey.documentation)", range: keyRange)
      }
      return nil
    }
    if (path.first == "secrets" && path.count == 1) || (path.first == "aliases" && path.count == 2),
      let name = node.string
    {
      return knowledge.describe(name).map { HoverText($0, range: node.range) }
    }
    if let (name, range) = Cursor.identifier(at: offset, in: input.source),
      Cursor.reference(at: range.end, in: input.source, includingAfter: false)?.nameRange == range
    {
      return knowledge.describe(name).map { HoverText($0, range: range) }
    }
    return nil
  }

  /// The process an event runs (entrypoint and arguments resolved from spec and image) and the
  /// variables it sees.
  static func eventMarkdown(
    _ event: EventName, spec: JobSpec, input: FeatureInput, knowledge: VariableKnowledge
  )
    -> String
  {
    var lines = ["**`\(event.rawValue)`** event (`QOVERY_JOB_ACTION=\(event.action)`)", ""]
    if let documentation = SpecSchema.key(at: ["events", event.rawValue])?.documentation {
      lines += [documentation, ""]
    }
    if let specEvent = spec.event(event) {
      let image = input.context?.parsedDockerfile.map { ImageCommand($0, target: spec.target?.value) }
      let command = EffectiveCommand(event: specEvent, image: image)
      if command.argv.isEmpty {
        lines.append(
          spec.image != nil
            ? "Runs the prebuilt image's default command (`\(spec.image!.value)`)."
            : "No command: the image sets neither ENTRYPOINT nor CMD, so the event does nothing.")
      } else {
        lines += ["Runs:", "", "```sh", command.argv.map(shellQuoted).joined(separator: " "), "```"]
        let fromImage = command.specArgumentIndex.enumerated().filter { $0.element == nil }.map {
          command.argv[$0.offset]
        }
        if specEvent.entrypoint == nil, !fromImage.isEmpty {
          lines.append("")
          lines.append("`\(fromImage.joined(separator: " "))` comes from the Dockerfile's ENTRYPOINT/CMD.")
        }
        if command.argumentsIgnored {
          lines.append("")
          lines.append("⚠️ The image's shell-form ENTRYPOINT ignores this event's arguments.")
        }
      }
    }
    lines += ["", "Environment:", ""]
    lines.append("| Variable | Value | From |")
    lines.append("|---|---|---|")
    lines.append("| `QOVERY_JOB_ACTION` | `\(event.action)` | built-in |")
    for variable in spec.variables {
      let value: String
      switch variable.kind {
      case .environment: value = "`\(markdownCell(variable.value?.value ?? ""))`"
      case .secret: value = "`••••••`"
      case .alias: value = "= `\(variable.value?.value ?? "")`"
      }
      lines.append("| `\(variable.name)` | \(value) | \(variable.kind.origin) |")
    }
    lines.append("")
    lines.append(
      "Plus the other built-ins (`QOVERY_ENVIRONMENT_ID`, …) and the outputs of the environment's other jobs."
    )
    return lines.joined(separator: "\n")
  }

  static func shellQuoted(_ word: String) -> String {
    let safe = word.utf8.allSatisfy { Cursor.isIdentifierByte($0) || "/.-=:,@%+".utf8.contains($0) }
    if safe && !word.isEmpty { return word }
    return "'" + word.replacing("'", with: "'\\''") + "'"
  }

  static func markdownCell(_ text: String) -> String {
    text.replacing("|", with: "\\|").replacing("\n", with: " ")
  }

  static func dockerfile(_ input: FeatureInput, _ knowledge: VariableKnowledge, at offset: Int) -> HoverText?
  {
    guard let dockerfile = input.analysis.dockerfile else { return nil }
    // The instruction under the cursor, then the one an ONBUILD holds (inside its range): no
    // copy of a long Dockerfile's instructions for each hover.
    let touched = dockerfile.instructions.lazy.filter { $0.range.touches(offset) }.flatMap { [$0] + $0.child }
    for instruction in touched {
      if instruction.keywordRange.touches(offset), let known = DockerfileInstruction.named(instruction.name) {
        return HoverText(
          "**\(known.keyword)**: \(known.summary)\n\n\(known.documentation)", range: instruction.keywordRange)
      }
      if let reference = instruction.variables.first(where: { $0.nameRange.touches(offset) }) {
        return knowledge.describe(reference.name).map { HoverText($0, range: reference.nameRange) }
      }
      if instruction.name == "arg", instruction.range.touches(offset),
        let (name, range) = Cursor.identifier(at: offset, in: input.source),
        instruction.values.contains(where: { $0 == name || $0.hasPrefix(name + "=") })
      {
        return knowledge.describe(name).map { HoverText($0, range: range) }
      }
    }
    return nil
  }
}
