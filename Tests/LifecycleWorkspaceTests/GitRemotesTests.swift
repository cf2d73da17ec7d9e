import LifecycleWorkspace
import Testing

/// A `qovery_job`'s repository is the checkout's when the URLs name the same repository.
@Suite struct GitRemotesTests {
  @Test func urlsOfEveryFormNameTheSameRepository() {
    let forms = [
      "https://github.com/Acme/Jobs.git", "https://github.com/acme/jobs", "https://github.com/acme/jobs/",
      "http://user@github.com/acme/jobs.git", "git@github.com:acme/jobs.git", "git@github.com:acme/jobs",
      "ssh://git@github.com/acme/jobs.git", "ssh://git@github.com:22/acme/jobs.git",
      "git+https://github.com/acme/jobs",
      "  https://github.com/acme/jobs.git  ",
    ]
    #expect(forms.map(GitRemotes.normalized) == Array(repeating: "github.com/acme/jobs", count: forms.count))
    #expect(
      [
        "https://gitlab.com/acme/jobs", "https://github.com/acme/jobs-infra",
        "https://github.com/acme/group/jobs",
      ]
      .map(GitRemotes.normalized) == [
        "gitlab.com/acme/jobs", "github.com/acme/jobs-infra", "github.com/acme/group/jobs",
      ])
  }

  @Test func remotesAreTheURLsOfRemoteSections() {
    let config = """
      [core]
      \turl = not-a-remote
      [remote "origin"]
      \turl = git@github.com:acme/jobs.git
      \tfetch = +refs/heads/*:refs/remotes/origin/*
      [branch "main"]
      \tremote = origin
      [remote "fork"]
      \tURL = "https://github.com/me/jobs"

      """
    #expect(
      GitRemotes.remoteURLs(inConfig: config) == [
        "git@github.com:acme/jobs.git", "https://github.com/me/jobs",
      ])
  }
}
