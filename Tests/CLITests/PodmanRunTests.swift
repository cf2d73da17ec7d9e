import Foundation
import TestSupport
import Testing

/// The docker engine for real, against rootful Podman (`Tests/Support/setup-podman.sh`, run by
/// `.ci/run`): the same command lines as Docker, through `--engine podman`.
@Suite(.serialized) struct PodmanRunTests {
  static var podman: Bool {
    ExternalTools.shouldRun(
      "podman image exists alpine:3.20",
      missing: "no Podman with the local busybox image (Tests/Support/setup-podman.sh)")
  }

  /// A job whose Dockerfile declares some variables as ARG and records them at build time.
  static func job(_ events: String, extra: String = "") throws -> URL {
    let job = try RunCommandTests.job(
      """
      name: engine
      \(events)
      resources:
        cpu: 250m
        memory: 64Mi
      environment:
        TF_VAR_region: eu-west-3
        NOT_AN_ARG: hidden
      \(extra)
      """)
    try """
    FROM alpine:3.20 AS runtime
    ARG TF_VAR_region
    ARG NOT_AN_ARG_EITHER
    RUN echo "built in [$TF_VAR_region] [$NOT_AN_ARG]" > /built
    ENTRYPOINT ["/bin/sh"]

    """.write(to: job.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
    return job
  }

  static func run(_ arguments: [String], in job: URL) throws -> CLIResult {
    try CLI.run(
      ["run"] + arguments + ["--engine", "podman", "--grace-seconds", "2", "--no-backoff"], in: job)
  }

  /// Starts the runner on `job` with Podman; its process, once the job printed `started`.
  static func startUntilItSaysStarted(_ job: URL) throws -> Process {
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = ["run", "start", "--engine", "podman", "--grace-seconds", "2"]
    process.currentDirectoryURL = job
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    var seen = Data()
    while !String(decoding: seen, as: UTF8.self).contains("started") {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      seen += chunk
    }
    return process
  }

  /// The names of the containers this suite's runs left (running or stopped).
  static func containers() throws -> String {
    try ExternalTools.shell("podman ps --all --format '{{.Names}}' | grep '^lifecycle-job-' || true").output
  }

  @Test func buildRunEnvironmentResourcesAndOutputs() throws {
    guard Self.podman else { return }
    let job = try Self.job(
      """
      events:
        start:
          entrypoint: /bin/sh
          arguments: ["-c", "cat /built; echo $(TF_VAR_region) $TF_VAR_region $NOT_AN_ARG '$$(TF_VAR_region)'; cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us; echo '{\\"host\\": {\\"value\\": \\"db\\"}}' > /qovery-output/qovery-output.json"]
      """)
    let result = try Self.run(["start", "--format", "jsonl"], in: job)
    #expect(result.status == 0, "\(result.stderr)")
    let events = RunCommandTests.events(result.stdout)
    let log = events.filter { ($0["event"] as? String) == "log" && ($0["stream"] as? String) == "stdout" }
      .compactMap { $0["text"] as? String }.joined()
    #expect(
      log.hasSuffix(
        "built in [eu-west-3] []\neu-west-3 eu-west-3 hidden $(TF_VAR_region)\n67108864\n25000\n"), "\(log)")
    let outputs = events.filter { ($0["event"] as? String) == "output" }
    #expect(
      outputs.count == 1 && (outputs.first?["alias"] as? String) == "HOST"
        && (outputs.first?["value"] as? String) == "db")
    #expect(try Self.containers() == "")
  }

  @Test func restartsThenSuccess() throws {
    guard Self.podman else { return }
    let job = try Self.job(
      """
      events:
        start: ["-c", "echo attempt; exit 3"]
      restarts: 2
      """)
    let result = try Self.run(["start"], in: job)
    #expect(result.status == 3)
    // After the build's own output.
    #expect(result.stdout.hasSuffix("\nattempt\nattempt\nattempt\n"), "\(result.stdout)")
    #expect(result.stderr.contains("lifecycle-job: attempt 3 of 3"))
    #expect(try Self.containers() == "")
  }

  @Test func theTimeoutStopsTheContainer() throws {
    guard Self.podman else { return }
    let job = try Self.job(
      """
      events:
        start: ["-c", "echo started; sleep 300"]
      timeout: 4
      """)
    let started = Date()
    let result = try Self.run(["start", "--format", "jsonl"], in: job)
    #expect(result.status == 124, "\(result.stdout)\(result.stderr)")
    #expect(Date().timeIntervalSince(started) < 20)
    #expect(try Self.containers() == "")
  }

  @Test func ctrlCStopsTheContainer() throws {
    guard Self.podman else { return }
    let job = try Self.job(
      """
      events:
        start: ["-c", "echo started; sleep 300"]
      """)
    let process = try Self.startUntilItSaysStarted(job)
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    #expect(process.terminationStatus == 130)
    #expect(try Self.containers() == "")
  }

  @Test func outOfMemoryIsNamed() throws {
    guard Self.podman else { return }
    let job = try Self.job(
      """
      events:
        start: ["-c", "x=$(head -c 100000000 /dev/zero | tr '\\\\0' a); echo ${#x}"]
      """)
    let result = try Self.run(["start", "--format", "jsonl"], in: job)
    #expect(result.status == 137)
    let warnings = RunCommandTests.events(result.stdout).filter { ($0["event"] as? String) == "warning" }
    #expect(
      warnings.compactMap { $0["code"] as? String }.contains("out-of-memory"), "\(result.stdout)")
    #expect(try Self.containers() == "")
  }

  @Test func aKilledRunnerTakesItsContainerWithIt() throws {
    guard Self.podman else { return }
    let job = try Self.job(
      """
      events:
        start: ["-c", "touch /qovery-output/started; echo started; sleep 300"]
      """)
    let process = try Self.startUntilItSaysStarted(job)
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    var left = try Self.containers()
    for _ in 0..<100 where !left.isEmpty {
      usleep(200_000)
      left = try Self.containers()
    }
    #expect(left == "")
  }

  @Test func anImageWhoseUserIsNotRootWritesItsOutputs() throws {
    guard Self.podman else { return }
    let job = try Self.job(
      """
      events:
        start: ["-c", "id -u; echo '{\\"who\\": {\\"value\\": \\"'$(id -un)'\\"}}' > /qovery-output/qovery-output.json"]
      """)
    try "FROM alpine:3.20\nUSER nobody\nENTRYPOINT [\"/bin/sh\"]\n".write(
      to: job.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
    let result = try Self.run(["start", "--format", "jsonl"], in: job)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(RunCommandTests.outputs(result.stdout) == ["WHO=nobody"], "\(result.stdout)")
  }
}
