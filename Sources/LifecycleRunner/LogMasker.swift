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
  /// What arrived and is not released yet, each byte with its stream.
  private var pending: [UInt8] = []
  private var streams: [StandardStream] = []

  /// `secrets`: the values to hide, each line of a multi-line value on its own (lines shorter
  /// than `minimumSecretBytes` are ignored; the runner refuses such secrets before it starts).
  public init(secrets: [String]) {
    let values = Set(secrets.flatMap { $0.split(separator: "\n").map(String.init) }).filter {
      $0.utf8.count >= Self.minimumSecretBytes
    }
    self.secrets = values.sorted { $0.utf8.count > $1.utf8.count }.map { Array($0.utf8) }
    longest = self.secrets.first?.count ?? 0
  }

  /// Masked text ready to show, in order, as (stream, bytes) pieces.
  public mutating func feed(_ stream: StandardStream, _ bytes: [UInt8]) -> [(StandardStream, [UInt8])] {
    pending += bytes
    streams += repeatElement(stream, count: bytes.count)
    if let newline = pending.lastIndex(of: 0x0A) {
      return release(upTo: newline + 1, final: true)
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
    copy.streams = repeatElement(.stdout, count: copy.pending.count).map { $0 }
    return copy.release(upTo: copy.pending.count, final: true).map { String(decoding: $0.1, as: UTF8.self) }
      .joined()
  }

  /// Masks and removes `pending[..<end]`. Unless `final`, a position from which a secret could
  /// still continue past the end of what arrived is not released (nor anything after it).
  private mutating func release(upTo end: Int, final: Bool) -> [(StandardStream, [UInt8])] {
    var pieces: [(StandardStream, [UInt8])] = []
    func append(_ stream: StandardStream, _ bytes: some Sequence<UInt8>) {
      if let last = pieces.last, last.0 == stream {
        pieces[pieces.count - 1].1 += bytes
      } else {
        pieces.append((stream, Array(bytes)))
      }
    }
    let mask = Array(Self.mask.utf8)
    var index = 0
    scan: while index < end {
      // Not enough bytes yet to decide whether the longest secret starts here.
      if !final && pending.count - index < longest { break }
      for secret in secrets where secret.first == pending[index] && index + secret.count <= pending.count {
        if pending[index..<index + secret.count].elementsEqual(secret) {
          append(streams[index], mask)
          index += secret.count
          continue scan
        }
      }
      append(streams[index], CollectionOfOne(pending[index]))
      index += 1
    }
    pending.removeSubrange(..<index)
    streams.removeSubrange(..<index)
    return pieces
  }
}
