import LifecycleAnalysis
import LifecycleSyntax
import Testing

/// Since BuildKit v0.15 (dockerfile 1.9) text after a JSON array makes the instruction shell
/// form: `CMD ["npm", "start"] # comment` runs `/bin/sh -c '["npm", "start"] # comment'`.
@Suite struct ShellFormAfterJSONTests {
  @Test func theDockerfileSaysTheArrayIsNotRead() {
    expectDiagnostics(
      "FROM node\nCMD [\"npm\", \"start\"] ⟦#⟧{exec-form-invalid-json} start the app\n", kind: .dockerfile)
    #expect(
      messages("FROM node\nCMD [\"npm\", \"start\"] # start the app\n", kind: .dockerfile) == [
        "exec-form-invalid-json: the CMD arguments look like a JSON array but are not valid JSON (unexpected `#` after the end of the JSON value): Docker silently runs the whole text as a shell command"
      ])
  }

  /// A shell-form ENTRYPOINT drops the event's arguments: a comment after the array is enough.
  @Test func aJobSeesTheArgumentsDropped() {
    let (text, expected) = Markers.parse(
      "name: a\nevents:\n  start: ⟦[\"-c\", \"terraform apply -auto-approve\"]⟧{arguments-ignored}\n")
    let context = JobContext(
      root: .found(path: "job", contents: []),
      dockerfile: .found(
        path: "job/Dockerfile", contents: SourceText("FROM alpine\nENTRYPOINT [\"/bin/sh\"] # a shell\n")),
      terraformFiles: [:])
    let diagnostics = Analyzer.analyze(SourceText(text), kind: .spec(isJSON: false), context: context)
      .diagnostics
    #expect(Markers.render(text, diagnostics.map { ($0.range, $0.code) }) == Markers.render(text, expected))
  }
}
