/// Masks secret values in a stream of output: text is released line by line (or in large
/// pieces for very long lines), so a secret split across two reads is still caught.
public struct LogMasker: Sendable {
  public static let mask = "••••••"
  /// Longer runs without a newline are released anyway, keeping what could start a secret.
  static let maximumPendingBytes = 64 * 1024

  private let secrets: [[UInt8]]
  private let longest: Int
  private var pending: [UInt8] = []

  /// `secrets`: the values to hide (empty values and single characters are ignored: masking them
  /// would hide the whole log and reveal nothing).
  public init(secrets: [String]) {
    let values = Set(secrets.flatMap { $0.split(separator: "\n").map(String.init) }).filter {
      $0.utf8.count > 1
    }
    self.secrets = values.sorted { $0.utf8.count > $1.utf8.count }.map { Array($0.utf8) }
    longest = self.secrets.first?.count ?? 0
  }

  /// Masked text ready to show: the complete lines of what arrived so far.
  public mutating func feed(_ bytes: [UInt8]) -> [UInt8] {
    pending += bytes
    if let newline = pending.lastIndex(of: 0x0A) {
      let ready = Array(pending[...newline])
      pending.removeSubrange(...newline)
      return masked(ready)
    }
    if pending.count > Self.maximumPendingBytes {
      let keep = max(0, longest - 1)
      let ready = Array(pending.dropLast(keep))
      pending = Array(pending.suffix(keep))
      return masked(ready)
    }
    return []
  }

  /// Whatever is left at the end of the stream.
  public mutating func flush() -> [UInt8] {
    defer { pending = [] }
    return masked(pending)
  }

  func masked(_ bytes: [UInt8]) -> [UInt8] {
    guard !secrets.isEmpty, !bytes.isEmpty else { return bytes }
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    var index = 0
    let mask = Array(Self.mask.utf8)
    outer: while index < bytes.count {
      for secret in secrets where secret.first == bytes[index] && index + secret.count <= bytes.count {
        if bytes[index..<index + secret.count].elementsEqual(secret) {
          result += mask
          index += secret.count
          continue outer
        }
      }
      result.append(bytes[index])
      index += 1
    }
    return result
  }
}
