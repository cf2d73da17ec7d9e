import Foundation
import Testing

@Suite struct CheckCommandTests {
  @Test func textOutputFollowsCompilerConventions() throws {
    let folder = try CLI.temporaryFolder()
    try CLI.writeJob(
      "name: job\nevents:\n  start: [\"-c\", \"x\"]\ntiemout: 60\n",
      to: folder.appendingPathComponent("lifecycle-job.yaml"))
    let result = try CLI.run(["check", "lifecycle-job.yaml"], in: folder)
    #expect(
      result
        == CLIResult(
          status: 1,
          stdout: """
            lifecycle-job.yaml:4:1: error: unknown key `tiemout` in the job spec; did you mean `timeout`? [unknown-key]
              tiemout: 60
              ^~~~~~~

            """,
          stderr: "1 file checked: 1 error\n"))
  }

  @Test func longLinesAreShownAroundTheRangeAndControlCharactersAsPictures() throws {
    let folder = try CLI.temporaryFolder()
    // Minified JSON: the excerpt is a window around the key, cut with `…` at both ends.
    let padding = String(repeating: "x", count: 300)
    let tail = String(repeating: "y", count: 200)
    try CLI.writeJob(
      "{\"name\": \"job\", \"events\": {\"start\": [\"-c\", \"x\"]}, \"environment\": {\"A\": \"\(padding)\"}, "
        + "\"tiemout\": 3, \"secrets\": [\"\(tail)\"]}\n",
      to: folder.appendingPathComponent("lifecycle-job.json"))
    let long = try CLI.run(["check", "lifecycle-job.json"], in: folder)
    let window =
      "…" + String(repeating: "x", count: 35) + "\"}, \"tiemout\": 3, \"secrets\": [\""
      + String(repeating: "y", count: 92) + "…"
    #expect(
      long.stdout == """
        lifecycle-job.json:1:377: error: unknown key `tiemout` in the job spec; did you mean `timeout`? [unknown-key]
          \(window)
          \(String(repeating: " ", count: 40))^~~~~~~~~

        """)
    #expect(window.count == 160)
    // An escape sequence in the file does not reach the terminal: ESC is shown as ␛, one column.
    try CLI.write(
      "name: job\nevents:\n  start: [\"-c\", \"echo \u{1B}[2J\"]\n",
      to: folder.appendingPathComponent("lifecycle-job.json"))
    try FileManager.default.moveItem(
      at: folder.appendingPathComponent("lifecycle-job.json"),
      to: folder.appendingPathComponent("lifecycle-job.yaml"))
    let control = try CLI.run(["check", "lifecycle-job.yaml"], in: folder)
    #expect(
      control.stdout == """
        lifecycle-job.yaml:3:23: error: control characters are not allowed [yaml-syntax]
            start: ["-c", "echo ␛[2J"]
                                ^

        """)
    #expect(!control.stdout.unicodeScalars.contains("\u{1B}"))
  }

  @Test func jsonOutputIsOneObjectWithLSPRanges() throws {
    let folder = try CLI.temporaryFolder()
    // A tab and an emoji before the error: the character is counted in UTF-16 units.
    try CLI.writeJob(
      "name: job\nevents:\n\tstart: [\"😀\", 1]\n", to: folder.appendingPathComponent("lifecycle-job.yaml"))
    let result = try CLI.run(["check", "--format", "json"], in: folder)
    #expect(result.status == 1)
    #expect(
      result.stdout
        == """
        {"diagnostics":[{"path":"lifecycle-job.yaml","range":{"start":{"line":2,"character":0},"end":{"line":2,"character":1}},"severity":"error","code":"yaml-syntax","message":"a tab cannot indent YAML or start a value here; use spaces (found character that cannot start any token)"}]}

        """)
    try CLI.write(
      "name: job\nevents:\n  start: [\"😀\", 1]\n", to: folder.appendingPathComponent("lifecycle-job.yaml"))
    let second = try CLI.run(["check", "--format", "json", "."], in: folder)
    let object = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any]
    let diagnostic = (object?["diagnostics"] as? [[String: Any]])?.first
    #expect(diagnostic?["code"] as? String == "command-element-not-string")
    #expect(diagnostic?["path"] as? String == "lifecycle-job.yaml")
    let range = diagnostic?["range"] as? [String: [String: Int]]
    #expect(range?["start"] == ["line": 2, "character": 16])
    #expect(range?["end"] == ["line": 2, "character": 17])
  }

  @Test func sarifOutputIsValidSARIF() throws {
    let result = try CLI.run(["check", "--format", "sarif", "Tests/Fixtures/demo"])
    #expect(result.status == 1)
    let log = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(log?["version"] as? String == "2.1.0")
    let run = (log?["runs"] as? [[String: Any]])?.first
    let results = run?["results"] as? [[String: Any]] ?? []
    #expect(results.count == 10)
    let first = results.first
    #expect(first?["ruleId"] as? String == "undefined-variable")
    #expect(first?["level"] as? String == "warning")
    let location = (first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
    #expect(
      (location?["artifactLocation"] as? [String: Any])?["uri"] as? String == "Tests/Fixtures/demo/Dockerfile"
    )
    #expect(
      (location?["region"] as? [String: Int]) == [
        "startLine": 6, "startColumn": 46, "endLine": 6, "endColumn": 63,
      ])
  }

  @Test func exitStatusIsZeroWhenOnlyWarnings() throws {
    let folder = try CLI.temporaryFolder()
    try CLI.writeJob(
      "name: job\nevents:\n  start: [\"-c\", \"x\"]\ntimeout: 7200\n",
      to: folder.appendingPathComponent("lifecycle-job.yaml"))
    let result = try CLI.run(["check"], in: folder)
    #expect(result.status == 0)
    #expect(
      result.stdout.hasPrefix("lifecycle-job.yaml:4:10: warning: a timeout of 7200 seconds is over an hour"))
    let off = try CLI.run(["check", "--severity", "timeout-too-long=off"], in: folder)
    #expect(off == CLIResult(status: 0, stdout: "", stderr: "2 files checked, no problems found\n"))
  }

  @Test func foldersAreSearchedRecursivelySkippingBuildFolders() throws {
    let folder = try CLI.temporaryFolder()
    let bad = "name: job\nevents:\n  start: oops\n"
    try CLI.write(
      bad + "source:\n  image: alpine\n", to: folder.appendingPathComponent("jobs/a/lifecycle-job.yaml"))
    try CLI.write(
      bad + "source:\n  image: alpine\n", to: folder.appendingPathComponent("jobs/b/db.lifecycle-job.yml"))
    try CLI.write("{\"a-b\": {}}", to: folder.appendingPathComponent("out/qovery-output.json"))
    for skipped in [".git", ".build", "node_modules", ".terraform"] {
      try CLI.write(bad, to: folder.appendingPathComponent("\(skipped)/lifecycle-job.yaml"))
    }
    let result = try CLI.run(["check", "--format", "json"], in: folder)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let paths = (object?["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
    #expect(paths == ["jobs/a/lifecycle-job.yaml", "jobs/b/db.lifecycle-job.yml", "out/qovery-output.json"])
    #expect(result.status == 1)
  }

  @Test func badInputGivesOneClearLineAndStatusTwo() throws {
    let folder = try CLI.temporaryFolder()
    try Data([0x6E, 0x61, 0x00, 0x01]).write(to: folder.appendingPathComponent("lifecycle-job.yaml"))
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("empty"), withIntermediateDirectories: true)
    let cases: [([String], String)] = [
      (["check", "missing.yaml"], "lifecycle-job: error: missing.yaml: no such file or directory\n"),
      (
        ["check", "empty"],
        "lifecycle-job: error: empty: no job spec (lifecycle-job.yaml), Dockerfile or qovery-output.json found in this folder\n"
      ),
      (
        ["check", "lifecycle-job.yaml"],
        "lifecycle-job: error: lifecycle-job.yaml: binary file, not checked\n"
      ),
    ]
    for (arguments, stderr) in cases {
      let result = try CLI.run(arguments, in: folder)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr == stderr, "\(arguments)")
    }
    let usage = try CLI.run(["check", "--format", "xml"], in: folder)
    #expect(usage.status == 2)
    #expect(usage.stderr.hasPrefix("Error: The value 'xml' is invalid for '--format <format>'"))
  }

  @Test func colourOnlyWhenAskedByATerminal() throws {
    // Not a terminal here: no escape codes, with or without NO_COLOR.
    let result = try CLI.run(["check", "Tests/Fixtures/demo"], environment: ["NO_COLOR": "1"])
    #expect(!result.stdout.contains("\u{1B}["))
  }
}
