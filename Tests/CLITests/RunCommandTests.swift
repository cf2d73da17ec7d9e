import Foundation
import TestSupport
import Testing

/// `lifecycle-job run` on real jobs: shell scripts in temporary folders, run by the real binary.
@Suite struct RunCommandTests {
  /// A repository with one job (spec + Dockerfile with `ENTRYPOINT ["/bin/sh"]`).
  static func job(_ spec: String, files: [String: String] = [:]) throws -> URL {
    let repository = try CLI.temporaryFolder()
    try FileManager.default.createDirectory(
      at: repository.appendingPathComponent(".git"), withIntermediateDirectories: true)
    let job = repository.appendingPathComponent("job")
    try FileManager.default.createDirectory(at: job, withIntermediateDirectories: true)
    try spec.write(to: job.appendingPathComponent("lifecycle-job.yaml"), atomically: true, encoding: .utf8)
    try "FROM alpine:3.20\nENTRYPOINT [\"/bin/sh\"]\n".write(
      to: job.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
    for (name, contents) in files {
      try contents.write(to: job.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return job
  }

  static func run(_ arguments: [String], in job: URL, environment: [String: String] = [:]) throws -> CLIResult
  {
    try CLI.run(
      ["run"] + arguments + ["--engine", "process", "--grace-seconds", "1"], in: job, environment: environment
    )
  }

  /// Where mount namespaces are not available the process engine warns that it rewrites
  /// `/qovery-output`; the jobs here name it in their command, so they work either way.
  static let fallbackWarning = "output-folder-rewritten"

  /// The JSON lines of a jsonl run, decoded.
  static func events(_ output: String) -> [[String: Any]] {
    output.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }

  /// The process whose pid `pidFile` holds no longer exists (not even as a zombie).
  static func expectGone(pidFile: URL) throws {
    let pid = try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(kill(pid_t(pid)!, 0) != 0, "the process \(pid) is still there")
  }

  @Test func outputsFollowThePlatformRules() throws {
    let terraformOutput = """
      {"db_host": {"sensitive": false, "type": "string", "value": "db.local"},
       "tags": {"sensitive": false, "type": ["map", "string"], "value": {"team": "data"}},
       "password": {"sensitive": true, "type": "string", "value": "hunter22"},
       "plain": "skipped",
       "missing": {"sensitive": false}}
      """
    let job = try Self.job(
      """
      name: outputs
      events:
        start: ["-c", "cat outputs.json > /qovery-output/qovery-output.json"]
      """, files: ["outputs.json": terraformOutput])
    let result = try Self.run(["start", "--format", "jsonl"], in: job)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init).filter {
      !$0.contains(Self.fallbackWarning)
    }
    let short = String(lines.first { $0.contains("DB_HOST") }?.split(separator: "_")[3] ?? "")
    #expect(short.hasPrefix("Z") && short.count == 9, "\(lines)")
    // The runner's note first (the job id varies), the exit last (its duration varies).
    #expect(
      lines.first!.hasPrefix(
        "{\"event\":\"note\",\"message\":\"engine: process, environment `local`, job id "))
    #expect(
      lines == [lines.first!] + [
        "{\"event\":\"warning\",\"code\":\"output-entry-not-object\",\"message\":\"qovery-output.json: the entry `plain` is a string, not an object `{\\\"value\\\": ...}`: the platform silently skips it\"}",
        "{\"event\":\"output\",\"name\":\"QOVERY_OUTPUT_JOB_\(short)_DB_HOST\",\"alias\":\"DB_HOST\",\"sensitive\":false,\"value\":\"db.local\"}",
        "{\"event\":\"output\",\"name\":\"QOVERY_OUTPUT_JOB_\(short)_TAGS\",\"alias\":\"TAGS\",\"sensitive\":false,\"value\":\"{\\\"team\\\":\\\"data\\\"}\"}",
        "{\"event\":\"output\",\"name\":\"QOVERY_OUTPUT_JOB_\(short)_PASSWORD\",\"alias\":\"PASSWORD\",\"sensitive\":true}",
        "{\"event\":\"output\",\"name\":\"QOVERY_OUTPUT_JOB_\(short)_MISSING\",\"alias\":\"MISSING\",\"sensitive\":false,\"value\":\"null\"}",
      ] + [lines.last!], "\(lines)")
    #expect(lines.last!.hasPrefix("{\"event\":\"exit\",\"status\":0,\"timedOut\":false,\"durationSeconds\":"))
    // Recorded for later runs: a second job sees the first one's outputs, full name and alias.
    let state = try String(
      contentsOf: job.deletingLastPathComponent().appendingPathComponent(".lifecycle-job/local.json"),
      encoding: .utf8)
    #expect(state.contains("\"DB_HOST\"") && state.contains("hunter22"))
    let ignore = try String(
      contentsOf: job.deletingLastPathComponent().appendingPathComponent(".lifecycle-job/.gitignore"),
      encoding: .utf8)
    #expect(ignore.hasSuffix("*\n"))
  }

  @Test func anInvalidKeyRejectsTheWholeFile() throws {
    let job = try Self.job(
      """
      name: bad-key
      events:
        start: ["-c", "echo '{\\"db-host\\": {\\"value\\": \\"x\\"}, \\"ok\\": {\\"value\\": \\"y\\"}}' > /qovery-output/qovery-output.json"]
      """)
    let result = try Self.run(["start", "--format", "jsonl"], in: job)
    let events = Self.events(result.stdout).filter { ($0["code"] as? String) != Self.fallbackWarning }
    #expect(
      events.compactMap { $0["event"] as? String } == ["note", "warning", "exit"],
      "\(result.stdout)\(result.stderr)")
    #expect((events[1]["code"] as? String) == "output-invalid-key")
  }

  @Test func aMissingSecretStopsTheRunBeforeAnythingExecutes() throws {
    let job = try Self.job(
      """
      name: secret
      events:
        start: ["-c", "touch ran"]
      secrets: [TF_VAR_token]
      """)
    let result = try Self.run(["start"], in: job)
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "lifecycle-job: error: no value for the secret `TF_VAR_token`: give it with --env NAME=VALUE, --env-file FILE or in the environment; nothing was run\n"
    )
    #expect(!FileManager.default.fileExists(atPath: job.appendingPathComponent("ran").path))
    // In JSON lines, the refusal is the only line, with the secrets it lacks.
    let jsonl = try Self.run(["start", "--format", "jsonl"], in: job)
    #expect(jsonl.status == 2)
    #expect(
      jsonl.stdout
        == "{\"event\":\"refused\",\"reason\":\"no value for the secret `TF_VAR_token`: give it with --env NAME=VALUE, --env-file FILE or in the environment; nothing was run\",\"missingSecrets\":[\"TF_VAR_token\"]}\n"
    )
  }

  @Test func aBadEnvFileLineIsNamedByNumberNeverShown() throws {
    let job = try Self.job(
      "name: secret\nevents:\n  start: [\"-c\", \"touch ran\"]\nsecrets: [TF_VAR_token]\n")
    let envFile = job.appendingPathComponent("secrets.env")
    try "# local secrets\nTF_VAR_token hunter22\n".write(to: envFile, atomically: true, encoding: .utf8)
    let result = try Self.run(["start", "--env-file", envFile.path], in: job)
    #expect(result.status == 2)
    #expect(
      result.stderr.hasPrefix("Error: --env-file \(envFile.path):2: expected NAME=VALUE\n"),
      "\(result.stderr)")
    #expect(!result.stderr.contains("hunter22"))
  }

  @Test func secretsAreMaskedInTheLogEvenWhenSplitAcrossWrites() throws {
    let job = try Self.job(
      """
      name: masking
      events:
        start: ["-c", "printf 'token=%s' \\"$(printf $TF_VAR_token | cut -c1-5)\\"; sleep 0.2; printf '%s\\\\n' \\"$(printf $TF_VAR_token | cut -c6-)\\"; echo $TF_VAR_token >&2"]
      secrets: [TF_VAR_token]
      """)
    let envFile = job.appendingPathComponent("secrets.env")
    try "# local secrets\nexport TF_VAR_token='abcdefghij'\n".write(
      to: envFile, atomically: true, encoding: .utf8)
    let result = try Self.run(["start", "--env-file", envFile.path], in: job)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "token=••••••\n")
    #expect(!result.stderr.contains("abcdefghij") && result.stderr.contains("••••••\n"), "\(result.stderr)")
  }

  @Test func theTimeoutStopsTheWholeProcessTree() throws {
    let job = try Self.job(
      """
      name: slow
      events:
        start: ["-c", "sleep 300 & echo $! > grandchild.pid; sleep 300"]
      timeout: 1
      """)
    let result = try Self.run(["start", "--format", "jsonl"], in: job)
    #expect(result.status == 124)
    let last = Self.events(result.stdout).last
    #expect((last?["timedOut"] as? Bool) == true && (last?["status"] as? Int) == 124)
    try Self.expectGone(pidFile: job.appendingPathComponent("grandchild.pid"))
  }

  @Test func restartsRetryAFailingJob() throws {
    let job = try Self.job(
      """
      name: flaky
      events:
        start: ["-c", "echo x >> attempts; [ $(wc -l < attempts) -ge 3 ]"]
      restarts: 2
      """)
    let result = try Self.run(["start"], in: job)
    #expect(result.status == 0, "\(result.stderr)")
    let attempts = try String(contentsOf: job.appendingPathComponent("attempts"), encoding: .utf8)
    #expect(attempts == "x\nx\nx\n")
    #expect(result.stderr.contains("lifecycle-job: attempt 3 of 3"))
  }

  @Test func ctrlCStopsTheJobAndItsChildren() throws {
    let job = try Self.job(
      """
      name: interrupted
      events:
        start: ["-c", "sleep 300 & echo $! > grandchild.pid; touch started; sleep 300"]
      """)
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = ["run", "start", "--engine", "process", "--grace-seconds", "1"]
    process.currentDirectoryURL = job
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let started = job.appendingPathComponent("started")
    for _ in 0..<200 where !FileManager.default.fileExists(atPath: started.path) { usleep(25_000) }
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    #expect(process.terminationStatus == 130)
    try Self.expectGone(pidFile: job.appendingPathComponent("grandchild.pid"))
  }

  @Test func environmentsAreIsolated() throws {
    let job = try Self.job(
      """
      name: isolated
      events:
        start: ["-c", "test ! -e /qovery-output/qovery-output.json && echo $QOVERY_ENVIRONMENT_ID $QOVERY_JOB_ID && echo '{\\"env\\": {\\"value\\": \\"'$QOVERY_ENVIRONMENT_NAME'\\"}}' > /qovery-output/qovery-output.json"]
      """)
    let staging = try Self.run(["start", "--environment", "staging"], in: job)
    let staging2 = try Self.run(["start", "--environment", "staging"], in: job)
    let preview = try Self.run(["start", "--environment", "preview"], in: job)
    #expect(
      staging.status == 0 && staging2.status == 0 && preview.status == 0, "\(staging.stderr)\(preview.stderr)"
    )
    #expect(staging.stdout == staging2.stdout, "ids are stable across runs")
    let stagingIDs = staging.stdout.split(separator: " ")
    let previewIDs = preview.stdout.split(separator: " ")
    #expect(stagingIDs.count == 2 && previewIDs.count == 2)
    #expect(stagingIDs[0] != previewIDs[0] && stagingIDs[1] != previewIDs[1])
    let folder = job.deletingLastPathComponent().appendingPathComponent(".lifecycle-job")
    let staged = try String(contentsOf: folder.appendingPathComponent("staging.json"), encoding: .utf8)
    let previewed = try String(contentsOf: folder.appendingPathComponent("preview.json"), encoding: .utf8)
    #expect(staged.contains("\"staging\"") && !staged.contains("\"preview\""))
    #expect(previewed.contains("\"preview\"") && !previewed.contains("\"staging\""))
  }

  @Test func theTutorialScenarioWithAStandInTerraform() throws {
    let job = try Self.job(
      """
      name: mysql-rds
      type: terraform
      events:
        start: ["-c", "terraform init && terraform apply -no-color -auto-approve && terraform output -json > /qovery-output/qovery-output.json"]
        delete: ["-c", "terraform init && terraform destroy -no-color -auto-approve"]
      environment:
        TF_VAR_region: us-east-2
      aliases:
        TF_VAR_qovery_environment_id: QOVERY_ENVIRONMENT_ID
      """)
    let bin = job.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let terraform = bin.appendingPathComponent("terraform")
    try """
    #!/bin/sh
    # A stand-in for terraform: state in a file named after the environment id.
    state="state-$TF_VAR_qovery_environment_id"
    case "$1" in
      init) echo "Initializing..." ;;
      apply) echo "created in $TF_VAR_region" > "$state"; echo "Apply complete!" ;;
      output) echo '{"db_host": {"sensitive": false, "type": "string", "value": "mysql.local"}, "db_password": {"sensitive": true, "type": "string", "value": "pw-1234"}}' ;;
      destroy) rm "$state" && echo "Destroy complete!" ;;
    esac
    """.write(to: terraform, atomically: true, encoding: .utf8)
    chmod(terraform.path, 0o755)
    let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    let start = try Self.run(["start", "--format", "jsonl"], in: job, environment: ["PATH": path])
    #expect(start.status == 0, "\(start.stdout)\(start.stderr)")
    let outputs = Self.events(start.stdout).filter { ($0["event"] as? String) == "output" }
    #expect(outputs.compactMap { $0["alias"] as? String } == ["DB_HOST", "DB_PASSWORD"])
    #expect((outputs.first?["name"] as? String)?.hasPrefix("QOVERY_OUTPUT_JOB_Z") == true)
    #expect(outputs.first?["value"] as? String == "mysql.local" && outputs.last?["value"] == nil)
    let states = try FileManager.default.contentsOfDirectory(atPath: job.path).filter {
      $0.hasPrefix("state-")
    }
    #expect(states.count == 1)
    let delete = try Self.run(["delete"], in: job, environment: ["PATH": path])
    #expect(delete.status == 0, "\(delete.stderr)")
    #expect(delete.stdout == "Initializing...\nDestroy complete!\n")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: job.path).filter { $0.hasPrefix("state-") }.isEmpty)
    // An event the spec does not configure is a successful no-op.
    let stop = try Self.run(["stop", "--format", "jsonl"], in: job, environment: ["PATH": path])
    #expect(
      stop.status == 0 && Self.events(stop.stdout).compactMap { $0["event"] as? String } == ["note", "exit"],
      "\(stop.stdout)")
  }

  @Test func aSpecWithErrorsIsRefused() throws {
    let job = try Self.job("name: broken\nevents:\n  start: terraform apply\n")
    let result = try Self.run(["start"], in: job)
    #expect(result.status == 2)
    #expect(result.stderr.contains("has 1 error: fix it first (`lifecycle-job check`)"), "\(result.stderr)")
  }

  @Test func peakMemoryIsMeasuredAndWarnedAboveTheDeclaredMemory() throws {
    let job = try Self.job(
      """
      name: hungry
      events:
        start: ["-c", "x=$(head -c 40000000 /dev/zero | tr '\\\\0' a); sleep 0.3; echo ${#x}"]
      resources:
        memory: 32Mi
      """)
    let result = try Self.run(["start", "--format", "jsonl"], in: job)
    let events = Self.events(result.stdout).filter { ($0["code"] as? String) != Self.fallbackWarning }
    #expect((events.first { $0["text"] != nil }?["text"] as? String) == "40000000\n", "\(result.stdout)")
    let warning = events.first { ($0["code"] as? String) == "memory-above-declared" }
    #expect(
      (warning?["message"] as? String)?.hasSuffix(
        "above its declared 32 MB: on the platform it would be killed") == true)
    let peak = events.last?["peakMemoryMegabytes"] as? Int ?? 0
    #expect(peak >= 40, "\(result.stdout)")

    let small = try Self.job(
      "name: small\nevents:\n  start: [\"-c\", \"echo hi\"]\nresources:\n  memory: 32Mi\n")
    let quiet = try Self.run(["start", "--format", "jsonl"], in: small)
    #expect(!quiet.stdout.contains("memory-above-declared"), "\(quiet.stdout)")
  }
}
