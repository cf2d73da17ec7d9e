import LifecycleSyntax
import Testing

@Suite struct DockerfileParserTests {
  func parse(_ text: String) -> Dockerfile { DockerfileParser.parse(SourceText(text)) }

  func text(_ source: String, _ range: TextRange) -> String { SourceText(source).text(range) }

  @Test func heredocsAreReadAndSkipped() {
    let source = """
      FROM alpine
      RUN <<EOF
      echo "RUN not an instruction"
      FROM nothing
      EOF
      COPY <<-"A" /a <<B /b
      \tliteral $HOME
      \tA
      expanded $HOME
      B
      CMD ["sh"]

      """
    let dockerfile = parse(source)
    #expect(dockerfile.errors == [])
    #expect(dockerfile.instructions.map(\.name) == ["from", "run", "copy", "cmd"])
    let run = dockerfile.instructions[1]
    #expect(run.heredocs.map(\.name) == ["EOF"])
    #expect(run.heredocs[0].body.value == "echo \"RUN not an instruction\"\nFROM nothing\n")
    let copy = dockerfile.instructions[2]
    #expect(
      copy.heredocs.map { "\($0.name) \($0.stripsTabs) \($0.expands)" } == ["A true false", "B false true"])
    #expect(copy.heredocs[1].body.value == "expanded $HOME\n")
  }

  @Test func unterminatedHeredocIsAnError() {
    let dockerfile = parse("FROM alpine\nRUN <<EOF\necho hi\n")
    #expect(
      dockerfile.errors.map(\.message) == ["the heredoc `<<EOF` is never terminated: no line reads `EOF`"])
  }

  @Test func continuationsKeepExactRanges() {
    let source = "FROM alpine\nRUN echo a \\\n  # a comment\n\n    && echo $B\n"
    let dockerfile = parse(source)
    let run = dockerfile.instructions[1]
    #expect(run.values == ["echo a     && echo $B"])
    guard case .shell(let shell?) = run.form else {
      Issue.record("not shell form")
      return
    }
    // `$B` sits on the fifth line: its range maps through the joined lines.
    let offset = shell.value.utf8.count - 2
    let range = shell.map.sourceRange(TextRange(offset, offset + 2))
    #expect(text(source, range) == "$B")
    #expect(SourceText(source).position(of: range.start) == LinePosition(line: 4, character: 12))
  }

  @Test func execFormElementsMapToTheFile() {
    let source = "FROM alpine\nENTRYPOINT [\"/bin/sh\", \"-c\"]\n"
    let entrypoint = parse(source).instructions[1]
    guard case .exec(let elements) = entrypoint.form else {
      Issue.record("not exec form")
      return
    }
    #expect(elements.map(\.value) == ["/bin/sh", "-c"])
    #expect(elements.map { text(source, $0.range) } == ["\"/bin/sh\"", "\"-c\""])
  }

  @Test func invalidJSONFallsBackToShellFormWithTheErrorPositioned() {
    let source = "FROM alpine\nCMD [\"echo\" \"hi\"]\n"
    let cmd = parse(source).instructions[1]
    #expect(cmd.values == ["[\"echo\" \"hi\"]"])
    #expect(cmd.jsonError.map { text(source, $0.range) } == "\"")
    #expect(
      cmd.jsonError.map { SourceText(source).position(of: $0.range.start) }
        == LinePosition(line: 1, character: 12))
    // A shell test is not a broken exec form.
    #expect(parse("FROM a\nRUN [ -f /x ] && echo y\n").instructions[1].jsonError == nil)
    #expect(parse("FROM a\nRUN [ \"$A\" = \"b\" ]\n").instructions[1].jsonError == nil)
  }

  @Test func directivesAndEscape() {
    let dockerfile = parse("# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine\nRUN echo a `\n  b\n")
    #expect(dockerfile.directives.keys.sorted() == ["escape", "syntax"])
    #expect(dockerfile.escapeCharacter == UInt8(ascii: "`"))
    #expect(dockerfile.instructions[1].values == ["echo a   b"])
    #expect(
      parse("# escape=x\nFROM a\n").errors.map(\.message) == [
        "invalid escape character `x`: use `\\` or a backquote"
      ])
  }

  @Test func variablesAndFlagsHaveRanges() {
    let source = "FROM alpine AS build\nARG VERSION\nCOPY --from=build --chmod=755 ${VERSION:-1}/app $DEST\n"
    let copy = parse(source).instructions[2]
    #expect(copy.flags.map { "\($0.name)=\($0.value ?? "")" } == ["from=build", "chmod=755"])
    #expect(
      copy.variables.map { "\($0.name) \(text(source, $0.range)) \($0.handlesUnset)" } == [
        "VERSION ${VERSION:-1} true", "DEST $DEST false",
      ])
    #expect(parse(source).instructions[0].stageName == "build")
  }

  @Test func anyBytesParseWithoutTrapping() {
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("FROM RUN CMD [\"],\\`'<<EOF\n\t $#{}-=".utf8) + [0x00, 0xFF, 0xC3]
    for _ in 0..<500 {
      let length = Int.random(in: 0..<200, using: &generator)
      let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
      _ = DockerfileParser.parse(SourceText(bytes: bytes))
    }
    let corpus = "FROM a\nRUN <<EOF\nx\nEOF\nCMD [\"a\", \"b\"]\nENV A=1 B=\"2 3\"\n"
    for cut in 0...corpus.utf8.count {
      _ = DockerfileParser.parse(SourceText(bytes: Array(corpus.utf8.prefix(cut))))
    }
  }
}
