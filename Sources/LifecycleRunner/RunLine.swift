#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// One line of `lifecycle-job run --format jsonl`: the CLI writes it and the language server
/// reads it, through this one type, so the two cannot disagree on a key.
///
/// On the wire each line is a JSON object whose `event` member names the case:
/// `{"event":"log","stream":"stdout","text":"…"}`. `refused` comes alone (nothing ran);
/// otherwise `exit` is last.
public enum RunLine: Equatable, Sendable {
  /// The runner's own progress (engine, attempts), for a person.
  case note(message: String)
  /// Job output, secrets masked.
  case log(stream: StandardStream, text: String)
  /// An output variable the platform would create; `value` is nil when sensitive.
  case output(name: String, alias: String, sensitive: Bool, value: String?)
  case warning(code: String, message: String)
  /// The run did not start; `missingSecrets` names the secrets nobody gave a value.
  case refused(reason: String, missingSecrets: [String])
  case exit(status: Int32, timedOut: Bool, durationSeconds: Double, peakMemoryMegabytes: Int)

  /// The line for a runner event.
  public init(_ event: RunEvent) {
    switch event {
    case .note(let message): self = .note(message: message)
    case .log(let stream, let text): self = .log(stream: stream, text: text)
    case .output(let name, let alias, let sensitive, let value):
      self = .output(name: name, alias: alias, sensitive: sensitive, value: value)
    case .warning(let code, let message): self = .warning(code: code, message: message)
    case .exit(let status, let timedOut, let duration, let peak):
      // Milliseconds are all a person or an editor reads of a duration.
      self = .exit(
        status: status, timedOut: timedOut, durationSeconds: (duration * 1000).rounded() / 1000,
        peakMemoryMegabytes: peak)
    }
  }

  /// The line for a refusal.
  public init(_ refusal: RunRefusal) {
    if case .missingSecrets(let names) = refusal {
      self = .refused(reason: refusal.description, missingSecrets: names)
    } else {
      self = .refused(reason: refusal.description, missingSecrets: [])
    }
  }

  /// One line as `run --format jsonl` writes it; nil for anything else (noise, another version).
  public static func decode(_ line: some Collection<UInt8>) -> RunLine? {
    try? JSONDecoder().decode(RunLine.self, from: Data(line))
  }
}

extension StandardStream: Codable {}

extension RunLine: Codable {
  private enum Kind: String, Codable {
    case note, log, output, warning, refused, exit
  }

  private enum Key: String, CodingKey {
    case event, message, stream, text, name, alias, sensitive, value, code, reason, missingSecrets, status,
      timedOut, durationSeconds, peakMemoryMegabytes
  }

  public init(from decoder: any Decoder) throws {
    let line = try decoder.container(keyedBy: Key.self)
    switch try line.decode(Kind.self, forKey: .event) {
    case .note:
      self = .note(message: try line.decode(String.self, forKey: .message))
    case .log:
      self = .log(
        stream: try line.decode(StandardStream.self, forKey: .stream),
        text: try line.decode(String.self, forKey: .text))
    case .output:
      self = .output(
        name: try line.decode(String.self, forKey: .name),
        alias: try line.decode(String.self, forKey: .alias),
        sensitive: try line.decode(Bool.self, forKey: .sensitive),
        value: try line.decodeIfPresent(String.self, forKey: .value))
    case .warning:
      self = .warning(
        code: try line.decode(String.self, forKey: .code),
        message: try line.decode(String.self, forKey: .message))
    case .refused:
      self = .refused(
        reason: try line.decode(String.self, forKey: .reason),
        missingSecrets: try line.decodeIfPresent([String].self, forKey: .missingSecrets) ?? [])
    case .exit:
      self = .exit(
        status: try line.decode(Int32.self, forKey: .status),
        timedOut: try line.decode(Bool.self, forKey: .timedOut),
        durationSeconds: try line.decode(Double.self, forKey: .durationSeconds),
        peakMemoryMegabytes: try line.decode(Int.self, forKey: .peakMemoryMegabytes))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var line = encoder.container(keyedBy: Key.self)
    switch self {
    case .note(let message):
      try line.encode(Kind.note, forKey: .event)
      try line.encode(message, forKey: .message)
    case .log(let stream, let text):
      try line.encode(Kind.log, forKey: .event)
      try line.encode(stream, forKey: .stream)
      try line.encode(text, forKey: .text)
    case .output(let name, let alias, let sensitive, let value):
      try line.encode(Kind.output, forKey: .event)
      try line.encode(name, forKey: .name)
      try line.encode(alias, forKey: .alias)
      try line.encode(sensitive, forKey: .sensitive)
      try line.encodeIfPresent(value, forKey: .value)
    case .warning(let code, let message):
      try line.encode(Kind.warning, forKey: .event)
      try line.encode(code, forKey: .code)
      try line.encode(message, forKey: .message)
    case .refused(let reason, let missingSecrets):
      try line.encode(Kind.refused, forKey: .event)
      try line.encode(reason, forKey: .reason)
      try line.encode(missingSecrets, forKey: .missingSecrets)
    case .exit(let status, let timedOut, let durationSeconds, let peakMemoryMegabytes):
      try line.encode(Kind.exit, forKey: .event)
      try line.encode(status, forKey: .status)
      try line.encode(timedOut, forKey: .timedOut)
      try line.encode(durationSeconds, forKey: .durationSeconds)
      try line.encode(peakMemoryMegabytes, forKey: .peakMemoryMegabytes)
    }
  }
}
