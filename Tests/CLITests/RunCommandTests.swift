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
      ["run"] + arguments + ["--engine", "process", "--grace-seconds", "1", "--no-backoff"], in: job,
      environment: environment
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
      result.stderr.hasPrefix(
        "Error: --env-file \(envFile.path):2: expected NAME=VALUE with NAME made of letters, digits and `_`\n"),
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
    let process = try Self.start(job, marker: "started", arguments: ["--engine", "process"])
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

  /// Starts the runner on `job` in the background; its process, once `marker` exists.
  static func start(_ job: URL, marker: String, arguments: [String] = [], environment: [String: String] = [:])
    throws -> Process
  {
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = ["run", "start", "--grace-seconds", "2", "--no-backoff"] + arguments
    process.currentDirectoryURL = job
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let started = job.appendingPathComponent(marker)
    for _ in 0..<400 where !FileManager.default.fileExists(atPath: started.path) { usleep(25_000) }
    return process
  }

  /// Waits up to `seconds` for the process in `pidFile` to be gone; true when it is.
  static func gone(pidFile: URL, within seconds: Double) throws -> Bool {
    let text = try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(
      in: .whitespacesAndNewlines)
    guard let pid = pid_t(text) else {
      Issue.record("\(pidFile.lastPathComponent) holds no pid: `\(text)`")
      return false
    }
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
      if kill(pid, 0) != 0 { return true }
      usleep(50_000)
    }
    return kill(pid, 0) != 0
  }

  @Test func aKilledRunnerTakesTheJobTreeAndItsFolderWithIt() throws {
    let job = try Self.job(
      """
      name: orphaned
      events:
        start: ["-c", "sleep 300 & echo $! > grandchild.pid; echo $$$$ > job.pid; touch started; sleep 300"]
      """)
    let temporary = try CLI.temporaryFolder()
    let process = try Self.start(
      job, marker: "started", arguments: ["--engine", "process"], environment: ["TMPDIR": temporary.path])
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(try Self.gone(pidFile: job.appendingPathComponent("job.pid"), within: 5))
    #expect(try Self.gone(pidFile: job.appendingPathComponent("grandchild.pid"), within: 5))
    // The watchdog removed the run's private folder too.
    for _ in 0..<100 where try !FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty {
      usleep(50_000)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path) == [])
  }

  @Test(arguments: [(SIGTERM, "TERM"), (SIGHUP, "HUP"), (SIGINT, "INT")])
  func aSignalReachesTheJobAsItWasSent(_ signal: Int32, _ name: String) throws {
    let job = try Self.job(
      """
      name: signalled
      events:
        start: ["-c", "trap 'echo TERM > signal; exit 0' TERM; trap 'echo HUP > signal; exit 0' HUP; trap 'echo INT > signal; exit 0' INT; touch started; while :; do sleep 0.1; done"]
      """)
    let process = try Self.start(job, marker: "started", arguments: ["--engine", "process"])
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    #expect(process.terminationStatus == 128 + signal)
    #expect(try String(contentsOf: job.appendingPathComponent("signal"), encoding: .utf8) == name + "\n")
  }

  @Test func anEscapedDaemonHoldingTheOutputDoesNotHoldTheRun() throws {
    let job = try Self.job(
      """
      name: daemon
      events:
        start: ["-c", "setsid sh -c 'echo $$$$ > daemon.pid; exec sleep 60' & sleep 0.5; echo done"]
      """)
    let started = Date()
    let result = try Self.run(["start"], in: job)
    #expect(result.status == 0 && result.stdout == "done\n", "\(result.stderr)")
    // The job's exit plus the grace period (1 s here), not the daemon's 60 s.
    #expect(Date().timeIntervalSince(started) < 10)
    // As root the job runs in a cgroup of its own, which contains what leaves the group.
    if getuid() == 0 {
      #expect(try Self.gone(pidFile: job.appendingPathComponent("daemon.pid"), within: 3))
    }
  }

  @Test func anEngineThatNeverAnswersHoldsNothing() throws {
    // A socket that listens and never answers, as DOCKER_HOST.
    let folder = try CLI.temporaryFolder()
    let socketPath = folder.appendingPathComponent("docker.sock").path
    let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(listener) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { buffer in
      for (index, byte) in socketPath.utf8.enumerated() { buffer[index] = byte }
    }
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    #expect(bound == 0 && listen(listener, 16) == 0)
    let job = try Self.job("name: probe\nevents:\n  start: [\"-c\", \"echo ran\"]\n")
    // The probe gives up after its timeout: the next engine is tried.
    let started = Date()
    let result = try CLI.run(
      ["run", "start", "--engine", "auto", "--engine-timeout-seconds", "1", "--no-backoff"], in: job,
      environment: ["DOCKER_HOST": "unix://" + socketPath])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(Date().timeIntervalSince(started) < 30)
    #expect(!result.stderr.contains("engine: docker"), "\(result.stderr)")
    // Ctrl-C during the probe ends the run at once.
    let waiting = Process()
    waiting.executableURL = CLI.binary
    waiting.arguments = ["run", "start", "--engine", "auto", "--engine-timeout-seconds", "600"]
    waiting.currentDirectoryURL = job
    waiting.environment = ProcessInfo.processInfo.environment.merging(["DOCKER_HOST": "unix://" + socketPath])
    {
      $1
    }
    let errors = Pipe()
    waiting.standardError = errors
    waiting.standardOutput = FileHandle.nullDevice
    try waiting.run()
    usleep(1_500_000)
    let interrupted = Date()
    kill(waiting.processIdentifier, SIGINT)
    waiting.waitUntilExit()
    #expect(Date().timeIntervalSince(interrupted) < 5)
    #expect(waiting.terminationStatus == 2)
    #expect(
      String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        == "lifecycle-job: error: interrupted before the job started: nothing was run\n")
  }

  /// The outputs a jsonl run printed, as `ALIAS=value` (`ALIAS=(sensitive)` for secrets).
  static func outputs(_ stdout: String) -> [String] {
    events(stdout).filter { ($0["event"] as? String) == "output" }.map {
      "\($0["alias"] as? String ?? "")=\($0["value"] as? String ?? "(sensitive)")"
    }
  }

  static func warningCodes(_ stdout: String) -> [String] {
    events(stdout).filter { ($0["event"] as? String) == "warning" }.compactMap { $0["code"] as? String }
      .filter { $0 != fallbackWarning }
  }

  @Test func anotherUserCanNeitherPlantOutputsNorRedirectAWrite() throws {
    guard
      ExternalTools.shouldRun(
        "test \"$(id -u)\" = 0 && command -v useradd && command -v setpriv",
        missing: "the two-user test needs root, useradd and setpriv")
    else { return }
    #expect(try ExternalTools.shell("id lj-other || useradd --system --no-create-home lj-other").status == 0)
    // A shared temporary folder, as /tmp is.
    let shared = try CLI.temporaryFolder()
    chmod(shared.path, 0o1777)
    let victim = shared.appendingPathComponent("victim")
    try "root only\n".write(to: victim, atomically: true, encoding: .utf8)
    chmod(victim.path, 0o600)
    let job = try Self.job(
      """
      name: private
      events:
        start: ["-c", "touch started; sleep 2; echo '{\\"mine\\": {\\"value\\": \\"job\\"}}' > /qovery-output/qovery-output.json"]
      """)
    let process = try Self.start(
      job, marker: "started", arguments: ["--engine", "process"], environment: ["TMPDIR": shared.path])
    // While the job runs, the other user looks for its output folder to plant a file or a link.
    let attack = try ExternalTools.shell(
      """
      setpriv --reuid lj-other --regid lj-other --clear-groups sh -c '
        found=0
        for d in "$0"/lifecycle-job-*; do
          found=1
          ls "$d" >/dev/null 2>&1 && echo "listed $d"
          ln -s "$1" "$d/output/qovery-output.json" 2>/dev/null && echo "linked in $d"
          echo "{\\"planted\\": {\\"value\\": \\"x\\"}}" 2>/dev/null > "$d/output/qovery-output.json" && echo "planted in $d"
        done
        echo "found $found"' \(shared.path) \(victim.path)
      """)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    // It saw the folder (the name is public) and could do nothing with it.
    #expect(attack.output == "found 1\n", "\(attack.output)")
    #expect(try String(contentsOf: victim, encoding: .utf8) == "root only\n")
    let state = try String(
      contentsOf: job.deletingLastPathComponent().appendingPathComponent(".lifecycle-job/local.json"),
      encoding: .utf8)
    #expect(state.contains("\"MINE\"") && !state.contains("PLANTED"), "\(state)")
    // And the run's folder is gone.
    #expect(try FileManager.default.contentsOfDirectory(atPath: shared.path) == ["victim"])
  }

  @Test func theOutputFileIsNeverFollowedAndIsCapped() throws {
    let job = try Self.job(
      """
      name: linked
      events:
        start: ["-c", "ln -s \\"$PWD/host.json\\" /qovery-output/qovery-output.json"]
        stop: ["-c", "head -c 2000000 /dev/zero | tr '\\\\0' ' ' > /qovery-output/qovery-output.json"]
      """, files: ["host.json": #"{"token": {"value": "from-the-host"}}"#])
    let linked = try Self.run(["start", "--format", "jsonl"], in: job)
    #expect(linked.status == 0)
    #expect(Self.warningCodes(linked.stdout) == ["output-not-a-file"], "\(linked.stdout)")
    #expect(Self.outputs(linked.stdout) == [] && !linked.stdout.contains("from-the-host"))
    let large = try Self.run(["stop", "--format", "jsonl"], in: job)
    #expect(large.status == 0)
    let warnings = Self.events(large.stdout).filter { ($0["event"] as? String) == "warning" }
      .filter { ($0["code"] as? String) != Self.fallbackWarning }
    #expect(
      warnings.compactMap { $0["message"] as? String } == [
        "/qovery-output/qovery-output.json has 2000000 bytes, more than the 1048576 bytes (1 MiB) the platform reads: it was not read, no output variables"
      ])
  }

  @Test func outputsNeverSetReservedVariablesNorOversizedOnes() throws {
    let big = String(repeating: "x", count: 200_000)
    let job = try Self.job(
      """
      name: reserved
      events:
        start: ["-c", "cat outputs.json > /qovery-output/qovery-output.json"]
        stop: ["-c", "echo \\"$PATH\\" | grep -c /usr; echo \\"[$LD_PRELOAD][$OK][${#BIG}]\\""]
      """,
      files: [
        "outputs.json":
          #"{"path": {"value": "/nowhere"}, "ld_preload": {"value": "/tmp/evil.so"}, "docker_host": {"value": "tcp://elsewhere:2375"}, "qovery_job_id": {"value": "x"}, "ok": {"value": "fine"}, "big": {"value": "\#(big)"}}"#
      ])
    let first = try Self.run(["start", "--format", "jsonl"], in: job)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(
      Self.warningCodes(first.stdout) == [
        "output-reserved-name", "output-reserved-name", "output-reserved-name", "output-reserved-name",
        "output-value-too-large",
      ], "\(first.stdout.prefix(2000))")
    #expect(Self.outputs(first.stdout) == ["OK=fine"])
    // The next job's environment: PATH intact, nothing injected, the recorded output there.
    let second = try Self.run(["stop"], in: job)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stdout == "1\n[][fine][0]\n")
  }

  @Test func aSecretNeverReachesACommandLine() throws {
    let job = try Self.job(
      """
      name: cmdline
      events:
        start: ["-c", "echo $(TF_VAR_token)"]
        stop: ["-c", "echo $TF_VAR_token '$$(TF_VAR_token)'"]
      secrets: [TF_VAR_token]
      """)
    let refused = try Self.run(["start", "--env", "TF_VAR_token=abcdefghij"], in: job)
    #expect(refused.status == 2 && refused.stdout == "")
    #expect(
      refused.stderr
        == "lifecycle-job: error: `$(TF_VAR_token)` would put a secret on the job's command line, where every local user can read it (/proc/PID/cmdline): read it from the environment instead (`sh -c '... $TF_VAR_token ...'`); nothing was run\n"
    )
    // From the environment, and `$$(` escaped: it runs, masked.
    let ran = try Self.run(["stop", "--env", "TF_VAR_token=abcdefghij"], in: job)
    #expect(ran.status == 0 && ran.stdout == "•••••• $(TF_VAR_token)\n", "\(ran.stderr)")
  }

  @Test func aSecretTooShortToMaskIsRefused() throws {
    let job = try Self.job(
      "name: short\nevents:\n  start: [\"-c\", \"echo $TF_VAR_pin\"]\nsecrets: [TF_VAR_pin]\n")
    let result = try Self.run(["start", "--env", "TF_VAR_pin=7"], in: job)
    #expect(result.status == 2 && result.stdout == "")
    #expect(
      result.stderr
        == "lifecycle-job: error: the secret `TF_VAR_pin` is shorter than 4 characters: it cannot be masked in the log without hiding everything else, so it would show; nothing was run\n"
    )
  }

  @Test func maskingHoldsAcrossReleasePointsStreamsAndOutputs() throws {
    let job = try Self.job(
      """
      name: masked
      events:
        start: ["-c", "head -c 65530 /dev/zero | tr '\\\\0' a; printf '%s\\\\n' \\"$TF_VAR_token\\"; printf '%s' \\"$TF_VAR_token\\" | cut -c1-4 | tr -d '\\\\n'; printf '%s\\\\n' \\"$TF_VAR_token\\" | cut -c5- >&2; echo \\"{\\\\\\"url\\\\\\": {\\\\\\"value\\\\\\": \\\\\\"postgres://u:$TF_VAR_token@db\\\\\\"}}\\" > /qovery-output/qovery-output.json"]
      secrets: [TF_VAR_token]
      """)
    for format in ["text", "jsonl"] {
      let result = try Self.run(["start", "--env", "TF_VAR_token=abcdefghij", "--format", format], in: job)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(!result.stdout.contains("abcdefghij") && !result.stderr.contains("abcdefghij"))
      #expect(!(result.stdout + result.stderr).contains("efghij"), "split across stdout and stderr")
      if format == "jsonl" {
        #expect(Self.outputs(result.stdout) == ["URL=postgres://u:••••••@db"])
        #expect(Self.warningCodes(result.stdout) == ["output-contains-secret"])
      }
    }
    let state = try String(
      contentsOf: job.deletingLastPathComponent().appendingPathComponent(".lifecycle-job/local.json"),
      encoding: .utf8)
    #expect(!state.contains("abcdefghij") && state.contains("postgres://u:••••••@db"))
  }

  @Test func secretArgumentErrorsNeverEchoTheValue() throws {
    let job = try Self.job(
      "name: errors\nevents:\n  start: [\"-c\", \"echo $TF_VAR_token\"]\nsecrets: [TF_VAR_token]\n")
    let bare = try Self.run(["start", "--env", "abcdefghij"], in: job)
    #expect(bare.status != 0 && !bare.stderr.contains("abcdefghij"), "\(bare.stderr)")
    let file = job.appendingPathComponent("bad.env")
    try "TF_VAR_token abcdefghij\n".write(to: file, atomically: true, encoding: .utf8)
    let badFile = try Self.run(["start", "--env-file", file.path], in: job)
    #expect(badFile.status != 0 && !badFile.stderr.contains("abcdefghij"), "\(badFile.stderr)")
    // A CRLF file reads as its lines.
    try "# from Windows\r\nTF_VAR_token=abcdefghij\r\n".write(to: file, atomically: true, encoding: .utf8)
    let crlf = try Self.run(["start", "--env-file", file.path], in: job)
    #expect(crlf.status == 0 && crlf.stdout == "••••••\n", "\(crlf.stderr)")
  }

  /// A repository with two jobs, `a` and `b`, each writing one output named after itself.
  static func twoJobs() throws -> URL {
    let repository = try CLI.temporaryFolder()
    try FileManager.default.createDirectory(
      at: repository.appendingPathComponent(".git"), withIntermediateDirectories: true)
    for name in ["a", "b"] {
      try CLI.writeJob(
        """
        name: job-\(name)
        events:
          start: ["-c", "sleep 0.05; echo '{\\"from_\(name)\\": {\\"value\\": \\"\(name)\\"}}' > /qovery-output/qovery-output.json"]
        """, to: repository.appendingPathComponent("\(name)/lifecycle-job.yaml"))
    }
    return repository
  }

  @Test func twoJobsOfOneEnvironmentAtOnceKeepBothOutputs() throws {
    let repository = try Self.twoJobs()
    let state = repository.appendingPathComponent(".lifecycle-job/local.json")
    for round in 0..<20 {
      try? FileManager.default.removeItem(at: state)
      let runs = ["a", "b"].map { name -> Process in
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["run", "start", "--engine", "process"]
        process.currentDirectoryURL = repository.appendingPathComponent(name)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return process
      }
      try runs.forEach { try $0.run() }
      runs.forEach { $0.waitUntilExit() }
      #expect(runs.map(\.terminationStatus) == [0, 0])
      let text = try String(contentsOf: state, encoding: .utf8)
      #expect(text.contains("\"FROM_A\"") && text.contains("\"FROM_B\""), "round \(round): \(text)")
    }
    // Private from its creation, and no temporary file left.
    var info = stat()
    #expect(lstat(state.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    let names = try FileManager.default.contentsOfDirectory(atPath: state.deletingLastPathComponent().path)
      .sorted()
    #expect(names == [".gitignore", "local.json", "local.json.lock"])
  }

  @Test func anUnreadableStateIsKeptAsideAndTheIgnoreFileRepaired() throws {
    let repository = try Self.twoJobs()
    let folder = repository.appendingPathComponent(".lifecycle-job")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try "{\"jobs\": {\"other\": trunc".write(
      to: folder.appendingPathComponent("local.json"), atomically: true, encoding: .utf8)
    try "".write(to: folder.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
    try "left by a killed run".write(
      to: folder.appendingPathComponent("local.json.4242.tmp"), atomically: true, encoding: .utf8)
    let result = try Self.run(["start", "--format", "jsonl"], in: repository.appendingPathComponent("a"))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(Self.warningCodes(result.stdout) == ["state-unreadable", "state-kept-aside"], "\(result.stdout)")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    let aside = names.first { $0.hasPrefix("local.json.unreadable-") }
    #expect(names == [".gitignore", "local.json", "local.json.lock", aside ?? "(none kept aside)"])
    #expect(
      try String(contentsOf: folder.appendingPathComponent(aside ?? "-"), encoding: .utf8)
        == "{\"jobs\": {\"other\": trunc")
    #expect(
      try String(contentsOf: folder.appendingPathComponent(".gitignore"), encoding: .utf8)
        == "# Local run state of lifecycle-job: never committed.\n*\n")
    #expect(
      try String(contentsOf: folder.appendingPathComponent("local.json"), encoding: .utf8).contains("FROM_A"))
  }

  @Test func environmentNamesMapOneToOne() throws {
    let repository = try Self.twoJobs()
    for name in ["a/b", "a.b", "../x", "", "é"] {
      let result = try Self.run(["start", "--environment", name], in: repository.appendingPathComponent("a"))
      #expect(result.status == 2)
      #expect(
        result.stderr
          == "lifecycle-job: error: the environment name `\(name)` may hold only letters, digits, `_` and `-` (at most 64): each name has its own state file\n"
      )
    }
    #expect(!FileManager.default.fileExists(atPath: repository.appendingPathComponent(".lifecycle-job").path))
  }

  @Test func theProcessEngineHonoursTheImagesEnvAndUser() throws {
    guard
      ExternalTools.shouldRun(
        "test \"$(id -u)\" = 0 && command -v useradd && command -v setpriv",
        missing: "switching to the image's user needs root, useradd and setpriv")
    else { return }
    #expect(try ExternalTools.shell("id lj-other || useradd --system --no-create-home lj-other").status == 0)
    let job = try Self.job(
      """
      name: image-user
      events:
        start: ["-c", "echo \\"$GREETING/$TF_VAR_region/$(id -un)\\"; echo '{\\"who\\": {\\"value\\": \\"'$(id -un)'\\"}}' > /qovery-output/qovery-output.json"]
      environment:
        TF_VAR_region: from-the-spec
      """)
    try
      "FROM alpine:3.20\nENV GREETING=\"hello there\" TF_VAR_region=from-the-image\nUSER lj-other\nENTRYPOINT [\"/bin/sh\"]\n"
      .write(to: job.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
    let result = try Self.run(["start", "--format", "jsonl"], in: job)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let log = Self.events(result.stdout).compactMap { $0["text"] as? String }.joined()
    #expect(log == "hello there/from-the-spec/lj-other\n", "\(result.stdout)")
    #expect(Self.outputs(result.stdout) == ["WHO=lj-other"])
  }

  @Test func aNonRootUsersJobRunsAsThatUser() throws {
    guard
      ExternalTools.shouldRun(
        "test \"$(id -u)\" = 0 && command -v useradd && command -v setpriv",
        missing: "running as another user needs root, useradd and setpriv")
    else { return }
    #expect(try ExternalTools.shell("id lj-other || useradd --system --no-create-home lj-other").status == 0)
    let uid = try ExternalTools.shell("id -u lj-other").output.trimmingCharacters(in: .whitespacesAndNewlines)
    let job = try Self.job(
      """
      name: non-root
      events:
        start: ["-c", "id -u; echo '{\\"uid\\": {\\"value\\": \\"'$(id -u)'\\"}}' > /qovery-output/qovery-output.json"]
      """)
    let repository = job.deletingLastPathComponent()
    // A copy of the binary the other user can reach wherever the checkout is.
    let binary = repository.appendingPathComponent("lifecycle-job")
    try FileManager.default.copyItem(at: CLI.binary, to: binary)
    #expect(
      try ExternalTools.shell("chmod 755 '\(binary.path)' && chown -R lj-other '\(repository.path)'").status
        == 0)
    let result = try ExternalTools.shell(
      "cd '\(job.path)' && setpriv --reuid lj-other --regid lj-other --clear-groups env -i HOME='\(repository.path)' PATH=/usr/bin:/bin '\(binary.path)' run start --engine process --format jsonl 2>/dev/null"
    )
    #expect(result.status == 0, "\(result.output)")
    let log = Self.events(result.output).compactMap { $0["text"] as? String }.joined()
    // Not uid 0 (what a bare `unshare --map-root-user` would show it).
    #expect(log == uid + "\n", "\(result.output)")
    #expect(Self.outputs(result.output) == ["UID=\(uid)"])
  }

  @Test func restartsBackOffAsKubernetesDoesWithinTheTimeout() throws {
    let job = try Self.job(
      """
      name: backoff
      events:
        start: ["-c", "echo x >> attempts; exit 1"]
      restarts: 3
      timeout: 3
      """)
    let started = Date()
    let result = try CLI.run(["run", "start", "--engine", "process", "--grace-seconds", "1"], in: job)
    // The first back-off (10 s) outlasts the timeout: one attempt, then the timeout.
    #expect(result.status == 124)
    #expect(Date().timeIntervalSince(started) < 8)
    #expect(
      result.stderr.contains(
        "lifecycle-job: restarting in 10 s (as the platform backs off; --no-backoff to restart at once)\n"))
    #expect(try String(contentsOf: job.appendingPathComponent("attempts"), encoding: .utf8) == "x\n")
  }
}
