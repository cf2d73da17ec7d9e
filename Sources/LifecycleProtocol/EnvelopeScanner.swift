#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Reads a message's envelope (`jsonrpc`, `id`, `method`, whether it has a `result`, where its
/// `error` is) in one pass over the bytes, stepping over `params` without decoding it, so that a
/// message is decoded once: its params, by the handler that knows their type. A 2 MB `didOpen`
/// is then read once, not once for the envelope and again for the params.
///
/// Only a well-formed top-level object is read here; anything else (or anything odd: duplicate
/// envelope keys, escapes in keys) gives nil, and the caller reads the message with the full
/// decoder, which says exactly what is wrong.
enum EnvelopeScanner {
  struct Envelope {
    var jsonrpc: String?
    var id: RequestID?
    var idIsNull = false
    var method: String?
    var hasResult = false
    /// The bytes of the `error` member's value.
    var error: Swift.Range<Int>?
  }

  static func scan(_ bytes: [UInt8]) -> Envelope? {
    var scanner = Scanner(bytes: bytes)
    return scanner.envelope()
  }

  private struct Scanner {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpaces() {
      while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
        index += 1
      }
    }

    mutating func take(_ byte: UInt8) -> Bool {
      skipSpaces()
      guard index < bytes.count, bytes[index] == byte else { return false }
      index += 1
      return true
    }

    mutating func envelope() -> Envelope? {
      var envelope = Envelope()
      var seen: Set<String> = []
      guard take(UInt8(ascii: "{")) else { return nil }
      if take(UInt8(ascii: "}")) { return finish(envelope) }
      while true {
        skipSpaces()
        guard let key = plainString(), take(UInt8(ascii: ":")) else { return nil }
        skipSpaces()
        if ["jsonrpc", "id", "method", "result", "error"].contains(key) {
          guard seen.insert(key).inserted else { return nil }
        }
        switch key {
        case "jsonrpc":
          guard let value = plainString() else { return nil }
          envelope.jsonrpc = value
        case "method":
          guard let value = plainString() else { return nil }
          envelope.method = value
        case "id":
          if let value = plainString() {
            envelope.id = .string(value)
          } else if let number = integer() {
            envelope.id = .number(number)
          } else if literal("null") {
            envelope.idIsNull = true
          } else {
            return nil
          }
        case "result":
          envelope.hasResult = true
          guard skipValue() else { return nil }
        case "error":
          let start = index
          guard skipValue() else { return nil }
          envelope.error = start..<index
        default:
          guard skipValue() else { return nil }
        }
        if take(UInt8(ascii: ",")) { continue }
        guard take(UInt8(ascii: "}")) else { return nil }
        return finish(envelope)
      }
    }

    /// Nothing but spaces may follow the object.
    mutating func finish(_ envelope: Envelope) -> Envelope? {
      skipSpaces()
      return index == bytes.count ? envelope : nil
    }

    /// A string without escapes or control characters (keys, methods, ids), or nil.
    mutating func plainString() -> String? {
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
      var end = index + 1
      while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
        if bytes[end] == UInt8(ascii: "\\") || bytes[end] < 0x20 { return nil }
        end += 1
      }
      guard end < bytes.count else { return nil }
      guard let text = String(validating: bytes[(index + 1)..<end], as: UTF8.self) else { return nil }
      index = end + 1
      return text
    }

    /// An integer that fits an `Int` (JSON-RPC ids), or nil.
    mutating func integer() -> Int? {
      var end = index
      if end < bytes.count, bytes[end] == UInt8(ascii: "-") { end += 1 }
      let digits = end
      while end < bytes.count, bytes[end] >= UInt8(ascii: "0"), bytes[end] <= UInt8(ascii: "9") { end += 1 }
      guard end > digits, end - digits < 19 else { return nil }
      if end < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[end]) {
        return nil
      }
      guard let value = Int(String(decoding: bytes[index..<end], as: UTF8.self)) else { return nil }
      index = end
      return value
    }

    mutating func literal(_ word: String) -> Bool {
      let word = Array(word.utf8)
      guard index + word.count <= bytes.count, Array(bytes[index..<index + word.count]) == word else { return false }
      index += word.count
      return true
    }

    /// Steps over one value: strings with their escapes, and nesting counted, not recursed into.
    /// Scalars are taken as the bytes up to the next delimiter; the handler's decoder checks them.
    mutating func skipValue() -> Bool {
      var depth = 0
      while index < bytes.count {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\""):
          index += 1
          while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
          }
          guard index < bytes.count else { return false }
          index += 1
        case UInt8(ascii: "{"), UInt8(ascii: "["):
          depth += 1
          index += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          if depth == 0 { return true }
          depth -= 1
          index += 1
        case UInt8(ascii: ","):
          if depth == 0 { return true }
          index += 1
        default:
          index += 1
        }
      }
      return depth == 0
    }
  }
}
