//! A `qovery_job` of a Terraform file, found in the workspace: the repository its
//! `git_repository.url` names is the checkout holding the `.tf` file when that URL is one of its
//! remotes, or a folder the caller maps the URL to; from there `root_path` and `dockerfile_path`
//! lead to the job's files exactly as a spec's `source.root` and `source.dockerfile` do.

import LifecycleAnalysis
import LifecycleSyntax

/// Folders the caller says hold repositories (`check --repository URL=FOLDER`), by URL.
public struct RepositoryMap: Equatable, Sendable {
  /// Absolute folders by normalised URL (`GitRemotes.normalized`).
  public private(set) var folders: [String: String] = [:]

  public init() {}

  /// Maps `url` to `folder` (absolute).
  public mutating func map(_ url: String, to folder: String) {
    folders[GitRemotes.normalized(url)] = folder
  }

  public func folder(for url: String) -> String? { folders[GitRemotes.normalized(url)] }
}

extension Workspace {
  /// Analyses the `qovery_job` resources of the Terraform file at `path` (absolute, canonical),
  /// each against its job's files when they are found; the jobs found, by resource name.
  public func analyzeTerraform(
    at path: String, source: SourceText, isJSON: Bool, settings: AnalysisSettings = AnalysisSettings(),
    repositories: RepositoryMap = RepositoryMap()
  ) -> (analysis: TerraformFileAnalysis, jobs: [String: LoadedJob]) {
    var jobs: [String: LoadedJob] = [:]
    let analysis = Analyzer.analyzeTerraform(
      source, isJSON: isJSON, settings: settings,
      filesFor: { job in
        let (files, loaded) = self.files(ofTerraformJob: job, at: path, repositories: repositories)
        if let loaded { jobs[job.resourceName] = loaded }
        return files
      })
    return (analysis, jobs)
  }

  /// The files of `job`, declared in the Terraform file at `path`: what the checks know of them,
  /// and where they are.
  public func files(ofTerraformJob job: TerraformJob, at path: String, repositories: RepositoryMap)
    -> (TerraformJobFiles, LoadedJob?)
  {
    guard !job.isCronJob, case .docker(let git) = job.source else { return (.none, nil) }
    guard let url = git.url?.value else {
      return (
        .notFound(
          reason:
            "the repository URL is computed by Terraform: the job's Dockerfile and Terraform module are not checked"
        ), nil
      )
    }
    guard git.computedPaths.isEmpty else {
      let names = git.computedPaths.map { "`\($0)`" }.joined(separator: ", ")
      return (
        .notFound(
          reason:
            "\(names) \(git.computedPaths.count == 1 ? "is" : "are") computed by Terraform: the job's Dockerfile and Terraform module are not checked"
        ), nil
      )
    }
    let repository: String
    if let mapped = repositories.folder(for: url) {
      repository = canonical(mapped)
    } else {
      let checkout = self.repository(containing: Paths.parent(path))
      let remotes = GitRemotes.urls(ofCheckout: checkout, in: files)
      guard remotes.contains(where: { GitRemotes.normalized($0) == GitRemotes.normalized(url) }) else {
        let known =
          remotes.isEmpty
          ? "which has no remote"
          : "whose remotes are " + remotes.map { "`\($0)`" }.joined(separator: ", ")
        return (
          .notFound(
            reason:
              "`\(url)` is not this checkout's repository (\(known)): the job's Dockerfile and Terraform module are not checked; give its folder with `check --repository \(url)=FOLDER`"
          ), nil
        )
      }
      repository = checkout
    }
    // `root_path` is relative to the repository: read the job as a spec at the repository's top.
    var spec = job.spec
    if let root = spec.root { spec.root = Located(job.rootInRepository, root.range) }
    var loaded = self.job(ofSpecAt: repository + "/" + Paths.name(path), spec: spec)
    let context = loaded.context
    var dockerfile = context.dockerfile
    if git.dockerfileIsInline {
      dockerfile = .unknown
    } else if spec.dockerfile == nil, case .missing = dockerfile {
      dockerfile = .unknown  // No `dockerfile_path`: the platform's default is not documented.
    }
    if dockerfile != context.dockerfile {
      loaded.context = JobContext(
        root: context.root, dockerfile: dockerfile, terraformFiles: context.terraformFiles)
      loaded.dockerfile = nil
    }
    return (.found(loaded.context), loaded)
  }
}

/// A `qovery_job` made ready to run: the job as a spec would give it, its files, and how many
/// errors its checks found.
public struct TerraformJobToRun: Sendable {
  public var resourceName: String
  public var spec: JobSpec
  public var job: LoadedJob
  public var errorCount: Int
}

extension Workspace {
  /// The `qovery_job` named `resource` (`qovery_job.NAME` or `NAME`; nil when the file declares
  /// one) of the Terraform file at `path` (absolute, canonical), ready to run; the reason when it
  /// cannot be. A variable whose value Terraform computes is asked for as a secret is.
  public func terraformJobToRun(
    at path: String, resource: String?, repositories: RepositoryMap = RepositoryMap()
  ) -> Result<TerraformJobToRun, TerraformRunProblem> {
    guard let bytes = files.contents(path), let isJSON = TerraformFileName.isJSON(Paths.name(path)) else {
      return .failure(TerraformRunProblem("\(path): not a readable Terraform file"))
    }
    let source = SourceText(bytes: bytes)
    let (analysis, jobs) = analyzeTerraform(
      at: path, source: source, isJSON: isJSON, repositories: repositories)
    let terraformJob: TerraformJob
    switch TerraformJob.select(resource, among: analysis.jobs, in: path) {
    case .success(let selected): terraformJob = selected
    case .failure(let problem): return .failure(problem)
    }
    guard !terraformJob.isCronJob else {
      return .failure(
        TerraformRunProblem(
          "`qovery_job.\(terraformJob.resourceName)` is a cron job: it has no lifecycle event"))
    }
    let errors = analysis.diagnostics.filter {
      $0.severity == .error && terraformJob.range.start <= $0.range.start
        && $0.range.start <= terraformJob.range.end
    }.count
    var spec = terraformJob.spec
    for index in spec.variables.indices where spec.variables[index].kind == .environment {
      if spec.variables[index].value == nil { spec.variables[index].kind = .secret }
    }
    spec.variables.removeAll { $0.kind == .alias && $0.value == nil }
    let loaded: LoadedJob
    switch terraformJob.source {
    case .docker:
      if let found = jobs[terraformJob.resourceName] {
        guard found.dockerfile != nil else {
          return .failure(
            TerraformRunProblem(
              "`qovery_job.\(terraformJob.resourceName)` gives no Dockerfile to build (`dockerfile_path` is not set, or `dockerfile_raw` is used)"
            ))
        }
        loaded = found
      } else {
        let reason = analysis.diagnostics.first {
          $0.code == "job-files-unknown" && $0.range.start >= terraformJob.range.start
            && $0.range.end <= terraformJob.range.end
        }?.message
        return .failure(TerraformRunProblem(reason ?? "the job's files are not found"))
      }
    case .image:
      loaded = LoadedJob(
        context: JobContext(), repository: repository(containing: Paths.parent(path)),
        root: Paths.parent(path))
    case .unknown:
      return .failure(
        TerraformRunProblem(
          "`qovery_job.\(terraformJob.resourceName)` has no `source` it can read (`source.docker` or `source.image`)"
        ))
    }
    return .success(
      TerraformJobToRun(resourceName: terraformJob.resourceName, spec: spec, job: loaded, errorCount: errors))
  }
}

extension TerraformJob {
  /// The job named `resource` (`qovery_job.NAME` or `NAME`) among the jobs of the file at
  /// `path`, or the only one when `resource` is nil.
  public static func select(_ resource: String?, among jobs: [TerraformJob], in path: String)
    -> Result<TerraformJob, TerraformRunProblem>
  {
    let wanted = resource.map { $0.hasPrefix("qovery_job.") ? String($0.dropFirst("qovery_job.".count)) : $0 }
    let candidates = jobs.filter { wanted == nil || $0.resourceName == wanted }
    if let job = candidates.first, wanted != nil || candidates.count == 1 { return .success(job) }
    let names = jobs.map { "qovery_job.\($0.resourceName)" }.joined(separator: ", ")
    if jobs.isEmpty { return .failure(TerraformRunProblem("\(path) declares no `qovery_job` resource")) }
    if let wanted {
      return .failure(
        TerraformRunProblem("\(path) declares no `qovery_job.\(wanted)` (it declares \(names))"))
    }
    return .failure(TerraformRunProblem("\(path) declares several jobs (\(names)): name one with --resource"))
  }
}

/// Why a `qovery_job` cannot run.
public struct TerraformRunProblem: Error, Equatable, Sendable {
  public var message: String

  public init(_ message: String) { self.message = message }
}

/// Terraform configuration file names.
public enum TerraformFileName {
  /// false for `*.tf`, true for `*.tf.json`, nil for any other name.
  public static func isJSON(_ fileName: String) -> Bool? {
    let lowered = fileName.lowercased()
    if lowered.hasSuffix(".tf") { return false }
    if lowered.hasSuffix(".tf.json") { return true }
    return nil
  }
}
