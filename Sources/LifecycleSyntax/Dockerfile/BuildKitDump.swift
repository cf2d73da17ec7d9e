/// BuildKit's `Node.Dump()` notation (`(copy ["--from=a"] "src" "/dst")`), used to compare our
/// parse with BuildKit's own test files.
public enum BuildKitDump {
  public static func dump(_ dockerfile: Dockerfile) -> String {
    dockerfile.instructions.map { "(" + dump($0) + ")\n" }.joined()
  }

  static func dump(_ instruction: DockerInstruction) -> String {
    var text = instruction.name
    if !instruction.flags.isEmpty {
      text += " [" + instruction.flags.map { goQuote($0.written) }.joined(separator: " ") + "]"
    }
    for child in instruction.child { text += " (" + dump(child) + ")" }
    for value in instruction.values { text += " " + goQuote(value) }
    return text
  }

  /// Go's `strconv.Quote`.
  public static func goQuote(_ value: String) -> String {
    var output = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\u{07}": output += "\\a"
      case "\u{08}": output += "\\b"
      case "\u{0C}": output += "\\f"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "\u{0B}": output += "\\v"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          output += "\\x" + hex(scalar.value, digits: 2)
        } else if scalar.value == 0xFFFD || isPrintable(scalar) {
          output.unicodeScalars.append(scalar)
        } else if scalar.value < 0x10000 {
          output += "\\u" + hex(scalar.value, digits: 4)
        } else {
          output += "\\U" + hex(scalar.value, digits: 8)
        }
      }
    }
    return output + "\""
  }

  static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value < 0x7F { return true }
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
      return false
    case .spaceSeparator: return scalar == " "
    default: return true
    }
  }

  static func hex(_ value: UInt32, digits: Int) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
  }
}

/// What BuildKit's parser reports of one Dockerfile, field for field as the conformance corpus
/// (`dockerfiles-real/*.buildkit.json`) records it.
public struct BuildKitReading: Equatable, Codable, Sendable {
  public var instructions: [BuildKitInstruction]
  /// BuildKit's warnings (empty continuation lines).
  public var warnings: [String]
  /// Whether the parse failed (BuildKit's message is not compared, only that there is one).
  public var refused: Bool

  public init(instructions: [BuildKitInstruction], warnings: [String], refused: Bool) {
    self.instructions = instructions
    self.warnings = warnings
    self.refused = refused
  }
}

/// One instruction as BuildKit's parser reports it.
public struct BuildKitInstruction: Equatable, Codable, Sendable {
  public var dump: String
  public var cmd: String
  public var subCommand: String?
  public var json: Bool
  public var flags: [String]
  public var values: [String]
  public var startLine: Int
  public var endLine: Int
  public var heredocs: [BuildKitHeredoc]
  public var original: String

  public init(
    dump: String, cmd: String, subCommand: String? = nil, json: Bool, flags: [String], values: [String],
    startLine: Int, endLine: Int, heredocs: [BuildKitHeredoc], original: String
  ) {
    self.dump = dump
    self.cmd = cmd
    self.subCommand = subCommand
    self.json = json
    self.flags = flags
    self.values = values
    self.startLine = startLine
    self.endLine = endLine
    self.heredocs = heredocs
    self.original = original
  }

  enum CodingKeys: String, CodingKey {
    case dump, cmd, json, flags, values, heredocs, original
    case subCommand = "sub_cmd"
    case startLine = "start_line"
    case endLine = "end_line"
  }
}

/// One heredoc as BuildKit's parser reports it.
public struct BuildKitHeredoc: Equatable, Codable, Sendable {
  public var name: String
  public var expand: Bool
  public var chomp: Bool
  public var fd: Int
  public var content: String

  public init(name: String, expand: Bool, chomp: Bool, fd: Int, content: String) {
    self.name = name
    self.expand = expand
    self.chomp = chomp
    self.fd = fd
    self.content = content
  }
}

extension BuildKitDump {
  /// Our parse of `source`, in the corpus' terms. Lines are counted as BuildKit does, from 1,
  /// by `\n` only.
  public static func reading(of dockerfile: Dockerfile, in source: SourceText) -> BuildKitReading {
    var newlines: [Int] = []
    for (offset, byte) in source.bytes.enumerated() where byte == UInt8(ascii: "\n") {
      newlines.append(offset)
    }
    func line(_ offset: Int) -> Int {
      var low = 0
      var high = newlines.count
      while low < high {
        let middle = (low + high) / 2
        if newlines[middle] < offset { low = middle + 1 } else { high = middle }
      }
      return low + 1
    }
    var warnings: [String] = []
    let instructions = dockerfile.instructions.map { instruction in
      if !instruction.emptyContinuationLines.isEmpty {
        warnings.append("Empty continuation line found in: " + instruction.original)
      }
      let described = instruction.child.first ?? instruction
      return BuildKitInstruction(
        dump: "(" + dump(instruction) + ")", cmd: instruction.keyword,
        subCommand: instruction.child.first?.keyword, json: described.isExecForm,
        flags: instruction.flags.map(\.written), values: described.values,
        startLine: line(instruction.range.start), endLine: line(instruction.range.end),
        heredocs: instruction.heredocs.map {
          BuildKitHeredoc(
            name: $0.name, expand: $0.expands, chomp: $0.stripsTabs, fd: $0.fileDescriptor ?? 0,
            content: $0.body.value)
        },
        original: instruction.original)
    }
    return BuildKitReading(
      instructions: instructions, warnings: warnings, refused: !dockerfile.errors.isEmpty)
  }
}

extension DockerFlag {
  /// The flag as BuildKit keeps it: `--name` or `--name=value`, quotes and escapes removed.
  public var written: String { "--" + name + (value.map { "=" + $0 } ?? "") }
}

extension DockerInstruction {
  /// True when the arguments were read as a JSON array.
  public var isExecForm: Bool {
    if case .exec = form { return true }
    return false
  }
}
