import Foundation
import LifecycleAnalysis
import LifecycleRunner
import LifecycleSyntax
import Synchronization
import TestSupport
import Testing

/// The docker engine's exact command lines, with a fake launcher; and the same job for real
/// where a Docker engine answers.
@Suite struct DockerEngineTests {
  static let spec = """
    name: rds
    source:
      target: runtime
    events:
      start:
        entrypoint: /bin/sh
        arguments: ["-c", "echo $(TF_VAR_region) && echo '{\\"host\\": {\\"value\\": \\"db\\"}}' > /qovery-output/qovery-output.json"]
    resources:
      cpu: 250m
      memory: 256Mi
    environment:
      TF_VAR_region: eu-west-3
      UNUSED_AT_BUILD: "x"
    secrets: [TF_VAR_password]

    """
  static let dockerfile = """
    FROM alpine:3.20 AS runtime
    ARG TF_VAR_region
    ARG TF_VAR_password
    ARG NOT_DEFINED=1
    ENTRYPOINT ["/bin/sh"]

    """

  func job() throws -> (spec: String, root: String) {
    let repository = FileManager.default.temporaryDirectory.appendingPathComponent(
      "docker-\(UUID().uuidString)")
    let job = repository.appendingPathComponent("job")
    try FileManager.default.createDirectory(
      at: repository.appendingPathComponent(".git"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: job, withIntermediateDirectories: true)
    try Self.spec.write(
      to: job.appendingPathComponent("lifecycle-job.yaml"), atomically: true, encoding: .utf8)
    try Self.dockerfile.write(to: job.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
    return (job.appendingPathComponent("lifecycle-job.yaml").path, job.path)
  }

  @Test func buildAndRunCommandLines() throws {
    let (spec, root) = try job()
    let launcher = FakeLauncher { command in
      guard command.arguments.starts(with: ["docker", "run"]) else { return .init() }
      return .init(
        stdout: "eu-west-3\n",
        effect: { command in
          let volume = command.arguments[command.arguments.firstIndex(of: "--volume")! + 1]
          let folder = String(volume.dropLast(":/qovery-output".count))
          try? #"{"host": {"value": "db"}}"#.write(
            toFile: folder + "/qovery-output.json", atomically: true, encoding: .utf8)
        })
    }
    let events = Mutex<[RunEvent]>([])
    let status = try Runner(launcher: launcher).run(
      RunRequest(
        specPath: spec, event: .start, secrets: ["TF_VAR_password": "pw-1234"],
        callerEnvironment: [
          "PATH": "/usr/bin:/bin", "HOME": "/home/me", "DOCKER_HOST": "unix:///run/docker.sock",
          "OTHER": "no",
        ])
    ) { event in events.withLock { $0.append(event) } }
    #expect(status == 0)
    let commands = launcher.commands
    #expect(
      commands.map { Array($0.arguments.prefix(2)) } == [
        ["docker", "info"], ["docker", "build"], ["docker", "run"],
      ])
    // The image is named after the Dockerfile and target it is built from.
    let short = StableID.short(StableID.uuid("image/\(root)/Dockerfile/runtime")).lowercased()
    #expect(
      commands[1].arguments == [
        "docker", "build", "--tag", "lifecycle-job-\(short)", "--file", root + "/Dockerfile", "--target",
        "runtime",
        "--build-arg", "TF_VAR_password", "--build-arg", "TF_VAR_region", root,
      ])
    let run = commands[2].arguments
    let name = run[run.firstIndex(of: "--name")! + 1]
    let volume = run[run.firstIndex(of: "--volume")! + 1]
    #expect(volume.hasSuffix(":/qovery-output") && !volume.hasPrefix(root))
    let passed = [
      "QOVERY_CLOUD_PROVIDER_REGION", "QOVERY_ENVIRONMENT_ID", "QOVERY_ENVIRONMENT_NAME",
      "QOVERY_ENVIRONMENT_TYPE",
      "QOVERY_JOB_ACTION", "QOVERY_JOB_ID", "QOVERY_JOB_NAME", "QOVERY_KUBERNETES_CLUSTER_NAME",
      "QOVERY_KUBERNETES_NAMESPACE_NAME", "QOVERY_PROJECT_ID", "TF_VAR_password", "TF_VAR_region",
      "UNUSED_AT_BUILD",
    ].flatMap { ["--env", $0] }
    #expect(
      run == [
        "docker", "run", "--rm", "--name", name, "--cpus", "0.25", "--memory", "256m", "--volume", volume,
        "--entrypoint", "/bin/sh",
      ] + passed + [
        "lifecycle-job-\(short)", "-c",
        "echo eu-west-3 && echo '{\"host\": {\"value\": \"db\"}}' > /qovery-output/qovery-output.json",
      ])
    // Values travel in the docker CLI's environment, never on its command line.
    #expect(commands[2].environment["TF_VAR_password"] == "pw-1234" && !run.contains("pw-1234"))
    #expect(
      commands[0].environment == [
        "PATH": "/usr/bin:/bin", "HOME": "/home/me", "DOCKER_HOST": "unix:///run/docker.sock",
      ])
    #expect(
      commands[2].environment["DOCKER_HOST"] == "unix:///run/docker.sock"
        && commands[2].environment["OTHER"] == nil)
    let outputs = events.withLock { $0 }.compactMap { event -> String? in
      if case .output(let name, _, _, let value) = event { return "\(name)=\(value ?? "")" }
      return nil
    }
    let jobShort =
      events.withLock { $0 }.compactMap { event -> String? in
        if case .output(let name, _, _, _) = event { return String(name.split(separator: "_")[3]) }
        return nil
      }.first ?? ""
    #expect(jobShort.count == 9 && jobShort.hasPrefix("Z") && jobShort.uppercased() == jobShort)
    #expect(outputs == ["QOVERY_OUTPUT_JOB_\(jobShort)_HOST=db"])
  }

  @Test func aTimeoutAlsoKillsTheContainer() throws {
    let (spec, _) = try job()
    try Self.spec.replacingOccurrences(of: "name: rds", with: "name: rds\ntimeout: 1").write(
      toFile: spec, atomically: true, encoding: .utf8)
    let launcher = FakeLauncher { _ in .init() }
    let slow = SlowLauncher(inner: launcher)
    let status = try Runner(launcher: slow).run(
      RunRequest(
        specPath: spec, event: .start, secrets: ["TF_VAR_password": "pw-1234"],
        callerEnvironment: ["PATH": "/bin"],
        graceSeconds: 0.1)
    ) { _ in }
    #expect(status == 124)
    let kill = launcher.commands.last!.arguments
    #expect(Array(kill.prefix(2)) == ["docker", "kill"] && kill[2].hasPrefix("lifecycle-job-"))
  }

  @Test func theSameJobWithRealPodman() throws {
    guard
      ExternalTools.shouldRun(
        "podman image exists alpine:3.20",
        missing: "no Podman with the local busybox image (Tests/Support/setup-podman.sh)")
    else { return }
    let (spec, _) = try job()
    let events = Mutex<[RunEvent]>([])
    let status = try Runner().run(
      RunRequest(
        specPath: spec, event: .start, secrets: ["TF_VAR_password": "pw-1234"],
        callerEnvironment: ProcessInfo.processInfo.environment, engine: .podman)
    ) { event in events.withLock { $0.append(event) } }
    #expect(status == 0)
    #expect(
      events.withLock { $0 }.contains { if case .output(_, "HOST", false, "db") = $0 { true } else { false } }
    )
  }
}

/// The docker CLI's own variables never come from the job.
@Suite struct EngineEnvironmentTests {
  @Test func aJobsDockerVariablesGoThroughThePrivateEnvFileNotTheCLI() throws {
    let parsed = SpecReader.read(
      SourceText("name: a\nsource:\n  image: alpine\nevents:\n  start: [\"-c\", \"env\"]\n")
    ).0
    let job = JobToRun(
      spec: parsed, event: parsed.event(.start), eventName: .start, root: "/repo/job", dockerfile: nil,
      parsedDockerfile: nil, jobID: "0123abcd-0000-0000-0000-000000000000")
    let variables = ResolvedVariables(
      environment: [
        "PATH": "/bin", "DOCKER_HOST": "tcp://job-wants-this:2375", "LD_PRELOAD": "/x.so", "TOKEN": "t0ken",
      ],
      jobNames: ["DOCKER_HOST", "LD_PRELOAD", "TOKEN"], secretValues: ["t0ken"])
    let plan = DockerEngine.plan(
      job, variables: variables,
      caller: ["PATH": "/usr/bin", "DOCKER_HOST": "unix:///mine.sock", "LD_PRELOAD": "/c.so"],
      setup: .init(cli: "podman", outputFolder: "/p/output", environmentFile: "/p/env", runName: "n"))
    #expect(
      plan.job?.environment == ["PATH": "/usr/bin", "DOCKER_HOST": "unix:///mine.sock", "TOKEN": "t0ken"])
    #expect(plan.files == ["/p/env": "DOCKER_HOST=tcp://job-wants-this:2375\nLD_PRELOAD=/x.so\n"])
    #expect(
      plan.job?.arguments == [
        "podman", "run", "--rm", "--name", "n", "--cpus", "0.5", "--memory", "512m", "--volume",
        "/p/output:/qovery-output", "--env", "TOKEN", "--env-file", "/p/env", "alpine", "-c", "env",
      ])
  }
}

/// Wraps a fake so that `docker run` never ends on its own (until signalled).
final class SlowLauncher: Launcher {
  let inner: FakeLauncher
  init(inner: FakeLauncher) { self.inner = inner }

  func launch(_ command: LaunchCommand, output: @escaping @Sendable (StandardStream, [UInt8]) -> Void) throws
    -> any LaunchedProcess
  {
    let process = try inner.launch(command, output: output)
    guard command.arguments.starts(with: ["docker", "run"]) else { return process }
    return Hanging()
  }

  final class Hanging: LaunchedProcess, @unchecked Sendable {
    let stopped = DispatchSemaphore(value: 0)
    func wait() -> Termination {
      stopped.wait()
      return Termination(status: 143)
    }
    func signalGroup(_ signal: Int32) { stopped.signal() }
  }
}
