import LifecycleSyntax

/// The checks of an output file (`qovery-output.json`), with exactly the platform's rules.
public enum OutputChecks {
  public static func check(_ source: SourceText) -> (OutputFile, [Diagnostic]) {
    if let invalid = source.firstInvalidUTF8Offset {
      let error = JSONSyntaxError(
        kind: .invalidUTF8, range: TextRange(invalid, invalid + 1),
        message:
          "the file is not valid UTF-8 (byte 0x\(String(source.bytes[invalid], radix: 16, uppercase: true)) here)"
      )
      let file = OutputFile(entries: [], problems: [.invalidJSON(error)], isRejected: true)
      return (file, [diagnostic(for: .invalidJSON(error), source: source)])
    }
    let file = OutputFile.read(source.string)
    let diagnostics = file.problems.map { diagnostic(for: $0, source: source) }
    return (file, diagnostics)
  }

  static func diagnostic(for problem: OutputFile.Problem, source: SourceText) -> Diagnostic {
    let rejected = "the platform ignores the whole file"
    switch problem {
    case .invalidJSON(let error):
      let range =
        error.range.isEmpty
        ? TextRange(error.range.start, source.nextCharacterOffset(after: error.range.start)) : error.range
      let fixes =
        error.insertion.map {
          [Fix.insert($0.text, at: $0.offset)]
        } ?? []
      return Diagnostic(
        .outputInvalidJSON, range, "not valid JSON, so \(rejected): \(error.message)", fixes: fixes)
    case .numberOutOfRange(let range):
      return Diagnostic(
        .outputInvalidJSON, range,
        "this number is too large for a 64-bit float, so \(rejected); write it as a string")
    case .notObject(let kind, let range):
      return Diagnostic(
        .outputNotObject, range,
        "the output file must be a JSON object of `\"KEY\": {\"value\": ...}` entries, not \(kind.phrase); \(rejected)"
      )
    case .invalidKey(let key, let range):
      let suggestion = suggestedKey(key)
      return Diagnostic(
        .outputInvalidKey, range,
        "`\(key)` is not a valid key (letters, digits and `_`, not starting with a digit); one bad key and \(rejected)",
        fixes: suggestion.map {
          [
            Fix(
              title: "Rename to `\($0)`",
              edits: [TextEdit(range: range, newText: JSONCompactWriter.quoted($0))])
          ]
        } ?? [])
    case .entryNotObject(let key, let kind, let range):
      return Diagnostic(
        .outputEntryNotObject, range,
        "the entry `\(key)` is \(kind.phrase), not an object `{\"value\": ...}`: the platform silently skips it"
      )
    case .entryFieldType(let key, let field, let expected, let found, let range):
      return Diagnostic(
        .outputEntryInvalid, range,
        "`\(field)` of `\(key)` must be \(expected.phrase), not \(found.phrase): the platform skips the entry"
      )
    case .duplicateKey(let key, let earlier, let range, let earlierRange):
      return Diagnostic(
        .outputDuplicateKey, range,
        "`\(key)` and `\(earlier)` are the same variable once upper-cased (`\(key.uppercased())`); only one value survives",
        related: [RelatedLocation(range: earlierRange, message: "`\(earlier)` is here")])
    }
  }

  /// `db-host` → `db_host`, when that makes the key valid.
  static func suggestedKey(_ key: String) -> String? {
    var characters = key.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }
    if let first = characters.first, first.isNumber { characters.insert("_", at: 0) }
    let suggestion = String(characters)
    return VariableName.isValid(suggestion) && suggestion != key ? suggestion : nil
  }
}
