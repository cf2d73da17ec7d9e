/// The LSP base protocol's framing, as a pure function over bytes: `Content-Length` headers
/// (`Content-Type` and any other header tolerated), an empty line, then the body.
///
/// Bad framing never stops the stream: a header block without a usable `Content-Length` is
/// reported and skipped, and reading resumes after it.
public struct MessageFramer: Sendable {
  /// What one step of reading produced.
  public enum Frame: Equatable, Sendable {
    /// A message body (not yet parsed as JSON).
    case body([UInt8])
    /// A header block that could not be used, and why.
    case malformed(String)
  }

  /// Bodies larger than this are refused (and skipped as they arrive) rather than buffered.
  public static let maximumBodyBytes = 512 * 1024 * 1024
  /// A header block this long without an empty line is not a header block.
  public static let maximumHeaderBytes = 64 * 1024

  private var buffer: [UInt8] = []
  private var start = 0
  /// Bytes of a refused body still to be skipped.
  private var skipping = 0

  public init() {}

  /// Adds bytes read from the stream.
  public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
    buffer.append(contentsOf: bytes)
  }

  /// The next complete frame, or nil when more bytes are needed.
  public mutating func next() -> Frame? {
    if skipping > 0 {
      let skipped = min(skipping, buffer.count - start)
      start += skipped
      skipping -= skipped
      if skipping > 0 {
        compact()
        return nil
      }
    }
    guard let (headerEnd, bodyStart) = headerBlock() else {
      if buffer.count - start > Self.maximumHeaderBytes {
        start = buffer.count
        compact()
        return .malformed("a header block longer than \(Self.maximumHeaderBytes) bytes without an empty line")
      }
      compact()
      return nil
    }
    let header = String(decoding: buffer[start..<headerEnd], as: UTF8.self)
    switch Self.contentLength(header) {
    case .failure(let message):
      start = bodyStart
      return .malformed(message.text)
    case .success(let length):
      if length > Self.maximumBodyBytes {
        start = bodyStart
        skipping = length
        return .malformed("Content-Length \(length) exceeds the \(Self.maximumBodyBytes)-byte limit")
      }
      guard buffer.count - bodyStart >= length else { return nil }
      let body = Array(buffer[bodyStart..<bodyStart + length])
      start = bodyStart + length
      compact()
      return .body(body)
    }
  }

  /// The end of the header text and the start of the body: the first empty line (`\r\n\r\n`,
  /// or a bare `\n\n` from a lenient client).
  private func headerBlock() -> (Int, Int)? {
    var index = start
    while index < buffer.count {
      if buffer[index] == 0x0A {
        var next = index + 1
        if next < buffer.count && buffer[next] == 0x0D { next += 1 }
        if next < buffer.count && buffer[next] == 0x0A { return (index, next + 1) }
      }
      index += 1
    }
    return nil
  }

  private static func contentLength(_ header: String) -> Result<Int, FramingMessage> {
    var length: Int?
    // By scalars: in a String, "\r\n" is one Character and would never split on "\n".
    for rawLine in header.unicodeScalars.split(separator: "\n") {
      let line = Substring(rawLine.last == "\r" ? rawLine.dropLast() : rawLine)
      if line.isEmpty { continue }
      guard let colon = line.firstIndex(of: ":") else {
        return .failure(FramingMessage("malformed header line `\(line.prefix(80))` (expected `Name: value`)"))
      }
      let name = line[..<colon].trimmingSpaces()
      let value = line[line.index(after: colon)...].trimmingSpaces()
      if name.lowercased() == "content-length" {
        guard let number = Int(value), number >= 0 else {
          return .failure(FramingMessage("Content-Length `\(value.prefix(40))` is not a byte count"))
        }
        length = number
      }
    }
    guard let length else { return .failure(FramingMessage("a header block without Content-Length")) }
    return .success(length)
  }

  private mutating func compact() {
    if start == buffer.count {
      buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
      start = 0
    } else if start > 1 << 16 && start > buffer.count / 2 {
      buffer.removeSubrange(0..<start)
      start = 0
    }
  }

  /// Frames `body` for sending.
  public static func frame(_ body: [UInt8]) -> [UInt8] {
    Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
  }
}

struct FramingMessage: Error {
  var text: String
  init(_ text: String) { self.text = text }
}

extension Substring {
  func trimmingSpaces() -> String {
    var slice = self[...]
    while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
    return String(slice)
  }
}
