/// A here-document of a RUN, COPY or ADD (`<<EOF` ... `EOF`).
public struct DockerHeredoc: Equatable, Sendable {
  /// The delimiter, quotes removed.
  public var name: String
  /// `<<-EOF`: leading tabs are removed from the body and the terminator.
  public var stripsTabs: Bool
  /// False when the delimiter is quoted: the body is taken literally.
  public var expands: Bool
  /// The number written before `<<` (`3<<EOF`), if any.
  public var fileDescriptor: Int?
  /// The body's lines, terminator excluded.
  public var body: LocatedText
  /// The terminator line, when there is one.
  public var terminatorRange: TextRange?
}

/// A `--name=value` flag of an instruction (`--from=build`, `--chmod=755`).
public struct DockerFlag: Equatable, Sendable {
  public var name: String
  public var value: String?
  public var range: TextRange
}

/// One instruction, as BuildKit reads it.
public struct DockerInstruction: Equatable, Sendable {
  /// How the arguments of CMD, ENTRYPOINT, RUN and SHELL were written.
  public enum Form: Equatable, Sendable {
    /// `["executable", "arg"]`: a valid JSON array of strings.
    case exec([LocatedText])
    /// Anything else: run by the shell as one string (nil when there is none).
    case shell(LocatedText?)
  }

  /// The instruction as BuildKit's `Original` holds it: continuation lines joined without their
  /// escape character, comment and empty lines dropped, leading spaces of the first line removed.
  public var original: String
  /// The keyword as written (`RUN`, `run`).
  public var keyword: String
  public var keywordRange: TextRange
  /// The keyword lower-cased.
  public var name: String
  public var flags: [DockerFlag]
  /// The arguments after the flags, as one text.
  public var arguments: LocatedText
  /// The words BuildKit's AST holds for the instruction (its `Next` chain), for CMD-like
  /// instructions the exec-form elements or the shell string.
  public var values: [String]
  /// For CMD, ENTRYPOINT, RUN, SHELL and HEALTHCHECK CMD: exec or shell form.
  public var form: Form?
  /// When the arguments start like a JSON array but are not valid JSON: the error, in file
  /// offsets. BuildKit then runs them as a shell string.
  public var jsonError: JSONSyntaxError?
  /// For ONBUILD: the instruction it registers.
  public var child: [DockerInstruction]
  public var heredocs: [DockerHeredoc]
  /// From the keyword to the end of the last line BuildKit reads for it: continuation lines,
  /// comment and empty lines inside them, and heredoc bodies with their terminator.
  public var range: TextRange
  /// Empty lines inside the continuation (BuildKit warns about them).
  public var emptyContinuationLines: [TextRange] = []
  /// Variable references (`$NAME`, `${NAME}`) in the arguments, in file offsets.
  public var variables: [DockerVariableReference]
}

/// `$NAME` or `${NAME...}` in a Dockerfile instruction.
public struct DockerVariableReference: Equatable, Sendable {
  public var name: String
  public var range: TextRange
  public var nameRange: TextRange
  /// `${NAME:-default}` and the like.
  public var handlesUnset: Bool
}

/// A problem that makes BuildKit refuse the Dockerfile.
public struct DockerfileError: Equatable, Sendable {
  public var range: TextRange
  public var message: String
}

/// A Dockerfile as BuildKit parses it: directives, escape character, instructions.
public struct Dockerfile: Equatable, Sendable {
  /// Parser directives (`syntax`, `escape`, `check`), by lower-cased name.
  public var directives: [String: LocatedText]
  /// `\` or a backquote.
  public var escapeCharacter: UInt8
  public var instructions: [DockerInstruction]
  public var errors: [DockerfileError]

  /// The instructions of the last stage (from its FROM), or all of them when there is no FROM.
  public var lastStage: ArraySlice<DockerInstruction> {
    guard let from = instructions.lastIndex(where: { $0.name == "from" }) else { return instructions[...] }
    return instructions[from...]
  }

  /// The stage named `target`, or the last stage.
  public func stage(named target: String?) -> ArraySlice<DockerInstruction> {
    guard let target else { return lastStage }
    var start: Int?
    for (index, instruction) in instructions.enumerated() where instruction.name == "from" {
      if let start, start < index, instructions[start].stageName?.lowercased() == target.lowercased() {
        return instructions[start..<index]
      }
      start = index
    }
    if let start, instructions[start].stageName?.lowercased() == target.lowercased() {
      return instructions[start...]
    }
    return lastStage
  }
}

extension DockerInstruction {
  /// `FROM image AS name`: the stage's name.
  public var stageName: String? {
    guard name == "from", values.count >= 3, values[values.count - 2].lowercased() == "as" else { return nil }
    return values.last
  }
}
