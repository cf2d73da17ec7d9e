import Foundation
import TestSupport
import Testing

/// `qovery_job` resources on the command line: `check` finds them, and gives them the same
/// diagnostics as the same job written as a spec.
@Suite struct TerraformJobCLITests {
  static let spec = """
    name: db
    type: terraform
    events:
      start: ["-c", "terraform init && terraform apply -no-color && terraform output -json > /qovery-output/output.json"]
      stop:
        entrypoint: "/bin/sh -c"
      delete: ["-c", "./cleanup.sh", "extra"]
    environment:
      TF_VAR_regoin: "eu-west-3"
      DB_PASSWORD: "hunter2"
      URL: "postgres://{{DB_USRE}}@db"
      DB_USER: "app"
    secrets:
      - TF_VAR_token
    aliases:
      TF_VAR_qovery_environment_id: "QOVERY_ENVIRONMENT_IDD"

    """

  static let resource = """
    resource "qovery_job" "db" {
      environment_id = qovery_environment.this.id
      name           = "db"
      schedule = {
        lifecycle_type = "TERRAFORM"
        on_start = {
          arguments = ["-c", "terraform init && terraform apply -no-color && terraform output -json > /qovery-output/output.json"]
        }
        on_stop = {
          entrypoint = "/bin/sh -c"
        }
        on_delete = {
          arguments = ["-c", "./cleanup.sh", "extra"]
        }
      }
      source = {
        docker = {
          git_repository = {
            url       = "https://github.com/acme/jobs.git"
            branch    = "main"
            root_path = "/db"
          }
          dockerfile_path = "Dockerfile"
        }
      }
      healthchecks = {}
      environment_variables = [
        { key = "TF_VAR_regoin", value = "eu-west-3" },
        { key = "DB_PASSWORD", value = "hunter2" },
        { key = "URL", value = "postgres://{{DB_USRE}}@db" },
        { key = "DB_USER", value = "app" },
      ]
      secrets = [{ key = "TF_VAR_token", value = var.token }]
      environment_variable_aliases = [
        { key = "TF_VAR_qovery_environment_id", value = "QOVERY_ENVIRONMENT_IDD" },
      ]
    }

    """

  /// A git checkout whose remote is the resource's repository (written in another form), with
  /// the job's folder `db/` (spec, Dockerfile, Terraform module) and `jobs.tf` beside it.
  static func checkout() throws -> URL {
    let folder = try CLI.temporaryFolder()
    let git = try ExternalTools.shell(
      "git init -q . && git remote add origin git@github.com:acme/jobs.git", in: folder)
    try #require(git.status == 0, "git: \(git.output)")
    try CLI.write(spec, to: folder.appendingPathComponent("db/lifecycle-job.yaml"))
    try CLI.write(
      "FROM hashicorp/terraform:1.9\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"/bin/sh\"]\n",
      to: folder.appendingPathComponent("db/Dockerfile"))
    try CLI.write(
      "variable \"region\" {}\nvariable \"token\" {}\nvariable \"qovery_environment_id\" {}\nvariable \"size\" {}\n",
      to: folder.appendingPathComponent("db/main.tf"))
    try CLI.write(resource, to: folder.appendingPathComponent("jobs.tf"))
    return folder
  }

  /// `check --format json` as (severity, code, message, the text at the range) per file.
  static func findings(_ arguments: [String], in folder: URL) throws -> [String: [String]] {
    let result = try CLI.run(["check", "--format", "json"] + arguments, in: folder)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
    var byFile: [String: [String]] = [:]
    for diagnostic in object["diagnostics"] as? [[String: Any]] ?? [] {
      let path = diagnostic["path"] as! String
      let text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let range = diagnostic["range"] as! [String: [String: Int]]
      let (start, end) = (range["start"]!, range["end"]!)
      // ASCII text: UTF-16 columns are byte columns.
      var covered = ""
      for line in start["line"]!...end["line"]! {
        let characters = Array(lines[line])
        let from = line == start["line"]! ? start["character"]! : 0
        let to = line == end["line"]! ? end["character"]! : characters.count
        covered += String(characters[from..<to]) + (line == end["line"]! ? "" : "\n")
      }
      byFile[path, default: []].append(
        "\(diagnostic["severity"]!) \(diagnostic["code"]!) at \(covered): \(diagnostic["message"]!)")
    }
    return byFile
  }

  /// The same job as a spec and as a `qovery_job`: the same diagnostics, each at its own place
  /// (the spec's `start`, the resource's `on_start`; a YAML plain scalar, an HCL string).
  @Test func aQovery_jobGetsWhatTheSameSpecGets() throws {
    guard ExternalTools.shouldRun("git --version", missing: "git is not installed") else { return }
    let folder = try Self.checkout()
    let findings = try Self.findings(["db/lifecycle-job.yaml", "jobs.tf"], in: folder)
    let fromSpec = try #require(findings["db/lifecycle-job.yaml"])
    let fromResource = try #require(findings["jobs.tf"])
    let renames = ["at start:": "at on_start:", "at events:": "at schedule:"]
    func placed(_ line: String) -> String {
      var line = line
      for (yaml, hcl) in renames { line = line.replacingOccurrences(of: yaml, with: hcl) }
      return line
    }
    #expect(fromSpec.map(placed) == fromResource)
    #expect(
      fromResource == [
        "warning missing-terraform-variable at schedule: the Terraform variable `region` (main.tf) has no default and no tfvars value, and the job does not provide `TF_VAR_region`: terraform will fail or wait for input; add it under `environment`, `secrets` or `aliases`",
        "warning missing-terraform-variable at schedule: the Terraform variable `size` (main.tf) has no default and no tfvars value, and the job does not provide `TF_VAR_size`: terraform will fail or wait for input; add it under `environment`, `secrets` or `aliases`",
        "error interactive-command at apply: `terraform apply` asks for confirmation and nobody will answer: the job hangs until its timeout; add `-auto-approve`",
        "warning output-path at /qovery-output/output.json: the platform reads outputs only from `/qovery-output/qovery-output.json`; `/qovery-output/output.json` is never read",
        "error entrypoint-has-spaces at \"/bin/sh -c\": the entrypoint is one executable name, so `/bin/sh -c` looks for a file with spaces in its name; use `entrypoint: /bin/sh` and put `-c` first in `arguments`",
        "error script-not-found at ./cleanup.sh: `./cleanup.sh` is not in the image: the Dockerfile copies the job's files to `/app`, which holds no `cleanup.sh`",
        "warning shell-extra-arguments at \"extra\": this element is not part of the script: `sh -c` runs only the element after `-c` and makes the rest `$0`; join it into the script",
        "warning unknown-terraform-variable at TF_VAR_regoin: `TF_VAR_regoin` sets no Terraform variable: the module declares no `variable \"regoin\"`; did you mean `TF_VAR_region`?",
        "warning secret-in-plain-text at \"hunter2\": `DB_PASSWORD` looks like a secret but its value is written in the spec, where anyone with the repository reads it; list the name under `secrets` and supply the value at run time",
        "warning undefined-variable at DB_USRE: `{{DB_USRE}}` is defined nowhere in this job; did you mean `DB_USER`?",
        "error unknown-alias-target at \"QOVERY_ENVIRONMENT_IDD\": the alias `TF_VAR_qovery_environment_id` stands for `QOVERY_ENVIRONMENT_IDD`, which is neither a built-in variable nor defined by this job; did you mean `QOVERY_ENVIRONMENT_ID`?",
      ])
  }

  /// Outside the checkout of its repository, a job says once why its files are not checked;
  /// `--repository URL=FOLDER` says where they are.
  @Test func aRepositoryElsewhereIsNamedOrMapped() throws {
    guard ExternalTools.shouldRun("git --version", missing: "git is not installed") else { return }
    let folder = try Self.checkout()
    let infra = try CLI.temporaryFolder()
    try CLI.write(Self.resource, to: infra.appendingPathComponent("jobs.tf"))
    try CLI.write("variable \"x\" {}\n", to: infra.appendingPathComponent("other.tf"))
    let alone = try Self.findings(["."], in: infra)
    #expect(alone.keys.sorted() == ["jobs.tf"])
    #expect(
      alone["jobs.tf"]?.filter { $0.contains("job-files-unknown") } == [
        "information job-files-unknown at \"https://github.com/acme/jobs.git\": `https://github.com/acme/jobs.git` is not this checkout's repository (which has no remote): the job's Dockerfile and Terraform module are not checked; give its folder with `check --repository https://github.com/acme/jobs.git=FOLDER`"
      ])
    #expect(alone["jobs.tf"]?.contains { $0.contains("script-not-found") } == false)
    let mapped = try Self.findings(
      ["--repository", "https://github.com/acme/jobs=\(folder.path)", "jobs.tf"], in: infra)
    #expect(mapped["jobs.tf"] == (try Self.findings(["jobs.tf"], in: folder))["jobs.tf"])
  }

  /// `run start jobs.tf --resource qovery_job.NAME` runs the job with the runner: its secrets,
  /// and the variables whose values Terraform computes, are supplied as a spec's secrets are.
  @Test func runStartsAQovery_job() throws {
    guard ExternalTools.shouldRun("git --version", missing: "git is not installed") else { return }
    let folder = try CLI.temporaryFolder()
    _ = try ExternalTools.shell(
      "git init -q . && git remote add origin https://github.com/acme/jobs", in: folder)
    try CLI.write(
      "FROM alpine:3.20\nENTRYPOINT [\"/bin/sh\"]\n", to: folder.appendingPathComponent("db/Dockerfile"))
    let resource = #"""
      resource "qovery_job" "db" {
        name = "db"
        schedule = {
          on_start = {
            arguments = ["-c", "test -n \"$TF_VAR_size\" && printf '{\"host\": {\"value\": \"%s-2\"}}' \"$TF_VAR_region\" > /qovery-output/qovery-output.json; echo \"token $TF_VAR_token\""]
          }
        }
        source = { docker = { git_repository = { url = "git@github.com:acme/jobs.git", branch = "main", root_path = "/db" }, dockerfile_path = "Dockerfile" } }
        environment_variables = [{ key = "TF_VAR_region", value = "eu-west-3" }, { key = "TF_VAR_size", value = var.size }]
        secrets = [{ key = "TF_VAR_token", value = var.token }]
      }
      resource "qovery_job" "other" {
        schedule = { on_start = { arguments = ["-c", "exit 3"] } }
        source = { image = { name = "alpine", tag = "3.20", registry_id = var.registry } }
      }

      """#
    try CLI.write(resource, to: folder.appendingPathComponent("jobs.tf"))
    let run = ["run", "start", "jobs.tf", "--engine", "process", "--grace-seconds", "1"]
    let ambiguous = try CLI.run(run, in: folder)
    #expect(
      ambiguous
        == CLIResult(
          status: 2, stdout: "",
          stderr:
            "lifecycle-job: error: \(folder.resolvingSymlinksInPath().path)/jobs.tf declares several jobs (qovery_job.db, qovery_job.other): name one with --resource\n"
        ))
    let missing = try CLI.run(run + ["--resource", "qovery_job.db"], in: folder)
    #expect(
      missing
        == CLIResult(
          status: 2, stdout: "",
          stderr:
            "lifecycle-job: error: no value for the secrets `TF_VAR_size`, `TF_VAR_token`: give them with --env NAME=VALUE, --env-file FILE or in the environment; nothing was run\n"
        ))
    let result = try CLI.run(
      run + [
        "--resource", "qovery_job.db", "--env", "TF_VAR_token=s3cret-value", "--env", "TF_VAR_size=2048",
        "--format", "jsonl",
      ],
      in: folder)
    let events = result.stdout.split(separator: "\n").map(String.init).filter {
      !$0.contains("\"exit\"") && !$0.contains("output-folder-rewritten") && !$0.contains("\"note\"")
    }
    #expect(result.status == 0, "\(result)")
    #expect(
      events == [
        #"{"event":"log","stream":"stdout","text":"token ••••••\n"}"#,
        // The job's id comes from its file and resource name.
        #"{"event":"output","name":"QOVERY_OUTPUT_JOB_Z0A9F1907_HOST","alias":"HOST","sensitive":false,"value":"eu-west-3-2"}"#,
      ])
  }

  /// `export terraform` prints the resource of a spec; `import terraform -o` writes it back as a
  /// spec beside the first, with its root relative to it; a spec with errors is not exported.
  @Test func exportAndImportOnTheCommandLine() throws {
    guard ExternalTools.shouldRun("git --version", missing: "git is not installed") else { return }
    let folder = try CLI.temporaryFolder()
    _ = try ExternalTools.shell(
      "git init -q . && git remote add origin https://github.com/acme/jobs", in: folder)
    try CLI.writeJob(
      "name: s3\nevents:\n  start: [\"-c\", \"aws s3 mb s3://x\"]\n  delete: [\"-c\", \"aws s3 rb s3://x\"]\nsecrets:\n  - AWS_SECRET_ACCESS_KEY\n",
      to: folder.appendingPathComponent("jobs/s3/lifecycle-job.yaml"))
    let exported = try CLI.run(["export", "terraform", "jobs/s3/lifecycle-job.yaml"], in: folder)
    #expect(exported.status == 0 && exported.stderr == "", "\(exported)")
    #expect(exported.stdout.contains("      root_path = \"/jobs/s3\"\n"))
    #expect(
      exported.stdout.contains(
        "    { key = \"AWS_SECRET_ACCESS_KEY\", value = var.aws_secret_access_key },\n"))
    try CLI.write(
      exported.stdout.replacingOccurrences(
        of: "var.repository_url", with: "\"git@github.com:acme/jobs.git\""),
      to: folder.appendingPathComponent("infra/jobs.tf"))
    let imported = try CLI.run(
      ["import", "terraform", "infra/jobs.tf", "-o", "jobs/s3/again.lifecycle-job.yaml"], in: folder)
    #expect(imported == CLIResult(status: 0, stdout: "", stderr: ""))
    #expect(
      try String(
        contentsOf: folder.appendingPathComponent("jobs/s3/again.lifecycle-job.yaml"), encoding: .utf8)
        == "name: s3\nevents:\n  start: [\"-c\", \"aws s3 mb s3://x\"]\n  delete: [\"-c\", \"aws s3 rb s3://x\"]\nsecrets:\n  - AWS_SECRET_ACCESS_KEY\n"
    )
    #expect(
      try CLI.run(["check", "."], in: folder)
        == CLIResult(status: 0, stdout: "", stderr: "4 files checked, no problems found\n"))
    try CLI.write("name: bad\n", to: folder.appendingPathComponent("bad/lifecycle-job.yaml"))
    let refused = try CLI.run(["export", "terraform", "bad/lifecycle-job.yaml"], in: folder)
    #expect(
      refused
        == CLIResult(
          status: 2, stdout: "",
          stderr:
            "lifecycle-job: error: bad/lifecycle-job.yaml has 2 errors: fix them first (`lifecycle-job check`)\n"
        ))
  }

  /// The repository's rules hold for a `qovery_job` too: a root_path that leaves the repository,
  /// and a Dockerfile built by a job that does not give its build arguments.
  @Test func rootsOutsideAndBuildArguments() throws {
    guard ExternalTools.shouldRun("git --version", missing: "git is not installed") else { return }
    let folder = try CLI.temporaryFolder()
    _ = try ExternalTools.shell(
      "git init -q . && git remote add origin https://github.com/acme/jobs", in: folder)
    try CLI.write(
      "FROM alpine\nARG TF_VAR_version\nRUN echo \"$TF_VAR_version\" > /version\nENTRYPOINT [\"/bin/sh\"]\n",
      to: folder.appendingPathComponent("build/Dockerfile"))
    try CLI.write(
      #"""
      resource "qovery_job" "outside" {
        schedule = { on_start = { arguments = ["-c", "true"] } }
        source = { docker = { git_repository = { url = "https://github.com/acme/jobs", branch = "main", root_path = "/../elsewhere" } } }
      }
      resource "qovery_job" "build" {
        schedule = { on_start = { arguments = ["-c", "true"] } }
        source = { docker = { git_repository = { url = "https://github.com/acme/jobs", branch = "main", root_path = "/build" }, dockerfile_path = "Dockerfile" } }
      }

      """#, to: folder.appendingPathComponent("jobs.tf"))
    let result = try CLI.run(["check", "."], in: folder)
    #expect(
      result.stdout.split(separator: "\n").filter { $0.contains(": error: ") || $0.contains(": warning: ") }
        == [
          "build/Dockerfile:2:5: warning: `TF_VAR_version` is read by a RUN but the job does not define it, so it is empty at build time; add it to the spec's `environment`, `secrets` or `aliases`, or give the ARG a default [missing-build-arg]",
          "jobs.tf:3:111: error: the root `../elsewhere` is outside the repository; the platform builds inside the repository only [root-outside-repository]",
        ], "\(result)")
  }
}
