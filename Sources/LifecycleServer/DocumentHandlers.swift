import LifecycleAnalysis
import LifecycleProtocol
import LifecycleSyntax
import LifecycleWorkspace

/// Document synchronisation, file changes, and publishing diagnostics.
extension LanguageServer {
  func didOpen(_ params: DidOpenTextDocumentNotification) {
    let item = params.textDocument
    var document = OpenDocument(
      uri: item.uri, languageId: item.languageId, version: item.version, text: item.text)
    document.path = document.path.map(workspace.canonical)
    documents[item.uri] = document
    changed(document.path, uri: item.uri, delay: 0)
  }

  func didChange(_ params: DidChangeTextDocumentNotification) {
    let uri = params.textDocument.uri
    guard var document = documents[uri] else {
      log("didChange for \(uri), which is not open: ignored", type: 2)
      return
    }
    for change in params.contentChanges {
      document.source = converter.apply(change, to: document.source)
    }
    document.version = params.textDocument.version
    documents[uri] = document
    changed(document.path, uri: uri, delay: diagnosticsDelaySeconds)
  }

  func didSave(_ params: DidSaveTextDocumentNotification) {
    let uri = params.textDocument.uri
    if let text = params.text, var document = documents[uri] {
      document.source = SourceText(text)
      documents[uri] = document
    }
    changed(documents[uri]?.path ?? DocumentURI.path(uri).map(workspace.canonical), uri: uri, delay: 0)
  }

  func didClose(_ params: DidCloseTextDocumentNotification) {
    let uri = params.textDocument.uri
    guard let document = documents.removeValue(forKey: uri) else { return }
    workspace.forget(uri)
    publishDue[uri] = nil
    if publishesDiagnostics {
      notify(
        PublishDiagnosticsParams.method, PublishDiagnosticsParams(uri: uri, version: nil, diagnostics: []))
    }
    changed(document.path, uri: nil, delay: diagnosticsDelaySeconds)
  }

  func didChangeWatchedFiles(_ params: DidChangeWatchedFilesNotification) {
    for change in params.changes {
      guard let path = DocumentURI.path(change.uri).map(workspace.canonical) else { continue }
      if FileKind.of(fileName: Paths.name(path))?.isSpec == true {
        if change.type == 3 {
          workspace.indexedSpecs?.remove(path)
        } else {
          workspace.indexedSpecs?.insert(path)
        }
      }
      changed(path, uri: nil, delay: diagnosticsDelaySeconds)
    }
  }

  /// After a change to `path` (the document `uri`, when it is one): the analyses that read the
  /// file are dropped, and the document and the open documents that depend on it get fresh
  /// diagnostics.
  func changed(_ path: String?, uri: String?, delay: Double) {
    if let uri { workspace.forget(uri) }
    let due = Self.now() + delay
    if let uri, documents[uri] != nil { publishDue[uri] = min(publishDue[uri] ?? due, due) }
    guard let path else { return }
    // A spec may now build another Dockerfile: find which (from the spec alone), when an open
    // Dockerfile could care.
    var builds: String?
    if FileKind.of(fileName: Paths.name(path))?.isSpec == true,
      workspace.dependencies.values.contains(where: \.isDockerfile)
    {
      builds = workspace.rememberBuild(ofSpecAt: path, files: files)?.dockerfile
    }
    let dependents = workspace.dependencies.filter { $0.value.dependsOn(path, builds: builds) }.map(\.key)
    workspace.invalidate(path, builds: builds)
    let later = Self.now() + diagnosticsDelaySeconds
    for openURI in dependents where openURI != uri && documents[openURI] != nil {
      publishDue[openURI] = min(publishDue[openURI] ?? later, later)
    }
  }

  func scheduleAll(delay: Double) {
    let due = Self.now() + delay
    for uri in documents.keys { publishDue[uri] = due }
  }

  /// Push diagnostics unless the client pulls them and lets the server ask it to pull again.
  var publishesDiagnostics: Bool { !client.pullsDiagnostics }

  /// Publishes the diagnostics that are due: from the cache when the analysis is current, else
  /// once an analysis started off the loop comes back (`analysed`), so that no request waits on
  /// the analysis of another document.
  func publishDueDiagnostics() {
    let now = Self.now()
    let due = publishDue.filter { $0.value <= now }.map(\.key).sorted()
    var published = false
    for uri in due {
      publishDue[uri] = nil
      guard documents[uri] != nil else { continue }
      if let analysis = workspace.cachedAnalysis(uri) {
        publish(analysis)
        published = true
      } else {
        analyseInBackground(uri)
      }
    }
    if published { refreshPulledDiagnostics() }
  }

  func publish(_ analysis: AnalysedDocument) {
    guard publishesDiagnostics else { return }
    notify(
      PublishDiagnosticsParams.method,
      PublishDiagnosticsParams(uri: analysis.uri, version: analysis.version, diagnostics: diagnostics(of: analysis)))
  }

  /// Asks a client that pulls to pull again.
  func refreshPulledDiagnostics() {
    if !publishesDiagnostics && client.workspace?.diagnostics?.refreshSupport == true {
      request("workspace/diagnostic/refresh", JSONValue?.none) { _ in }
    }
  }

  /// Analyses `uri` on the analysis queue, from a copy of the workspace and the open buffers;
  /// one analysis per document at a time (a change meanwhile makes its result stale, and the
  /// document is analysed again when it comes back).
  func analyseInBackground(_ uri: String) {
    guard !analysing.contains(uri) else { return }
    analysing.insert(uri)
    let snapshot = workspace
    let stamp = workspace.stamp(uri)
    let open = documents[uri]
    let files = self.files
    let settings = settings
    let environment = runEnvironment
    let inbox = inbox
    analysisQueue.async {
      let result = snapshot.compute(
        uri: uri, open: open, files: files, settings: settings,
        outputs: { Self.recordedOutputs(repository: $0, environment: environment, files: files) })
      inbox.post(.analysed(uri: uri, stamp: stamp, result: result))
    }
  }

  /// A background analysis came back: kept and published when nothing it read changed since it
  /// started, else dropped and the document analysed again.
  func analysed(_ uri: String, stamp: AnalysisStamp, result: AnalysedDocument?) {
    analysing.remove(uri)
    guard documents[uri] != nil else { return }
    guard stamp == workspace.stamp(uri) else {
      publishDue[uri] = min(publishDue[uri] ?? Self.now(), Self.now())
      return
    }
    // Nothing to publish for a document the server does not handle.
    guard let result else { return }
    workspace.store(result)
    publish(result)
    refreshPulledDiagnostics()
  }

  /// A document from which size the memory its analysis frees is handed back to the system.
  static let largeDocumentBytes = 256 * 1024

  /// Releases the analyses the cache dropped on the analysis queue, not the loop (freeing the
  /// model of a 2 MB Dockerfile takes milliseconds); after a large one, hands the freed memory
  /// back to the system (the allocator would keep it, and an editor's server idles most of the
  /// time).
  func releaseRetiredAnalyses() {
    let retired = workspace.takeRetired()
    guard !retired.isEmpty else { return }
    let large = retired.contains { $0.input.source.count >= Self.largeDocumentBytes }
    analysisQueue.async {
      withExtendedLifetime(retired) {}
      #if os(Linux)
        if large { _ = glibcMallocTrim(0) }
      #endif
    }
  }

  /// The analysis of a document: open, or read from disk under the open buffers.
  func analysedDocument(_ uri: String) -> AnalysedDocument? {
    if let cached = workspace.cachedAnalysis(uri) { return cached }
    // Read before `workspace` is borrowed for the analysis.
    let files = self.files
    let environment = runEnvironment
    return workspace.analysis(
      uri: uri, open: documents[uri], files: files, settings: settings,
      outputs: { Self.recordedOutputs(repository: $0, environment: environment, files: files) })
  }

  /// The disk, under the open buffers.
  var files: any FileSystem {
    var overlay: [String: [UInt8]] = [:]
    for document in documents.values {
      if let path = document.path { overlay[path] = document.source.bytes }
    }
    return OverlayFileSystem(base: workspace.disk, overlay: overlay)
  }

  func pullDiagnostics(_ params: DocumentDiagnosticRequest) throws(ResponseError)
    -> FullDocumentDiagnosticReport
  {
    FullDocumentDiagnosticReport(items: document(params.textDocument.uri).map { diagnostics(of: $0) } ?? [])
  }

  /// The analysis of the document a request names, nil for one the server does not handle
  /// (another YAML or JSON file, a file gone from disk): its requests get empty answers, never
  /// errors, which editors would show as pop-ups on every hover.
  func document(_ uri: String) -> AnalysedDocument? {
    analysedDocument(uri)
  }
}

#if os(Linux)
  /// glibc's `malloc_trim` and `mallopt` (in `<malloc.h>`, which the Glibc module does not export).
  @_silgen_name("malloc_trim")
  private func glibcMallocTrim(_ pad: Int) -> Int32
  @_silgen_name("mallopt")
  private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// The server's threads are the loop, the reader, the analysis queue and a few waits: two
/// allocator arenas serve them, where glibc would make one per thread, each keeping its own
/// freed memory (a 2 MB Dockerfile edited for a while left 185 MB resident, 128 MB with one).
func limitAllocatorArenas() {
  #if os(Linux)
    let arenaMaximum: Int32 = -8  // M_ARENA_MAX
    _ = glibcMallopt(arenaMaximum, 2)
  #endif
}
