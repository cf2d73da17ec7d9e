import LifecycleSyntax

/// Reads `events` and each event's command in its three forms: a YAML sequence, a mapping with
/// `entrypoint`/`arguments`, or a string holding a JSON array (parsed strictly, per RFC 8259).
extension SpecReader {
  mutating func readEvents(_ entry: SyntaxNode.Entry) {
    let node = entry.value
    guard let entries = node.entries else {
      report(
        Diagnostic(
          .wrongType, node.isNull ? entry.key.range : node.range,
          "`events` must be a mapping with at least one of `start`, `stop` and `delete`, not \(node.typeDescription)"
        ))
      return
    }
    let known = knownEntries(entries, path: ["events"])
    if entries.isEmpty {
      report(
        Diagnostic(
          .missingKey, node.range,
          "`events` is empty; a job needs at least one of `start`, `stop` and `delete`"))
    }
    var seen: Set<EventName> = []
    for eventEntry in known {
      guard let name = eventEntry.key.scalar.flatMap({ EventName(rawValue: $0.text) }),
        seen.insert(name).inserted
      else { continue }
      spec.events.append(readEvent(name, eventEntry))
    }
  }

  mutating func readEvent(_ name: EventName, _ entry: SyntaxNode.Entry) -> Event {
    let node = entry.value
    var event = Event(name: name, keyRange: entry.key.range, range: node.range, form: .invalid)
    switch node.value {
    case .sequence(let items):
      event.form = .sequence
      event.arguments = sequenceArguments(items, event: name)
    case .mapping(let entries):
      event.form = entries.isEmpty ? .imageDefault : .mapping
      for field in knownEntries(entries, path: ["events", name.rawValue]) {
        switch field.key.scalar?.text {
        case "entrypoint":
          if let scalar = field.value.scalar, scalar.kind == .string {
            event.entrypoint = Self.argument(field.value)
          } else {
            report(
              Diagnostic(
                .wrongType, field.value.range,
                "`entrypoint` must be one string (an executable such as `/bin/sh`), not \(field.value.typeDescription)"
              ))
          }
        case "arguments":
          event.arguments = commandArguments(field.value, event: name, what: "`arguments`")
        default: break
        }
      }
    case .scalar(let scalar):
      if scalar.kind == .null {
        event.form = .imageDefault
      } else if let arguments = commandArguments(node, event: name, what: "`\(name.rawValue)`") {
        event.form = .jsonString
        event.arguments = arguments
      }
    }
    return event
  }

  /// Arguments from any node that should hold them: a sequence, or a string holding a JSON array.
  mutating func commandArguments(_ node: SyntaxNode, event: EventName, what: String) -> [LocatedText]? {
    if let items = node.items { return sequenceArguments(items, event: event) }
    guard let scalar = node.scalar, scalar.kind == .string else {
      report(
        Diagnostic(
          .commandNotArray, node.range,
          "\(what) must be a list of strings such as `[\"-c\", \"terraform apply -auto-approve\"]`, not \(node.typeDescription)"
        ))
      return nil
    }
    let trimmed = scalar.text.drop(while: { $0.isWhitespace })
    guard trimmed.hasPrefix("[") else {
      report(
        Diagnostic(
          .commandNotArray, node.range,
          "\(what) is a plain string, which the platform would run as a single executable name; give a list of arguments, such as `[\"-c\", \"…\"]` to run it with a shell",
          fixes: [
            Fix(
              title: "Run it with a shell: `[\"-c\", …]`",
              edits: [
                TextEdit(range: node.range, newText: "[\"-c\", \(JSONCompactWriter.quoted(scalar.text))]")
              ])
          ]))
      return nil
    }
    switch JSONArrayScanner.scan(scalar.text) {
    case .invalid(let error):
      report(jsonDiagnostic(error, scalar: scalar, what: what))
      return nil
    case .notArray(let kind, let range):
      report(
        Diagnostic(
          .commandNotArray, scalar.map.sourceRange(range),
          "\(what) holds JSON \(kind.phrase), not an array of arguments"))
      return nil
    case .array(let elements, _):
      var arguments: [LocatedText] = []
      for (index, element) in elements.enumerated() {
        let range = scalar.map.sourceRange(element.range)
        guard let value = element.value, let valueMap = element.valueMap else {
          report(
            Diagnostic(
              .commandElementNotString, range,
              "argument \(index + 1) is \(element.kind.phrase); every argument must be a string: quote it"))
          continue
        }
        arguments.append(LocatedText(value: value, range: range, map: scalar.map.composing(valueMap)))
      }
      // A list with a non-string element is not checked further: its shape is unknown.
      return arguments.count == elements.count ? arguments : nil
    }
  }

  /// The string items of a sequence; every other item is reported, and then the list is nil.
  mutating func sequenceArguments(_ items: [SyntaxNode], event: EventName) -> [LocatedText]? {
    var arguments: [LocatedText] = []
    for (index, item) in items.enumerated() {
      if let scalar = item.scalar, scalar.kind == .string {
        arguments.append(Self.argument(item)!)
        continue
      }
      var fixes: [Fix] = []
      if let scalar = item.scalar, scalar.kind != .null, !item.isFlow {
        fixes.append(
          Fix(
            title: "Quote it: `\"\(scalar.text)\"`",
            edits: [TextEdit(range: item.range, newText: JSONCompactWriter.quoted(scalar.text))]))
      }
      let what: String
      switch item.value {
      case .mapping:
        what = "a mapping (a `key: value` inside an argument? quote the whole argument)"
      case .sequence: what = "a nested list"
      case .scalar: what = item.typeDescription
      }
      report(
        Diagnostic(
          .commandElementNotString, item.range,
          "argument \(index + 1) is \(what); every argument must be a string", fixes: fixes))
    }
    return arguments.count == items.count ? arguments : nil
  }

  /// A diagnostic for a command string that is not valid JSON, at the error's exact place in the file.
  func jsonDiagnostic(_ error: JSONSyntaxError, scalar: SyntaxNode.Scalar, what: String) -> Diagnostic {
    let range = scalar.map.sourceRange(error.range)
    var fixes: [Fix] = []
    if let insertion = error.insertion {
      let offset = scalar.map.sourceOffset(insertion.offset)
      fixes.append(
        Fix(
          title: "Insert `\(insertion.text)`",
          edits: [TextEdit(range: .at(offset), newText: Self.escaped(insertion.text, in: scalar.style))]))
    }
    if error.kind == .typographicQuotes {
      let edits = Self.typographicQuoteRanges(in: scalar.text, doubleOnly: scalar.text.contains("“"))
        .map { TextEdit(range: scalar.map.sourceRange($0), newText: Self.escaped("\"", in: scalar.style)) }
      fixes.append(Fix(title: "Replace typographic quotes with `\"`", edits: edits))
    }
    return Diagnostic(
      .commandInvalidJSON,
      range.isEmpty ? TextRange(range.start, source.nextCharacterOffset(after: range.start)) : range,
      "\(what) is not a valid JSON array: \(error.message)", fixes: fixes)
  }

  /// The UTF-8 ranges of “ ” (and, unless `doubleOnly`, ‘ ’) in `text`.
  static func typographicQuoteRanges(in text: String, doubleOnly: Bool) -> [TextRange] {
    var ranges: [TextRange] = []
    var offset = 0
    for character in text.unicodeScalars {
      let length = String(character).utf8.count
      if ["\u{201C}", "\u{201D}"].contains(character)
        || (!doubleOnly && ["\u{2018}", "\u{2019}"].contains(character))
      {
        ranges.append(TextRange(offset, offset + length))
      }
      offset += length
    }
    return ranges
  }

  /// `text` as it must be written inside a scalar of `style` to decode to itself.
  static func escaped(_ text: String, in style: SyntaxNode.Style) -> String {
    switch style {
    case .doubleQuoted:
      return text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
    case .singleQuoted: return text.replacing("'", with: "''")
    case .plain, .literal, .folded: return text
    }
  }
}
