import Foundation

// `swift run -c release lifecycle-job-benchmark [--quick | --startup | --editing] [--binary PATH]`: measures
// the language server, `check` and the runner, and the peers (hadolint, `ruff server`) when they
// are on PATH; prints each figure on stderr as it comes and a Markdown table on stdout.

let arguments = CommandLine.arguments
let quick = arguments.contains("--quick")
let binary: String = {
  if let index = arguments.firstIndex(of: "--binary"), index + 1 < arguments.count {
    return arguments[index + 1]
  }
  return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    .appendingPathComponent("lifecycle-job").path
}()
let iterations = quick ? 20 : 200
let workspace = FileManager.default.temporaryDirectory.appendingPathComponent(
  "lifecycle-job-benchmark-\(getpid())"
).path
try FileManager.default.createDirectory(atPath: workspace + "/.git", withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: workspace) }
var report = Report()
FileHandle.standardError.write(Data("lifecycle-job benchmark: \(binary)\n".utf8))

// MARK: Start to `initialize` reply, against ruff server.

/// `--startup` measures only this, with more iterations: the figure to watch when working on it.
let startupOnly = arguments.contains("--startup")

@MainActor func initializeReply(_ command: [String]) throws {
  let session = try LSPSession(command)
  session.request("initialize", ["processId": NSNull(), "capabilities": [:], "rootUri": NSNull()])
  session.child.kill()
}
let startupIterations = startupOnly ? 200 : quick ? 10 : 50
if let ruff = which("ruff") {
  let (ours, theirs) = try measureSideBySide(
    iterations: startupIterations, { try initializeReply([binary, "lsp"]) },
    { try initializeReply([ruff, "server"]) })
  report.timings("Start to initialize reply", ours)
  report.timings("Start to initialize reply, ruff server (measured turn about)", theirs)
  report.add(
    "Initialize, ours / ruff (median)", String(format: "%.2f×", ours.median / theirs.median), target: "≤ 1×",
    met: ours.median <= theirs.median)
} else {
  report.timings(
    "Start to initialize reply",
    try measure(iterations: startupIterations) { try initializeReply([binary, "lsp"]) })
}
if startupOnly {
  print(report.markdown())
  exit(0)
}

// MARK: Editing: diagnostics, completion and hover.

@MainActor func editing(
  _ name: String, uri: String, text: String, language: String, completionAt: (Int, Int), hoverAt: (Int, Int),
  targetP99: Double, diagnosticsTargetMedian: Double? = nil
)
  throws
{
  let session = try LSPSession([binary, "lsp"])
  session.initialize(root: workspace)
  session.notify(
    "textDocument/didOpen",
    ["textDocument": ["uri": uri, "languageId": language, "version": 1, "text": text]])
  _ = session.next {
    ($0["method"] as? String) == "textDocument/publishDiagnostics"
      && (($0["params"] as? [String: Any])?["uri"] as? String) == uri
  }
  var version = 1
  let diagnostics = measure(iterations: quick ? 10 : 50) {
    version += 1
    session.notify(
      "textDocument/didChange",
      ["textDocument": ["uri": uri, "version": version], "contentChanges": [["text": text]]])
    _ = session.next {
      guard ($0["method"] as? String) == "textDocument/publishDiagnostics",
        let params = $0["params"] as? [String: Any]
      else { return false }
      return params["uri"] as? String == uri && params["version"] as? Int == version
    }
  }
  if let target = diagnosticsTargetMedian {
    report.add(
      "\(name): change to diagnostics",
      String(
        format: "median %.2f ms, p99 %.2f ms (n=%d)", diagnostics.median, diagnostics.p99, diagnostics.samples.count),
      target: String(format: "median ≤ %.0f ms", target), met: diagnostics.median <= target)
  } else {
    report.timings("\(name): change to diagnostics", diagnostics)
  }
  var body: [UInt8] = []
  let completion = measure(iterations: iterations) {
    body = session.requestBody(
      "textDocument/completion",
      ["textDocument": ["uri": uri], "position": ["line": completionAt.0, "character": completionAt.1]])
  }
  let reply = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
  let items = ((reply?["result"] as? [String: Any])?["items"] as? [Any])?.count ?? 0
  report.timings("\(name): completion (\(items) items)", completion, targetP99: targetP99)
  let hover = measure(iterations: iterations) {
    _ = session.requestBody(
      "textDocument/hover",
      ["textDocument": ["uri": uri], "position": ["line": hoverAt.0, "character": hoverAt.1]])
  }
  report.timings("\(name): hover", hover, targetP99: targetP99)
  session.close()
}

let typical = workspace + "/typical"
try Corpus.write(Corpus.typicalSpec, to: typical + "/lifecycle-job.yaml")
try Corpus.write(Corpus.typicalDockerfile, to: typical + "/Dockerfile")
try Corpus.write(Corpus.terraform(variables: 12), to: typical + "/variables.tf")
let typicalSpec = Corpus.typicalSpec + "  \n"
try editing(
  "Typical spec", uri: URL(fileURLWithPath: typical + "/lifecycle-job.yaml").absoluteString,
  text: typicalSpec,
  language: "yaml", completionAt: (17, 2), hoverAt: (3, 3), targetP99: 5)

let large = workspace + "/large"
let dockerfile = Corpus.largeDockerfile(lines: 10_000)
try Corpus.write(dockerfile, to: large + "/Dockerfile")
let dockerfileLineTexts = dockerfile.split(separator: "\n", omittingEmptySubsequences: false)
let dockerfileLines = dockerfileLineTexts.count
// In the middle of the file: the start of an instruction (completion of instructions) and a
// `$VARIABLE` (hover over its declaration).
let instructionLine =
  (dockerfileLines / 2..<dockerfileLines).first { dockerfileLineTexts[$0].hasPrefix("ENV ") } ?? 0
let variableLine =
  (dockerfileLines / 2..<dockerfileLines).first { dockerfileLineTexts[$0].contains("$TF_VAR_region") } ?? 0
let variableColumn = dockerfileLineTexts[variableLine].utf16.count - "TF_VAR_region \\".utf16.count
try editing(
  "Dockerfile of \(dockerfileLines) lines", uri: URL(fileURLWithPath: large + "/Dockerfile").absoluteString,
  text: dockerfile, language: "dockerfile", completionAt: (instructionLine, 0),
  hoverAt: (variableLine, variableColumn), targetP99: 20, diagnosticsTargetMedian: 15)

let module = workspace + "/module"
try Corpus.write(Corpus.typicalDockerfile, to: module + "/Dockerfile")
try Corpus.write(Corpus.terraform(variables: 5_000), to: module + "/variables.tf")
try Corpus.write(typicalSpec, to: module + "/lifecycle-job.yaml")
try editing(
  "Spec with 5,000 Terraform variables",
  uri: URL(fileURLWithPath: module + "/lifecycle-job.yaml").absoluteString,
  text: typicalSpec, language: "yaml", completionAt: (17, 2), hoverAt: (10, 4), targetP99: 20)

// MARK: Never stall: a 2 MB Dockerfile edited while a small spec is asked about.

@MainActor func neverStall() throws {
  let huge = workspace + "/huge"
  let text = Corpus.largeDockerfile(lines: 70_000)
  try Corpus.write(text, to: huge + "/Dockerfile")
  let small = workspace + "/small"
  try Corpus.write(Corpus.typicalSpec, to: small + "/lifecycle-job.yaml")
  try Corpus.write(Corpus.typicalDockerfile, to: small + "/Dockerfile")
  try Corpus.write(Corpus.terraform(variables: 12), to: small + "/variables.tf")
  let dockerfileURI = URL(fileURLWithPath: huge + "/Dockerfile").absoluteString
  let specURI = URL(fileURLWithPath: small + "/lifecycle-job.yaml").absoluteString
  let megabytes = String(format: "%.1f MB", Double(text.utf8.count) / 1_048_576)
  let session = try LSPSession([binary, "lsp"])
  session.initialize(root: workspace)
  session.notify(
    "textDocument/didOpen",
    ["textDocument": ["uri": specURI, "languageId": "yaml", "version": 1, "text": Corpus.typicalSpec]])
  session.notify(
    "textDocument/didOpen",
    ["textDocument": ["uri": dockerfileURI, "languageId": "dockerfile", "version": 1, "text": text]])
  func published(_ version: Int) -> ([String: Any]) -> Bool {
    {
      guard ($0["method"] as? String) == "textDocument/publishDiagnostics",
        let params = $0["params"] as? [String: Any]
      else { return false }
      return params["uri"] as? String == dockerfileURI && params["version"] as? Int == version
    }
  }
  _ = session.next(published(1))
  var version = 1
  // An edit at the end of the file (one character), as a person types.
  func edit() {
    version += 1
    session.notify(
      "textDocument/didChange",
      [
        "textDocument": ["uri": dockerfileURI, "version": version],
        "contentChanges": [
          [
            "range": [
              "start": ["line": 100_000, "character": 0], "end": ["line": 100_000, "character": 0],
            ],
            "text": version % 2 == 0 ? "#" : "\n",
          ]
        ],
      ])
  }
  let changes = measure(iterations: quick ? 5 : 20, warmup: 1) {
    edit()
    _ = session.next(published(version))
  }
  report.add(
    "Dockerfile of \(megabytes): change to diagnostics",
    String(format: "median %.1f ms, p99 %.1f ms (n=%d)", changes.median, changes.p99, changes.samples.count),
    target: "median ≤ 100 ms", met: changes.median <= 100)
  // Hover on the small spec while the Dockerfile is edited every 50 ms.
  var hovers: [Double] = []
  var lastEdit = DispatchTime.now().uptimeNanoseconds
  let end = lastEdit + UInt64((quick ? 3 : 10) * 1e9)
  edit()
  while DispatchTime.now().uptimeNanoseconds < end {
    if DispatchTime.now().uptimeNanoseconds - lastEdit >= 50_000_000 {
      edit()
      lastEdit = DispatchTime.now().uptimeNanoseconds
    }
    let start = DispatchTime.now().uptimeNanoseconds
    _ = session.requestBody(
      "textDocument/hover", ["textDocument": ["uri": specURI], "position": ["line": 3, "character": 3]],
      keepingNotifications: false)
    hovers.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    usleep(5_000)
  }
  report.timings(
    "Hover on a small spec while the \(megabytes) Dockerfile is edited every 50 ms", Timings(samples: hovers),
    targetP99: 10)
  let outline = session.requestBody(
    "textDocument/documentSymbol", ["textDocument": ["uri": dockerfileURI]], keepingNotifications: false)
  report.add(
    "Dockerfile of \(megabytes): outline reply", String(format: "%.0f KB", Double(outline.count) / 1024),
    target: "< 1 MB", met: outline.count < 1_048_576)
  // Once the edits have settled: the last analysis published, the server idle.
  _ = session.next(published(version))
  usleep(500_000)
  let rss = residentKilobytes(pid: session.pid) ?? 0
  report.add(
    "Server RSS with the \(megabytes) Dockerfile open", "\(rss / 1024) MB", target: "≤ 60 MB",
    met: rss <= 60 * 1024)
  session.close()
}
try neverStall()
if arguments.contains("--editing") {
  print(report.markdown())
  exit(0)
}

// MARK: `check` throughput, against hadolint.

let corpus = workspace + "/corpus"
let dockerfiles = try Corpus.checkCorpus(in: corpus, jobs: quick ? 100 : 500)
/// The total size of the files at `paths`.
func bytes(_ paths: [String]) -> Int {
  paths.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
}
let corpusBytes = bytes(try FileManager.default.subpathsOfDirectory(atPath: corpus).map { corpus + "/" + $0 })
let checkAll = try measure(iterations: quick ? 3 : 5, warmup: 1) {
  try runProcess([binary, "check", corpus, "--format", "json"])
}
report.add(
  "check: \(dockerfiles.count * 2) files (\(corpusBytes / 1024) KB)",
  String(
    format: "median %.0f ms, %.1f MB/s", checkAll.median, Double(corpusBytes) / 1e6 / (checkAll.median / 1000)
  ))
let dockerfileBytes = bytes(dockerfiles)
let ourDockerfiles = try measure(iterations: quick ? 3 : 5, warmup: 1) {
  try runProcess([binary, "check", "--format", "json"] + dockerfiles)
}
report.add(
  "check: \(dockerfiles.count) Dockerfiles",
  String(
    format: "median %.0f ms, %.1f MB/s", ourDockerfiles.median,
    Double(dockerfileBytes) / 1e6 / (ourDockerfiles.median / 1000)))
if let hadolint = which("hadolint") {
  let theirs = try measure(iterations: quick ? 2 : 3, warmup: 1) {
    try runProcess([hadolint, "--no-fail"] + dockerfiles)
  }
  report.add("hadolint: the same Dockerfiles", String(format: "median %.0f ms", theirs.median))
  report.add(
    "check vs hadolint (speed-up)", String(format: "%.1f×", theirs.median / ourDockerfiles.median),
    target: "≥ 10×",
    met: theirs.median / ourDockerfiles.median >= 10)
}

// MARK: The runner.

let runJob = workspace + "/run"
try Corpus.write(
  "name: bench\nevents:\n  start: [\"-c\", \"true\"]\n  stop: [\"-c\", \"yes 'a line of the job log, of some sixty characters in all, padded' | head -c 1000000000\"]\n",
  to: runJob + "/lifecycle-job.yaml")
try Corpus.write("FROM alpine\nENTRYPOINT [\"/bin/sh\"]\n", to: runJob + "/Dockerfile")
let direct = try measure(iterations: quick ? 10 : 30) { try runProcess(["/bin/sh", "-c", "true"]) }
let viaRunner = try measure(iterations: quick ? 10 : 30) {
  try runProcess([binary, "run", "start", runJob, "--engine", "process"])
}
report.timings("run start of [\"-c\", \"true\"]", viaRunner)
report.add(
  "Runner overhead (median, over sh -c true)", String(format: "%.1f ms", viaRunner.median - direct.median))

// 1 GB of log through the runner, to a pipe we drain; the runner's memory sampled meanwhile.
do {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: binary)
  process.arguments = ["run", "stop", runJob, "--engine", "process"]
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.nullDevice
  let start = DispatchTime.now().uptimeNanoseconds
  try process.run()
  let pid = process.processIdentifier
  let peak = Peak()
  let sampler = Thread {
    while process.isRunning {
      if let rss = residentKilobytes(pid: pid) { peak.note(rss) }
      usleep(20_000)
    }
  }
  sampler.start()
  var received = 0
  while true {
    let data = pipe.fileHandleForReading.availableData
    if data.isEmpty { break }
    received += data.count
  }
  process.waitUntilExit()
  let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  let throughput = Double(received) / 1e6 / seconds
  report.add(
    "Job log through the runner (\(received / 1_000_000) MB)", String(format: "%.0f MB/s", throughput),
    target: "≥ 200 MB/s", met: throughput >= 200)
  report.add(
    "Runner memory while streaming (peak RSS)", "\(peak.value / 1024) MB", target: "bounded",
    met: peak.value < 64 * 1024)
}

// MARK: Server memory.

do {
  let session = try LSPSession([binary, "lsp"])
  session.initialize(root: nil)
  usleep(100_000)
  let idle = residentKilobytes(pid: session.pid) ?? 0
  report.add("Server RSS, idle", "\(idle / 1024) MB")
  let files = quick ? 200 : 1_000
  for index in 0..<files {
    let isSpec = index % 2 == 0
    let path = "\(corpus)/job-\(index / 2 % 500)/\(isSpec ? "lifecycle-job.yaml" : "Dockerfile")"
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    session.notify(
      "textDocument/didOpen",
      [
        "textDocument": [
          "uri": URL(fileURLWithPath: path).absoluteString + "?\(index)",
          "languageId": isSpec ? "yaml" : "dockerfile", "version": 1, "text": text,
        ]
      ])
  }
  _ = session.request(
    "textDocument/hover",
    ["textDocument": ["uri": "file:///none/lifecycle-job.yaml"], "position": ["line": 0, "character": 0]])
  let opened = residentKilobytes(pid: session.pid) ?? 0
  report.add(
    "Server RSS after opening \(files) files", "\(opened / 1024) MB", target: "< 30 MB",
    met: opened < 30 * 1024)
  session.close()
}

final class Peak: @unchecked Sendable {
  private let lock = NSLock()
  private var maximum = 0
  func note(_ value: Int) {
    lock.lock()
    maximum = max(maximum, value)
    lock.unlock()
  }
  var value: Int {
    lock.lock()
    defer { lock.unlock() }
    return maximum
  }
}

let machine =
  (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
  .first { $0.hasPrefix("model name") }.map {
    String($0.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces)
  } ?? "unknown CPU"
print(
  "Measured \(ISO8601DateFormatter().string(from: Date()).prefix(10)) on \(machine), \(ProcessInfo.processInfo.activeProcessorCount) cores\(quick ? " (quick)" : "").\n"
)
print(report.markdown())
