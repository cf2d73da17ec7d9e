import Foundation
import LifecycleProtocol
import LifecycleSyntax
import Testing

@testable import LifecycleServer

/// The server's text never drifts from the client's: thousands of random incremental edits,
/// positions past the end of a line or of the document included, applied by the server's
/// converter and by an independent model of the client's text (LSP's rules, written here over
/// lines of Unicode scalars), must always give the same text.
@Suite struct EditModelTests {
  /// The client's text as LSP sees it: lines, each with its terminator.
  struct ClientText {
    var text: String

    /// Lines without their terminators, and the terminators (`\n`, `\r\n`, `\r`, or "" last).
    var lines: [(content: [Unicode.Scalar], terminator: String)] {
      var result: [(content: [Unicode.Scalar], terminator: String)] = []
      var current: [Unicode.Scalar] = []
      let scalars = Array(text.unicodeScalars)
      var index = 0
      while index < scalars.count {
        let scalar = scalars[index]
        if scalar == "\n" {
          result.append((current, "\n"))
          current = []
        } else if scalar == "\r" {
          if index + 1 < scalars.count, scalars[index + 1] == "\n" {
            result.append((current, "\r\n"))
            index += 1
          } else {
            result.append((current, "\r"))
          }
          current = []
        } else {
          current.append(scalar)
        }
        index += 1
      }
      result.append((current, ""))
      return result
    }

    static func width(_ scalar: Unicode.Scalar, _ encoding: PositionEncoding) -> Int {
      encoding == .utf16 ? scalar.utf16.count : scalar.utf8.count
    }

    /// The index in `text.unicodeScalars` of a position: past the line's end is its end, past the
    /// last line is the end of the text (LSP 3.17, Position).
    func scalarIndex(_ position: Position, _ encoding: PositionEncoding) -> Int {
      let lines = lines
      guard position.line < lines.count else { return text.unicodeScalars.count }
      var index = 0
      for line in lines[..<position.line] {
        index += line.content.count + line.terminator.unicodeScalars.count
      }
      var units = 0
      for scalar in lines[position.line].content {
        if units + Self.width(scalar, encoding) > position.character { break }
        units += Self.width(scalar, encoding)
        index += 1
      }
      return index
    }

    mutating func replace(_ range: LifecycleProtocol.Range, with insertion: String, _ encoding: PositionEncoding) {
      var scalars = Array(text.unicodeScalars)
      let start = scalarIndex(range.start, encoding)
      let end = scalarIndex(range.end, encoding)
      scalars.replaceSubrange(min(start, end)..<max(start, end), with: Array(insertion.unicodeScalars))
      var view = String.UnicodeScalarView()
      view.append(contentsOf: scalars)
      text = String(view)
    }
  }

  /// A small deterministic generator (SplitMix64), so a failure replays.
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let pieces = ["a", "TF_", ": ", "é", "名", "😀", "\n", "\r\n", "\r", "  ", "\"", "x y", ""]

  /// A position on a character boundary of `client`, or past a line's or the document's end.
  static func position(in client: ClientText, _ encoding: PositionEncoding, _ random: inout Generator) -> Position {
    let lines = client.lines
    let line = Int.random(in: 0...(lines.count + 1), using: &random)
    if line >= lines.count {
      // `{lineCount, 0}` is how clients name the end; further lines too must clamp.
      return Position(line: line, character: Int.random(in: 0...3, using: &random))
    }
    let content = lines[line].content
    let boundary = Int.random(in: 0...(content.count + 2), using: &random)
    let character = content.prefix(boundary).reduce(0) { $0 + ClientText.width($1, encoding) }
    return Position(line: line, character: character + max(0, boundary - content.count) * 5)
  }

  func run(_ encoding: PositionEncoding, seed: UInt64, edits: Int) {
    var random = Generator(state: seed)
    var client = ClientText(text: "name: job\nevents:\n  start: [\"-c\", \"true\"]\n")
    var server = SourceText(client.text)
    let converter = PositionConverter(encoding: encoding)
    for step in 0..<edits {
      let start = Self.position(in: client, encoding, &random)
      let end = Bool.random(using: &random) ? start : Self.position(in: client, encoding, &random)
      let ordered =
        (start.line, start.character) <= (end.line, end.character)
        ? LifecycleProtocol.Range(start: start, end: end) : LifecycleProtocol.Range(start: end, end: start)
      let insertion = (0..<Int.random(in: 0...3, using: &random)).map { _ in
        Self.pieces.randomElement(using: &random)!
      }.joined()
      client.replace(ordered, with: insertion, encoding)
      server = converter.apply(
        TextDocumentContentChangeEvent(range: ordered, rangeLength: nil, text: insertion), to: server)
      if server.string != client.text {
        Issue.record(
          "step \(step) (seed \(seed), \(encoding)): after replacing \(ordered) with \(insertion.debugDescription) the server has \(server.string.debugDescription), the client \(client.text.debugDescription)"
        )
        return
      }
      // Keep the text small enough for positions to hit its lines often.
      if client.text.unicodeScalars.count > 400 {
        client.text = String(client.text.prefix(100))
        server = SourceText(client.text)
      }
    }
  }

  @Test func randomEditsInUTF16NeverDrift() {
    for seed: UInt64 in 1...4 { run(.utf16, seed: seed, edits: 2_500) }
  }

  @Test func randomEditsInUTF8NeverDrift() {
    for seed: UInt64 in 1...4 { run(.utf8, seed: seed, edits: 2_500) }
  }

  @Test func theDocumentsEndAsClientsNameIt() {
    let converter = PositionConverter(encoding: .utf16)
    let source = SourceText("a\nb\n")
    // A whole-document replacement `0:0–lineCount:0`, and an insertion at line = line count.
    let whole = LifecycleProtocol.Range(
      start: Position(line: 0, character: 0), end: Position(line: 3, character: 0))
    #expect(
      converter.apply(TextDocumentContentChangeEvent(range: whole, rangeLength: nil, text: "c\n"), to: source)
        .string == "c\n")
    let end = LifecycleProtocol.Range(start: Position(line: 3, character: 0), end: Position(line: 3, character: 0))
    #expect(
      converter.apply(TextDocumentContentChangeEvent(range: end, rangeLength: nil, text: "z"), to: source).string
        == "a\nb\nz")
  }
}
