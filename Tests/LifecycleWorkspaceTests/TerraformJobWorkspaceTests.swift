import LifecycleAnalysis
import LifecycleSyntax
import LifecycleWorkspace
import Testing

/// Where a `qovery_job`'s files are: its `.tf` file's checkout when the URL is a remote of it,
/// a mapped folder, or nowhere (and why).
@Suite struct TerraformJobWorkspaceTests {
  static func resource(url: String = "\"https://github.com/acme/jobs\"", root: String = "\"/db\"") -> String {
    """
    resource "qovery_job" "db" {
      schedule = { on_start = { arguments = ["-c", "./run.sh"] } }
      source = { docker = { git_repository = { url = \(url), branch = "main", root_path = \(root) }, dockerfile_path = "Dockerfile" } }
    }

    """
  }

  static let job: [String: String] = [
    "/repo/db/Dockerfile": "FROM alpine\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"/bin/sh\"]\n",
    "/repo/db/main.tf": "variable \"region\" {}\n",
  ]

  /// What `analyzeTerraform` reports for `infra/jobs.tf` of the file system `files`.
  static func findings(
    _ files: [String: String], path: String = "/repo/infra/jobs.tf", map: RepositoryMap = RepositoryMap()
  )
    -> [String]
  {
    let workspace = Workspace(files: MemoryFileSystem(files: files), roots: ["/"])
    let source = SourceText(files[path]!)
    return workspace.analyzeTerraform(at: path, source: source, isJSON: false, repositories: map).analysis
      .diagnostics
      .map { "\($0.code) at \(source.text($0.range)): \($0.message)" }
  }

  static let found = [
    "missing-terraform-variable at schedule: the Terraform variable `region` (main.tf) has no default and no tfvars value, and the job does not provide `TF_VAR_region`: terraform will fail or wait for input; add it under `environment`, `secrets` or `aliases`",
    "script-not-found at ./run.sh: `./run.sh` is not in the image: the Dockerfile copies the job's files to `/app`, which holds no `run.sh`",
  ]

  @Test func aRemoteOfTheCheckout() {
    var files = Self.job
    files["/repo/.git/config"] = "[remote \"origin\"]\n\turl = git@github.com:acme/jobs.git\n"
    files["/repo/infra/jobs.tf"] = Self.resource()
    #expect(Self.findings(files) == Self.found)
  }

  @Test func aLinkedWorktreeReadsItsRepositorysConfiguration() {
    var files = Self.job
    files["/repo/.git"] = "gitdir: /main/.git/worktrees/repo\n"
    files["/main/.git/worktrees/repo/commondir"] = "../..\n"
    files["/main/.git/config"] = "[remote \"origin\"]\n\turl = https://github.com/acme/jobs.git\n"
    files["/repo/infra/jobs.tf"] = Self.resource()
    #expect(Self.findings(files) == Self.found)
  }

  @Test func anotherRepositoryIsMappedOrSaidOnce() {
    var files = Self.job
    files["/repo/.git/config"] = "[remote \"origin\"]\n\turl = https://github.com/acme/infra\n"
    files["/elsewhere/.git/config"] = ""
    files["/elsewhere/jobs.tf"] = Self.resource()
    #expect(
      Self.findings(files, path: "/elsewhere/jobs.tf") == [
        "job-files-unknown at \"https://github.com/acme/jobs\": `https://github.com/acme/jobs` is not this checkout's repository (which has no remote): the job's Dockerfile and Terraform module are not checked; give its folder with `check --repository https://github.com/acme/jobs=FOLDER`"
      ])
    var map = RepositoryMap()
    map.map("git@github.com:acme/jobs.git", to: "/repo")
    #expect(Self.findings(files, path: "/elsewhere/jobs.tf", map: map) == Self.found)
  }

  @Test func computedPlacesKeepTheFilesUnknown() {
    var files = Self.job
    files["/repo/.git/config"] = "[remote \"origin\"]\n\turl = https://github.com/acme/jobs\n"
    files["/repo/infra/jobs.tf"] = Self.resource(root: "var.root")
    #expect(
      Self.findings(files) == [
        "job-files-unknown at \"https://github.com/acme/jobs\": `root_path` is computed by Terraform: the job's Dockerfile and Terraform module are not checked"
      ])
    files["/repo/infra/jobs.tf"] = Self.resource(url: "var.url")
    #expect(
      Self.findings(files) == [
        "job-files-unknown at var.url: the repository URL is computed by Terraform: the job's Dockerfile and Terraform module are not checked"
      ])
  }
}
