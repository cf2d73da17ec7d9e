#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Masks secret values in a job's output: stdout and stderr are masked as one stream, in the
/// order the bytes arrived (a terminal or an editor shows them together, so a secret split
/// between them must be caught too). Text is released line by line, or in large pieces for very
/// long lines; a secret is never cut at a release point: what could still be the start of one
/// stays pending until it can be decided.
public struct LogMasker: Sendable {
  public static let mask = "••••••"
  /// Longer runs without a newline are released anyway, keeping what could start a secret.
  static let maximumPendingBytes = 64 * 1024
  /// Shorter secrets cannot be masked without hiding the whole log: they are refused.
  public static let minimumSecretBytes = 4

  private let secrets: [[UInt8]]
  private let longest: Int
  /// Which bytes start some secret (the scan skips every other byte at once).
  private let startsSecret: [Bool]
  /// What arrived and is not released yet, and which stream each run of it came from.
  private var pending: [UInt8] = []
  private var runs: [(stream: StandardStream, count: Int)] = []

  /// `secrets`: the values to hide, each line of a multi-line value on its own (lines shorter
  /// than `minimumSecretBytes` are ignored; the runner refuses such secrets before it starts).
  public init(secrets: [String]) {
    let values = Set(secrets.flatMap { $0.split(separator: "\n").map(String.init) }).filter {
      $0.utf8.count >= Self.minimumSecretBytes
    }
    self.secrets = values.sorted { $0.utf8.count > $1.utf8.count }.map { Array($0.utf8) }
    longest = self.secrets.first?.count ?? 0
    var table = [Bool](repeating: false, count: 256)
    for secret in self.secrets { table[Int(secret[0])] = true }
    startsSecret = table
  }

  /// Masked text ready to show, in order, as (stream, bytes) pieces.
  public mutating func feed(_ stream: StandardStream, _ bytes: [UInt8]) -> [(StandardStream, [UInt8])] {
    guard !bytes.isEmpty else { return [] }
    pending += bytes
    if let last = runs.last, last.stream == stream {
      runs[runs.count - 1].count += bytes.count
    } else {
      runs.append((stream, bytes.count))
    }
    if let newline = bytes.lastIndex(of: 0x0A) {
      return release(upTo: pending.count - bytes.count + newline + 1, final: true)
    }
    if pending.count > Self.maximumPendingBytes {
      return release(upTo: pending.count, final: false)
    }
    return []
  }

  /// Whatever is left at the end of the streams.
  public mutating func flush() -> [(StandardStream, [UInt8])] {
    release(upTo: pending.count, final: true)
  }

  /// Masks `text` whole (messages, output values).
  public func masked(_ text: String) -> String {
    var copy = self
    copy.pending = Array(text.utf8)
    copy.runs = [(.stdout, copy.pending.count)]
    return copy.release(upTo: copy.pending.count, final: true).map { String(decoding: $0.1, as: UTF8.self) }
      .joined()
  }

  /// Masks and removes `pending[..<end]`. Unless `final`, a position from which a secret could
  /// still continue past what arrived is not released (nor anything after it). A mask goes to
  /// the stream the secret started on.
  private mutating func release(upTo end: Int, final: Bool) -> [(StandardStream, [UInt8])] {
    // The masked bytes, each run with the position in `pending` it starts at.
    var masked: [(start: Int, bytes: [UInt8], isMask: Bool)] = []
    var index = 0
    if secrets.isEmpty {
      index = end
      masked = [(0, Array(pending[..<end]), false)]
    } else {
      let mask = Array(Self.mask.utf8)
      let limit = final ? end : min(end, max(0, pending.count - longest + 1))
      pending.withUnsafeBufferPointer { buffer in
        var copied = 0
        scan: while index < limit {
          guard startsSecret[Int(buffer[index])] else {
            index += 1
            continue
          }
          for secret in secrets where index + secret.count <= buffer.count {
            if secret.withUnsafeBufferPointer({
              memcmp($0.baseAddress!, buffer.baseAddress! + index, secret.count) == 0
            }) {
              if copied < index { masked.append((copied, Array(buffer[copied..<index]), false)) }
              masked.append((index, mask, true))
              index += secret.count
              copied = index
              continue scan
            }
          }
          index += 1
        }
        if copied < index { masked.append((copied, Array(buffer[copied..<index]), false)) }
      }
    }
    // Attribute each run of masked bytes to its streams.
    var pieces: [(StandardStream, [UInt8])] = []
    func append(_ stream: StandardStream, _ bytes: ArraySlice<UInt8>) {
      guard !bytes.isEmpty else { return }
      if let last = pieces.last, last.0 == stream {
        pieces[pieces.count - 1].1 += bytes
      } else {
        pieces.append((stream, Array(bytes)))
      }
    }
    var runIndex = 0
    var runStart = 0
    func stream(at position: Int) -> (StandardStream, runEnd: Int) {
      while runIndex < runs.count - 1 && position >= runStart + runs[runIndex].count {
        runStart += runs[runIndex].count
        runIndex += 1
      }
      return (runs[runIndex].stream, runStart + runs[runIndex].count)
    }
    for (start, bytes, isMask) in masked {
      if isMask {
        append(stream(at: start).0, bytes[...])
        continue
      }
      var offset = 0
      while offset < bytes.count {
        let (current, runEnd) = stream(at: start + offset)
        let take = min(bytes.count - offset, runEnd - (start + offset))
        append(current, bytes[offset..<offset + take])
        offset += take
      }
    }
    // Drop what was released from the pending bytes and their runs.
    pending.removeSubrange(..<index)
    var remove = index
    while remove > 0, let first = runs.first {
      if first.count <= remove {
        remove -= first.count
        runs.removeFirst()
      } else {
        runs[0].count -= remove
        remove = 0
      }
    }
    return pieces
  }
}
