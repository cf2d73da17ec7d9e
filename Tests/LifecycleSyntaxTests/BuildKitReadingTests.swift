import LifecycleSyntax
import Testing

/// The reading rules of today's BuildKit parser (moby/buildkit `frontend/dockerfile/parser`)
/// that the real-file sweep does not all cover, one tiny case each, compared in BuildKit's terms.
@Suite struct BuildKitReadingTests {
  func reading(_ text: String) -> BuildKitReading {
    let source = SourceText(text)
    return BuildKitDump.reading(of: DockerfileParser.parse(source), in: source)
  }

  func dumps(_ text: String) -> [String] { reading(text).instructions.map(\.dump) }

  /// BuildKit v0.15 (dockerfile 1.9): the whole text must be one JSON array, else it is shell
  /// form, and the image then runs `/bin/sh -c '["npm", "start"] # comment'`.
  @Test func textAfterAJSONArrayMakesShellForm() {
    let source = "FROM node\nCMD [\"npm\", \"start\"] # comment\n"
    #expect(dumps(source) == [#"(from "node")"#, #"(cmd "[\"npm\", \"start\"] # comment")"#])
    let cmd = DockerfileParser.parse(SourceText(source)).instructions[1]
    #expect(cmd.jsonError?.message == "unexpected `#` after the end of the JSON value")
    #expect(cmd.jsonError?.range == TextRange(31, 32))
  }

  /// Go's encoding/json reads a byte that is not UTF-8 (a Latin-1 `é`) as U+FFFD: still exec form.
  @Test func anArrayWithLatin1BytesIsStillExecForm() {
    let source = SourceText(
      bytes: Array("FROM alpine\nCMD [\"caf".utf8) + [0xE9] + Array("\", \"ok\"]\n".utf8))
    let cmd = DockerfileParser.parse(source).instructions[1]
    #expect(cmd.values == ["caf\u{FFFD}", "ok"])
    #expect(cmd.isExecForm && cmd.jsonError == nil)
    guard case .exec(let elements) = cmd.form else { return }
    // The U+FFFD maps back to the one byte it replaces.
    #expect(elements[0].map.sourceRange(TextRange(3, 6)) == TextRange(21, 22))
  }

  @Test func heredocNamesAsBuildKitLexesThem() {
    let source = """
      FROM alpine
      RUN cat <<\\EOF
      x $A
      EOF
      RUN cat << EOF
      y
      EOF
      RUN cat <<\\"Q\\" 3<<-'T'
      q
      "Q"
      \tt
      \tT

      """
    let instructions = reading(source).instructions
    #expect(instructions.map { [$0.startLine, $0.endLine] } == [[1, 1], [2, 4], [5, 7], [8, 12]])
    #expect(
      instructions.map(\.heredocs) == [
        [],
        [BuildKitHeredoc(name: "EOF", expand: true, chomp: false, fd: 0, content: "x $A\n")],
        [BuildKitHeredoc(name: "EOF", expand: true, chomp: false, fd: 0, content: "y\n")],
        [
          BuildKitHeredoc(name: "\"Q\"", expand: true, chomp: false, fd: 0, content: "q\n"),
          BuildKitHeredoc(name: "T", expand: false, chomp: true, fd: 3, content: "\tt\n"),
        ],
      ])
  }

  /// BuildKit's lexer refuses the line (`'` never closes), so it finds no heredoc on it.
  @Test func aLineTheLexerRefusesHasNoHeredoc() {
    #expect(
      dumps("FROM alpine\nRUN cat <<EOF # it's\nEOF\n") == [
        #"(from "alpine")"#, #"(run "cat <<EOF # it's")"#, #"(eof "")"#,
      ])
  }

  /// Go's `unicode.IsSpace` where BuildKit trims and splits words; `[\t\v\f\r ]` where it splits
  /// with its `reWhitespace`.
  @Test func unicodeSpacesWhereBuildKitTrims() {
    let source = "\u{A0}FROM alpine\nARG A=1\u{A0}B=2\nCMD [\"a\"]\u{2003}\nEXPOSE 80\u{A0}443\n"
    let instructions = reading(source).instructions
    #expect(
      instructions.map(\.dump) == [
        #"(from "alpine")"#, #"(arg "A=1" "B=2")"#, #"(cmd "a")"#, #"(expose "80\u00a0443")"#,
      ])
    #expect(instructions.map(\.original)[0] == "FROM alpine")
    #expect(instructions.map(\.json) == [false, false, true, false])
    // HEALTHCHECK skips single-byte spaces only, then the JSON reader trims Unicode ones.
    #expect(
      dumps("FROM alpine\nHEALTHCHECK CMD \u{3000}[\"true\"]\n")[1] == #"(healthcheck "CMD" "true")"#)
  }

  @Test func unicodeSpacesInContinuations() {
    let source = "FROM alpine\nRUN echo \\\n\u{A0}\u{A0}# note\n\u{3000}\n  done\n"
    #expect(
      reading(source)
        == BuildKitReading(
          instructions: [
            BuildKitInstruction(
              dump: #"(from "alpine")"#, cmd: "FROM", json: false, flags: [], values: ["alpine"],
              startLine: 1,
              endLine: 1, heredocs: [], original: "FROM alpine"),
            BuildKitInstruction(
              dump: #"(run "echo   done")"#, cmd: "RUN", json: false, flags: [], values: ["echo   done"],
              startLine: 2, endLine: 5, heredocs: [], original: "RUN echo   done"),
          ], warnings: ["Empty continuation line found in: RUN echo   done"], refused: false))
  }

  /// `ENV name value` splits with `[\t\v\f\r ]`: a no-break space leaves one argument.
  @Test func envWithANoBreakSpaceIsRefused() {
    #expect(reading("FROM alpine\nENV X\u{A0}y\n").refused)
    #expect(!reading("FROM alpine\nENV X y\n").refused)
  }

  /// Go's `bufio.Scanner` holds lines of at most 65,535 bytes (newline excluded).
  @Test func linesLongerThan65535BytesAreRefused() {
    let longest = "RUN " + String(repeating: "x", count: 65_531)
    #expect(longest.utf8.count == 65_535)
    #expect(!reading("FROM alpine\n" + longest + "\n").refused)
    #expect(!reading("FROM alpine\n" + longest).refused)
    let dockerfile = DockerfileParser.parse(SourceText("FROM alpine\n" + longest + "x\nRUN b\n"))
    #expect(
      dockerfile.errors.map(\.message) == [
        "this line is 65536 bytes long; BuildKit reads lines of at most 65535 bytes and stops here"
      ])
    #expect(dockerfile.errors.map(\.range) == [TextRange(12, 12 + 65_536)])
    #expect(dockerfile.instructions.map(\.name) == ["from"])
  }

  /// Flags are read byte by byte with the file's escape character; each byte becomes a rune.
  @Test func flagsAsBuildKitReadsThem() {
    #expect(
      dumps("# escape=`\nFROM alpine\nCOPY --chown=a\\b --chmod=`7`5`5 s d\n")[1]
        == #"(copy ["--chown=a\\b" "--chmod=755"] "s" "d")"#)
    #expect(dumps("FROM alpine\nCOPY --chown=é s d\n")[1] == #"(copy ["--chown=Ã©"] "s" "d")"#)
  }

  /// An instruction ends with the last line BuildKit consumed, even a comment or an empty line.
  @Test func theLastLineIncludesSwallowedLines() {
    let instructions = reading("FROM alpine\nRUN echo \\\n# trailing\n\n").instructions
    #expect(instructions.map { [$0.startLine, $0.endLine] } == [[1, 1], [2, 4]])
    #expect(instructions.map(\.original) == ["FROM alpine", "RUN echo "])
  }
}
