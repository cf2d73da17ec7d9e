import Yams

/// Reads a YAML document with Yams into `SyntaxNode`s with exact ranges.
///
/// Yams (libyaml) provides the structure and each node's start; `ScalarAligner` finds where each
/// scalar ends, and collections end where their last child (or closing bracket) does.
public enum YAMLReader {
  /// Nesting deeper than this is refused before Yams, whose composer recurses once per level, is
  /// asked to read it. Specs nest a handful of levels; 100 fits a 512 KiB stack even in a debug build.
  public static let maximumDepth = 100

  public static func read(_ source: SourceText) -> SyntaxDocument {
    if let invalid = source.firstInvalidUTF8Offset {
      return SyntaxDocument(
        root: nil,
        errors: [
          SyntaxError(
            kind: .encoding, range: TextRange(invalid, invalid + 1),
            message:
              "the file is not valid UTF-8 (byte 0x\(String(source.bytes[invalid], radix: 16, uppercase: true)) here)"
          )
        ])
    }
    if let deep = NestingEstimate.firstPositionDeeperThan(maximumDepth, in: source.bytes) {
      return SyntaxDocument(
        root: nil,
        errors: [
          SyntaxError(
            kind: .tooDeep, range: TextRange(deep, source.nextCharacterOffset(after: deep)),
            message: "the document nests more than \(maximumDepth) levels deep here; it is not read further")
        ])
    }
    return readRecovering(source)
  }

  /// How many lines a read may set aside to get past syntax errors, so that a half-typed line
  /// does not hide the rest of the document; fewer for a large file, each retry being a parse.
  static func maximumRecoveries(forBytes count: Int) -> Int { min(8, max(1, (1 << 21) / max(count, 1))) }

  /// Reads `source`; on a syntax error, reads it again with the lines the error blames turned to
  /// spaces (offsets are kept, so every range still points into `source`), a bounded number of
  /// times. Every error met is reported, where the person typing sees it: on the line being typed.
  private static func readRecovering(_ source: SourceText) -> SyntaxDocument {
    var bytes = source.bytes
    var errors: [SyntaxError] = []
    var skipped: [TextRange] = []
    var rounds = 0
    let limit = maximumRecoveries(forBytes: bytes.count)
    while true {
      let text = String(decoding: bytes, as: UTF8.self)
      let marks = MarkTable(bytes: bytes)
      do {
        guard
          let root = try Yams.Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8)
            .singleRoot()
        else { return SyntaxDocument(root: nil, errors: errors, skipped: skipped) }
        var converter = Converter(aligner: ScalarAligner(bytes: bytes), marks: marks)
        let node = converter.convert(root)
        return SyntaxDocument(root: node, errors: errors + converter.errors, skipped: skipped)
      } catch let error as YamlError {
        let located = syntaxError(error, text: text, marks: marks, bytes: bytes)
        let blame = located.blame.filter { line in bytes[line.start..<line.end].contains { $0 != 0x20 } }
        rounds += 1
        guard rounds <= limit, let first = blame.first else {
          if !errors.contains(where: { $0.range == located.error.range }) { errors.append(located.error) }
          return SyntaxDocument(root: nil, errors: errors, skipped: skipped)
        }
        if let earliest = skipped.first, first.start < earliest.start {
          // A construct that began above every line set aside so far (an unclosed quote) made
          // the earlier errors: they were its consequences. Start again with it alone.
          bytes = source.bytes
          errors = []
          skipped = []
        }
        if !errors.contains(where: { $0.range == located.error.range }) { errors.append(located.error) }
        for line in blame {
          for index in line.start..<line.end { bytes[index] = 0x20 }
          skipped.append(line)
        }
        skipped.sort { $0.start < $1.start }
      } catch {
        errors.append(SyntaxError(kind: .yaml, range: .at(0), message: "\(error)"))
        return SyntaxDocument(root: nil, errors: errors, skipped: skipped)
      }
    }
  }

  /// A libyaml error as a positioned `SyntaxError`, and the lines (without their breaks) to set
  /// aside to read past it.
  ///
  /// libyaml reports a half-typed key (`  TF_`) or an unclosed quote where it gave up, often the
  /// start of the next line; its context mark is where the construct began, the line being
  /// typed. A scanned construct (a simple key, a quoted or block scalar) blames its own line; an
  /// unclosed flow collection blames every line from its opening bracket to where the parser gave
  /// up; anything else blames the line of the problem.
  private static func syntaxError(_ error: YamlError, text: String, marks: MarkTable, bytes: [UInt8])
    -> (error: SyntaxError, blame: [TextRange])
  {
    let lines = marks.lines
    let source = SourceText(bytes: bytes)
    func make(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> (SyntaxError, [TextRange]) {
      let offset = marks.offset(line: mark.line - 1, column: mark.column - 1)
      let problemLine = lines.line(containing: offset)
      if offset < bytes.count, bytes[offset] == UInt8(ascii: "\t") {
        return (
          SyntaxError(
            kind: .yaml, range: TextRange(offset, offset + 1),
            message: "a tab cannot indent YAML or start a value here; use spaces (\(problem))"),
          [lines.span(problemLine)]
        )
      }
      guard let context else {
        // `n` above `type: terraform`: the half-typed word and the next line read as one plain
        // scalar, and libyaml gives up at the next line's colon. The line being typed is the
        // bare word above, not the line with the colon.
        if problem.hasPrefix("mapping values are not allowed"),
          let above = (0..<problemLine).last(where: { lines.contentEnd($0) > lines.span($0).start }),
          lines.isBareWord(above)
        {
          let start = lines.contentStart(above)
          return (
            SyntaxError(
              kind: .yaml, range: TextRange(start, lines.contentEnd(above)),
              message: "could not find expected ':' (a key needs a colon after it)"),
            lines.withChildren(above)
          )
        }
        // Lines indented under a plain value (`stop: x` above a `delete:`'s orphaned children):
        // the block goes together.
        if problem.hasPrefix("mapping values are not allowed"),
          let above = (0..<problemLine).last(where: { !lines.isBlank($0) }),
          lines.indent(problemLine) > lines.indent(above)
        {
          return (
            SyntaxError(kind: .yaml, range: TextRange(offset, source.nextCharacterOffset(after: offset)), message: problem),
            lines.block(problemLine)
          )
        }
        return (
          SyntaxError(kind: .yaml, range: TextRange(offset, source.nextCharacterOffset(after: offset)), message: problem),
          [lines.span(problemLine)]
        )
      }
      let contextOffset = marks.offset(line: context.mark.line - 1, column: context.mark.column - 1)
      let contextLine = lines.line(containing: contextOffset)
      let position = source.position(of: contextOffset)
      let message =
        problem + " (\(context.text) that starts at line \(position.line + 1), column \(position.character + 1))"
      if context.text.hasPrefix("while scanning"), contextLine <= problemLine {
        let end = max(lines.contentEnd(contextLine), source.nextCharacterOffset(after: contextOffset))
        return (
          SyntaxError(kind: .yaml, range: TextRange(contextOffset, min(end, bytes.count)), message: message),
          context.text.hasPrefix("while scanning a simple key") && lines.isBareWord(contextLine)
            ? lines.withChildren(contextLine) : [lines.span(contextLine)]
        )
      }
      if context.text.hasPrefix("while parsing a flow"), contextLine < problemLine {
        // Unclosed: reported where it opened, on the line being typed. Set aside with it are
        // the lines indented deeper (its continuation), not its siblings below (`delete:` under a
        // half-typed `start: [`).
        let indent = lines.indent(contextLine)
        let continuation = (contextLine + 1..<problemLine).filter { lines.indent($0) > indent || lines.isBlank($0) }
        return (
          SyntaxError(
            kind: .yaml,
            range: TextRange(
              min(contextOffset, bytes.count), min(max(lines.contentEnd(contextLine), contextOffset + 1), bytes.count)),
            message: message),
          [lines.span(contextLine)] + continuation.map { lines.span($0) }
        )
      }
      return (
        SyntaxError(kind: .yaml, range: TextRange(offset, source.nextCharacterOffset(after: offset)), message: message),
        [lines.span(problemLine)]
      )
    }
    /// An error at the end of the document (`delete: [` as the last line): the line to set
    /// aside, and to show the error on, is the last one that holds something.
    func atLastText(_ made: (SyntaxError, [TextRange])) -> (error: SyntaxError, blame: [TextRange]) {
      let (error, blame) = made
      guard blame.allSatisfy({ lines.isBlank(lines.line(containing: $0.start)) }),
        let last = (0...lines.line(containing: min(error.range.start, bytes.count))).last(where: { !lines.isBlank($0) })
      else { return (error, blame) }
      let end = lines.contentEnd(last)
      var moved = error
      moved.range = TextRange(max(lines.contentStart(last), end - 1), end)
      return (moved, [lines.span(last)])
    }
    switch error {
    case .scanner(let context, let problem, let mark, _):
      return atLastText(make(context, problem, mark))
    case .parser(let context, let problem, let mark, _):
      return atLastText(make(context, problem, mark))
    case .composer(let context, let problem, let mark, _):
      return atLastText(make(context, problem, mark))
    case .reader(let problem, let characterOffset, _, _):
      var offset = 0
      if let characterOffset,
        let index = text.index(text.startIndex, offsetBy: characterOffset, limitedBy: text.endIndex)
      {
        offset = text.utf8.distance(from: text.utf8.startIndex, to: index)
      }
      return (
        SyntaxError(kind: .yaml, range: TextRange(offset, source.nextCharacterOffset(after: offset)), message: problem),
        []
      )
    default:
      return (SyntaxError(kind: .yaml, range: .at(0), message: "\(error)"), [])
    }
  }
}

/// The lines of a document as libyaml breaks them (`\n`, `\r\n`, `\r`, NEL, LS, PS): each
/// line's span without its break.
struct LineSpans {
  let bytes: [UInt8]
  /// The offset each line starts at, and where its text ends (its break left out).
  let starts: [Int]
  let ends: [Int]

  init(bytes: [UInt8]) {
    self.bytes = bytes
    let aligner = ScalarAligner(bytes: bytes)
    var starts = [0]
    var ends: [Int] = []
    var index = 0
    while index < bytes.count {
      if let length = aligner.breakLength(at: index) {
        ends.append(index)
        index += length
        starts.append(index)
      } else {
        index += 1
      }
    }
    ends.append(bytes.count)
    self.starts = starts
    self.ends = ends
  }

  /// The line holding `offset` (the last line for the end of the document).
  func line(containing offset: Int) -> Int {
    var low = 0
    var high = starts.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if starts[middle] <= offset { low = middle } else { high = middle - 1 }
    }
    return low
  }

  /// Line `line`'s bytes, its break left out.
  func span(_ line: Int) -> TextRange { TextRange(starts[line], ends[line]) }

  /// Line `line` and the lines below it indented deeper (blank ones between them included): a
  /// key still being typed, with the lines it will hold.
  func withChildren(_ line: Int) -> [TextRange] {
    let indent = contentStart(line) - span(line).start
    var spans = [span(line)]
    var next = line + 1
    while next < starts.count {
      let blank = isBlank(next)
      if !blank && contentStart(next) - span(next).start <= indent { break }
      spans.append(span(next))
      next += 1
    }
    return spans
  }

  /// Line `line` and the lines below it indented as deep or deeper (blank ones included).
  func block(_ line: Int) -> [TextRange] {
    let indent = indent(line)
    var spans = [span(line)]
    var next = line + 1
    while next < starts.count, isBlank(next) || self.indent(next) >= indent {
      spans.append(span(next))
      next += 1
    }
    return spans
  }

  /// The indentation of line `line`, in bytes.
  func indent(_ line: Int) -> Int { contentStart(line) - span(line).start }

  /// True for a line of nothing but spaces and tabs.
  func isBlank(_ line: Int) -> Bool { contentEnd(line) <= contentStart(line) }

  /// Where line `line`'s text starts, indentation left out.
  func contentStart(_ line: Int) -> Int {
    let span = span(line)
    var start = span.start
    while start < span.end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
    return start
  }

  /// True when line `line` holds one plain word and nothing else (no `:`, `-`, `#`, quote or
  /// bracket): in a block mapping, a key still being typed.
  func isBareWord(_ line: Int) -> Bool {
    let text = bytes[contentStart(line)..<contentEnd(line)]
    guard let first = text.first, !"-#'\"[{&*!|>%@`?".utf8.contains(first) else { return false }
    return !text.contains(UInt8(ascii: ":")) && !text.contains(0x20) && !text.contains(0x09)
  }

  /// Where line `line`'s text ends, trailing spaces and tabs left out.
  func contentEnd(_ line: Int) -> Int {
    let span = span(line)
    var end = span.end
    while end > span.start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
    return end
  }
}

/// Converts libyaml marks (0-based lines and columns counted in Unicode scalars, with NEL, LS and
/// PS as line breaks and a leading BOM skipped) to byte offsets.
struct MarkTable {
  let bytes: [UInt8]
  /// The document's lines as libyaml breaks them.
  let lines: LineSpans
  let lineStarts: [Int]

  init(bytes: [UInt8]) {
    self.bytes = bytes
    lines = LineSpans(bytes: bytes)
    var starts = lines.starts
    // libyaml counts the first line's columns after a byte order mark.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { starts[0] = 3 }
    lineStarts = starts
  }

  func offset(line: Int, column: Int) -> Int {
    guard line >= 0 else { return 0 }
    guard line < lineStarts.count else { return bytes.count }
    var offset = lineStarts[line]
    var remaining = column
    while remaining > 0 && offset < bytes.count {
      offset += SourceText.sequenceLength(bytes[offset])
      remaining -= 1
    }
    return min(offset, bytes.count)
  }
}

/// Turns Yams nodes into `SyntaxNode`s.
private struct Converter {
  let aligner: ScalarAligner
  let marks: MarkTable
  var errors: [SyntaxError] = []

  init(aligner: ScalarAligner, marks: MarkTable) {
    self.aligner = aligner
    self.marks = marks
  }

  func start(of mark: Mark?) -> Int {
    guard let mark else { return 0 }
    return marks.offset(line: mark.line - 1, column: mark.column - 1)
  }

  mutating func convert(_ node: Yams.Node) -> SyntaxNode {
    switch node {
    case .scalar(let scalar):
      return convertScalar(scalar)
    case .sequence(let sequence):
      let begin = aligner.skipProperties(from: start(of: sequence.mark))
      let items = sequence.map { convert($0) }
      let isFlow = begin < aligner.bytes.count && aligner.bytes[begin] == UInt8(ascii: "[")
      let end = collectionEnd(
        begin: begin, lastChildEnd: items.last?.range.end, isFlow: isFlow, closer: UInt8(ascii: "]"))
      return SyntaxNode(value: .sequence(items), range: TextRange(begin, max(begin, end)), isFlow: isFlow)
    case .mapping(let mapping):
      let begin = aligner.skipProperties(from: start(of: mapping.mark))
      var entries: [SyntaxNode.Entry] = []
      var seen: [String: TextRange] = [:]
      for (key, value) in mapping {
        let keyNode = convert(key)
        let valueNode = convert(value)
        if let text = keyNode.scalar?.text {
          if let first = seen[text] {
            errors.append(
              SyntaxError(
                kind: .duplicateKey, range: keyNode.range,
                message: "duplicate key `\(text)`: only one of the two can be used", relatedRange: first))
          } else {
            seen[text] = keyNode.range
          }
        }
        entries.append(SyntaxNode.Entry(key: keyNode, value: valueNode))
      }
      let isFlow = begin < aligner.bytes.count && aligner.bytes[begin] == UInt8(ascii: "{")
      let lastEnd = entries.last.map { max($0.key.range.end, $0.value.range.end) }
      let end = collectionEnd(begin: begin, lastChildEnd: lastEnd, isFlow: isFlow, closer: UInt8(ascii: "}"))
      return SyntaxNode(value: .mapping(entries), range: TextRange(begin, max(begin, end)), isFlow: isFlow)
    }
  }

  func collectionEnd(begin: Int, lastChildEnd: Int?, isFlow: Bool, closer: UInt8) -> Int {
    guard isFlow else { return lastChildEnd ?? begin }
    var position = lastChildEnd ?? begin + 1
    let bytes = aligner.bytes
    while position < bytes.count {
      let byte = bytes[position]
      if byte == closer { return position + 1 }
      if byte == UInt8(ascii: "#") {
        while position < bytes.count && !aligner.isBreak(at: position) { position += 1 }
        continue
      }
      guard aligner.isSpaceOrBreak(byte) || byte == UInt8(ascii: ",") else { break }
      position += 1
    }
    return lastChildEnd ?? begin + 1
  }

  func convertScalar(_ scalar: Yams.Node.Scalar) -> SyntaxNode {
    let style: SyntaxNode.Style
    switch scalar.style {
    case .singleQuoted: style = .singleQuoted
    case .doubleQuoted: style = .doubleQuoted
    case .literal: style = .literal
    case .folded: style = .folded
    default: style = .plain
    }
    let aligned = aligner.align(start: start(of: scalar.mark), style: style, text: scalar.string)
    let tag = scalar.tag.description
    let kind = ScalarResolver.kind(of: scalar.string, style: style, explicitTag: tag.isEmpty ? nil : tag)
    return SyntaxNode(
      value: .scalar(.init(text: scalar.string, kind: kind, style: style, map: aligned.map)),
      range: aligned.range)
  }
}

/// Types of scalars under the YAML 1.2 core schema, the one JSON-minded users expect (`yes` and
/// `on` are strings, as in JSON Schema's view of the file).
public enum ScalarResolver {
  public static func kind(of text: String, style: SyntaxNode.Style, explicitTag: String?) -> SyntaxNode.Kind {
    if let explicitTag {
      switch explicitTag {
      case "tag:yaml.org,2002:str", "!": return .string
      case "tag:yaml.org,2002:null": return .null
      case "tag:yaml.org,2002:bool": return plainKind(text).isBool ? plainKind(text) : .string
      case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float":
        if case .int = plainKind(text) { return plainKind(text) }
        if case .float = plainKind(text) { return plainKind(text) }
        return .string
      default:
        break
      }
    }
    return style == .plain ? plainKind(text) : .string
  }

  static func plainKind(_ text: String) -> SyntaxNode.Kind {
    switch text {
    case "", "~", "null", "Null", "NULL": return .null
    case "true", "True", "TRUE": return .bool(true)
    case "false", "False", "FALSE": return .bool(false)
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
    case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
    case ".nan", ".NaN", ".NAN": return .float(.nan)
    default: break
    }
    let bytes = Array(text.utf8)
    guard let first = bytes.first,
      first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
        || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
    else { return .string }
    if text.hasPrefix("0o"), let value = Int(text.dropFirst(2), radix: 8) { return .int(value) }
    if text.hasPrefix("0x"), let value = Int(text.dropFirst(2), radix: 16) { return .int(value) }
    if isDecimalInteger(bytes) {
      if let value = Int(text) { return .int(value) }
      return .float(Double(text) ?? .nan)
    }
    if isFloat(bytes), let value = Double(text) { return .float(value) }
    return .string
  }

  static func isDecimalInteger(_ bytes: [UInt8]) -> Bool {
    var digits = bytes[...]
    if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      digits = digits.dropFirst()
    }
    return !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
  }

  /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
  static func isFloat(_ bytes: [UInt8]) -> Bool {
    var index = 0
    func digits() -> Int {
      let start = index
      while index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9") {
        index += 1
      }
      return index - start
    }
    if index < bytes.count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
      index += 1
    }
    let integerDigits = digits()
    var fractionDigits = 0
    if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
      index += 1
      fractionDigits = digits()
    }
    guard integerDigits > 0 || fractionDigits > 0 else { return false }
    if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
      index += 1
      if index < bytes.count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
        index += 1
      }
      guard digits() > 0 else { return false }
    }
    return index == bytes.count
  }
}

extension SyntaxNode.Kind {
  var isBool: Bool {
    if case .bool = self { return true }
    return false
  }
}
