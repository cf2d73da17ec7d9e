import Foundation
import LifecycleSyntax
import TestSupport
import Testing

/// The JSON-array scanner over nst/JSONTestSuite's `test_parsing`: every `y_` file accepted, every
/// `n_` file rejected with a position, the `i_` files decided as documented below.
@Suite struct JSONTestSuiteTests {
  static let files = Fixtures.files(in: "corpus/JSONTestSuite/test_parsing")

  /// Implementation-defined cases and our decision (the platform's own reader, serde_json, makes
  /// the same choices): numbers too large or too small for a double are still numbers; a lone or
  /// mis-paired surrogate escape, a byte-order mark, UTF-16 text and any invalid UTF-8 are errors.
  static func acceptsImplementationDefined(_ name: String) -> Bool {
    name.hasPrefix("i_number_") || name == "i_structure_500_nested_arrays.json"
  }

  @Test func theSuiteIsThere() {
    #expect(Self.files.count == 318)
  }

  @Test func everyFileIsJudgedAsSpecified() throws {
    var wrong: [String] = []
    for url in Self.files {
      let name = url.lastPathComponent
      let bytes = [UInt8](try Data(contentsOf: url))
      let result = JSONArrayScanner.scan(bytes)
      let accepted: Bool
      switch result {
      case .invalid(let error):
        accepted = false
        if error.range.start < 0 || error.range.end > bytes.count || error.message.isEmpty {
          wrong.append("\(name): error without a position in the file (\(error.range))")
        }
      case .array(let elements, _):
        accepted = true
        // Every non-string element is reported as what it is, never as invalid JSON.
        for element in elements where (element.kind == .string) != (element.value != nil) {
          wrong.append("\(name): element \(element.range) of kind \(element.kind) misreported")
        }
      case .notArray:
        accepted = true
      }
      let expected: Bool
      switch name.prefix(2) {
      case "y_": expected = true
      case "n_": expected = false
      default: expected = Self.acceptsImplementationDefined(name)
      }
      if accepted != expected { wrong.append("\(name): \(accepted ? "accepted" : "rejected")") }
    }
    #expect(wrong == [])
  }

  @Test func nonStringElementsAreReportedAsSuch() {
    guard
      case .array(let elements, _) = JSONArrayScanner.scan("[1, null, true, {\"a\": [2]}, [], \"x\", -0.5e3]")
    else {
      Issue.record("not an array")
      return
    }
    #expect(
      elements.map(\.kind.rawValue) == ["number", "null", "boolean", "object", "array", "string", "number"])
    #expect(elements.map(\.value) == [nil, nil, nil, nil, nil, "x", nil])
  }

  @Test func hintsForTheCommonMistakes() {
    func message(_ text: String) -> String {
      if case .invalid(let error) = JSONArrayScanner.scan(text) {
        return "\(error.kind) @\(error.range.start): \(error.message)"
      }
      return "valid"
    }
    #expect(message("[\"-c\" \"x\"]") == "missingComma @6: missing `,` between elements")
    #expect(message("[\"-c\", \"x\",]").hasPrefix("trailingComma @10"))
    #expect(message("['-c', 'x']").hasPrefix("singleQuotes @1"))
    #expect(message("[“-c”, “x”]").hasPrefix("typographicQuotes @1"))
    #expect(message("[\"-c\", \"x]").hasPrefix("unterminatedString @7"))
    #expect(message("[\"-c\", \"x\"").hasPrefix("unclosedBracket"))
    #expect(message("[\"-c\", \"x\"]]").hasPrefix("unexpectedClosingBracket @11"))
    #expect(message("[\"\\q\"]").hasPrefix("badEscape @2"))
  }
}
