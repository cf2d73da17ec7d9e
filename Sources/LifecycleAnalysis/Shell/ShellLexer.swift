import LifecycleSyntax

/// A word of a shell script: what it means once quotes are removed, and where it is.
public struct ShellWord: Equatable, Sendable {
  /// The word with quotes and escapes removed; expansions are kept as written.
  public var text: String
  /// The raw word in the script, quotes included (UTF-8 offsets).
  public var range: TextRange
  /// True when the word holds no expansion (`$`, backquote), so `text` is exactly its value.
  public var isLiteral: Bool
}

/// A token of a shell script.
public enum ShellToken: Equatable, Sendable {
  case word(ShellWord)
  /// `;` `&` `&&` `||` `|` `|&` `(` `)` `;;`, a newline (`"\n"`), or a redirection such as `>`,
  /// `>>`, `2>`, `&>`, `<`, `<<`, `>&`.
  case `operator`(String, TextRange)
}

/// A `$NAME`, `${NAME...}` or (for the platform's own expansion) `$(NAME)` in a script.
public struct ShellVariableReference: Equatable, Sendable {
  public var name: String
  /// From the `$` to the end of the reference.
  public var range: TextRange
  /// The name alone.
  public var nameRange: TextRange
  /// `${NAME:-x}`, `${NAME-x}`, `${NAME:=x}`, `${NAME:?x}` or `${NAME:+x}`: the script handles
  /// the variable being unset.
  public var handlesUnset: Bool
}

/// A lexer for POSIX shell (and the bash forms jobs use): words with their quotes resolved,
/// operators, comments, here-documents, and every variable reference, including those inside
/// double quotes, `$(...)` and backquotes.
///
/// Architecture Invariant: any text lexes; an unterminated quote or substitution ends at the end
/// of the script.
struct ShellLexer {
  let bytes: [UInt8]
  let base: Int
  var index: Int
  var tokens: [ShellToken] = []
  var references: [ShellVariableReference] = []
  /// Scripts nested in `$(...)` and backquotes, lexed on their own (offsets are the outer script's).
  var substitutions: [ShellLexer] = []
  private var pendingHereDocuments: [(delimiter: [UInt8], stripsTabs: Bool)] = []

  init(bytes: [UInt8], range: Range<Int>? = nil) {
    self.bytes = bytes
    self.base = range?.lowerBound ?? 0
    self.index = base
    self.end = range?.upperBound ?? bytes.count
  }

  let end: Int

  static func lex(_ script: String) -> ShellLexer {
    var lexer = ShellLexer(bytes: Array(script.utf8))
    lexer.run()
    return lexer
  }

  mutating func run() {
    while index < end {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
        index += 1
      case UInt8(ascii: "\\") where index + 1 < end && bytes[index + 1] == UInt8(ascii: "\n"):
        index += 2
      case UInt8(ascii: "\n"):
        tokens.append(.operator("\n", TextRange(index, index + 1)))
        index += 1
        readHereDocumentBodies()
      case UInt8(ascii: "#"):
        while index < end, bytes[index] != UInt8(ascii: "\n") { index += 1 }
      case UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "("), UInt8(ascii: ")"),
        UInt8(ascii: "<"), UInt8(ascii: ">"):
        readOperator(ioNumber: nil)
      default:
        readWord()
      }
    }
  }

  private static let operators: [String] = [
    "&>>", "<<-", "&&", "||", ";;", "|&", ">>", "<<", "<&", ">&", ">|", "<>", "&>", ";", "&", "|", "(", ")",
    "<", ">",
  ]

  private mutating func readOperator(ioNumber: Int?) {
    let start = ioNumber ?? index
    for candidate in Self.operators {
      let utf8 = Array(candidate.utf8)
      if index + utf8.count <= end, Array(bytes[index..<index + utf8.count]) == utf8 {
        index += utf8.count
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        tokens.append(.operator(text, TextRange(start, index)))
        if candidate == "<<" || candidate == "<<-" { noteHereDocument(stripsTabs: candidate == "<<-") }
        return
      }
    }
    index += 1
  }

  /// Reads the delimiter word after `<<`; its body starts after the next newline.
  private mutating func noteHereDocument(stripsTabs: Bool) {
    while index < end, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
    let before = tokens.count
    readWord()
    guard tokens.count > before, case .word(let word) = tokens[before] else { return }
    pendingHereDocuments.append((Array(word.text.utf8), stripsTabs))
  }

  private mutating func readHereDocumentBodies() {
    while !pendingHereDocuments.isEmpty {
      let (delimiter, stripsTabs) = pendingHereDocuments.removeFirst()
      while index < end {
        var lineEnd = index
        while lineEnd < end, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        var lineStart = index
        if stripsTabs { while lineStart < lineEnd, bytes[lineStart] == UInt8(ascii: "\t") { lineStart += 1 } }
        index = min(lineEnd + 1, end)
        if Array(bytes[lineStart..<lineEnd]) == delimiter { break }
      }
    }
  }

  private mutating func readWord() {
    let start = index
    var text: [UInt8] = []
    var isLiteral = true
    loop: while index < end {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ";"),
        UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "("), UInt8(ascii: ")"):
        break loop
      case UInt8(ascii: "<"), UInt8(ascii: ">"):
        if index > start, text.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), isLiteral,
          index - start == text.count
        {
          readOperator(ioNumber: start)
          return
        }
        break loop
      case UInt8(ascii: "\\"):
        if index + 1 < end {
          if bytes[index + 1] != UInt8(ascii: "\n") { text.append(bytes[index + 1]) }
          index += 2
        } else {
          index += 1
        }
      case UInt8(ascii: "'"):
        let close = find(UInt8(ascii: "'"), from: index + 1)
        text.append(contentsOf: bytes[(index + 1)..<close])
        index = min(close + 1, end)
      case UInt8(ascii: "\""):
        index += 1
        while index < end, bytes[index] != UInt8(ascii: "\"") {
          if bytes[index] == UInt8(ascii: "\\"), index + 1 < end,
            [
              UInt8(ascii: "$"), UInt8(ascii: "`"), UInt8(ascii: "\""), UInt8(ascii: "\\"),
              UInt8(ascii: "\n"),
            ]
            .contains(bytes[index + 1])
          {
            if bytes[index + 1] != UInt8(ascii: "\n") { text.append(bytes[index + 1]) }
            index += 2
          } else if bytes[index] == UInt8(ascii: "$") || bytes[index] == UInt8(ascii: "`") {
            let expansionStart = index
            readExpansion()
            text.append(contentsOf: bytes[expansionStart..<index])
            isLiteral = false
          } else {
            text.append(bytes[index])
            index += 1
          }
        }
        index = min(index + 1, end)
      case UInt8(ascii: "$"), UInt8(ascii: "`"):
        let expansionStart = index
        if byte == UInt8(ascii: "$"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "'") {
          let close = findANSIQuoteEnd(from: index + 2)
          text.append(contentsOf: bytes[(index + 2)..<close])
          index = min(close + 1, end)
          continue
        }
        readExpansion()
        if index == expansionStart + 1, byte == UInt8(ascii: "$") {
          text.append(byte)  // A lone `$` is literal.
        } else {
          text.append(contentsOf: bytes[expansionStart..<index])
          isLiteral = false
        }
      default:
        text.append(byte)
        index += 1
      }
    }
    if index > start {
      tokens.append(
        .word(
          ShellWord(
            text: String(decoding: text, as: UTF8.self), range: TextRange(start, index), isLiteral: isLiteral)
        ))
    }
  }

  /// Reads one expansion starting at `$` or a backquote, recording variable references and
  /// lexing substitutions.
  private mutating func readExpansion() {
    let start = index
    if bytes[index] == UInt8(ascii: "`") {
      var close = index + 1
      while close < end, bytes[close] != UInt8(ascii: "`") {
        close += bytes[close] == UInt8(ascii: "\\") ? 2 : 1
      }
      close = min(close, end)
      lexSubstitution(index + 1..<close)
      index = min(close + 1, end)
      return
    }
    index += 1
    guard index < end else { return }
    let next = bytes[index]
    if next == UInt8(ascii: "(") {
      if index + 1 < end, bytes[index + 1] == UInt8(ascii: "(") {
        index = matching(from: index, open: UInt8(ascii: "("), close: UInt8(ascii: ")"))  // Arithmetic.
        return
      }
      let close = matching(from: index, open: UInt8(ascii: "("), close: UInt8(ascii: ")"))
      lexSubstitution(index + 1..<max(index + 1, close - 1))
      index = close
    } else if next == UInt8(ascii: "{") {
      let close = matching(from: index, open: UInt8(ascii: "{"), close: UInt8(ascii: "}"))
      var nameEnd = index + 1
      if nameEnd < end, bytes[nameEnd] == UInt8(ascii: "#") || bytes[nameEnd] == UInt8(ascii: "!") {
        nameEnd += 1
      }
      let nameStart = nameEnd
      while nameEnd < close, Self.isNameByte(bytes[nameEnd]) { nameEnd += 1 }
      if nameEnd > nameStart, !Self.isDigit(bytes[nameStart]) {
        let rest = bytes[nameEnd..<max(nameEnd, close - 1)]
        let handles = [":-", ":=", ":?", ":+", "-", "=", "?", "+"].contains { operatorText in
          rest.starts(with: Array(operatorText.utf8))
        }
        references.append(
          ShellVariableReference(
            name: String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self), range: TextRange(start, close),
            nameRange: TextRange(nameStart, nameEnd), handlesUnset: handles))
      }
      index = close
    } else if Self.isNameByte(next), !Self.isDigit(next) {
      while index < end, Self.isNameByte(bytes[index]) { index += 1 }
      references.append(
        ShellVariableReference(
          name: String(decoding: bytes[start + 1..<index], as: UTF8.self), range: TextRange(start, index),
          nameRange: TextRange(start + 1, index), handlesUnset: false))
    } else if Self.isDigit(next) || "@*#?$!-".utf8.contains(next) {
      index += 1  // A special or positional parameter.
    }
  }

  private mutating func lexSubstitution(_ range: Range<Int>) {
    var inner = ShellLexer(bytes: bytes, range: range)
    inner.run()
    substitutions.append(inner)
  }

  /// The index after the bracket that closes the one at `from`, skipping quoted text.
  private func matching(from: Int, open: UInt8, close: UInt8) -> Int {
    var depth = 0
    var position = from
    while position < end {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\\") {
        position += 2
        continue
      }
      if byte == UInt8(ascii: "'") && open == UInt8(ascii: "(") {
        position = find(UInt8(ascii: "'"), from: position + 1) + 1
        continue
      }
      if byte == UInt8(ascii: "\"") {
        position += 1
        while position < end, bytes[position] != UInt8(ascii: "\"") {
          position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
        }
        position += 1
        continue
      }
      if byte == open { depth += 1 }
      if byte == close {
        depth -= 1
        if depth == 0 { return position + 1 }
      }
      position += 1
    }
    return end
  }

  private func find(_ byte: UInt8, from: Int) -> Int {
    var position = from
    while position < end, bytes[position] != byte { position += 1 }
    return min(position, end)
  }

  private func findANSIQuoteEnd(from: Int) -> Int {
    var position = from
    while position < end, bytes[position] != UInt8(ascii: "'") {
      position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
    }
    return min(position, end)
  }

  static func isNameByte(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
      || isDigit(byte) || byte == UInt8(ascii: "_")
  }

  static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
