/// Reads a JSON spec (`lifecycle-job.json`) into the same `SyntaxNode`s as YAML.
public enum JSONDocumentReader {
  public static func read(_ source: SourceText) -> SyntaxDocument {
    let text = source.string
    if let invalid = source.firstInvalidUTF8Offset {
      return SyntaxDocument(
        root: nil,
        errors: [
          SyntaxError(
            kind: .encoding, range: TextRange(invalid, invalid + 1), message: "the file is not valid UTF-8")
        ])
    }
    let options = JSONParseOptions(maximumDepth: YAMLReader.maximumDepth)
    // As for YAML: on an error, the line it blames is set aside (turned to spaces, offsets kept)
    // and the document read again, a bounded number of times, so a half-typed line does not hide
    // the rest. A trailing comma left by a line set aside is set aside alone.
    var bytes = source.bytes
    var errors: [SyntaxError] = []
    var skipped: [TextRange] = []
    let limit = YAMLReader.maximumRecoveries(forBytes: bytes.count)
    while true {
      let current = errors.isEmpty ? text : String(decoding: bytes, as: UTF8.self)
      switch JSONParser.parse(current, options: options) {
      case .failure(let error):
        if errors.isEmpty || error.kind != .trailingComma {
          errors.append(
            SyntaxError(
              kind: error.kind == .tooDeep ? .tooDeep : .json, range: error.range, message: error.message,
              insertion: error.insertion))
        }
        let blame: TextRange
        if error.kind == .trailingComma {
          blame = error.range
        } else {
          let lines = LineSpans(bytes: bytes)
          blame = lines.span(lines.line(containing: min(error.range.start, bytes.count)))
        }
        guard error.kind != .tooDeep, skipped.count < limit,
          bytes[blame.start..<blame.end].contains(where: { $0 != 0x20 })
        else { return SyntaxDocument(root: nil, errors: errors, skipped: skipped) }
        for index in blame.start..<blame.end { bytes[index] = 0x20 }
        skipped.append(blame)
      case .success(let tape):
        var builder = Builder(tape: tape, text: current)
        let root = builder.node(at: 0)
        return SyntaxDocument(root: root, errors: errors + builder.errors, skipped: skipped.sorted { $0.start < $1.start })
      }
    }
  }

  private struct Builder {
    let tape: JSONTape
    let text: String
    var errors: [SyntaxError] = []

    init(tape: JSONTape, text: String) {
      self.tape = tape
      self.text = text
    }

    /// Depth is bounded by the parse's `maximumDepth`.
    mutating func node(at index: Int) -> SyntaxNode {
      let event = tape.events[index]
      switch event.kind {
      case .beginArray:
        let items = tape.children(of: index).map { node(at: $0) }
        return SyntaxNode(value: .sequence(items), range: event.range, isFlow: true)
      case .beginObject:
        var entries: [SyntaxNode.Entry] = []
        var seen: [String: TextRange] = [:]
        for keyIndex in tape.children(of: index) {
          let key = scalar(at: keyIndex)
          let name = tape.events[keyIndex].text ?? ""
          if let first = seen[name] {
            errors.append(
              SyntaxError(
                kind: .duplicateKey, range: key.range,
                message: "duplicate key `\(name)`: only one of the two can be used", relatedRange: first))
          } else {
            seen[name] = key.range
          }
          entries.append(SyntaxNode.Entry(key: key, value: node(at: keyIndex + 1)))
        }
        return SyntaxNode(value: .mapping(entries), range: event.range, isFlow: true)
      default:
        return scalar(at: index)
      }
    }

    func scalar(at index: Int) -> SyntaxNode {
      let event = tape.events[index]
      let lexeme = text.utf8Slice(event.range)
      let kind: SyntaxNode.Kind
      var map = SourceMap.verbatim(event.range)
      var value = lexeme
      switch event.kind {
      case .string, .key:
        kind = .string
        (value, map) = JSONParser.decodeString(text, token: event.range)
      case .number:
        kind = Int(lexeme).map { .int($0) } ?? .float(Double(lexeme) ?? .nan)
      case .true: kind = .bool(true)
      case .false: kind = .bool(false)
      default: kind = .null
      }
      return SyntaxNode(
        value: .scalar(
          .init(
            text: value, kind: kind,
            style: event.kind == .string || event.kind == .key ? .doubleQuoted : .plain, map: map)),
        range: event.range)
    }
  }
}

extension String {
  /// The text of a range of UTF-8 offsets.
  public func utf8Slice(_ range: TextRange) -> String {
    let start = utf8.index(utf8.startIndex, offsetBy: range.start, limitedBy: utf8.endIndex) ?? utf8.endIndex
    let end = utf8.index(start, offsetBy: range.length, limitedBy: utf8.endIndex) ?? utf8.endIndex
    return String(decoding: utf8[start..<end], as: UTF8.self)
  }
}
