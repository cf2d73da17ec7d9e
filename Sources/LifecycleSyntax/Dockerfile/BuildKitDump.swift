/// BuildKit's `Node.Dump()` notation (`(copy ["--from=a"] "src" "/dst")`), used to compare our
/// parse with BuildKit's own test files.
public enum BuildKitDump {
  public static func dump(_ dockerfile: Dockerfile) -> String {
    dockerfile.instructions.map { "(" + dump($0) + ")\n" }.joined()
  }

  static func dump(_ instruction: DockerInstruction) -> String {
    var text = instruction.name
    if !instruction.flags.isEmpty {
      let raw = instruction.flags.map { flag in "--" + flag.name + (flag.value.map { "=" + $0 } ?? "") }
      text += " [" + raw.map(goQuote).joined(separator: " ") + "]"
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
