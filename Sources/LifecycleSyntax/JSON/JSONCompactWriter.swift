/// Writes JSON values as compact text exactly as serde_json's `to_string` does (the platform's
/// JSON library): no whitespace, only `"`, `\` and control characters escaped, integers that fit
/// 64 bits written as such, other numbers as shortest round-trip floats in ryu's notation.
public enum JSONCompactWriter {
  /// The compact text of the value that starts at event `index` of `tape`, or nil when a number
  /// is out of the range of a 64-bit float (serde_json rejects the whole document then).
  public static func compactText(of tape: JSONTape, at index: Int, source: String) -> String? {
    var output = ""
    var cursor = index
    let end = tape.indexAfterValue(at: index)
    var needsComma: [Bool] = []
    let sourceBytes = Array(source.utf8)
    while cursor < end {
      let event = tape.events[cursor]
      let isClose = event.kind == .endArray || event.kind == .endObject
      if !isClose, let last = needsComma.last {
        // A value right after a key takes no comma.
        let afterKey = cursor > index && tape.events[cursor - 1].kind == .key
        if last && !afterKey { output += "," }
        if !afterKey { needsComma[needsComma.count - 1] = true }
      }
      switch event.kind {
      case .beginArray:
        output += "["
        needsComma.append(false)
      case .beginObject:
        output += "{"
        needsComma.append(false)
      case .endArray:
        output += "]"
        needsComma.removeLast()
      case .endObject:
        output += "}"
        needsComma.removeLast()
      case .key:
        writeString(event.text ?? "", to: &output)
        output += ":"
      case .string:
        writeString(event.text ?? "", to: &output)
      case .number:
        let lexeme = String(decoding: sourceBytes[event.range.start..<event.range.end], as: UTF8.self)
        guard let number = formatNumber(lexeme) else { return nil }
        output += number
      case .true: output += "true"
      case .false: output += "false"
      case .null: output += "null"
      }
      cursor += 1
    }
    return output
  }

  /// A JSON string literal as serde_json writes it.
  /// `value` as a JSON string literal, quotes included.
  public static func quoted(_ value: String) -> String {
    var output = ""
    writeString(value, to: &output)
    return output
  }

  public static func writeString(_ value: String, to output: inout String) {
    output += "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "\u{08}": output += "\\b"
      case "\u{0C}": output += "\\f"
      default:
        if scalar.value < 0x20 {
          let digits = String(scalar.value, radix: 16)
          output += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    output += "\""
  }

  /// A JSON number lexeme as serde_json writes it back, or nil when it overflows a float.
  public static func formatNumber(_ lexeme: String) -> String? {
    let isInteger = !lexeme.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
    if isInteger {
      if lexeme.hasPrefix("-") {
        if let value = Int64(lexeme) { return String(value) }
      } else if let value = UInt64(lexeme) {
        return String(value)
      }
    }
    guard let value = Double(lexeme), value.isFinite else { return nil }
    return ryuFormat(value)
  }

  /// A finite double in the notation of the ryu crate's `format_finite`.
  public static func ryuFormat(_ value: Double) -> String {
    if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
    // Swift's description is the shortest round-trip representation; take its digits and
    // exponent and lay them out as ryu does.
    var text = value.magnitude.description
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      exponent = Int(text[text.index(after: e)...]) ?? 0
      text = String(text[..<e])
    }
    var integerPart = text
    var fractionPart = ""
    if let dot = text.firstIndex(of: ".") {
      integerPart = String(text[..<dot])
      fractionPart = String(text[text.index(after: dot)...])
    }
    var digits = integerPart + fractionPart
    // value = digits × 10^(exponent - fractionPart.count)
    var k = exponent - fractionPart.count
    while digits.count > 1 && digits.hasPrefix("0") { digits.removeFirst() }
    while digits.count > 1 && digits.hasSuffix("0") {
      digits.removeLast()
      k += 1
    }
    let length = digits.count
    let kk = length + k  // the position of the decimal point relative to the digits' start
    var result = value.sign == .minus ? "-" : ""
    if 0 <= k && kk <= 16 {
      result += digits + String(repeating: "0", count: k) + ".0"
    } else if 0 < kk && kk <= 16 {
      let split = digits.index(digits.startIndex, offsetBy: kk)
      result += digits[..<split] + "." + digits[split...]
    } else if -5 < kk && kk <= 0 {
      result += "0." + String(repeating: "0", count: -kk) + digits
    } else if length == 1 {
      result += digits + "e" + String(kk - 1)
    } else {
      result += String(digits.first!) + "." + digits.dropFirst() + "e" + String(kk - 1)
    }
    return result
  }
}
