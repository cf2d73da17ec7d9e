import Foundation
import LifecycleRunner
import Testing

/// `RunLine`, the one type of `run --format jsonl` on both sides: every case reads back as it was
/// written, a line of another shape is not a line, and runner events and refusals map whole.
@Suite struct RunLineTests {
  static let lines: [RunLine] = [
    .note(message: "engine: process"),
    .log(stream: .stderr, text: "Error: no credentials\n"),
    .output(name: "QOVERY_OUTPUT_JOB_Z1234ABCD_HOST", alias: "HOST", sensitive: false, value: "db"),
    .output(name: "QOVERY_OUTPUT_JOB_Z1234ABCD_PASSWORD", alias: "PASSWORD", sensitive: true, value: nil),
    .warning(code: "output-folder-rewritten", message: "rewritten"),
    .refused(reason: "no value for the secret `TOKEN`", missingSecrets: ["TOKEN"]),
    .exit(status: 3, timedOut: false, durationSeconds: 1.25, peakMemoryMegabytes: 12),
  ]

  @Test(arguments: lines) func readsBackAsWritten(_ line: RunLine) throws {
    #expect(RunLine.decode(try JSONEncoder().encode(line)) == line)
  }

  @Test func otherShapesAreNotLines() {
    #expect(RunLine.decode(Array(#"{"event":"log","stream":"stdin","text":"x"}"#.utf8)) == nil)
    #expect(RunLine.decode(Array(#"{"event":"unknown"}"#.utf8)) == nil)
    #expect(RunLine.decode(Array("lifecycle-job: error: something".utf8)) == nil)
  }

  @Test func eventsAndRefusalsMapWhole() {
    #expect(
      RunLine(RunEvent.exit(status: 0, timedOut: true, durationSeconds: 1.23456, peakMemoryMegabytes: 7))
        == .exit(status: 0, timedOut: true, durationSeconds: 1.235, peakMemoryMegabytes: 7))
    #expect(
      RunLine(RunRefusal.missingSecrets(["A", "B"]))
        == .refused(
          reason:
            "no value for the secrets `A`, `B`: give them with --env NAME=VALUE, --env-file FILE or in the environment; nothing was run",
          missingSecrets: ["A", "B"]))
    #expect(
      RunLine(RunRefusal.needsDocker("alpine"))
        == .refused(reason: RunRefusal.needsDocker("alpine").description, missingSecrets: []))
  }
}
