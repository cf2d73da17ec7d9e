/// A `<<EOF`, `<<-EOF`, `<< EOF`, `<<"EOF"`, `3<<EOF` word of a RUN, COPY or ADD line.
///
/// BuildKit finds them by splitting the whole instruction line into shell words with its own
/// lexer (quotes and escapes kept, `$NAME` left as written, `<<` glued to the blanks after it),
/// matching each word against `^(\d*)<<(-?)\s*([^<]*)$`, and lexing the rest again to get the
/// name: `<<\EOF` is named `EOF`, `<<"EOF"` is `EOF` and does not expand. A line the lexer
/// refuses (an unclosed quote, a bad `${`) has no heredocs at all.
struct HeredocMarker: Equatable {
  var name: String
  var stripsTabs: Bool
  var expands: Bool
  /// The number written before `<<`, if any.
  var fileDescriptor: Int?

  /// The heredoc markers of an instruction's line, in order, or the problem BuildKit reports
  /// for a name it cannot read.
  static func find(inLine line: [UInt8]) -> Result<[HeredocMarker], HeredocNameError> {
    let scalars = Array(String(decoding: line, as: UTF8.self).unicodeScalars)
    var lexer = BuildKitShellLexer(scalars, rawQuotes: true, rawEscapes: true)
    guard let words = lexer.words() else { return .success([]) }
    var markers: [HeredocMarker] = []
    for word in words {
      switch marker(Array(word.unicodeScalars)) {
      case .success(let marker?): markers.append(marker)
      case .success(nil): continue
      case .failure(let error): return .failure(error)
      }
    }
    return .success(markers)
  }

  /// `heredocFromMatch`: nil when the word is no heredoc.
  static func marker(_ word: [Unicode.Scalar]) -> Result<HeredocMarker?, HeredocNameError> {
    var index = 0
    var digits = ""
    while index < word.count, ("0"..."9").contains(word[index]) {
      digits.unicodeScalars.append(word[index])
      index += 1
    }
    guard index + 1 < word.count, word[index] == "<", word[index + 1] == "<" else { return .success(nil) }
    index += 2
    var stripsTabs = false
    if index < word.count, word[index] == "-" {
      stripsTabs = true
      index += 1
    }
    // `\s` of Go's regexp: [\t\n\f\r ].
    while index < word.count, ["\t", "\n", "\u{0C}", "\r", " "].contains(word[index]) { index += 1 }
    let rest = Array(word[index...])
    guard !rest.isEmpty, !rest.contains("<") else { return .success(nil) }
    var cooked = BuildKitShellLexer(rest, rawQuotes: false, rawEscapes: false)
    var raw = BuildKitShellLexer(rest, rawQuotes: true, rawEscapes: false)
    guard let names = cooked.words() else { return .failure(HeredocNameError(word: rest)) }
    guard names.count == 1 else { return .success(nil) }
    guard let rawNames = raw.words(), rawNames.count == 1 else {
      return .failure(HeredocNameError(word: rest))
    }
    func quotes(_ text: String) -> Int { text.unicodeScalars.filter { $0 == "'" || $0 == "\"" }.count }
    return .success(
      HeredocMarker(
        name: names[0], stripsTabs: stripsTabs, expands: quotes(names[0]) == quotes(rawNames[0]),
        fileDescriptor: digits.isEmpty ? nil : Int(digits) ?? 0))
  }
}

/// A heredoc name BuildKit's lexer refuses (`<<"EOF`): BuildKit refuses the Dockerfile.
struct HeredocNameError: Error, Equatable {
  var word: [Unicode.Scalar]
  var text: String {
    var text = ""
    text.unicodeScalars.append(contentsOf: word)
    return text
  }
}

/// The part of BuildKit's shell lexer (`shell.Lex.ProcessWords` with no variables set and unset
/// ones kept as written) that splits a line into words. Nil when the lexer reports an error.
struct BuildKitShellLexer {
  let scalars: [Unicode.Scalar]
  let rawQuotes: Bool
  var rawEscapes: Bool
  var index = 0
  /// One buffer shared by nested `${...}` words, as in BuildKit (a nested word empties it).
  var buffer = ""

  init(_ scalars: [Unicode.Scalar], rawQuotes: Bool, rawEscapes: Bool) {
    self.scalars = scalars
    self.rawQuotes = rawQuotes
    self.rawEscapes = rawEscapes
  }

  struct Words {
    var words: [String] = []
    var inWord = false
  }

  mutating func words() -> [String]? { process(stop: nil, rawEscapes: rawEscapes)?.words }

  func peek() -> Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

  mutating func next() -> Unicode.Scalar? {
    guard index < scalars.count else { return nil }
    index += 1
    return scalars[index - 1]
  }

  mutating func addChar(_ scalar: Unicode.Scalar, _ words: inout Words) {
    if GoSpaces.isSpace(scalar) {
      if words.inWord, !buffer.isEmpty {
        words.words.append(buffer)
        buffer = ""
        words.inWord = false
      }
    } else {
      addRaw(String(scalar), &words)
    }
  }

  mutating func addRaw(_ text: String, _ words: inout Words) {
    buffer += text
    words.inWord = true
  }

  mutating func finish(_ words: inout Words) -> [String] {
    if !buffer.isEmpty {
      words.words.append(buffer)
      buffer = ""
      words.inWord = false
    }
    return words.words
  }

  /// `processStopOn`: the text up to `stop` (consumed) or the end, and its words.
  mutating func process(stop: Unicode.Scalar?, rawEscapes: Bool) -> (text: String, words: [String])? {
    var result = ""
    buffer = ""
    var words = Words()
    let saved = self.rawEscapes
    self.rawEscapes = rawEscapes
    defer { self.rawEscapes = saved }
    while let scalar = peek() {
      if let stop, scalar == stop {
        index += 1
        return (result, finish(&words))
      }
      switch scalar {
      case "$":
        guard let text = dollar() else { return nil }
        result += text
        for character in text.unicodeScalars { addChar(character, &words) }
      case "<":
        let text = possibleHeredoc()
        result += text
        addRaw(text, &words)
      case "'", "\"":
        guard let text = scalar == "'" ? singleQuoted() : doubleQuoted() else { return nil }
        result += text
        addRaw(text, &words)
      default:
        index += 1
        if scalar == "\\" {
          if self.rawEscapes {
            addRaw("\\", &words)
            result += "\\"
          }
          guard let escaped = next() else { return stop == nil ? (result, finish(&words)) : nil }
          addRaw(String(escaped), &words)
          result.unicodeScalars.append(escaped)
        } else {
          addChar(scalar, &words)
          result.unicodeScalars.append(scalar)
        }
      }
    }
    guard stop == nil else { return nil }
    return (result, finish(&words))
  }

  mutating func singleQuoted() -> String? {
    index += 1
    var result = rawQuotes ? "'" : ""
    while true {
      guard let scalar = next() else { return nil }
      if scalar == "'" { return rawQuotes ? result + "'" : result }
      result.unicodeScalars.append(scalar)
    }
  }

  mutating func doubleQuoted() -> String? {
    index += 1
    var result = rawQuotes ? "\"" : ""
    while true {
      guard let scalar = peek() else { return nil }
      switch scalar {
      case "\"":
        index += 1
        return rawQuotes ? result + "\"" : result
      case "$":
        guard let value = dollar() else { return nil }
        result += value
      default:
        index += 1
        var written = scalar
        if scalar == "\\" {
          if rawEscapes { result += "\\" }
          guard let following = peek() else { continue }
          if following == "\"" || following == "$" || following == "\\" {
            written = following
            index += 1
          }
        }
        result.unicodeScalars.append(written)
      }
    }
  }

  /// `processDollar` with every variable unset: the reference as written, or nil on a syntax
  /// error.
  mutating func dollar() -> String? {
    index += 1
    guard peek() == "{" else {
      let name = self.name()
      return "$" + name
    }
    index += 1
    guard let first = peek(), first != "{", first != "}", first != ":" else { return nil }
    let name = self.name()
    guard let modifier = next() else { return nil }
    switch modifier {
    case "}": return "${\(name)}"
    case ":", "+", "-", "?", "#", "%":
      var written = String(modifier)
      var operation = modifier
      if modifier == ":" {
        guard let after = next() else { return nil }
        written.unicodeScalars.append(after)
        operation = after
        if operation == "#" || operation == "%" { return nil }
      }
      guard let word = process(stop: "}", rawEscapes: operation == "#" || operation == "%") else {
        return nil
      }
      return "${\(name)\(written)\(word.text)}"
    case "/":
      if peek() == "/" { index += 1 }  // `${a//x/y}`: written back with one slash, as BuildKit does.
      guard let pattern = process(stop: "/", rawEscapes: true),
        let replacement = process(stop: "}", rawEscapes: true)
      else { return nil }
      return "${\(name)/\(pattern.text)/\(replacement.text)}"
    default: return nil
    }
  }

  /// `processName`: a run of digits, one special parameter, or letters, digits and `_`.
  mutating func name() -> String {
    var name = ""
    while let scalar = peek() {
      if name.isEmpty, Self.isDigit(scalar) {
        while let digit = peek(), Self.isDigit(digit) {
          name.unicodeScalars.append(digit)
          index += 1
        }
        return name
      }
      if name.isEmpty, "@*#?-$!0".unicodeScalars.contains(scalar) {
        index += 1
        return String(scalar)
      }
      guard Self.isLetter(scalar) || Self.isDigit(scalar) || scalar == "_" else { break }
      name.unicodeScalars.append(scalar)
      index += 1
    }
    return name
  }

  mutating func possibleHeredoc() -> String {
    index += 1
    guard peek() == "<" else { return "<" }
    index += 1
    var text = "<<"
    while let scalar = peek(), scalar == "\t" || scalar == "\r" || scalar == " " {
      text.unicodeScalars.append(scalar)
      index += 1
    }
    return text
  }

  static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.generalCategory == .decimalNumber
  }

  static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
    default: return false
    }
  }
}
