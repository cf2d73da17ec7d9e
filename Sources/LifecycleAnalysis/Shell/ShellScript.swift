import LifecycleSyntax

/// A redirection of a simple command: `> file`, `2>> log`, `< input`.
public struct ShellRedirection: Equatable, Sendable {
  public var operatorText: String
  public var operatorRange: TextRange
  public var target: ShellWord?

  /// True when it writes to its target (`>`, `>>`, `&>`, `2>`, `>|`), not reads or duplicates.
  public var writesFile: Bool {
    let op = operatorText.drop(while: { $0.isNumber })
    return [">", ">>", "&>", "&>>", ">|"].contains(String(op))
  }
}

/// One simple command: `FOO=1 terraform apply -auto-approve > log`.
public struct ShellCommand: Equatable, Sendable {
  /// Leading `NAME=value` words.
  public var assignments: [ShellWord] = []
  /// The command name and its arguments, after reserved words such as `if`, `then`, `!`.
  public var words: [ShellWord] = []
  public var redirections: [ShellRedirection] = []
  /// True when its standard output feeds the next command (`|`, `|&`).
  public var isPiped = false
  /// True inside `$(...)` or backquotes, whose output the script captures.
  public var isCaptured = false

  /// The command's name without its directory (`/usr/bin/terraform` → `terraform`), or nil.
  public var name: String? {
    guard let first = words.first?.text else { return nil }
    guard let slash = first.utf8.lastIndex(of: UInt8(ascii: "/")) else { return first }
    return String(first[first.utf8.index(after: slash)...])
  }

  /// The arguments after the command name.
  public var arguments: ArraySlice<ShellWord> { words.dropFirst() }
}

/// A shell script (the text after `sh -c`) split into simple commands, with every variable it
/// reads and every name it assigns; commands inside `$(...)` and backquotes are included.
public struct ShellScript: Equatable, Sendable {
  public var commands: [ShellCommand] = []
  public var references: [ShellVariableReference] = []
  /// Names the script sets itself (`X=1`, `export X=1`, `read X`, `for X in`).
  public var assignedNames: Set<String> = []
  /// True when the script reads `$0`...`$9`, `$@` or `$*` (extra `sh -c` arguments are then meant).
  public var readsPositionalParameters = false

  /// Where the first `. file` or `source file` starts (a UTF-8 offset in the script): after it,
  /// any variable may be set by a file we do not read.
  public var firstSourcedFileOffset: Int? {
    commands.filter { !$0.isCaptured && ($0.words.first?.text == "." || $0.words.first?.text == "source") }
      .compactMap { $0.words.first?.range.start }.min()
  }

  /// True when the variable read at `offset` may be set by a file sourced before it.
  public func maySetBySourcedFile(at offset: Int) -> Bool {
    firstSourcedFileOffset.map { offset > $0 } ?? false
  }

  private static let reservedWords: Set<String> = [
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time", "case", "esac",
  ]
  /// Commands that run their arguments as a command.
  private static let wrappers: Set<String> = ["exec", "sudo", "nohup", "command", "builtin", "xargs"]

  public init(_ script: String) {
    let lexer = ShellLexer.lex(script)
    add(lexer, captured: false)
    let bytes = Array(script.utf8)
    for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "$") && offset + 1 < bytes.count {
      let next = bytes[offset + 1]
      if ShellLexer.isDigit(next) || next == UInt8(ascii: "@") || next == UInt8(ascii: "*") {
        readsPositionalParameters = true
      }
      if next == UInt8(ascii: "{"), offset + 2 < bytes.count,
        ShellLexer.isDigit(bytes[offset + 2]) || bytes[offset + 2] == UInt8(ascii: "@")
      {
        readsPositionalParameters = true
      }
    }
  }

  private mutating func add(_ lexer: ShellLexer, captured: Bool) {
    references += lexer.references
    var current = ShellCommand()
    var pendingRedirection: ShellRedirection?
    var isForLoop = false
    /// The name of the command being read (its first word's), worked out once.
    var currentName: String?
    func finish(piped: Bool) {
      if let pending = pendingRedirection { current.redirections.append(pending) }
      pendingRedirection = nil
      current.isPiped = piped
      current.isCaptured = captured
      if !current.words.isEmpty || !current.assignments.isEmpty || !current.redirections.isEmpty {
        commands.append(current)
      }
      current = ShellCommand()
      isForLoop = false
    }
    for token in lexer.tokens {
      switch token {
      case .operator(let text, let range):
        if text.utf8.contains(where: { $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "<") }), text != "<<",
          text != "<<-"
        {
          if let pending = pendingRedirection { current.redirections.append(pending) }
          pendingRedirection = ShellRedirection(operatorText: text, operatorRange: range, target: nil)
        } else if text == "<<" || text == "<<-" {
          pendingRedirection = ShellRedirection(operatorText: text, operatorRange: range, target: nil)
        } else {
          finish(piped: text == "|" || text == "|&")
        }
      case .word(let word):
        if var pending = pendingRedirection {
          pending.target = word
          current.redirections.append(pending)
          pendingRedirection = nil
          continue
        }
        if isForLoop {
          if current.words.isEmpty, Self.isName(word.text) { assignedNames.insert(word.text) }
          current.words.append(word)
          continue
        }
        if current.words.isEmpty {
          if Self.reservedWords.contains(word.text) { continue }
          if word.text == "for" || word.text == "select" {
            isForLoop = true
            continue
          }
          if let name = Self.assignedName(word.text) {
            assignedNames.insert(name)
            current.assignments.append(word)
            continue
          }
        }
        current.words.append(word)
        if current.words.count == 1 {
          currentName = current.name
          if Self.wrappers.contains(currentName ?? "") { current.words.removeAll() }
        } else {
          noteAssignment(word, by: currentName)
        }
      }
    }
    finish(piped: false)
    for substitution in lexer.substitutions { add(substitution, captured: true) }
  }

  /// Records names that `export`, `read`, `local` and the like assign.
  private mutating func noteAssignment(_ word: ShellWord, by command: String?) {
    switch command {
    case "export", "local", "declare", "typeset", "readonly":
      if let name = Self.assignedName(word.text) ?? (Self.isName(word.text) ? word.text : nil) {
        assignedNames.insert(name)
      }
    case "read", "getopts", "mapfile", "readarray":
      if Self.isName(word.text) { assignedNames.insert(word.text) }
    default: break
    }
  }

  /// `NAME` for a word `NAME=...` or `NAME+=...`.
  static func assignedName(_ word: String) -> String? {
    guard let equals = word.firstIndex(of: "=") else { return nil }
    var name = word[..<equals]
    if name.hasSuffix("+") { name = name.dropLast() }
    return isName(name) ? String(name) : nil
  }

  static func isName<S: StringProtocol>(_ text: S) -> Bool {
    guard let first = text.utf8.first, !ShellLexer.isDigit(first) else { return false }
    return text.utf8.allSatisfy(ShellLexer.isNameByte)
  }

  /// True when the script mentions `text` anywhere in its words or redirection targets.
  public func mentions(_ text: String) -> Bool {
    commands.contains { command in
      command.words.contains { $0.text.contains(text) }
        || command.redirections.contains { $0.target?.text.contains(text) ?? false }
        || command.assignments.contains { $0.text.contains(text) }
    }
  }
}
