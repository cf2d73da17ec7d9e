import LifecycleAnalysis
import LifecycleSyntax
import Testing

/// Cross-file checks, with the job's other files handed in as data.
@Suite struct CrossFileTests {
  static func context(dockerfile: String? = nil, terraform: [String: String] = [:], rootFiles: [String] = [])
    -> JobContext
  {
    JobContext(
      root: .found(path: "job", contents: rootFiles),
      dockerfile: dockerfile.map { .found(path: "job/Dockerfile", contents: SourceText($0)) }
        ?? .missing(path: "job/Dockerfile"),
      terraformFiles: terraform.mapValues { SourceText($0) })
  }

  func expectCrossFile(
    _ annotated: String, _ context: JobContext, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let (text, expected) = Markers.parse(annotated)
    let diagnostics = Analyzer.analyze(SourceText(text), kind: .spec(isJSON: false), context: context)
      .diagnostics
    #expect(
      Markers.render(text, diagnostics.map { ($0.range, $0.code) }) == Markers.render(text, expected),
      sourceLocation: sourceLocation)
  }

  static let shellImage = "FROM alpine\nENTRYPOINT [\"/bin/sh\"]\n"

  @Test func missingFilesAndRootsOutsideTheRepository() {
    expectCrossFile("⟦name⟧{file-not-found}: a\nevents:\n  start: [\"-c\", \"x\"]\n", Self.context())
    expectCrossFile(
      "name: a\nsource:\n  root: ⟦../elsewhere⟧{root-outside-repository}\nevents:\n  start: [\"-c\", \"x\"]\n",
      JobContext(root: .outsideRepository(path: "../elsewhere")))
    expectCrossFile(
      "name: a\nsource:\n  root: ⟦infra⟧{file-not-found}\nevents:\n  start: [\"-c\", \"x\"]\n",
      JobContext(root: .missing(path: "infra")))
    expectCrossFile(
      "name: a\nsource:\n  dockerfile: ⟦../../Dockerfile⟧{root-outside-repository}\nevents:\n  start: [\"-c\", \"x\"]\n",
      JobContext(
        root: .found(path: ".", contents: []), dockerfile: .outsideRepository(path: "../../Dockerfile")))
    // A prebuilt image needs no Dockerfile.
    expectCrossFile(
      "name: a\nsource:\n  image: alpine\nevents:\n  start: [\"-c\", \"x\"]\n",
      JobContext(root: .found(path: ".", contents: [])))
  }

  @Test func argumentsDroppedByAShellFormEntrypoint() {
    expectCrossFile(
      "name: a\nevents:\n  start: ⟦[\"-c\", \"./start.sh\"]⟧{arguments-ignored}\n  stop:\n    entrypoint: /bin/sh\n    arguments: [\"-c\", \"x\"]\n",
      Self.context(dockerfile: "FROM alpine\nENTRYPOINT /bin/sh\n"))
  }

  @Test func dashCWithoutAShell() {
    expectCrossFile(
      "name: a\nevents:\n  start: [⟦\"-c\"⟧{no-shell-entrypoint}, \"./start.sh\"]\n",
      Self.context(dockerfile: "FROM scratch\nCMD [\"sh\"]\n"))
    expectCrossFile(
      "name: a\nevents:\n  start: [⟦\"-c\"⟧{no-shell-entrypoint}, \"./start.sh\"]\n",
      Self.context(dockerfile: "FROM hashicorp/terraform\nENTRYPOINT [\"terraform\"]\n"))
    expectCrossFile(
      "name: a\nevents:\n  start: [\"-c\", \"./start.sh\"]\n", Self.context(dockerfile: Self.shellImage))
    // An earlier stage's ENTRYPOINT carries over.
    expectCrossFile(
      "name: a\nevents:\n  start: [\"-c\", \"x\"]\n",
      Self.context(dockerfile: "FROM alpine AS base\nENTRYPOINT [\"/bin/bash\"]\nFROM base\nRUN true\n"))
  }

  /// The base image's ENTRYPOINT is unknown unless the Dockerfile sets one or starts from
  /// scratch: the official `bash` image (issue 14: `FROM bash:5.2`) runs `bash "$@"` when the first
  /// argument starts with `-`, and a Dockerfile that sets only CMD keeps it.
  @Test func aBaseImageEntrypointIsUnknown() {
    let bash = Self.context(
      dockerfile: "FROM bash:5.2\nCOPY start.sh /\nCMD [\"bash\"]\n", rootFiles: ["start.sh"])
    expectCrossFile(
      "name: a\nevents:\n  start: [\"-c\", \"/start.sh && echo done > /tmp/x\"]\n  stop: [\"/stop.sh\", \"&&\"]\n",
      bash)
    expectCrossFile(
      "name: a\nevents:\n  start: [⟦\"-c\"⟧{no-shell-entrypoint}, \"/start.sh\"]\n",
      Self.context(dockerfile: "FROM bash:5.2\nENTRYPOINT [\"/usr/local/bin/terraform\"]\n"))
  }

  /// Init wrappers run their arguments as a command: behind `tini --` or `dumb-init` the program is
  /// what follows. jenkinsci/docker `debian/Dockerfile` ends with
  /// `ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/jenkins.sh"]`, whose script runs `-c` as a
  /// command.
  @Test func initWrappersRunTheProgramAfterThem() {
    let files = ["start.sh"]
    expectCrossFile(
      "name: a\nevents:\n  start: [\"-c\", \"/app/start.sh && ⟦/app/strat.sh⟧{script-not-found}\"]\n",
      Self.context(
        dockerfile: "FROM scratch\nCOPY . /app/\nENTRYPOINT [\"/usr/bin/dumb-init\", \"--\", \"/bin/sh\"]\n",
        rootFiles: files))
    expectCrossFile(
      "name: a\nevents:\n  start: [⟦\"-c\"⟧{no-shell-entrypoint}, \"/app/start.sh\"]\n",
      Self.context(
        dockerfile:
          "FROM scratch\nCOPY . /app/\nENTRYPOINT [\"/usr/bin/tini\", \"--\", \"/usr/local/bin/jenkins.sh\"]\n",
        rootFiles: files))
  }

  @Test func shellSyntaxThatReachesNoShell() {
    expectCrossFile(
      "name: a\nevents:\n  start: [\"apply\", \"-auto-approve\", ⟦\"&&\"⟧{shell-syntax-without-shell}, \"echo\", ⟦\"$TF_VAR_x\"⟧{shell-syntax-without-shell}, \"$(TF_VAR_x)\"]\n",
      Self.context(dockerfile: "FROM hashicorp/terraform\nENTRYPOINT [\"terraform\"]\n"))
    // With ENTRYPOINT ["/bin/sh"], a script file name reaches sh as a file, not as shell syntax.
    expectCrossFile(
      "name: a\nevents:\n  start: [\"-c\", \"a && b > /tmp/x\"]\n", Self.context(dockerfile: Self.shellImage))
  }

  @Test func startWithoutDelete() {
    expectCrossFile(
      "name: a\nevents:\n  ⟦start⟧{no-delete-event}: [\"-c\", \"terraform init && terraform apply -auto-approve\"]\n",
      Self.context(dockerfile: Self.shellImage))
    expectCrossFile(
      "name: a\nevents:\n  start: [\"-c\", \"terraform apply -auto-approve\"]\n  delete: [\"-c\", \"terraform destroy -auto-approve\"]\n",
      Self.context(dockerfile: Self.shellImage))
    expectCrossFile(
      "name: a\nevents:\n  start: [\"-c\", \"echo hello\"]\n", Self.context(dockerfile: Self.shellImage))
  }

  @Test func terraformVariables() {
    let variables = """
      variable "region" {
        default = "us-east-2"
      }
      variable "cluster" {}
      variable "bucket" {}
      variable "token" {
        sensitive = true
      }
      """
    let context = Self.context(
      dockerfile: Self.shellImage
        + "ARG TF_VAR_backend\nRUN terraform init -backend-config=bucket=$TF_VAR_backend\n",
      terraform: ["variables.tf": variables, "terraform.tfvars": "bucket = \"b\"\n"])
    expectCrossFile(
      """
      name: a
      ⟦events⟧{missing-terraform-variable}:
        start: ["-c", "terraform apply -auto-approve"]
        delete: ["-c", "terraform destroy -auto-approve"]
      environment:
        ⟦TF_VAR_regoin⟧{unknown-terraform-variable}: eu-west-3
        TF_VAR_backend: states
      secrets:
        - TF_VAR_token
      """, context)
    let text = "name: a\nevents:\n  start: [\"-c\", \"x\"]\nenvironment:\n  TF_VAR_regoin: x\n"
    let fix = Analyzer.analyze(SourceText(text), kind: .spec(isJSON: false), context: context).diagnostics
      .first { $0.code == "unknown-terraform-variable" }?.fixes.first?.edits.first?.newText
    #expect(fix == "TF_VAR_region")
    let messages = Analyzer.analyze(SourceText(text), kind: .spec(isJSON: false), context: context)
      .diagnostics
      .filter { $0.code == "missing-terraform-variable" }.map(\.message)
    #expect(
      messages == [
        "the Terraform variable `cluster` (variables.tf) has no default and no tfvars value, and the job does not provide `TF_VAR_cluster`: terraform will fail or wait for input; add it under `environment`, `secrets` or `aliases`",
        "the Terraform variable `token` (variables.tf) has no default and no tfvars value, and the job does not provide `TF_VAR_token`: terraform will fail or wait for input; add it under `environment`, `secrets` or `aliases`",
      ])
  }

  @Test func scriptsTheImageDoesNotHold() {
    let files = ["start.sh", "scripts/stop.sh", "scripts/delete-db.sh", "main.tf"]
    let image = "FROM alpine\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"/bin/sh\"]\n"
    expectCrossFile(
      """
      name: a
      events:
        start: ["-c", "./start.sh && ⟦./scripts/begin.sh⟧{script-not-found} && sh ⟦scripts/nope.sh⟧{script-not-found}"]
        stop: ["scripts/stop.sh"]
        delete: [⟦"scripts/delete.sh"⟧{script-not-found}]
      """, Self.context(dockerfile: image, rootFiles: files))
    let text = "name: a\nevents:\n  delete: [\"scripts/delete-bd.sh\"]\n"
    let context = Self.context(dockerfile: image, rootFiles: files)
    let fix = Analyzer.analyze(SourceText(text), kind: .spec(isJSON: false), context: context).diagnostics
      .first { $0.code == "script-not-found" }?.fixes.first?.edits.first
    #expect(fix?.newText == "delete-db.sh")
  }

  @Test func scriptsThatMayComeFromElsewhereStayQuiet() {
    let files = ["start.sh", "bin/tool.sh"]
    // The base image's own files, another stage's output, PATH lookups and variables are unknowable.
    expectCrossFile(
      """
      name: a
      events:
        start: ["-c", "/usr/local/bin/docker-entrypoint.sh && /dist/run.sh && tool.sh && ./$SCRIPT"]
      """,
      Self.context(
        dockerfile:
          "FROM node\nWORKDIR /app\nCOPY start.sh .\nCOPY --from=build /out /dist\nCOPY bin/ /opt/bin/\nENV PATH=/opt/bin:$PATH\nENTRYPOINT [\"/bin/sh\"]\n",
        rootFiles: files))
    // Globs and single-file copies are followed.
    expectCrossFile(
      "name: a\nevents:\n  start: [\"/app/scripts/start.sh\"]\n  stop: [⟦\"/app/scripts/stop.sh\"⟧{script-not-found}]\n",
      Self.context(
        dockerfile: "FROM debian\nCOPY *.sh /app/scripts/\nENTRYPOINT []\nCMD [\"bash\"]\n", rootFiles: files)
    )
  }

  /// Issue 14's false alarms of `script-not-found`, each beside the same job where the script is
  /// surely missing: a script a RUN creates, one an `ADD x.tar.gz` extracts, one copied from a
  /// folder the walk skips (`dist/`) or through a symbolic link (absent from the listing), and one
  /// the base image may hold in a system folder a single COPY touched (docker-library/php
  /// `8.3/bookworm/apache/Dockerfile` copies `docker-php-entrypoint` and `apache2-foreground` into
  /// `/usr/local/bin/`, which a job built `FROM php:8.3-apache` can run).
  @Test func scriptsWhosePresenceIsUnknownStayQuiet() {
    let files = ["start.sh", "tools.tar.gz", "scripts/stop.sh"]
    let shell = "ENTRYPOINT [\"/bin/sh\"]\n"
    func job(_ dockerfile: String, _ script: String, fires: Bool) {
      let marked = fires ? "⟦\(script)⟧{script-not-found}" : script
      expectCrossFile(
        "name: a\nevents:\n  start: [\"-c\", \"\(marked)\"]\n",
        Self.context(dockerfile: "FROM alpine\n" + dockerfile + shell, rootFiles: files))
    }
    let copy = "WORKDIR /app\nCOPY . .\n"
    job(copy + "RUN printf '#!/bin/sh\\necho hi\\n' > /app/hello.sh\n", "/app/hello.sh", fires: false)
    job(
      copy + "WORKDIR /\nRUN printf '#!/bin/sh\\necho hi\\n' > /usr/local/bin/greet.sh\n", "/app/hello.sh",
      fires: true)
    job(copy + "ADD tools.tar.gz /app/tools/\n", "/app/tools/run.sh", fires: false)
    job(copy + "ADD tools.tar.gz /opt/\nCOPY scripts/ /app/tools/\n", "/app/tools/run.sh", fires: true)
    job(copy + "COPY dist/ /app/dist/\n", "/app/dist/run.sh", fires: false)
    job(copy, "/app/vendor/bin/run.sh", fires: false)
    job("COPY dist/ /app/\nCOPY scripts/ /app/\n", "/app/run.sh", fires: false)
    job("COPY scripts/ /app/\n", "/app/run.sh", fires: true)
    job("COPY linked.sh /app/\nCOPY scripts/ /app/\n", "/app/linked.sh", fires: false)
    job("COPY start.sh /usr/local/bin/\n", "/usr/local/bin/apache2-foreground", fires: false)
    job("COPY start.sh /app/\n", "/app/other.sh", fires: false)
    job("COPY scripts /usr/local/bin/\n", "/usr/local/bin/docker-php-entrypoint", fires: false)
  }

  /// A Dockerfile's diagnostics as rendered markers, checked against a spec that defines `environment`.
  func expectDockerfileUsers(
    _ annotated: String, environment: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let (text, expected) = Markers.parse(annotated)
    let specText =
      "name: a\nevents:\n  start: [\"-c\", \"x\"]\n"
      + (environment.isEmpty ? "" : "environment:\n" + environment.map { "  \($0): x\n" }.joined())
    let spec = SpecReader.read(SourceText(specText)).0
    let diagnostics = Analyzer.analyze(
      SourceText(text), kind: .dockerfile, users: DockerfileUsers(specs: [spec], terraform: nil)
    ).diagnostics
    #expect(
      Markers.render(text, diagnostics.map { ($0.range, $0.code) }) == Markers.render(text, expected),
      sourceLocation: sourceLocation)
  }

  /// moby/buildkit `Dockerfile`: `ARG CNI_VERSION=v1.9.1` before the first FROM, `ARG CNI_VERSION`
  /// in the `cni-plugins` stage, then a RUN reads `${CNI_VERSION}`: the global default applies.
  /// An ENV that sets the name also gives the RUN a value.
  @Test func buildArgumentsWithADefaultFromAGlobalArgOrAnEnv() {
    expectDockerfileUsers(
      """
      ARG CNI_VERSION=v1.9.1
      ARG ALPINE_VERSION
      FROM --platform=$BUILDPLATFORM alpine:${ALPINE_VERSION} AS cni-plugins
      ARG CNI_VERSION
      ARG ⟦NYDUS_VERSION⟧{missing-build-arg}
      ARG TF_VAR_bucket
      ARG TF_VAR_region
      ENV TF_VAR_region=${TF_VAR_region:-us-east-2}
      RUN curl -fsSL https://github.com/containernetworking/plugins/releases/download/${CNI_VERSION}/cni-plugins.tgz | tar xzv
      RUN echo $NYDUS_VERSION $TF_VAR_bucket $TF_VAR_region
      """, environment: ["TF_VAR_bucket"])
  }
}
