import LifecycleSyntax

/// What surrounds an offset: the identifier under it, and a variable reference it is in.
enum Cursor {
  static func isIdentifierByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
      || byte == 0x5F
  }

  /// The identifier (`[A-Za-z0-9_]+`) touching `offset`, and its range.
  static func identifier(at offset: Int, in source: SourceText) -> (name: String, range: TextRange)? {
    let bytes = source.bytes
    var start = min(max(offset, 0), bytes.count)
    var end = start
    while start > 0 && isIdentifierByte(bytes[start - 1]) { start -= 1 }
    while end < bytes.count && isIdentifierByte(bytes[end]) { end += 1 }
    guard start < end else { return nil }
    return (source.text(TextRange(start, end)), TextRange(start, end))
  }

  /// How a variable reference is written.
  enum ReferenceForm: Equatable {
    /// `$NAME` or `${NAME}`: the shell's (or Docker's) expansion.
    case shell
    /// `$(NAME)`: the platform's expansion of an argument.
    case platform
    /// `{{NAME}}`: the platform's interpolation of a value.
    case template
  }

  /// The reference being typed or pointed at: its form and the range of its (partial) name.
  static func reference(at offset: Int, in source: SourceText, includingAfter: Bool)
    -> (form: ReferenceForm, nameRange: TextRange)?
  {
    let bytes = source.bytes
    let offset = min(max(offset, 0), bytes.count)
    var start = offset
    while start > 0 && isIdentifierByte(bytes[start - 1]) { start -= 1 }
    var end = offset
    if includingAfter { while end < bytes.count && isIdentifierByte(bytes[end]) { end += 1 } }
    let range = TextRange(start, end)
    func before(_ text: String) -> Bool {
      let pattern = Array(text.utf8)
      return start >= pattern.count && Array(bytes[start - pattern.count..<start]) == pattern
    }
    if before("{{") { return (.template, range) }
    if before("$(") { return before("$$(") ? nil : (.platform, range) }
    if before("${") || before("$") { return (.shell, range) }
    return nil
  }
}

/// Where an offset stands in a YAML spec, judged from the text's indentation so that it works on
/// the half-typed lines completion sees.
struct YAMLSlot {
  enum Place: Equatable {
    /// Typing a key of the mapping at `path`.
    case key
    /// Typing the value of `key` (in the mapping at `path`).
    case value(key: String)
    /// Typing an item of the sequence at `path`.
    case item
  }

  /// The keys of the enclosing mappings, outermost first.
  var path: [String]
  var place: Place
  /// The range of what was typed so far.
  var typed: TextRange
  /// The keys already present beside a key being typed.
  var siblingKeys: Set<String>

  init?(at offset: Int, in source: SourceText) {
    let bytes = source.bytes
    let line = source.line(of: offset)
    let lineStart = source.lineRange(line).start
    guard offset >= lineStart else { return nil }
    var index = lineStart
    while index < offset && bytes[index] == 0x20 { index += 1 }
    var indent = index - lineStart
    var isItem = false
    if index < offset && bytes[index] == UInt8(ascii: "-")
      && (index + 1 == offset || bytes[index + 1] == 0x20)
    {
      isItem = true
      index = min(index + 2, offset)
      while index < offset && bytes[index] == 0x20 { index += 1 }
      indent = index - lineStart
    }
    let content = Array(bytes[index..<offset])
    if content.contains(UInt8(ascii: "#")) { return nil }
    if let colon = Self.keyColon(content) {
      let key = String(decoding: content[..<colon], as: UTF8.self)
      var valueStart = index + colon + 1
      while valueStart < offset && bytes[valueStart] == 0x20 { valueStart += 1 }
      place = .value(key: key)
      typed = TextRange(valueStart, offset)
    } else if isItem {
      place = .item
      typed = TextRange(index, offset)
    } else {
      guard content.allSatisfy({ Cursor.isIdentifierByte($0) || $0 == UInt8(ascii: "-") }) else { return nil }
      place = .key
      typed = TextRange(index, offset)
    }
    path = Self.ancestors(of: line, indent: isItem && place == .item ? indent - 1 : indent, in: source)
    siblingKeys = place == .key ? Self.siblings(of: line, indent: indent, in: source) : []
  }

  /// The offset of the colon ending a plain key at the start of `content`, if any.
  static func keyColon(_ content: [UInt8]) -> Int? {
    guard let colon = content.firstIndex(of: UInt8(ascii: ":")), colon > 0,
      content[..<colon].allSatisfy({ Cursor.isIdentifierByte($0) || $0 == UInt8(ascii: "-") })
    else { return nil }
    return colon + 1 == content.count || content[colon + 1] == 0x20 ? colon : nil
  }

  /// A line's indentation and key (`key:` with or without a value), skipping blank and comment lines.
  static func keyLine(_ line: Int, in source: SourceText) -> (indent: Int, key: String?, isItem: Bool)? {
    let range = source.lineRange(line)
    let bytes = source.bytes
    var index = range.start
    while index < range.end && bytes[index] == 0x20 { index += 1 }
    guard index < range.end, bytes[index] != UInt8(ascii: "#") else { return nil }
    var isItem = false
    if bytes[index] == UInt8(ascii: "-") && (index + 1 == range.end || bytes[index + 1] == 0x20) {
      isItem = true
      index += 1
      while index < range.end && bytes[index] == 0x20 { index += 1 }
    }
    let indent = index - range.start
    let content = Array(bytes[index..<range.end])
    let key = keyColon(content).map { String(decoding: content[..<$0], as: UTF8.self) }
    return (indent, key, isItem)
  }

  static func ancestors(of line: Int, indent: Int, in source: SourceText) -> [String] {
    var path: [String] = []
    var current = indent
    var candidate = line - 1
    while candidate >= 0 && current > 0 {
      defer { candidate -= 1 }
      guard let (lineIndent, key, _) = keyLine(candidate, in: source), lineIndent < current else { continue }
      guard let key else { return path }
      path.insert(key, at: 0)
      current = lineIndent
    }
    return path
  }

  static func siblings(of line: Int, indent: Int, in source: SourceText) -> Set<String> {
    var keys: Set<String> = []
    for step in [-1, 1] {
      var candidate = line + step
      while candidate >= 0 && candidate < source.lineCount {
        defer { candidate += step }
        guard let (lineIndent, key, _) = keyLine(candidate, in: source) else { continue }
        if lineIndent < indent { break }
        if lineIndent == indent, let key { keys.insert(key) }
      }
    }
    return keys
  }
}

extension SyntaxNode {
  /// The keys leading from this node to the deepest node containing `offset`, with that node
  /// and, when `offset` is on a key, the entry whose key it is.
  func locate(_ offset: Int) -> (path: [String], node: SyntaxNode, onKeyOf: Entry?) {
    var path: [String] = []
    var node = self
    while true {
      switch node.value {
      case .mapping(let entries):
        if let entry = entries.first(where: { $0.key.range.touches(offset) }) {
          return (path, node, entry)
        }
        guard let entry = entries.first(where: { $0.value.range.touches(offset) }),
          let key = entry.key.scalar?.text
        else { return (path, node, nil) }
        path.append(key)
        node = entry.value
      case .sequence(let items):
        guard let item = items.first(where: { $0.range.touches(offset) }) else { return (path, node, nil) }
        node = item
      case .scalar:
        return (path, node, nil)
      }
    }
  }
}
