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
      loaded.context = JobContext(root: context.root, dockerfile: dockerfile, terraformFiles: context.terraformFiles)
      loaded.dockerfile = nil
    }
    return (.found(loaded.context), loaded)
  }
}
