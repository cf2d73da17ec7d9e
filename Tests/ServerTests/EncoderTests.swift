import Foundation
import LifecycleProtocol
import Testing

/// The streaming encoder writes what Foundation's `JSONEncoder` writes, byte for byte once both
/// are parsed back, for every shape the protocol uses.
@Suite struct EncoderTests {
  struct Empty: Encodable {}
  struct Nested: Encodable {
    var name = "a \"quoted\" \\ back\nslash\t\u{1}é🚀"
    var optional: Int? = nil
    var present: Int? = 3
    var list: [Nested]? = nil
    var empty = Empty()
    var double = 1.25
    var whole = 2.0
    var flag = true
  }

  func roundTrip<Value: Encodable>(_ value: Value) throws -> (ours: JSONValue, theirs: JSONValue) {
    let ours = try StreamingJSONEncoder.encode(value)
    let theirs = try JSONEncoder().encode(value)
    return (
      try JSONDecoder().decode(JSONValue.self, from: Data(ours)),
      try JSONDecoder().decode(JSONValue.self, from: theirs)
    )
  }

  @Test func structsOptionalsArraysAndEscapes() throws {
    let value = Nested(list: [Nested(), Nested(present: nil)])
    let (ours, theirs) = try roundTrip(value)
    #expect(ours == theirs)
  }

  @Test func protocolValues() throws {
    let item = CompletionItem(
      label: "TF_VAR_x", kind: 6, detail: "string", documentation: .markup(MarkupContent(value: "**x**")),
      textEdit: .plain(
        TextEdit(
          range: Range(start: Position(line: 1, character: 2), end: Position(line: 1, character: 3)),
          newText: "y")),
      data: .object([
        "uri": "file:///a", "line": .number(3), "list": .array([.null, .bool(false), .number(1.5)]),
      ]))
    var replacing = item
    replacing.textEdit = .insertReplace(
      InsertReplaceEdit(
        newText: "timeout",
        insert: Range(start: Position(line: 1, character: 0), end: Position(line: 1, character: 4)),
        replace: Range(start: Position(line: 1, character: 0), end: Position(line: 1, character: 7))))
    let (ours, theirs) = try roundTrip(CompletionList(isIncomplete: false, items: [item, replacing]))
    #expect(ours == theirs)
    let (hoverOurs, hoverTheirs) = try roundTrip(Hover?.none)
    #expect(hoverOurs == .null && hoverTheirs == .null)
    #expect(String(decoding: try StreamingJSONEncoder.encode(Empty()), as: UTF8.self) == "{}")
    #expect(String(decoding: try StreamingJSONEncoder.encode([String]()), as: UTF8.self) == "[]")
  }

  @Test func nonFiniteNumbersAreAnErrorNotAReply() {
    #expect(throws: EncodingError.self) { try StreamingJSONEncoder.encode(["x": Double.nan]) }
  }
}
