import LifecycleAnalysis
import Testing

/// What a name says about a file being a Dockerfile, and what its content says when the name
/// leaves it open (the names are those of real repositories' files).
@Suite struct DockerfileNameTests {
  @Test func byName() {
    let names = [
      "Dockerfile", "dockerfile", "Containerfile", "build.Dockerfile", "debug.containerfile",
      "Dockerfile.prod",
      "Dockerfile.template", "Dockerfile.dockerignore", "dockerfile.go", "Dockerfile.5.md", "Dockerfile.rego",
      "Dockerfile.buildkit.json", "Containerfile.debug", "Dockerfile-full", "README.md",
    ]
    #expect(
      names.map { DockerfileName(fileName: $0) } == [
        .certain, .certain, .certain, .certain, .certain, .byContent, .byContent,
        .otherTool(fileExtension: "dockerignore"), .otherTool(fileExtension: "go"),
        .otherTool(fileExtension: "md"),
        .otherTool(fileExtension: "rego"), .otherTool(fileExtension: "json"), .none, .none, .none,
      ])
    #expect(
      names.map { FileKind.of(fileName: $0) == .dockerfile }
        == names.map { DockerfileName(fileName: $0).isDockerfileByName })
  }

  @Test func byContent() {
    let contents = [
      "# syntax=docker/dockerfile:1\nARG V=1\nFROM alpine:$V\nRUNN typo\n",
      "FROM php:{{ env.phpVersion }}\n",
      "{{\n\tdef is_alpine: env.variant | index(\"alpine\")\n-}}\nFROM alpine\n",
      "FROM alpine\n{% if x %}\nRUN a\n{% endif %}\n",
      "package dockerfile\n\nimport \"fmt\"\n",
      "# only a comment\n",
    ]
    #expect(
      contents.map { DockerfileName.contentProblem(Array($0.utf8)) } == [
        nil, nil,
        "not a Dockerfile: a template, line 1 starts with `{{`",
        "not a Dockerfile: a template, line 2 starts with `{%`",
        "not a Dockerfile: it starts with `package`, which is no Dockerfile instruction",
        "not a Dockerfile: it has no instruction",
      ])
  }
}

extension DockerfileName {
  fileprivate var isDockerfileByName: Bool { self == .certain || self == .byContent }
}
