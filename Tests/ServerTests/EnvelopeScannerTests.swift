import Testing

@testable import LifecycleProtocol

/// The envelope is read in one pass that steps over `params`: the params are decoded once, by
/// their handler. What the scan does not vouch for is left to the full decoder (nil).
@Suite struct EnvelopeScannerTests {
  func scan(_ text: String) -> String {
    guard let envelope = EnvelopeScanner.scan(Array(text.utf8)) else { return "decoder" }
    return
      "\(envelope.jsonrpc ?? "-") \(envelope.id.map { "\($0)" } ?? (envelope.idIsNull ? "null" : "-")) \(envelope.method ?? "-") result=\(envelope.hasResult) error=\(envelope.error.map { "\($0)" } ?? "-")"
  }

  @Test func readsTheEnvelopeAndStepsOverParams() {
    // Params holding what looks like envelope keys, escapes and brackets in strings.
    let params = #"{"text": "\"method\": \"x\", } ] [ {", "id": 9, "nested": [[{"a": [1, 2.5e3, null, true]}]]}"#
    #expect(
      scan(#"{"jsonrpc":"2.0","id":7,"method":"textDocument/didOpen","params":"# + params + "}")
        == "2.0 7 textDocument/didOpen result=false error=-")
    #expect(scan(#" { "params" : {} , "method" : "exit" , "jsonrpc" : "2.0" } "#) == "2.0 - exit result=false error=-")
    #expect(scan(#"{"jsonrpc":"2.0","id":"a-1","result":null}"#) == "2.0 \"a-1\" - result=true error=-")
    #expect(
      scan(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}"#)
        == "2.0 null - result=false error=35..<64")
  }

  @Test func leavesAnythingOddToTheDecoder() {
    for text in [
      "[1]", "{", #"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#, #"{"jsonrpc":"2.0","method":"a","method":"b"}"#,
      #"{"json\u0072pc":"2.0","method":"x"}"#, #"{"jsonrpc":"2.0","method":"x"} trailing"#,
      #"{"jsonrpc":"2.0","method":"x","params":"unterminated}"#,
    ] {
      #expect(scan(text) == "decoder", "\(text)")
    }
  }
}
