/// Reads a Dockerfile exactly as BuildKit's parser does: parser directives, the escape character,
/// line continuations (skipping comment and empty lines inside them), heredocs, flags, and each
/// instruction's arguments, with a range for everything.
///
/// Architecture Invariant: any bytes yield a `Dockerfile`; what BuildKit would refuse is an
/// error in `errors`, never a throw or a trap.
public enum DockerfileParser {
  static let heredocInstructions: Set<String> = ["add", "copy", "run"]
  /// BuildKit reads lines with Go's `bufio.Scanner`, whose tokens hold at most 64 KiB: a line of
  /// 65,536 bytes or more (its newline excluded) stops the parse with an error.
  public static let maximumLineBytes = 65_535

  public static func parse(_ source: SourceText) -> Dockerfile {
    var state = State(bytes: source.bytes)
    state.run()
    if state.instructions.isEmpty {
      state.errors.append(
        DockerfileError(
          range: .at(source.count), message: "the Dockerfile has no instructions; it needs at least a FROM"))
    }
    return Dockerfile(
      directives: state.directives, escapeCharacter: state.escape, instructions: state.instructions,
      errors: state.errors)
  }

  /// A physical line: its content (without the line break) and where the next line starts.
  struct PhysicalLine {
    var start: Int
    var end: Int
    var next: Int
  }

  struct State {
    let bytes: [UInt8]
    var lines: [PhysicalLine] = []
    var escape = UInt8(ascii: "\\")
    var directives: [String: LocatedText] = [:]
    var directivesDone = false
    var instructions: [DockerInstruction] = []
    var errors: [DockerfileError] = []

    init(bytes: [UInt8]) {
      self.bytes = bytes
      var start = 0
      while start < bytes.count {
        var newline = start
        while newline < bytes.count, bytes[newline] != UInt8(ascii: "\n") { newline += 1 }
        var end = newline
        while end > start, bytes[end - 1] == UInt8(ascii: "\r") || bytes[end - 1] == UInt8(ascii: "\n") {
          end -= 1
        }
        if newline - start > DockerfileParser.maximumLineBytes {
          errors.append(
            DockerfileError(
              range: TextRange(start, newline),
              message:
                "this line is \(newline - start) bytes long; BuildKit reads lines of at most \(DockerfileParser.maximumLineBytes) bytes and stops here"
            ))
          break
        }
        lines.append(PhysicalLine(start: start, end: end, next: min(newline + 1, bytes.count)))
        start = newline + 1
      }
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]), !lines.isEmpty { lines[0].start = 3 }
    }

    static func isSpace(_ byte: UInt8) -> Bool {
      byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// Where the line's content starts once Unicode spaces are trimmed (`unicode.IsSpace`).
    func leftTrimmed(_ line: PhysicalLine) -> Int {
      GoSpaces.trimmedStart(bytes, line.start, line.end)
    }

    func isComment(_ line: PhysicalLine) -> Bool {
      let start = leftTrimmed(line)
      return start < line.end && bytes[start] == UInt8(ascii: "#")
    }

    /// If `start..<end` ends with the escape character (and spaces), the end without it.
    func continuation(_ start: Int, _ end: Int) -> Int? {
      var last = end
      while last > start, bytes[last - 1] == UInt8(ascii: " ") || bytes[last - 1] == UInt8(ascii: "\t") {
        last -= 1
      }
      guard last > start, bytes[last - 1] == escape else { return nil }
      let escapeIndex = last - 1
      if escapeIndex == start { return start }
      return bytes[escapeIndex - 1] == escape ? nil : escapeIndex
    }

    /// `# name = value` at the top of the file.
    mutating func noteDirective(_ start: Int, _ end: Int) {
      guard !directivesDone else { return }
      guard let (name, value) = Self.directive(bytes, start, end) else {
        directivesDone = true
        return
      }
      let key = String(decoding: bytes[name], as: UTF8.self).lowercased()
      guard ["escape", "syntax", "check"].contains(key) else {
        directivesDone = true
        return
      }
      let text = String(decoding: bytes[value], as: UTF8.self)
      let range = TextRange(value.lowerBound, value.upperBound)
      if directives[key] != nil {
        errors.append(
          DockerfileError(range: range, message: "only one `\(key)` parser directive can be used"))
        return
      }
      directives[key] = LocatedText(value: text, range: range, map: .verbatim(range))
      if key == "escape" {
        if text == "\\" || text == "`" {
          escape = text.utf8.first!
        } else {
          errors.append(
            DockerfileError(
              range: range, message: "invalid escape character `\(text)`: use `\\` or a backquote"))
        }
      }
    }

    /// `#`, Unicode spaces, then `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` with Go's ASCII `\s`
    /// (`[\t\n\f\r ]`, no vertical tab).
    static func directive(_ bytes: [UInt8], _ start: Int, _ end: Int) -> (Range<Int>, Range<Int>)? {
      func isRegexSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0C || byte == 0x0D
      }
      guard start < end, bytes[start] == UInt8(ascii: "#") else { return nil }
      var index = GoSpaces.trimmedStart(bytes, start + 1, end)
      let nameStart = index
      guard index < end, isLetter(bytes[index]) else { return nil }
      while index < end, isLetter(bytes[index]) || (bytes[index] >= 0x30 && bytes[index] <= 0x39) {
        index += 1
      }
      let nameEnd = index
      while index < end, isRegexSpace(bytes[index]) { index += 1 }
      guard index < end, bytes[index] == UInt8(ascii: "=") else { return nil }
      index += 1
      guard index < end else { return nil }
      let afterEquals = index
      while index < end, isRegexSpace(bytes[index]) { index += 1 }
      var valueEnd = end
      while valueEnd > index, isRegexSpace(bytes[valueEnd - 1]) { valueEnd -= 1 }
      // Only spaces after `=`: the lazy `(.+?)` still takes one, the last.
      guard valueEnd > index else { return (nameStart..<nameEnd, max(afterEquals, end - 1)..<end) }
      return (nameStart..<nameEnd, index..<valueEnd)
    }

    static func isLetter(_ byte: UInt8) -> Bool {
      (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    mutating func run() {
      var index = 0
      while index < lines.count {
        let first = lines[index]
        let start = leftTrimmed(first)
        noteDirective(start, first.end)
        index += 1
        if start < first.end, bytes[start] == UInt8(ascii: "#") { continue }  // A comment.
        var logical = LogicalLine()
        var ended: Bool
        if let cut = continuation(start, first.end) {
          logical.append(bytes, start, cut)
          ended = false
        } else {
          logical.append(bytes, start, first.end)
          ended = true
        }
        if ended && logical.bytes.isEmpty { continue }
        // BuildKit's instruction ends with the last line it consumed, comment or empty.
        var lastLine = first
        var emptyContinuationLines: [TextRange] = []
        while !ended, index < lines.count {
          let line = lines[index]
          index += 1
          noteDirective(line.start, line.end)
          lastLine = line
          if isComment(line) { continue }
          if leftTrimmed(line) == line.end {
            emptyContinuationLines.append(TextRange(line.start, line.end))
            continue
          }
          if let cut = continuation(line.start, line.end) {
            logical.append(bytes, line.start, cut)
          } else {
            logical.append(bytes, line.start, line.end)
            ended = true
          }
        }
        directivesDone = true
        var instruction = InstructionReader(line: logical, escape: escape, end: lastLine.end).read(
          errors: &errors)
        instruction.emptyContinuationLines = emptyContinuationLines
        if Self.canHaveHeredocs(instruction),
          zip(logical.bytes, logical.bytes.dropFirst()).contains(where: { $0 == 0x3C && $1 == 0x3C })
        {
          switch HeredocMarker.find(inLine: logical.bytes) {
          case .success(let markers): readHeredocs(markers, into: &instruction, nextLine: &index)
          case .failure(let error):
            errors.append(
              DockerfileError(
                range: instruction.arguments.range,
                message: "BuildKit cannot read the heredoc name `\(error.text)`"))
          }
        }
        instructions.append(instruction)
      }
    }

    static func canHaveHeredocs(_ instruction: DockerInstruction) -> Bool {
      let target = instruction.name == "onbuild" ? instruction.child.first : instruction
      guard let target, heredocInstructions.contains(target.name) else { return false }
      if case .exec = target.form { return false }
      return true
    }

    /// Reads the bodies of the instruction's heredocs from the following lines.
    mutating func readHeredocs(
      _ markers: [HeredocMarker], into instruction: inout DockerInstruction, nextLine index: inout Int
    ) {
      for marker in markers {
        let bodyStart = index < lines.count ? lines[index].start : bytes.count
        var bodyEnd = bodyStart
        var terminator: TextRange?
        while index < lines.count {
          let line = lines[index]
          index += 1
          var contentStart = line.start
          if marker.stripsTabs {
            while contentStart < line.end, bytes[contentStart] == 0x09 { contentStart += 1 }
          }
          if Array(bytes[contentStart..<line.end]) == Array(marker.name.utf8) {
            terminator = TextRange(line.start, line.end)
            break
          }
          bodyEnd = line.next
        }
        let range = TextRange(bodyStart, bodyEnd)
        let body = LocatedText(
          value: String(decoding: bytes[bodyStart..<bodyEnd], as: UTF8.self), range: range,
          map: .verbatim(range))
        instruction.heredocs.append(
          DockerHeredoc(
            name: marker.name, stripsTabs: marker.stripsTabs, expands: marker.expands,
            fileDescriptor: marker.fileDescriptor, body: body, terminatorRange: terminator))
        if terminator == nil {
          errors.append(
            DockerfileError(
              range: instruction.keywordRange,
              message: "the heredoc `<<\(marker.name)` is never terminated: no line reads `\(marker.name)`"))
        }
        instruction.range.end = max(instruction.range.end, terminator?.end ?? bodyEnd)
      }
    }
  }
}

/// An instruction's text once continuation lines are joined, with a map back to the file.
struct LogicalLine {
  var bytes: [UInt8] = []
  var map = SourceMap(sourceEnd: 0)

  mutating func append(_ source: [UInt8], _ start: Int, _ end: Int) {
    guard end > start else {
      if bytes.isEmpty { map = SourceMap(sourceEnd: start) }
      return
    }
    bytes += source[start..<end]
    map.append(valueLength: end - start, source: TextRange(start, end), verbatim: true)
  }

  func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

  func located(_ range: Range<Int>) -> LocatedText {
    let valueRange = TextRange(range.lowerBound, range.upperBound)
    let fileRange = map.sourceRange(valueRange)
    var inner = SourceMap(sourceEnd: range.upperBound)
    inner.append(valueLength: range.count, source: valueRange, verbatim: true)
    return LocatedText(value: text(range), range: fileRange, map: map.composing(inner))
  }

  func fileRange(_ range: Range<Int>) -> TextRange {
    map.sourceRange(TextRange(range.lowerBound, range.upperBound))
  }
}
