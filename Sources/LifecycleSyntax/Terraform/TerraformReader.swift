/// Reads what a lifecycle job needs from Terraform files — `variable` and `output` blocks, and
/// the values of `.tfvars` files — and tolerates everything else HCL allows (nested blocks and
/// objects, expressions, function calls, heredocs, comments).
///
/// Architecture Invariant: any bytes yield a `TerraformFile` (possibly empty); unbalanced
/// brackets end at the end of the file; nothing recurses on user input.
public enum TerraformReader {
  public static func read(_ source: SourceText) -> TerraformFile {
    var reader = Reader(bytes: source.bytes, tokens: HCLLexer.lex(source.bytes))
    return reader.readBody()
  }

  struct Reader {
    let bytes: [UInt8]
    let tokens: [HCLToken]
    var position = 0
    var file = TerraformFile()

    func text(_ range: TextRange) -> String {
      String(decoding: bytes[range.start..<range.end], as: UTF8.self)
    }

    func isPunctuation(_ index: Int, _ character: Character) -> Bool {
      index < tokens.count && tokens[index].kind == .punctuation
        && text(tokens[index].range) == String(character)
    }

    /// The top level: blocks and attributes.
    mutating func readBody() -> TerraformFile {
      while position < tokens.count {
        let token = tokens[position]
        guard token.kind == .identifier else {
          position += 1
          continue
        }
        if isPunctuation(position + 1, "=") {
          let name = text(token.range)
          position += 2
          let expression = readExpression()
          file.assignments.append(
            TerraformAssignment(name: name, nameRange: token.range, expression: text(expression)))
          continue
        }
        readBlock()
      }
      return file
    }

    /// An expression up to the end of its line, brackets balanced.
    mutating func readExpression() -> TextRange {
      var depth = 0
      var start: Int?
      var end = position < tokens.count ? tokens[position].range.start : bytes.count
      while position < tokens.count {
        let token = tokens[position]
        if token.kind == .newline, depth == 0, start != nil { break }
        if token.kind == .punctuation {
          switch text(token.range) {
          case "{", "[", "(": depth += 1
          case "}", "]", ")":
            if depth == 0 { return TextRange(start ?? end, end) }
            depth -= 1
          case ",":
            if depth == 0 { return TextRange(start ?? end, end) }
          default: break
          }
        }
        if token.kind != .newline {
          if start == nil { start = token.range.start }
          end = token.range.end
        }
        position += 1
      }
      return TextRange(start ?? end, end)
    }

    /// `type "label" ... { body }`; records `variable` and `output` blocks.
    mutating func readBlock() {
      let typeToken = tokens[position]
      let type = text(typeToken.range)
      position += 1
      var labels: [(String, TextRange)] = []
      while position < tokens.count, tokens[position].kind == .string || tokens[position].kind == .identifier
      {
        let token = tokens[position]
        labels.append(
          (token.kind == .string ? (token.literal ?? text(token.range)) : text(token.range), token.range))
        position += 1
      }
      guard isPunctuation(position, "{") else { return }
      position += 1
      let attributes = readBlockBody()
      let range = TextRange(
        typeToken.range.start, position > 0 ? tokens[position - 1].range.end : bytes.count)
      guard labels.count == 1 else { return }
      let (name, nameRange) = labels[0]
      func literal(_ key: String) -> String? { attributes[key].flatMap { $0.literal } }
      func isTrue(_ key: String) -> Bool { attributes[key].map { text($0.range) == "true" } ?? false }
      switch type {
      case "variable":
        file.variables.append(
          TerraformVariable(
            name: name, nameRange: nameRange, range: range, type: attributes["type"].map { text($0.range) },
            defaultExpression: attributes["default"].map { text($0.range) }, defaultValue: literal("default"),
            description: literal("description"), isSensitive: isTrue("sensitive"),
            attributes: Set(attributes.keys)))
      case "output":
        file.outputs.append(
          TerraformOutput(
            name: name, nameRange: nameRange, range: range, description: literal("description"),
            isSensitive: isTrue("sensitive"), attributes: Set(attributes.keys)))
      default: break
      }
    }

    /// The attributes of a block body (nested blocks skipped), up to its closing brace.
    mutating func readBlockBody() -> [String: (range: TextRange, literal: String?)] {
      var attributes: [String: (range: TextRange, literal: String?)] = [:]
      while position < tokens.count {
        let token = tokens[position]
        if token.kind == .punctuation, text(token.range) == "}" {
          position += 1
          return attributes
        }
        guard token.kind == .identifier else {
          position += 1
          continue
        }
        if isPunctuation(position + 1, "=") {
          let key = text(token.range)
          position += 2
          let first = position
          let range = readExpression()
          let single =
            position == first + 1 && (tokens[first].kind == .string || tokens[first].kind == .heredoc)
          attributes[key] = (range, single ? tokens[first].literal : nil)
        } else {
          // A nested block: skip its labels and body.
          position += 1
          while position < tokens.count,
            tokens[position].kind == .string || tokens[position].kind == .identifier
          {
            position += 1
          }
          if isPunctuation(position, "{") {
            position += 1
            _ = readBlockBody()
          }
        }
      }
      return attributes
    }
  }
}
