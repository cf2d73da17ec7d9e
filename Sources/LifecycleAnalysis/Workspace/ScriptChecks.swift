import LifecycleSyntax

/// `script-not-found`: scripts an event names that the image does not hold.
enum ScriptChecks {
  /// A path the event runs, and where it is written.
  struct Candidate {
    var path: String
    /// The file range of the path.
    var range: TextRange
    /// True when the path is searched through `PATH` when not found (a bare name given to `sh`).
    var searchesPath: Bool
    /// The text holding the path and the path's range inside it, for a fix.
    var holder: LocatedText
    var rangeInHolder: TextRange
  }

  static let shells: Set<String> = ["sh", "bash", "ash", "dash", "zsh", "source", "."]

  static func check(_ event: Event, image: ImageCommand, files: ImageFiles) -> [Diagnostic] {
    candidates(event, image: image).compactMap { candidate in
      var lookup = files.lookup(candidate.path)
      if case .missing = lookup, candidate.searchesPath, files.lookupCommand(candidate.path) == .present {
        lookup = .present
      }
      guard case .missing(let folder, let siblings) = lookup else { return nil }
      let name = candidate.path.split(separator: "/").last.map(String.init) ?? candidate.path
      var message =
        "`\(candidate.path)` is not in the image: the Dockerfile copies the job's files to `\(folder)`, which holds no `\(name)`"
      var fixes: [Fix] = []
      if let suggestion = DidYouMean.suggestion(for: name, among: siblings) {
        message += "; did you mean `\(suggestion)`?"
        let nameStart = candidate.rangeInHolder.end - name.utf8.count
        let nameRange = TextRange(nameStart, candidate.rangeInHolder.end)
        if candidate.holder.isVerbatim(nameRange) {
          fixes.append(
            Fix.replace(candidate.holder.sourceRange(nameRange), with: suggestion))
        }
      }
      return Diagnostic(.scriptNotFound, candidate.range, message, fixes: fixes)
    }
  }

  static func candidates(_ event: Event, image: ImageCommand) -> [Candidate] {
    let command = EffectiveCommand(event: event, image: image)
    guard !command.argumentsIgnored, command.entrypointIsKnown,
      let arguments = event.arguments ?? (event.entrypoint != nil ? [] : nil)
    else {
      return []
    }
    func specText(at position: Int) -> LocatedText? {
      if position == 0, let entrypoint = event.entrypoint { return entrypoint }
      return command.specArgumentIndex[position].map { arguments[$0] }
    }
    func whole(_ text: LocatedText, searchesPath: Bool) -> Candidate {
      let all = TextRange(0, text.value.utf8.count)
      return Candidate(
        path: text.value, range: text.range, searchesPath: searchesPath, holder: text, rangeInHolder: all)
    }
    var result: [Candidate] = []
    if let scriptIndex = command.shellScriptIndex {
      guard let script = specText(at: scriptIndex) else { return [] }
      for shellCommand in ShellScript(script.value).commands where !shellCommand.isCaptured {
        var word: ShellWord?
        if let name = shellCommand.words.first, name.text.contains("/") {
          word = name
        } else if shells.contains(shellCommand.name ?? ""),
          let operand = shellCommand.arguments.first(where: { !$0.text.hasPrefix("-") }),
          operand.text.contains("/") || operand.text.hasSuffix(".sh")
        {
          word = operand
        }
        guard let word, word.isLiteral else { continue }
        result.append(
          Candidate(
            path: word.text, range: script.sourceRange(word.range), searchesPath: false, holder: script,
            rangeInHolder: word.range))
      }
      return result
    }
    guard let first = command.program else { return [] }
    if ShellInvocation.isShell(first) {
      // `sh script.sh`: the first operand is a script file.
      if let position = command.argv.indices.dropFirst(command.programIndex + 1).first(where: {
        !command.argv[$0].hasPrefix("-")
      }),
        let text = specText(at: position)
      {
        result.append(whole(text, searchesPath: !text.value.contains("/")))
      }
    } else if first.contains("/"), let text = specText(at: command.programIndex) {
      result.append(whole(text, searchesPath: false))
    }
    return result.filter { !$0.path.contains("$") }
  }
}
