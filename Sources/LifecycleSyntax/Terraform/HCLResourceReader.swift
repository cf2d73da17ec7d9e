/// Reads the `resource` blocks of chosen types from HCL (`.tf`) or Terraform JSON (`.tf.json`)
/// into an `HCLTree`: nested blocks, objects and lists, literal values with their exact ranges
/// (a string's bytes mapped through its escapes), and `unknown` for whatever Terraform computes.
///
/// Architecture Invariant: any bytes yield resources (possibly none); unbalanced brackets end at
/// the end of the file; the reader keeps its own stack and never recurses.
public enum HCLResourceReader {
  /// The resources of `types` in an HCL file.
  public static func read(_ source: SourceText, types: Set<String>) -> TerraformResources {
    var reader = Reader(bytes: source.bytes, tokens: HCLLexer.lex(source.bytes))
    reader.readTopLevel(types: types)
    return reader.result
  }

  /// The resources of `types` in a Terraform JSON file: `{"resource": {"TYPE": {"NAME": {...}}}}`
  /// (each level also as an array of such objects).
  public static func readJSON(_ source: SourceText, types: Set<String>) -> TerraformResources {
    var result = TerraformResources()
    guard case .success(let tape) = JSONParser.parse(source.bytes), tape.events.first?.kind == .beginObject
    else { return result }
    for key in tape.children(of: 0) where tape.events[key].text == "resource" {
      for typeObject in objects(tape, at: key + 1) {
        for typeKey in tape.children(of: typeObject) {
          guard let type = tape.events[typeKey].text, types.contains(type) else { continue }
          for nameObject in objects(tape, at: typeKey + 1) {
            for nameKey in tape.children(of: nameObject) {
              for body in objects(tape, at: nameKey + 1) {
                let node = JSONConverter.convert(tape, at: body, source: source, into: &result.tree)
                result.resources.append(
                  TerraformResource(
                    type: type, name: tape.events[nameKey].text ?? "", nameRange: tape.events[nameKey].range,
                    range: tape.events[body].range, body: node))
              }
            }
          }
        }
      }
    }
    return result
  }

  /// The object at `index`, or the objects of the array there.
  static func objects(_ tape: JSONTape, at index: Int) -> [Int] {
    guard index < tape.events.count else { return [] }
    switch tape.events[index].kind {
    case .beginObject: return [index]
    case .beginArray: return tape.children(of: index).filter { tape.events[$0].kind == .beginObject }
    default: return []
    }
  }

  /// Terraform JSON values as HCL values: a string holding `${` or `%{` is a template, unknown.
  enum JSONConverter {
    static func convert(_ tape: JSONTape, at start: Int, source: SourceText, into tree: inout HCLTree) -> Int
    {
      // Containers are closed in order; each frame collects its children's node indexes.
      struct Frame {
        var event: Int
        var members: [HCLMember] = []
        var elements: [Int] = []
        var pendingKey: (String, TextRange)?
      }
      var frames: [Frame] = []
      var index = start
      var result = -1
      func attach(_ node: Int, _ frames: inout [Frame]) {
        guard !frames.isEmpty else {
          result = node
          return
        }
        if let (name, range) = frames[frames.count - 1].pendingKey {
          frames[frames.count - 1].members.append(
            HCLMember(name: name, nameRange: range, value: node, isBlock: false))
          frames[frames.count - 1].pendingKey = nil
        } else {
          frames[frames.count - 1].elements.append(node)
        }
      }
      while index < tape.events.count {
        let event = tape.events[index]
        switch event.kind {
        case .beginObject, .beginArray:
          frames.append(Frame(event: index))
        case .endObject, .endArray:
          guard let frame = frames.popLast() else { return result }
          let kind: HCLNode.Kind =
            event.kind == .endObject ? .object(frame.members) : .list(frame.elements)
          attach(tree.add(HCLNode(kind: kind, range: tape.events[frame.event].range)), &frames)
        case .key:
          let (name, _) = JSONParser.decodeString(bytes: source.bytes, token: event.range)
          if !frames.isEmpty { frames[frames.count - 1].pendingKey = (name, event.range) }
        case .string:
          let (value, map) = JSONParser.decodeString(bytes: source.bytes, token: event.range)
          let isTemplate = isTemplateText(value)
          attach(
            tree.add(
              HCLNode(
                kind: isTemplate
                  ? .unknown : .string(LocatedText(value: value, range: event.range, map: map)),
                range: event.range)), &frames)
        case .number:
          attach(tree.add(HCLNode(kind: .number(source.text(event.range)), range: event.range)), &frames)
        case .true, .false:
          attach(tree.add(HCLNode(kind: .bool(event.kind == .true), range: event.range)), &frames)
        case .null:
          attach(tree.add(HCLNode(kind: .null, range: event.range)), &frames)
        }
        if frames.isEmpty, result >= 0 { return result }
        index += 1
      }
      return result >= 0 ? result : tree.add(HCLNode(kind: .unknown, range: .at(0)))
    }

    /// True when a Terraform JSON string (or a heredoc) is a template, or holds an escaped `$${`
    /// or `%%{` whose value differs from its text: either way not read as a literal.
    static func isTemplateText(_ value: String) -> Bool {
      let bytes = Array(value.utf8)
      var index = 0
      while index + 1 < bytes.count {
        if bytes[index] == UInt8(ascii: "$") || bytes[index] == UInt8(ascii: "%"),
          bytes[index + 1] == UInt8(ascii: "{")
        {
          return true
        }
        index += 1
      }
      return false
    }
  }

  struct Reader {
    let bytes: [UInt8]
    let tokens: [HCLToken]
    var position = 0
    var result = TerraformResources()

    func text(_ index: Int) -> String {
      let range = tokens[index].range
      return String(decoding: bytes[range.start..<range.end], as: UTF8.self)
    }

    func isPunctuation(_ index: Int, _ character: String) -> Bool {
      index < tokens.count && tokens[index].kind == .punctuation && text(index) == character
    }

    func isNewline(_ index: Int) -> Bool { index < tokens.count && tokens[index].kind == .newline }

    /// Top-level blocks: `resource "TYPE" "NAME" {` of a chosen type is read; everything else is
    /// skipped with its brackets balanced.
    mutating func readTopLevel(types: Set<String>) {
      var depth = 0
      while position < tokens.count {
        let token = tokens[position]
        if depth == 0, token.kind == .identifier, text(position) == "resource",
          position + 3 < tokens.count, tokens[position + 1].kind == .string,
          tokens[position + 2].kind == .string,
          isPunctuation(position + 3, "{"), let type = tokens[position + 1].literal, types.contains(type)
        {
          let start = token.range.start
          let nameToken = tokens[position + 2]
          position += 3
          let body = readValue(stopAtNewline: true)
          result.resources.append(
            TerraformResource(
              type: type, name: nameToken.literal ?? "", nameRange: nameToken.range,
              range: TextRange(start, result.tree[body].range.end), body: body))
          continue
        }
        if token.kind == .punctuation {
          switch text(position) {
          case "{", "[", "(": depth += 1
          case "}", "]", ")": depth = max(0, depth - 1)
          default: break
          }
        }
        position += 1
      }
    }

    /// A container being read.
    struct Frame {
      var isObject: Bool
      var start: Int
      var members: [HCLMember] = []
      var elements: [Int] = []
      var pendingKey: (name: String, range: TextRange, isBlock: Bool)?
    }

    /// Reads the value at `position` (iteratively, whatever its nesting) and returns its node;
    /// `position` ends on the token after it. `stopAtNewline`: the value is an attribute's, which
    /// a line break ends.
    mutating func readValue(stopAtNewline: Bool) -> Int {
      var frames: [Frame] = []
      while true {
        // Start a value.
        var node: Int
        skipNewlines()
        let inList = frames.last.map { !$0.isObject } ?? false
        if position < tokens.count, isPunctuation(position, "{") || isPunctuation(position, "["),
          !isForExpression(position)
        {
          frames.append(Frame(isObject: isPunctuation(position, "{"), start: tokens[position].range.start))
          position += 1
          guard let closed = nextItem(&frames) else { continue }
          node = closed
        } else {
          node = readPrimary(stopAtNewline: !inList && (stopAtNewline || !frames.isEmpty))
        }
        // Hand it to its container, then close every container that ends here.
        while true {
          guard !frames.isEmpty else { return node }
          if let key = frames[frames.count - 1].pendingKey {
            frames[frames.count - 1].members.append(
              HCLMember(name: key.name, nameRange: key.range, value: node, isBlock: key.isBlock))
            frames[frames.count - 1].pendingKey = nil
          } else if !frames[frames.count - 1].isObject {
            frames[frames.count - 1].elements.append(node)
          }
          guard let closed = nextItem(&frames) else { break }
          node = closed
        }
      }
    }

    /// Moves to the next item of the innermost container: returns nil when a value must be read
    /// next (a key was read, or a list element starts), or the container's node when it closed.
    mutating func nextItem(_ frames: inout [Frame]) -> Int? {
      let frame = frames.count - 1
      while true {
        while position < tokens.count, isNewline(position) || isPunctuation(position, ",") { position += 1 }
        guard position < tokens.count else { return close(&frames, end: bytes.count) }
        let token = tokens[position]
        if isPunctuation(position, frames[frame].isObject ? "}" : "]") {
          position += 1
          return close(&frames, end: token.range.end)
        }
        if !frames[frame].isObject {
          if isPunctuation(position, "}") || isPunctuation(position, ")") {
            // A stray closing bracket: the list ends here.
            return close(&frames, end: token.range.start)
          }
          return nil
        }
        if isPunctuation(position, "]") || isPunctuation(position, ")") {
          return close(&frames, end: token.range.start)
        }
        // A key: an identifier or a string, then `=` or `:`; or a nested block's type and labels.
        if token.kind == .identifier || token.kind == .string {
          let name = token.kind == .string ? (token.literal ?? text(position)) : text(position)
          if isPunctuation(position + 1, "=") || isPunctuation(position + 1, ":") {
            frames[frame].pendingKey = (name, token.range, false)
            position += 2
            return nil
          }
          var cursor = position + 1
          while cursor < tokens.count, tokens[cursor].kind == .string || tokens[cursor].kind == .identifier {
            cursor += 1
          }
          if isPunctuation(cursor, "{") {
            frames[frame].pendingKey = (name, token.range, true)
            position = cursor
            return nil
          }
        }
        // Anything else (a computed key, a stray token): skip it.
        skipExpression(stopAtNewline: true)
        if position < tokens.count, !isNewline(position), !isPunctuation(position, ","),
          !isPunctuation(position, "}")
        {
          position += 1
        }
      }
    }

    /// Closes the innermost container; a container followed by more of its expression (`[...][0]`,
    /// `{...} == x`) is unknown as a whole.
    mutating func close(_ frames: inout [Frame], end: Int) -> Int {
      let frame = frames.removeLast()
      var kind: HCLNode.Kind = frame.isObject ? .object(frame.members) : .list(frame.elements)
      var range = TextRange(frame.start, max(frame.start, end))
      if continuesExpression(inList: frames.last.map { !$0.isObject } ?? false) {
        kind = .unknown
        let last = skipExpression(stopAtNewline: !(frames.last.map { !$0.isObject } ?? false))
        range = TextRange(frame.start, max(range.end, last))
      }
      return result.tree.add(HCLNode(kind: kind, range: range))
    }

    /// True when the token at `position` continues an expression rather than ending a value.
    func continuesExpression(inList: Bool) -> Bool {
      var cursor = position
      if inList { while isNewline(cursor) { cursor += 1 } }
      guard cursor < tokens.count, !isNewline(cursor) else { return false }
      return
        !(isPunctuation(cursor, ",") || isPunctuation(cursor, "}") || isPunctuation(cursor, "]")
        || isPunctuation(cursor, ")"))
    }

    /// `[for ...` or `{for ...`.
    func isForExpression(_ index: Int) -> Bool {
      var cursor = index + 1
      while isNewline(cursor) { cursor += 1 }
      return cursor < tokens.count && tokens[cursor].kind == .identifier && text(cursor) == "for"
    }

    /// A value that is not a container: a literal when it stands alone, else unknown.
    mutating func readPrimary(stopAtNewline: Bool) -> Int {
      guard position < tokens.count else {
        return result.tree.add(HCLNode(kind: .unknown, range: .at(bytes.count)))
      }
      let token = tokens[position]
      var kind: HCLNode.Kind = .unknown
      switch token.kind {
      case .string, .heredoc:
        if let literal = token.literal, let map = token.map,
          token.kind == .string || !HCLResourceReader.JSONConverter.isTemplateText(literal)
        {
          kind = .string(LocatedText(value: literal, range: token.range, map: map))
        }
      case .number: kind = .number(text(position))
      case .identifier:
        switch text(position) {
        case "true": kind = .bool(true)
        case "false": kind = .bool(false)
        case "null": kind = .null
        default: break
        }
      default: break
      }
      let start = position
      position += 1
      if case .unknown = kind {
        position = start
      } else if !continuesExpression(inList: !stopAtNewline) {
        return result.tree.add(HCLNode(kind: kind, range: token.range))
      } else {
        position = start
      }
      let end = skipExpression(stopAtNewline: stopAtNewline)
      return result.tree.add(
        HCLNode(kind: .unknown, range: TextRange(token.range.start, max(token.range.start, end))))
    }

    /// Skips an expression up to `,`, a closing bracket, or (with `stopAtNewline`) a line break,
    /// brackets balanced; returns the end of its last token.
    @discardableResult
    mutating func skipExpression(stopAtNewline: Bool) -> Int {
      var depth = 0
      var end = position < tokens.count ? tokens[position].range.start : bytes.count
      while position < tokens.count {
        let token = tokens[position]
        if token.kind == .newline {
          // Inside brackets a line break is only space.
          if depth == 0, stopAtNewline { return end }
          position += 1
          continue
        }
        if token.kind == .punctuation {
          switch text(position) {
          case "{", "[", "(": depth += 1
          case "}", "]", ")":
            if depth == 0 { return end }
            depth -= 1
          case ",":
            if depth == 0 { return end }
          default: break
          }
        }
        end = token.range.end
        position += 1
      }
      return end
    }

    mutating func skipNewlines() {
      while isNewline(position) { position += 1 }
    }
  }
}
