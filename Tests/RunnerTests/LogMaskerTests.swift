import LifecycleRunner
import Testing

/// The masker on exact byte streams: release points, the two streams, multi-line secrets.
@Suite struct LogMaskerTests {
  /// Feeds `pieces` in order and returns what would be shown, as one text per stream change.
  func shown(_ secrets: [String], _ pieces: [(StandardStream, String)]) -> [String] {
    var masker = LogMasker(secrets: secrets)
    var out: [(StandardStream, [UInt8])] = []
    for (stream, text) in pieces { out += masker.feed(stream, Array(text.utf8)) }
    out += masker.flush()
    var merged: [(StandardStream, String)] = []
    for (stream, bytes) in out {
      if let last = merged.last, last.0 == stream {
        merged[merged.count - 1].1 += String(decoding: bytes, as: UTF8.self)
      } else {
        merged.append((stream, String(decoding: bytes, as: UTF8.self)))
      }
    }
    return merged.map { "\($0.0.rawValue):\($0.1)" }
  }

  @Test func aSecretAcrossTheReleasePointIsMasked() {
    let filler = String(repeating: "a", count: 64 * 1024 - 3)
    // The first piece alone passes the release size, with the secret's start at its end.
    #expect(
      shown(["s3cr3t-value"], [(.stdout, filler + "s3cr3t"), (.stdout, "-value and more\n")])
        == ["stdout:" + filler + "•••••• and more\n"])
  }

  @Test func aSecretSplitBetweenTheStreamsIsMasked() {
    #expect(
      shown(["abcdefghij"], [(.stdout, "token=abcd"), (.stderr, "efghij\n")]) == [
        "stdout:token=••••••", "stderr:\n",
      ])
  }

  @Test func eachLineOfAMultiLineSecretIsMasked() {
    #expect(
      shown(["-----BEGIN KEY-----\nMIIEvQIBADAN\n-----END KEY-----"], [(.stdout, "MIIEvQIBADAN\nok\n")])
        == ["stdout:••••••\nok\n"])
  }

  @Test func messagesAreMaskedWhole() {
    #expect(LogMasker(secrets: ["hunter22"]).masked("cannot parse `hunter22`") == "cannot parse `••••••`")
  }
}
