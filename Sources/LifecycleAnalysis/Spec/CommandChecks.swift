import LifecycleSyntax

/// A simple command found in an event, and how to find its words in the file.
struct CommandSite {
  var command: ShellCommand
  /// The argument the command was read from, when it is a script; nil when the command is the
  /// event's own argument list (each word is then a whole argument, already in file offsets).
  var script: LocatedText?

  func fileRange(_ range: TextRange) -> TextRange { script?.sourceRange(range) ?? range }

  /// True when the text of `range` is written as is in the file, so it may be edited in place.
  func isEditable(_ range: TextRange) -> Bool { script?.isVerbatim(range) ?? false }
}

/// The checks of DESIGN §4 on event commands that need only the spec: empty lists and arguments,
/// typographic quotes, entrypoints with spaces, `-c` without a script or with extra elements,
/// interactive commands, and outputs written to the wrong place.
enum CommandChecks {
  static func check(_ spec: JobSpec) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    for event in spec.events {
      diagnostics += check(event, spec: spec)
    }
    return diagnostics
  }

  static func check(_ event: Event, spec: JobSpec) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    let arguments = event.arguments ?? []
    if let entrypoint = event.entrypoint {
      let trimmed = entrypoint.value.trimmed
      if trimmed.isEmpty {
        diagnostics.append(
          Diagnostic(
            .commandEmptyArgument, entrypoint.range,
            "the entrypoint is empty; name an executable such as `/bin/sh`"))
      } else if trimmed.contains(where: \.isWhitespace) {
        let words = trimmed.split(whereSeparator: \.isWhitespace)
        diagnostics.append(
          Diagnostic(
            .entrypointHasSpaces, entrypoint.range,
            "the entrypoint is one executable name, so `\(trimmed)` looks for a file with spaces in its name; use `entrypoint: \(words[0])` and put `\(words.dropFirst().joined(separator: " "))` first in `arguments`"
          ))
      }
    } else if let first = arguments.first, first.value.trimmed.isEmpty {
      diagnostics.append(
        Diagnostic(
          .commandEmptyArgument, first.range,
          "the first argument is empty; it is passed to the image's entrypoint as is"))
    }
    if event.arguments?.isEmpty == true, event.entrypoint == nil {
      diagnostics.append(
        Diagnostic(
          .commandEmpty, event.range,
          "an empty argument list replaces the image's CMD with nothing; remove it to run the image's default command, or give the arguments"
        ))
    }
    for argument in [event.entrypoint].compactMap({ $0 }) + arguments {
      diagnostics += typographicQuotes(in: argument)
    }

    var sites: [CommandSite] = []
    if let invocation = event.invocation {
      diagnostics += checkInvocation(invocation, script: event.script?.parsed, arguments: arguments)
      if let (text, script) = event.script {
        sites += script.commands.map { CommandSite(command: $0, script: text) }
        diagnostics += outputPath(in: script, site: text)
      }
    } else {
      // No shell: the argument list is itself the command.
      var command = ShellCommand()
      command.words = ([event.entrypoint].compactMap { $0 } + arguments).map {
        ShellWord(text: $0.value, range: $0.range, isLiteral: true)
      }
      sites.append(CommandSite(command: command, script: nil))
    }
    let environment = InteractiveCommands.Environment(spec: spec, sites: sites)
    for site in sites {
      diagnostics += InteractiveCommands.check(site, environment: environment)
    }
    return diagnostics
  }

  static func checkInvocation(
    _ invocation: ShellInvocation, script parsed: ShellScript?, arguments: [LocatedText]
  )
    -> [Diagnostic]
  {
    guard let scriptIndex = invocation.scriptIndex else {
      let option = arguments[invocation.lastOptionIndex]
      return [
        Diagnostic(
          .shellScriptMissing, option.range,
          "`\(option.value)` is followed by no script: the shell has nothing to run; add the command line as the next argument"
        )
      ]
    }
    let script = arguments[scriptIndex]
    if script.value.allSatisfy(\.isWhitespace) {
      return [
        Diagnostic(
          .shellScriptMissing, script.range, "the script after `-c` is empty: the shell has nothing to run")
      ]
    }
    let extras = arguments[(scriptIndex + 1)...]
    guard let first = extras.first, let last = extras.last,
      !(parsed?.readsPositionalParameters ?? false)
    else {
      return []
    }
    let count = extras.count
    return [
      Diagnostic(
        .shellExtraArguments, TextRange(first.range.start, last.range.end),
        "\(count == 1 ? "this element is" : "these \(count) elements are") not part of the script: `sh -c` runs only the element after `-c` and makes the rest `$0`\(count > 1 ? ", `$1`…" : ""); join \(count == 1 ? "it" : "them") into the script"
      )
    ]
  }

  /// Curly quotes that end up inside an argument: “ ” always; ‘ ’ only as a pair (a lone ’ is an
  /// apostrophe).
  static func typographicQuotes(in argument: LocatedText) -> [Diagnostic] {
    let hasOpeningSingle = argument.value.contains("\u{2018}")
    let ranges = SpecReader.typographicQuoteRanges(in: argument.value, doubleOnly: !hasOpeningSingle)
    guard let first = ranges.first else { return [] }
    let edits = ranges.compactMap { range -> TextEdit? in
      guard argument.isVerbatim(range) else { return nil }
      let quote = String(decoding: Array(argument.value.utf8)[range.start..<range.end], as: UTF8.self)
      return TextEdit(
        range: argument.sourceRange(range), newText: quote == "\u{201C}" || quote == "\u{201D}" ? "\"" : "'")
    }
    let fixes =
      edits.count == ranges.count && !argument.value.isEmpty
      ? [Fix(title: "Replace with straight quotes", edits: edits)] : []
    return [
      Diagnostic(
        .typographicQuotes, argument.sourceRange(first),
        "typographic quotes (“ ” ‘ ’) are ordinary characters to a shell and to the platform: they end up inside the argument; use straight quotes",
        fixes: fixes)
    ]
  }

  /// The exact path the platform reads outputs from.
  static let outputPath = "/qovery-output/qovery-output.json"

  /// Writes to something that looks like the output file but is not it, and `terraform output
  /// -json` printed to the log; quiet when the script writes the exact path somewhere.
  static func outputPath(in script: ShellScript, site: LocatedText) -> [Diagnostic] {
    var writes: [(ShellWord, ShellCommand)] = []
    for command in script.commands {
      for redirection in command.redirections where redirection.writesFile {
        if let target = redirection.target { writes.append((target, command)) }
      }
      switch command.name {
      case "tee": writes += command.arguments.filter { !$0.text.hasPrefix("-") }.map { ($0, command) }
      case "cp", "mv", "install":
        if command.arguments.count >= 2, let last = command.arguments.last { writes.append((last, command)) }
      default: break
      }
    }
    if writes.contains(where: { $0.0.text == outputPath }) { return [] }
    var diagnostics: [Diagnostic] = []
    for (target, _) in writes where target.isLiteral && looksLikeOutputFile(target.text) {
      let range = site.sourceRange(target.range)
      let fixes =
        site.isVerbatim(target.range)
        ? [Fix(title: "Write to `\(outputPath)`", edits: [TextEdit(range: range, newText: outputPath)])] : []
      diagnostics.append(
        Diagnostic(
          .outputPath, range,
          "the platform reads outputs only from `\(outputPath)`; `\(target.text)` is never read", fixes: fixes
        ))
    }
    for command in script.commands
    where ["terraform", "tofu"].contains(command.name) && !command.isPiped && !command.isCaptured
      && command.arguments.first(where: { !$0.text.hasPrefix("-") })?.text == "output"
      && command.arguments.contains(where: { $0.text == "-json" })
      && !command.redirections.contains(where: { $0.writesFile && !$0.operatorText.hasPrefix("2") })
    {
      guard let first = command.words.first, let last = command.words.last else { continue }
      let range = site.sourceRange(TextRange(first.range.start, last.range.end))
      let fixes =
        site.isVerbatim(TextRange(last.range.end, last.range.end))
        ? [
          Fix(
            title: "Redirect to `\(outputPath)`",
            edits: [
              TextEdit(range: .at(site.sourceRange(.at(last.range.end)).start), newText: " > \(outputPath)")
            ])
        ] : []
      diagnostics.append(
        Diagnostic(
          .outputPath, range,
          "`terraform output -json` prints the outputs to the log, where the platform does not read them; redirect it to `\(outputPath)`",
          fixes: fixes))
    }
    return diagnostics
  }

  static func looksLikeOutputFile(_ path: String) -> Bool {
    let lowered = path.lowercased()
    let name = lowered.split(separator: "/").last.map(String.init) ?? lowered
    return lowered.contains("qovery-output") || lowered.contains("qovery_output")
      || ["output.json", "outputs.json"].contains(name)
  }
}
