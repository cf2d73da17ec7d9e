import LifecycleAnalysis
import LifecycleProtocol
import LifecycleSyntax
import LifecycleWorkspace

/// The language features: thin adapters from the protocol to the analysis' pure functions.
extension LanguageServer {
  func completion(_ params: CompletionRequest) throws(ResponseError) -> CompletionList {
    guard let document = document(params.textDocument.uri) else { return CompletionList(isIncomplete: false, items: []) }
    let offset = converter.offset(params.position, in: document.input.source)
    let snippets = client.textDocument?.completion?.completionItem?.snippetSupport == true
    var candidates = Completion.candidates(document.input, at: offset, documenting: .none)
    // Thousands of items (a module of 5,000 Terraform variables) cost the client more than they
    // help: send the best that match what is typed, and say the list is incomplete so the
    // client asks again as the user types.
    let isIncomplete = candidates.count > Self.maximumCompletionItems
    if isIncomplete {
      // Labels that start with what is typed first, then the looser (subsequence) matches.
      var prefixed: [CompletionCandidate] = []
      var looser: [CompletionCandidate] = []
      for candidate in candidates {
        let typed = document.input.source.text(candidate.replaceRange).lowercased()
        let label = candidate.label.lowercased()
        if label.hasPrefix(typed) {
          prefixed.append(candidate)
        } else if Self.isSubsequence(typed, of: label) {
          looser.append(candidate)
        }
      }
      candidates = Array((prefixed + looser).prefix(Self.maximumCompletionItems))
    }
    let items = candidates.enumerated().map { index, candidate in
      completionItem(candidate, index: index, in: document, snippets: snippets, params: params)
    }
    return CompletionList(isIncomplete: isIncomplete, items: items)
  }

  static let maximumCompletionItems = 200

  /// True when the characters of `typed` appear in `label` in order (both lowercased): how
  /// editors filter completion lists.
  static func isSubsequence(_ typed: String, of label: String) -> Bool {
    var remaining = typed.unicodeScalars[...]
    for scalar in label.unicodeScalars where scalar == remaining.first {
      remaining = remaining.dropFirst()
      if remaining.isEmpty { return true }
    }
    return remaining.isEmpty
  }

  /// Fills in an item's documentation, computed again from the position it was offered at.
  func resolveCompletion(_ item: CompletionItem) throws(ResponseError) -> CompletionItem {
    guard let data = item.data, let uri = data["uri"]?.stringValue, let line = data["line"]?.numberValue,
      let character = data["character"]?.numberValue
    else { return item }
    let params = CompletionRequest(
      textDocument: TextDocumentIdentifier(uri: uri),
      position: Position(line: Int(line), character: Int(character)))
    guard let document = document(uri),
      let candidate = Completion.candidates(
        document.input, at: converter.offset(params.position, in: document.input.source),
        documenting: .only(label: item.label)
      ).first(where: {
        $0.label == item.label
      })
    else { return item }
    var resolved = item
    resolved.documentation = candidate.documentation.map {
      documentation($0, formats: client.textDocument?.completion?.completionItem?.documentationFormat)
    }
    return resolved
  }

  func completionItem(
    _ candidate: CompletionCandidate, index: Int, in document: AnalysedDocument, snippets: Bool,
    params: CompletionRequest
  ) -> CompletionItem {
    let source = document.input.source
    let useSnippet = snippets && candidate.snippet != nil
    return CompletionItem(
      label: candidate.label,
      kind: candidate.kind.protocolValue,
      detail: candidate.detail,
      documentation: nil,
      sortText: candidate.sortKey + String(format4(index)),
      filterText: candidate.label,
      insertTextFormat: useSnippet ? 2 : 1,
      textEdit: textEdit(candidate, newText: useSnippet ? candidate.snippet! : candidate.insertText, in: source),
      // Every item can be resolved: its documentation is computed then.
      data: .object([
        "uri": .string(params.textDocument.uri), "line": .number(Double(params.position.line)),
        "character": .number(Double(params.position.character)),
      ]))
  }

  /// An insert-or-replace edit where the client takes one and the cursor is inside a word, else
  /// an edit of what was typed.
  func textEdit(_ candidate: CompletionCandidate, newText: String, in source: SourceText) -> CompletionTextEdit {
    let insert = converter.range(candidate.replaceRange, in: source)
    guard client.textDocument?.completion?.completionItem?.insertReplaceSupport == true,
      candidate.wordRange != candidate.replaceRange
    else { return .plain(TextEdit(range: insert, newText: newText)) }
    return .insertReplace(
      InsertReplaceEdit(newText: newText, insert: insert, replace: converter.range(candidate.wordRange, in: source)))
  }

  func hover(_ params: HoverRequest) throws(ResponseError) -> LifecycleProtocol.Hover? {
    guard let document = document(params.textDocument.uri) else { return nil }
    let offset = converter.offset(params.position, in: document.input.source)
    guard let text = LifecycleAnalysis.Hover.text(document.input, at: offset) else { return nil }
    let markdown = client.textDocument?.hover?.contentFormat?.contains("markdown") == true
    return LifecycleProtocol.Hover(
      contents: MarkupContent(
        kind: markdown ? .markdown : .plaintext, value: markdown ? text.markdown : Self.plainText(text.markdown)),
      range: converter.range(text.range, in: document.input.source))
  }

  func definition(_ params: DefinitionRequest) throws(ResponseError) -> [Location] {
    guard let document = document(params.textDocument.uri) else { return [] }
    let offset = converter.offset(params.position, in: document.input.source)
    return Definition.targets(document.input, at: offset).compactMap { location($0, from: document) }
  }

  func documentSymbols(_ params: DocumentSymbolRequest) throws(ResponseError) -> [DocumentSymbol] {
    guard let document = document(params.textDocument.uri) else { return [] }
    func convert(_ symbol: Symbol) -> DocumentSymbol {
      DocumentSymbol(
        name: symbol.name.isEmpty ? "(empty)" : symbol.name, detail: symbol.detail,
        kind: symbol.kind.protocolValue,
        range: converter.range(symbol.range, in: document.input.source),
        selectionRange: converter.range(symbol.selectionRange, in: document.input.source),
        children: symbol.children.isEmpty ? nil : symbol.children.map(convert))
    }
    return Symbols.symbols(document.input).map(convert)
  }

  func documentLinks(_ params: DocumentLinkRequest) throws(ResponseError) -> [DocumentLink] {
    guard let document = document(params.textDocument.uri) else { return [] }
    return Links.links(document.input).compactMap { link in
      guard let target = location(Target(link.target), from: document) else { return nil }
      return DocumentLink(
        range: converter.range(link.range, in: document.input.source), target: target.uri,
        tooltip: link.tooltip)
    }
  }

  func codeActions(_ params: CodeActionRequest) throws(ResponseError) -> [CodeAction] {
    guard let document = document(params.textDocument.uri) else { return [] }
    let range = converter.textRange(params.range, in: document.input.source)
    func wanted(_ kind: String) -> Bool {
      guard let only = params.context.only else { return true }
      return only.contains { kind == $0 || kind.hasPrefix($0 + ".") }
    }
    let requested = params.context.diagnostics.compactMap { reference in
      reference.code.map { (range: converter.textRange(reference.range, in: document.input.source), code: $0) }
    }
    let fixes =
      wanted("quickfix") ? CodeActions.quickFixes(document.input, in: range, requested: requested) : []
    let rewrites = wanted("refactor.rewrite") ? CodeActions.rewrites(document.input, in: range) : []
    let runs =
      params.context.only == nil
      ? RunActions.events(document.input, in: range).map { event in
        CodeAction(
          title: "Run \(event.rawValue)", kind: nil,
          command: runCommand("Run \(event.rawValue)", uri: document.uri, event: event))
      } : []
    return (fixes + rewrites).map { fix in
      CodeAction(
        title: fix.title, kind: fix.diagnostic == nil ? "refactor.rewrite" : "quickfix",
        diagnostics: fix.diagnostic.map { [diagnostic($0, in: document)] },
        isPreferred: fix.diagnostic == nil ? nil : fix.isPreferred,
        edit: WorkspaceEdit(changes: [
          document.uri: fix.edits.map {
            LifecycleProtocol.TextEdit(
              range: converter.range($0.range, in: document.input.source), newText: $0.newText)
          }
        ]))
    } + runs
  }

  // MARK: Conversions

  /// Markdown when the client lists it among `formats`, plain-text markup when it lists only
  /// that, a bare string when it lists nothing (the Markdown source reads well as text).
  func documentation(_ markdown: String, formats: [String]?) -> Documentation {
    guard let formats, formats.contains("markdown") else { return .text(Self.plainText(markdown)) }
    return .markup(MarkupContent(kind: .markdown, value: markdown))
  }

  /// Our Markdown as plain text, for clients that show text as it is: no code fences, no
  /// emphasis or code markers (our Markdown uses nothing else).
  static func plainText(_ markdown: String) -> String {
    var lines: [Substring] = []
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false)
    where !line.hasPrefix("```") {
      lines.append(line)
    }
    return lines.joined(separator: "\n").replacingOccurrences(of: "**", with: "")
      .replacingOccurrences(of: "`", with: "")
  }

  func diagnostics(of document: AnalysedDocument) -> [LifecycleProtocol.Diagnostic] {
    document.input.analysis.diagnostics.map { diagnostic($0, in: document) }
  }

  func diagnostic(_ diagnostic: LifecycleAnalysis.Diagnostic, in document: AnalysedDocument)
    -> LifecycleProtocol.Diagnostic
  {
    let source = document.input.source
    let related = diagnostic.related.map {
      DiagnosticRelatedInformation(
        location: Location(uri: document.uri, range: converter.range($0.range, in: source)),
        message: $0.message)
    }
    return LifecycleProtocol.Diagnostic(
      range: converter.range(diagnostic.range, in: source), severity: diagnostic.severity.protocolValue,
      code: diagnostic.code, source: "lifecycle-job", message: diagnostic.message,
      relatedInformation: related.isEmpty ? nil : related)
  }

  /// A target as a location; ranges in other files are converted with those files' text.
  func location(_ target: Target, from document: AnalysedDocument) -> Location? {
    let path: String?
    switch target.file {
    case .sameFile: path = document.path
    case .dockerfile: path = document.job?.dockerfile
    case .rootFile(let relative):
      path = (document.job?.root ?? document.userJob?.root).map { Paths.absolute(relative, relativeTo: $0) }
    }
    guard let path else {
      if case .sameFile = target.file, let range = target.range {
        return Location(uri: document.uri, range: converter.range(range, in: document.input.source))
      }
      return nil
    }
    let uri = target.file == .sameFile ? document.uri : DocumentURI.uri(path)
    let source =
      target.file == .sameFile ? document.input.source : files.contents(path).map { SourceText(bytes: $0) }
    let range = target.range.flatMap { range in source.map { converter.range(range, in: $0) } }
    return Location(
      uri: uri,
      range: range
        ?? LifecycleProtocol.Range(
          start: Position(line: 0, character: 0), end: Position(line: 0, character: 0)))
  }
}

private func format4(_ index: Int) -> String {
  let text = String(index)
  return String(repeating: "0", count: max(0, 4 - text.count)) + text
}

extension CompletionCandidate.Kind {
  /// LSP's CompletionItemKind.
  var protocolValue: Int {
    switch self {
    case .key: return 10  // Property
    case .value: return 12  // Value
    case .event: return 23  // Event
    case .variable: return 6  // Variable
    case .instruction: return 14  // Keyword
    case .file: return 17  // File
    }
  }
}

extension Symbol.Kind {
  /// LSP's SymbolKind.
  var protocolValue: Int {
    switch self {
    case .property: return 7
    case .event: return 24
    case .variable: return 13
    case .constant: return 14
    case .stage: return 2  // Module
    case .instruction: return 12  // Function
    }
  }
}
