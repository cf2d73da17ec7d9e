/// Turns one logical line into an instruction with BuildKit's per-instruction argument rules.
struct InstructionReader {
  let line: LogicalLine
  let escape: UInt8
  /// Where the instruction's last physical line ends.
  let end: Int

  typealias Word = (text: String, range: Range<Int>)

  /// Flags and HEALTHCHECK look at single bytes, as Latin-1 runes.
  static func isSpace(_ byte: UInt8) -> Bool { GoSpaces.isLatin1Space(byte) }
  /// `[\t\v\f\r ]`: BuildKit's word separator (no newline).
  static func isSeparator(_ byte: UInt8) -> Bool { GoSpaces.isSeparator(byte) }

  var bytes: [UInt8] { line.bytes }

  /// `strings.TrimSpace`: Unicode spaces removed at both ends.
  func trimmed(_ range: Range<Int>) -> Range<Int> { GoSpaces.trimmed(bytes, range) }

  func read(errors: inout [DockerfileError]) -> DockerInstruction {
    read(trimmed(0..<bytes.count), original: 0..<bytes.count, errors: &errors)
  }

  func read(_ whole: Range<Int>, original: Range<Int>, errors: inout [DockerfileError]) -> DockerInstruction {
    var index = whole.lowerBound
    while index < whole.upperBound, !Self.isSeparator(bytes[index]) { index += 1 }
    let keywordRange = whole.lowerBound..<index
    while index < whole.upperBound, Self.isSeparator(bytes[index]) { index += 1 }
    let (argumentsStart, flags) = builderFlags(index..<whole.upperBound)
    let arguments = trimmed(argumentsStart..<whole.upperBound)
    let keyword = line.text(keywordRange)
    let name = keyword.lowercased()
    var instruction = DockerInstruction(
      original: line.text(original), keyword: keyword, keywordRange: line.fileRange(keywordRange), name: name,
      flags: flags,
      arguments: line.located(arguments), values: [], form: nil, jsonError: nil, child: [], heredocs: [],
      range: TextRange(line.fileRange(whole).start, max(end, line.fileRange(whole).end)), variables: [])
    let fail = { (message: String, range: Range<Int>) in
      errors.append(
        DockerfileError(range: line.fileRange(range.isEmpty ? keywordRange : range), message: message))
    }
    switch name {
    case "add", "copy", "volume":
      if let elements = json(arguments, instruction: &instruction, fail: fail) {
        instruction.values = elements.map(\.value)
      } else {
        instruction.values = whitespaceWords(arguments).map(\.text)
      }
    case "cmd", "entrypoint", "run", "shell":
      maybeJSON(arguments, into: &instruction, fail: fail)
    case "healthcheck":
      var separator = arguments.lowerBound
      while separator < arguments.upperBound, !Self.isSpace(bytes[separator]) { separator += 1 }
      guard separator > arguments.lowerBound else { break }
      var next = separator
      while next < arguments.upperBound, Self.isSpace(bytes[next]) { next += 1 }
      instruction.values = [line.text(arguments.lowerBound..<separator)]
      var command = instruction
      command.values = []
      maybeJSON(next..<arguments.upperBound, into: &command, fail: fail)
      instruction.values += command.values
      instruction.form = command.form
      instruction.jsonError = command.jsonError
    case "env", "label":
      instruction.values = nameValues(arguments, keyword: name.uppercased(), fail: fail)
    case "arg":
      instruction.values = words(arguments).map(\.text)
    case "expose", "from":
      instruction.values = arguments.isEmpty ? [] : whitespaceWords(arguments, keepEmpty: true).map(\.text)
    case "maintainer", "stopsignal", "user", "workdir":
      instruction.values = arguments.isEmpty ? [] : [line.text(arguments)]
    case "onbuild":
      if !arguments.isEmpty { instruction.child = [read(arguments, original: arguments, errors: &errors)] }
    default:
      instruction.values = [""]
    }
    instruction.variables = variableReferences(arguments, in: name)
    return instruction
  }

  // MARK: Flags

  /// BuildKit's `extractBuilderFlags`: leading `--name[=value]` words; where the arguments start.
  func builderFlags(_ range: Range<Int>) -> (Int, [DockerFlag]) {
    var flags: [DockerFlag] = []
    var index = range.lowerBound
    let end = range.upperBound
    while index < end {
      while index < end, Self.isSpace(bytes[index]) { index += 1 }
      guard index + 1 < end, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-") else {
        return (index, flags)
      }
      let start = index
      // Go indexes the line byte by byte here and writes each byte as a rune: Latin-1.
      var word = ""
      var quote: UInt8?
      while index < end {
        var byte = bytes[index]
        if quote == nil, Self.isSpace(byte) { break }
        if let open = quote, byte == open {
          quote = nil
        } else if quote == nil, byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
          quote = byte
        } else {
          if byte == escape {
            if index + 1 == end {  // An escape character at the very end is dropped.
              index += 1
              continue
            }
            index += 1
            byte = bytes[index]
          }
          word.unicodeScalars.append(Unicode.Scalar(byte))
        }
        index += 1
      }
      if word == "--" {
        while index < end, Self.isSpace(bytes[index]) { index += 1 }
        return (index, flags)
      }
      let parts = word.dropFirst(2).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      flags.append(
        DockerFlag(
          name: String(parts[0]), value: parts.count > 1 ? String(parts[1]) : nil,
          range: line.fileRange(start..<index)))
    }
    return (index, flags)
  }

  // MARK: Argument forms

  /// Parses `range` as a JSON array of strings, as BuildKit's `parseJSON` does: the whole text
  /// must be one JSON array (since BuildKit v0.15, `CMD ["a"] # note` is shell form). Nil when it
  /// is not valid JSON (then `jsonError` says why, when the text looks like an array); reports an
  /// array of non-strings.
  func json(
    _ range: Range<Int>, instruction: inout DockerInstruction, fail: (String, Range<Int>) -> Void
  ) -> [LocatedText]? {
    // `strings.TrimLeftFunc(unicode.IsSpace)` (it matters after HEALTHCHECK CMD).
    let range = GoSpaces.trimmedStart(bytes, range.lowerBound, range.upperBound)..<range.upperBound
    guard range.lowerBound < range.upperBound, bytes[range.lowerBound] == UInt8(ascii: "[") else {
      return nil
    }
    // Go's encoding/json: lone surrogates and bytes that are not UTF-8 become U+FFFD.
    let options = JSONParseOptions(
      replacesLoneSurrogates: true, skipsByteOrderMark: false, replacesInvalidUTF8: true)
    let slice = Array(bytes[range])
    let result = JSONParser.parse(slice, options: options)
    let tape: JSONTape
    switch result {
    case .failure(let error):
      if ExecFormHeuristic.looksLikeJSONArray(Array(bytes[range])) {
        var located = error
        located.range = line.fileRange(
          (range.lowerBound + error.range.start)..<(range.lowerBound + max(error.range.end, error.range.start))
        )
        if let insertion = error.insertion {
          located.insertion = (line.map.sourceOffset(range.lowerBound + insertion.offset), insertion.text)
        }
        instruction.jsonError = located
      }
      return nil
    case .success(let parsed): tape = parsed
    }
    var elements: [LocatedText] = []
    for child in tape.children(of: 0) {
      let event = tape.events[child]
      let elementRange = (range.lowerBound + event.range.start)..<(range.lowerBound + event.range.end)
      guard event.kind == .string else {
        fail(
          "when using JSON array syntax, arrays must hold only strings; this element is \(tape.valueKind(at: child).phrase)",
          elementRange)
        return []
      }
      let (value, valueMap) = JSONParser.decodeString(bytes: slice, token: event.range, options: options)
      // valueMap maps into `slice`; shift it into the logical line, then into the file.
      var shift = SourceMap(sourceEnd: range.lowerBound + slice.count)
      shift.append(
        valueLength: slice.count, source: TextRange(range.lowerBound, range.lowerBound + slice.count),
        verbatim: true)
      let map = line.map.composing(shift.composing(valueMap))
      elements.append(LocatedText(value: value, range: line.fileRange(elementRange), map: map))
    }
    instruction.form = .exec(elements)
    return elements
  }

  func maybeJSON(
    _ range: Range<Int>, into instruction: inout DockerInstruction, fail: (String, Range<Int>) -> Void
  ) {
    guard !range.isEmpty else {
      instruction.form = .shell(nil)
      return
    }
    if let elements = json(range, instruction: &instruction, fail: fail) {
      instruction.values = elements.map(\.value)
      return
    }
    instruction.values = [line.text(range)]
    instruction.form = .shell(line.located(range))
  }

  /// `reWhitespace.Split(rest, -1)`: words between runs of spaces, quotes not special.
  func whitespaceWords(_ range: Range<Int>, keepEmpty: Bool = false) -> [Word] {
    var words: [Word] = []
    var start = range.lowerBound
    var index = range.lowerBound
    while index <= range.upperBound {
      if index == range.upperBound || Self.isSeparator(bytes[index]) {
        if index > start || keepEmpty { words.append((line.text(start..<index), start..<index)) }
        while index < range.upperBound, Self.isSeparator(bytes[index]) { index += 1 }
        start = index
        if index == range.upperBound { break }
        continue
      }
      index += 1
    }
    return words
  }

  /// BuildKit's `parseWords`: words split on spaces, quotes and escapes kept in the text.
  func words(_ range: Range<Int>) -> [Word] {
    var words: [Word] = []
    var word: [UInt8] = []
    var wordStart = range.lowerBound
    var inWord = false
    var quote: UInt8?
    var blankOK = false
    var index = range.lowerBound
    let end = range.upperBound
    func flush(_ at: Int) {
      if blankOK || !word.isEmpty { words.append((String(decoding: word, as: UTF8.self), wordStart..<at)) }
      word = []
      blankOK = false
      inWord = false
    }
    while index < end {
      let byte = bytes[index]
      // Words are split on Unicode spaces (`unicode.IsSpace` on decoded runes).
      let space = GoSpaces.spaceLength(bytes, at: index, end: end)
      if !inWord && quote == nil {
        if space > 0 {
          index += space
          continue
        }
        inWord = true
        wordStart = index
      }
      let openQuote = quote
      if let open = openQuote {
        if byte == open { quote = nil }
      } else if space > 0 {
        flush(index)
        index += space
        continue
      } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
        quote = byte
        blankOK = true
      }
      // The escape character keeps the next byte, except inside single quotes.
      if byte == escape, openQuote != UInt8(ascii: "'") {
        if index + 1 == end {
          quote = nil
          index += 1
          continue
        }
        word.append(byte)
        index += 1
      }
      word.append(bytes[index])
      index += 1
    }
    if inWord || quote != nil { flush(end) }
    return words
  }

  /// ENV and LABEL: `KEY value` (old form) or `KEY=value ...`, as (key, value, separator) triples.
  func nameValues(_ range: Range<Int>, keyword: String, fail: (String, Range<Int>) -> Void) -> [String] {
    let words = words(range)
    guard let first = words.first else { return [] }
    if !first.text.contains("=") {
      let parts = whitespaceWords(range)
      guard parts.count >= 2 else {
        fail("\(keyword) needs a name and a value: `\(keyword) \(first.text)=value`", range)
        return []
      }
      var valueStart = parts[0].range.upperBound
      while valueStart < range.upperBound, Self.isSeparator(bytes[valueStart]) { valueStart += 1 }
      return [parts[0].text, line.text(valueStart..<range.upperBound), ""]
    }
    var values: [String] = []
    for word in words {
      guard let equals = word.text.firstIndex(of: "=") else {
        fail("`\(word.text)` has no `=`: each \(keyword) item must be `name=value`", word.range)
        return values
      }
      values += [String(word.text[..<equals]), String(word.text[word.text.index(after: equals)...]), "="]
    }
    return values
  }

  // MARK: Variables

  /// Instructions whose arguments Docker expands, and RUN, whose shell sees ARG and ENV values.
  static let expandingInstructions: Set<String> = [
    "add", "copy", "env", "expose", "from", "label", "stopsignal", "user", "volume", "workdir", "arg", "run",
  ]

  func variableReferences(_ range: Range<Int>, in name: String) -> [DockerVariableReference] {
    guard Self.expandingInstructions.contains(name) else { return [] }
    var references: [DockerVariableReference] = []
    var index = range.lowerBound
    var inSingleQuotes = false
    while index < range.upperBound {
      let byte = bytes[index]
      if byte == escape, !inSingleQuotes {
        index += 2
        continue
      }
      if byte == UInt8(ascii: "'") { inSingleQuotes.toggle() }
      guard byte == UInt8(ascii: "$"), !inSingleQuotes, index + 1 < range.upperBound else {
        index += 1
        continue
      }
      let start = index
      index += 1
      var braced = false
      if bytes[index] == UInt8(ascii: "{") {
        braced = true
        index += 1
      }
      let nameStart = index
      while index < range.upperBound, Self.isNameByte(bytes[index]) { index += 1 }
      let nameEnd = index
      guard nameEnd > nameStart, !(bytes[nameStart] >= 0x30 && bytes[nameStart] <= 0x39) else { continue }
      var handles = false
      if braced {
        handles =
          nameEnd < range.upperBound
          && [UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: "?")]
            .contains(bytes[nameEnd])
        while index < range.upperBound, bytes[index] != UInt8(ascii: "}") { index += 1 }
        index = min(index + 1, range.upperBound)
      }
      references.append(
        DockerVariableReference(
          name: line.text(nameStart..<nameEnd), range: line.fileRange(start..<index),
          nameRange: line.fileRange(nameStart..<nameEnd), handlesUnset: handles))
    }
    return references
  }

  static func isNameByte(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
      || byte == 0x5F
  }
}

/// Whether a shell-form argument was meant as an exec-form JSON array (`["a" "b"]`), rather than a
/// shell command that happens to start with `[` (`[ -f x ] && run`).
enum ExecFormHeuristic {
  static func looksLikeJSONArray(_ bytes: [UInt8]) -> Bool {
    guard bytes.first == UInt8(ascii: "[") else { return false }
    var index = 1
    while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    guard index < bytes.count else { return true }
    let text = String(decoding: bytes[index...], as: UTF8.self)
    let startsQuoted =
      text.hasPrefix("\"") || text.hasPrefix("'") || text.hasPrefix("\u{201C}") || text.hasPrefix("\u{2018}")
    if text.hasPrefix("]") { return true }
    guard startsQuoted else { return false }
    // A test command: an operator outside quotes (`[ "$a" = "b" ]`, `[ "$x" ] && y`).
    var quote: Character?
    var tokens: [String] = []
    var token = ""
    for character in text {
      if let open = quote {
        if character == open || (open == "\u{201C}" && character == "\u{201D}")
          || (open == "\u{2018}" && character == "\u{2019}")
        {
          quote = nil
        }
        continue
      }
      if ["\"", "'", "\u{201C}", "\u{2018}"].contains(character) {
        quote = character
        continue
      }
      if character == " " || character == "\t" {
        if !token.isEmpty { tokens.append(token) }
        token = ""
      } else {
        token.append(character)
      }
    }
    if !token.isEmpty { tokens.append(token) }
    let operators: Set<String> = [
      "=", "==", "!=", "!", "&&", "||", ";", "|", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-a", "-o",
    ]
    return !tokens.contains { operators.contains($0) || ($0.hasPrefix("-") && $0.count == 2 && $0 != "-") }
  }
}
