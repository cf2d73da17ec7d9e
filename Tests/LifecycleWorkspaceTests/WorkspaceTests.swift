import LifecycleAnalysis
import LifecycleSyntax
import LifecycleWorkspace
import Testing

/// Files in a dictionary: folders are implied by the paths, links map a path to another.
struct MemoryFileSystem: FileSystem {
  var files: [String: String]
  var links: [String: String] = [:]

  func contents(_ path: String) -> [UInt8]? { files[path].map { Array($0.utf8) } }

  func type(_ path: String) -> FileType? {
    if links[path] != nil { return .other }
    if files[path] != nil { return .regular }
    let prefix = path.hasSuffix("/") ? path : path + "/"
    return files.keys.contains { $0.hasPrefix(prefix) } ? .directory : nil
  }

  func entries(_ path: String) -> [String]? {
    let prefix = path.hasSuffix("/") ? path : path + "/"
    let names = Set(
      (Array(files.keys) + Array(links.keys)).filter { $0.hasPrefix(prefix) }.map {
        String($0.dropFirst(prefix.count).split(separator: "/")[0])
      })
    return names.isEmpty ? nil : names.sorted()
  }

  /// Resolves a link at any component, as `realpath` does.
  func canonical(_ path: String) -> String {
    for (link, target) in links where path == link || path.hasPrefix(link + "/") {
      return canonical(target + path.dropFirst(link.count))
    }
    return path
  }
}

@Suite struct WorkspaceTests {
  static let spec = "name: a\nsource:\n  root: ../shared\nevents:\n  start: [\"-c\", \"true\"]\n"
  /// A folder without `.git`: a job whose root is a sibling folder.
  static let files = MemoryFileSystem(
    files: [
      "/src/job/lifecycle-job.yaml": spec,
      "/src/shared/Dockerfile": "FROM alpine\nENTRYPOINT [\"/bin/sh\"]\n",
      "/src/shared/main.tf": "variable \"region\" {}\n",
    ],
    links: ["/home/me/link": "/src"])

  func analyze(_ workspace: Workspace, _ path: String) -> (FileAnalysis, LoadedJob?) {
    let canonical = workspace.canonical(path)
    return workspace.analyzeSpec(
      at: canonical, source: SourceText(bytes: workspace.files.contents(canonical) ?? []), isJSON: false)
  }

  /// `check` names the current folder, the server its workspace folder, the runner `--root` (by
  /// default the current folder): the same folder gives the same repository and the same job.
  @Test func withoutGitTheRootTheCallerNamesIsTheRepository() {
    let workspace = Workspace(files: Self.files, roots: ["/src"])
    let (analysis, job) = analyze(workspace, "/src/job/lifecycle-job.yaml")
    #expect(job?.repository == "/src")
    #expect(job?.root == "/src/shared")
    #expect(job?.dockerfile == "/src/shared/Dockerfile")
    #expect(analysis.diagnostics.map(\.code) == ["missing-terraform-variable"])
    // Named from inside the job's own folder, the sibling root is outside: refused alike by all.
    let narrow = Workspace(files: Self.files, roots: ["/src/job"])
    #expect(analyze(narrow, "/src/job/lifecycle-job.yaml").0.diagnostics.map(\.code) == ["root-outside-repository"])
    // No root holds it: the spec's own folder.
    let none = Workspace(files: Self.files, roots: [])
    #expect(none.repository(containing: "/src/job") == "/src/job")
  }

  @Test func theNearestGitFolderWins() {
    var files = Self.files
    files.files["/src/job/.git/HEAD"] = "ref: refs/heads/main\n"
    let workspace = Workspace(files: files, roots: ["/src"])
    #expect(workspace.repository(containing: "/src/job") == "/src/job")
  }

  /// A job reached through a symbolic link is the job the link leads to, with every check.
  @Test func throughALinkItIsTheSameJob() {
    let workspace = Workspace(files: Self.files, roots: ["/home/me/link"])
    #expect(workspace.roots == ["/src"])
    let (analysis, job) = analyze(workspace, "/home/me/link/job/lifecycle-job.yaml")
    #expect(job?.root == "/src/shared")
    #expect(analysis.diagnostics.map(\.code) == ["missing-terraform-variable"])
  }

  /// `COPY . .` takes a symbolic link into the image as a link: a script that is one is there
  /// (the walk lists it without following it).
  @Test func aScriptThatIsALinkIsInTheImage() {
    let files = MemoryFileSystem(
      files: [
        "/r/.git/HEAD": "",
        "/r/job/lifecycle-job.yaml": "name: a\nevents:\n  start: [\"./run.sh\"]\n",
        "/r/job/Dockerfile": "FROM scratch\nCOPY . /app\nWORKDIR /app\n",
        "/r/job/scripts/run.sh": "#!/bin/sh\n",
      ],
      links: ["/r/job/run.sh": "/r/job/scripts/run.sh"])
    let workspace = Workspace(files: files, roots: ["/r"])
    let (analysis, job) = analyze(workspace, "/r/job/lifecycle-job.yaml")
    #expect(job?.dockerfile == "/r/job/Dockerfile")
    #expect(!analysis.diagnostics.map(\.code).contains("script-not-found"), "\(analysis.diagnostics)")
    // Without the link, the script is missing, and said to be.
    var without = files
    without.links = [:]
    #expect(analyze(Workspace(files: without, roots: ["/r"]), "/r/job/lifecycle-job.yaml").0.diagnostics.map(\.code).contains("script-not-found"))
  }

  @Test func theSpecsThatBuildADockerfile() {
    let workspace = Workspace(files: Self.files, roots: ["/src"])
    let (users, paths, first) = workspace.users(
      ofDockerfile: "/src/shared/Dockerfile", among: ["/src/job/lifecycle-job.yaml"])
    #expect(paths == ["/src/job/lifecycle-job.yaml"])
    #expect(users?.terraform?.variables.map(\.variable.name) == ["region"])
    #expect(first?.root == "/src/shared")
    #expect(workspace.users(ofDockerfile: "/src/other/Dockerfile", among: paths).specPaths.isEmpty)
  }

  /// What each analysis read decides what a change drops: a keystroke in spec A drops A and the
  /// Dockerfile it builds, not spec B; a new `.tf` under A's root drops A's job only.
  @Test func aChangeDropsExactlyWhatReadIt() {
    var files = Self.files
    files.files["/src/b/lifecycle-job.yaml"] = "name: b\nevents:\n  start: [\"-c\", \"true\"]\n"
    files.files["/src/b/Dockerfile"] = "FROM alpine\n"
    let workspace = Workspace(files: files, roots: ["/src"])
    let a = AnalysisDependencies(spec: "/src/job/lifecycle-job.yaml", job: analyze(workspace, "/src/job/lifecycle-job.yaml").1)
    let b = AnalysisDependencies(spec: "/src/b/lifecycle-job.yaml", job: analyze(workspace, "/src/b/lifecycle-job.yaml").1)
    let users = workspace.users(ofDockerfile: "/src/shared/Dockerfile", among: ["/src/job/lifecycle-job.yaml"])
    let dockerfile = AnalysisDependencies(
      dockerfile: "/src/shared/Dockerfile", userSpecs: users.specPaths, firstJob: users.firstJob)
    let all = ["a": a, "b": b, "Dockerfile": dockerfile]
    func dropped(_ path: String, builds: String? = nil) -> [String] {
      all.filter { $0.value.dependsOn(path, builds: builds) }.map(\.key).sorted()
    }
    #expect(dropped("/src/job/lifecycle-job.yaml", builds: "/src/shared/Dockerfile") == ["Dockerfile", "a"])
    #expect(dropped("/src/shared/extra.tf") == ["Dockerfile", "a"])
    #expect(dropped("/src/b/extra.tf") == ["b"])
    #expect(dropped("/src/b/Dockerfile") == ["b"])
    // A run recorded outputs in the repository: every job of it may show them.
    #expect(dropped("/src/.lifecycle-job/local.json") == ["Dockerfile", "a", "b"])
  }
}
