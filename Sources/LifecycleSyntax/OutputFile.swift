/// `/qovery-output/qovery-output.json` read with exactly the platform's rules.
///
/// The file is a JSON object; each key must match `^[a-zA-Z_][a-zA-Z0-9_]*$` (one bad key rejects
/// the whole file); each value must be an object `{"value": any, "sensitive": bool, "description":
/// string}` whose other fields are ignored. A non-object entry is skipped; a non-string `value`
/// becomes its compact JSON text; a missing `value` becomes `null`. Keys are upper-cased.
/// `terraform output -json` is accepted as is.
public struct OutputFile: Equatable, Sendable {
  /// One variable the platform creates.
  public struct Entry: Equatable, Sendable {
    /// The key as written.
    public var key: String
    /// The key upper-cased: the variable's alias and the suffix of its full name.
    public var name: String
    public var value: String
    public var isSensitive: Bool
    public var description: String?
    public var keyRange: TextRange
  }

  /// Why the platform rejects, skips or merges something, with where.
  public enum Problem: Equatable, Sendable {
    /// Not JSON at all: the whole file is rejected.
    case invalidJSON(JSONSyntaxError)
    /// Valid JSON, but not an object: the whole file is rejected.
    case notObject(JSONValueKind, TextRange)
    /// A key outside `^[a-zA-Z_][a-zA-Z0-9_]*$`: the whole file is rejected.
    case invalidKey(String, TextRange)
    /// An entry whose value is not an object: skipped.
    case entryNotObject(key: String, kind: JSONValueKind, range: TextRange)
    /// An entry whose `sensitive` is not a boolean or whose `description` is not a string: skipped.
    case entryFieldType(
      key: String, field: String, expected: JSONValueKind, found: JSONValueKind, range: TextRange)
    /// A number that overflows a 64-bit float: serde_json rejects the whole file.
    case numberOutOfRange(TextRange)
    /// A key equal to an earlier one once upper-cased: only one of them survives.
    case duplicateKey(key: String, earlier: String, range: TextRange, earlierRange: TextRange)
  }

  /// The variables created; empty when the file is rejected.
  public var entries: [Entry]
  public var problems: [Problem]
  /// True when the platform ignores the whole file.
  public var isRejected: Bool

  public init(entries: [Entry], problems: [Problem], isRejected: Bool) {
    self.entries = entries
    self.problems = problems
    self.isRejected = isRejected
  }

  public static func read(_ text: String) -> OutputFile {
    let tape: JSONTape
    switch JSONParser.parse(text) {
    case .failure(let error):
      return OutputFile(entries: [], problems: [.invalidJSON(error)], isRejected: true)
    case .success(let parsed):
      tape = parsed
    }
    guard tape.events.first?.kind == .beginObject else {
      return OutputFile(
        entries: [], problems: [.notObject(tape.valueKind(at: 0), tape.events[0].range)], isRejected: true)
    }
    var entries: [Entry] = []
    var problems: [Problem] = []
    // serde_json refuses a number that overflows a float wherever it is.
    let utf8 = Array(text.utf8)
    for event in tape.events where event.kind == .number {
      let lexeme = String(decoding: utf8[event.range.start..<event.range.end], as: UTF8.self)
      if JSONCompactWriter.formatNumber(lexeme) == nil { problems.append(.numberOutOfRange(event.range)) }
    }
    var rejected = !problems.isEmpty
    var seen: [String: (key: String, range: TextRange)] = [:]
    for keyIndex in tape.children(of: 0) {
      let keyEvent = tape.events[keyIndex]
      let key = keyEvent.text ?? ""
      guard isValidKey(key) else {
        problems.append(.invalidKey(key, keyEvent.range))
        rejected = true
        continue
      }
      let name = key.uppercased()
      if let earlier = seen[name] {
        problems.append(
          .duplicateKey(key: key, earlier: earlier.key, range: keyEvent.range, earlierRange: earlier.range))
      }
      seen[name] = (key, keyEvent.range)
      let valueIndex = keyIndex + 1
      guard tape.events[valueIndex].kind == .beginObject else {
        problems.append(
          .entryNotObject(
            key: key, kind: tape.valueKind(at: valueIndex), range: tape.events[valueIndex].range))
        continue
      }
      var value = "null"
      var sensitive = false
      var description: String? = nil
      var skipped = false
      for fieldIndex in tape.children(of: valueIndex) {
        let fieldValue = fieldIndex + 1
        let kind = tape.valueKind(at: fieldValue)
        switch tape.events[fieldIndex].text {
        case "value":
          if tape.events[fieldValue].kind == .string {
            value = tape.events[fieldValue].text ?? ""
          } else {
            value = JSONCompactWriter.compactText(of: tape, at: fieldValue, source: text) ?? "null"
          }
        case "sensitive":
          switch tape.events[fieldValue].kind {
          case .true: sensitive = true
          case .false, .null: sensitive = false
          default:
            problems.append(
              .entryFieldType(
                key: key, field: "sensitive", expected: .boolean, found: kind,
                range: tape.events[fieldValue].range))
            skipped = true
          }
        case "description":
          switch tape.events[fieldValue].kind {
          case .string: description = tape.events[fieldValue].text
          case .null: description = nil
          default:
            problems.append(
              .entryFieldType(
                key: key, field: "description", expected: .string, found: kind,
                range: tape.events[fieldValue].range))
            skipped = true
          }
        default:
          break  // Other fields, such as Terraform's `type`, are ignored.
        }
      }
      if !skipped {
        entries.append(
          Entry(
            key: key, name: name, value: value, isSensitive: sensitive, description: description,
            keyRange: keyEvent.range))
      }
    }
    return OutputFile(entries: rejected ? [] : entries, problems: problems, isRejected: rejected)
  }

  /// True for a key the platform accepts: `^[a-zA-Z_][a-zA-Z0-9_]*$`.
  public static func isValidKey(_ key: String) -> Bool { VariableName.isValid(key) }
}

/// The rule shared by output keys and user variable names.
public enum VariableName {
  /// True for `^[a-zA-Z_][a-zA-Z0-9_]*$`.
  public static func isValid<S: StringProtocol>(_ name: S) -> Bool {
    var first = true
    for byte in name.utf8 {
      let isLetter = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
      let isDigit = byte >= 0x30 && byte <= 0x39
      if !(isLetter || (!first && isDigit)) { return false }
      first = false
    }
    return !first
  }
}
