import LifecycleAnalysis
@testable import LifecycleRunner
import LifecycleSyntax
import Testing

/// The process engine's command lines: the effective command from spec and Dockerfile, wrapped
/// in a private mount namespace, or with `/qovery-output` rewritten where there is none.
@Suite struct ProcessEngineTests {
  func job(_ spec: String, dockerfile: String = "FROM alpine\nENTRYPOINT [\"/bin/sh\"]\n") -> JobToRun {
    let parsed = SpecReader.read(SourceText(spec)).0
    return JobToRun(
      spec: parsed, event: parsed.event(.start), eventName: .start, root: "/repo/job",
      dockerfile: "/repo/job/Dockerfile",
      parsedDockerfile: DockerfileParser.parse(SourceText(dockerfile)),
      jobID: "0123abcd-0000-0000-0000-000000000000")
  }

  let variables = ResolvedVariables(
    environment: ["PATH": "/bin", "OUT": "/qovery-output/x", "TF_VAR_region": "eu"],
    jobNames: ["OUT", "TF_VAR_region"],
    secretValues: [])

  @Test func aMountNamespaceGivesTheJobItsOwnOutputFolder() {
    let plan = ProcessEngine.plan(
      job(
        "name: a\nevents:\n  start: [\"-c\", \"echo $(TF_VAR_region) > /qovery-output/qovery-output.json\"]\n"
      ),
      variables: variables, outputFolder: "/tmp/out-1",
      isolation: .mountNamespace(asRoot: false, uid: 1000, gid: 1001))
    #expect(
      plan.job?.arguments == [
        "unshare", "--mount", "--propagation", "private", "--user", "--map-root-user", "/bin/sh", "-c",
        "mount --bind \"$0\" /qovery-output && exec \"$@\"", "/tmp/out-1", "unshare", "--user",
        "--map-user=1000", "--map-group=1001", "--", "/bin/sh", "-c",
        "echo eu > /qovery-output/qovery-output.json",
      ])
    #expect(plan.job?.workingDirectory == "/repo/job" && plan.warnings.isEmpty)
  }

  @Test func withoutNamespacesThePathIsRewrittenAndTheUserWarned() {
    let plan = ProcessEngine.plan(
      job("name: a\nevents:\n  start: [\"-c\", \"echo hi > /qovery-output/qovery-output.json\"]\n"),
      variables: variables, outputFolder: "/tmp/out-2", isolation: .rewrite(reason: "no unshare"))
    #expect(plan.job?.arguments == ["/bin/sh", "-c", "echo hi > /tmp/out-2/qovery-output.json"])
    #expect(plan.job?.environment["OUT"] == "/tmp/out-2/x")
    #expect(plan.warnings.map(\.code) == ["output-folder-rewritten"])
  }

  @Test func theImageDefaultRunsWhenTheEventSetsNothing() {
    let plan = ProcessEngine.plan(
      job(
        "name: a\nevents:\n  start:\n",
        dockerfile: "FROM alpine\nENTRYPOINT [\"./run.sh\"]\nCMD [\"apply\"]\n"),
      variables: variables, outputFolder: "/tmp/o", isolation: .rewrite(reason: "r"))
    #expect(plan.job?.arguments == ["./run.sh", "apply"])
    let none = ProcessEngine.plan(
      job("name: a\nevents:\n  start:\n", dockerfile: "FROM alpine\n"), variables: variables,
      outputFolder: "/tmp/o",
      isolation: .rewrite(reason: "r"))
    #expect(none.job == nil)
  }

  @Test func onlyTheSpecsWordsAreExpandedFromTheJobsVariables() {
    let plan = ProcessEngine.plan(
      job(
        "name: a\nevents:\n  start: [\"$(TF_VAR_region)\", \"$(PATH)\", \"$$(TF_VAR_region)\", \"$$HOME\"]\n",
        dockerfile: "FROM alpine\nENTRYPOINT [\"/bin/echo\", \"$(TF_VAR_region)\", \"$$\"]\n"),
      variables: variables, outputFolder: "/tmp/o", isolation: .rewrite(reason: "r"))
    // The image's words are left alone; `$(PATH)` is the caller's, not the job's: kept.
    #expect(
      plan.job?.arguments == [
        "/bin/echo", "$(TF_VAR_region)", "$$", "eu", "$(PATH)", "$(TF_VAR_region)", "$HOME",
      ])
  }
}

/// Kubernetes' `expansion.Expand`, case by case (its own test table's cases among them).
@Suite struct KubernetesExpansionTests {
  let variables = ["VAR_A": "A", "VAR_B": "B", "VAR_EMPTY": "", "HOME": "/job", "not valid": "odd"]

  @Test(arguments: [
    ("$(VAR_A)", "A"),
    ("___$(VAR_B)___", "___B___"),
    ("$(VAR_A)-$(VAR_A)", "A-A"),
    ("$(VAR_EMPTY)x", "x"),
    ("$(UNKNOWN)", "$(UNKNOWN)"),
    ("$$(VAR_A)", "$(VAR_A)"),
    ("$$$(VAR_A)", "$A"),
    ("$$$$(VAR_A)", "$$(VAR_A)"),
    ("$$", "$"),
    ("$$$", "$$"),
    ("$$ $$", "$ $"),
    ("$", "$"),
    ("x$", "x$"),
    ("$VAR_A", "$VAR_A"),
    ("${VAR_A}", "${VAR_A}"),
    ("$(VAR_A", "$(VAR_A"),
    ("$(", "$("),
    ("$()", "$()"),
    ("$(not valid)", "odd"),
    ("$(VAR_A)$(VAR_B)", "AB"),
    ("$(VAR_A)))", "A))"),
    ("é$(VAR_A)é$é", "éAé$é"),
  ])
  func expands(_ input: String, _ expected: String) {
    #expect(KubernetesExpansion.expand(input, variables) == expected)
  }
}

/// What the image's Dockerfile sets for its process, and how the process engine uses it.
@Suite struct ImageDefaultsTests {
  @Test func environmentWorkdirAndUserOfTheStageThatRuns() {
    let dockerfile = DockerfileParser.parse(
      SourceText(
        """
        FROM alpine AS base
        ARG VERSION=1.9
        ENV TOOL_HOME=/opt/tool TOOL="v${VERSION}" PLAIN=a\\ b
        WORKDIR /app
        FROM base AS runtime
        ENV TOOL_BIN=$TOOL_HOME/bin QUOTED='$TOOL' EMPTY=
        WORKDIR sub
        USER runner:runners
        FROM alpine AS other
        ENV OTHER=1

        """))
    let defaults = ImageDefaults(dockerfile, target: "runtime")
    #expect(
      defaults.environment == [
        "TOOL_HOME": "/opt/tool", "TOOL": "v1.9", "PLAIN": "a b", "TOOL_BIN": "/opt/tool/bin",
        "QUOTED": "$TOOL",
        "EMPTY": "",
      ])
    #expect(defaults.workingDirectory == "/app/sub" && defaults.user == "runner:runners")
  }

  @Test func theImagesEnvironmentIsUnderTheJobsAndTheUserSwitched() {
    let parsed = SpecReader.read(SourceText("name: a\nevents:\n  start: [\"-c\", \"env\"]\n")).0
    let job = JobToRun(
      spec: parsed, event: parsed.event(.start), eventName: .start, root: "/repo/job",
      dockerfile: "/repo/job/Dockerfile",
      parsedDockerfile: DockerfileParser.parse(
        SourceText(
          "FROM alpine\nENV PATH=/image/bin TF_VAR_region=image LANG=C.UTF-8\nWORKDIR /app\nENTRYPOINT [\"/bin/sh\"]\n"
        )),
      jobID: "0123abcd-0000-0000-0000-000000000000")
    let variables = ResolvedVariables(
      environment: ["PATH": "/bin", "HOME": "/root", "TF_VAR_region": "eu"], jobNames: ["TF_VAR_region"],
      secretValues: [])
    let plan = ProcessEngine.plan(
      job, variables: variables, outputFolder: "/o", isolation: .rewrite(reason: "r"),
      user: .switchTo(uid: 1001, gid: 1002, name: "runner"))
    #expect(
      plan.job?.environment == [
        "PATH": "/image/bin", "HOME": "/root", "TF_VAR_region": "eu", "LANG": "C.UTF-8", "USER": "runner",
      ])
    #expect(
      plan.job?.arguments == [
        "setpriv", "--reuid", "1001", "--regid", "1002", "--init-groups", "--", "/bin/sh", "-c", "env",
      ])
    #expect(plan.warnings.map(\.code) == ["image-workdir-not-used", "output-folder-rewritten"])
    let refused = ProcessEngine.plan(
      job, variables: variables, outputFolder: "/o", isolation: .mountNamespace(asRoot: true),
      user: .notHonoured(user: "app", reason: "this machine has no user `app`"))
    #expect(
      refused.warnings.map(\.message) == [
        "the image's `WORKDIR /app` is a folder inside the image: the process engine runs the job in its root folder",
        "the image runs as `USER app`; here the job runs as the runner's user: this machine has no user `app`",
      ])
  }
}

/// Kubernetes' back-off between a Job's failed pods.
@Suite struct BackoffTests {
  @Test func tenTwentyFortyUpToSixMinutes() {
    #expect((1...8).map { Runner.backoffSeconds(beforeAttempt: $0) } == [10, 20, 40, 80, 160, 320, 360, 360])
  }
}
