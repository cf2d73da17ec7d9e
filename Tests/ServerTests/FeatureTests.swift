import Foundation
import LifecycleProtocol
import Testing

/// Every feature through the real server: a job in a temporary folder, documents with markers,
/// whole values compared.
@Suite struct FeatureTests {
  static let dockerfile = """
    FROM hashicorp/terraform:1.9
    ARG TF_VAR_region
    WORKDIR /app
    COPY . .
    ENTRYPOINT ["/bin/sh"]

    """
  static let terraform = """
    variable "region" {
      type        = string
      description = "The AWS region."
    }
    variable "bucket" {
      type    = string
      default = "states"
    }
    variable "db_password" {
      type      = string
      sensitive = true
    }

    """

  func job(spec: String) throws -> TemporaryJob {
    try TemporaryJob([
      "job/lifecycle-job.yaml": spec, "job/Dockerfile": Self.dockerfile, "job/variables.tf": Self.terraform,
      "job/scripts/apply.sh": "#!/bin/sh\nterraform apply -auto-approve\n",
    ])
  }

  @Test func diagnosticsArePushedOnOpenAtTheExactPositionAndOnChange() throws {
    let marked = Marked(
      """
      name: 数据-job 🚀
      events:
        start: '["-c", "echo 🚀" ⟨a⟩"done"]'
      environment:
        TF_VAR_region: us-east-2
        TF_VAR_db_password: x
      secrets: [TF_VAR_unused]

      """)
    let job = try job(spec: marked.text)
    let (client, uri) = TestClient.opening(marked.text, in: job)
    let diagnostics = client.diagnostics(for: uri)
    let arrayError = diagnostics.first { $0["code"] == "command-invalid-json" }
    #expect(
      arrayError == [
        "range": ["start": marked["a"], "end": ["line": 2, "character": 28]], "severity": 1,
        "code": "command-invalid-json", "source": "lifecycle-job",
        "message": "`start` is not a valid JSON array: missing `,` between elements",
      ], "\(diagnostics.map(\.text))")
    // An incremental change that fixes the array (insert `,` at the marker) clears it.
    client.notify(
      "textDocument/didChange",
      [
        "textDocument": ["uri": .string(uri), "version": 2],
        "contentChanges": [["range": marked.range("a", "a"), "text": ","]],
      ])
    let after = client.diagnostics(for: uri) { $0["version"] == 2 }
    #expect(!after.contains { $0["code"] == "command-invalid-json" }, "\(after.map(\.text))")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func utf8PositionsCRLFAndCombiningMarks() throws {
    // "é" written as e + U+0301, CRLF line ends: the error's column in UTF-8 bytes.
    let marked = Marked("name: e\u{301}\u{301}\r\nevents:\r\n  start: '[\"-c\" ⟨a⟩\"x\"]'\r\n", utf8: true)
    let job = try job(spec: marked.text)
    let (client, uri) = TestClient.opening(
      marked.text, in: job, capabilities: ["general": ["positionEncodings": ["utf-8"]]])
    let diagnostic = client.diagnostics(for: uri).first { $0["code"] == "command-invalid-json" }
    #expect(diagnostic?["range"]?["start"] == marked["a"], "\(diagnostic?.text ?? "none")")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func pulledDiagnosticsAndDependentsRefreshedWhenATerraformFileChanges() throws {
    let spec =
      "name: a\nevents:\n  start: [\"-c\", \"true\"]\nenvironment:\n  TF_VAR_region: x\n  TF_VAR_db_password: y\n"
    let job = try job(spec: spec)
    let (client, uri) = TestClient.opening(spec, in: job)
    #expect(client.diagnostics(for: uri).map { $0["code"] } == ["secret-in-plain-text"])
    // A new required variable on disk: the spec's diagnostics are republished.
    try job.write("job/extra.tf", "variable \"zone\" {}\n")
    client.notify(
      "workspace/didChangeWatchedFiles", ["changes": [["uri": .string(job.uri("job/extra.tf")), "type": 1]]])
    // (A publish from the background index may come first: wait for the one that knows the file.)
    let republished = client.notification("textDocument/publishDiagnostics") {
      $0["uri"] == .string(uri)
        && ($0["diagnostics"]?.arrayValue ?? []).contains { $0["code"] == "missing-terraform-variable" }
    }
    #expect(republished["uri"] == .string(uri), "\(republished.text)")
    let pulled = client.request("textDocument/diagnostic", ["textDocument": ["uri": .string(uri)]])
    #expect(pulled["result"]?["kind"] == "full")
    #expect(
      pulled["result"]?["items"]?.arrayValue?.map { $0["code"] }.contains("missing-terraform-variable")
        == true)
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func severitiesComeFromWorkspaceConfiguration() throws {
    let spec =
      "name: a\nevents:\n  start: [\"-c\", \"true\"]\nenvironment:\n  TF_VAR_region: x\n  TF_VAR_db_password: y\n"
    let job = try job(spec: spec)
    let client = TestClient()
    client.configuration = ["severity": ["secret-in-plain-text": "off"]]
    client.initialize(root: job.root)
    let uri = job.uri("job/lifecycle-job.yaml")
    // Opened after the configuration round trip: give it time to land.
    _ = client.request("textDocument/documentSymbol", ["textDocument": ["uri": .string(uri)]])
    client.open(uri, spec)
    let published = client.notification("textDocument/publishDiagnostics") {
      $0["uri"] == .string(uri) && $0["diagnostics"]?.arrayValue?.isEmpty == true
    }
    #expect(published["uri"] == .string(uri), "no publish without the code turned off: \(published.text)")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func completionOfTerraformVariablesBuiltinsKeysEventsAndTypes() throws {
    let marked = Marked(
      """
      name: a
      type: ⟨type⟩
      events:
        ⟨event⟩
        start: ["-c", "echo ${QOVERY_ENV⟨shell⟩}"]
      environment:
        TF_VAR_region: us-east-2
        URL: "{{⟨template⟩"
        ⟨env⟩
      ⟨top⟩
      """)
    let job = try job(spec: marked.text)
    let (client, uri) = TestClient.opening(marked.text, in: job)
    func labels(_ marker: String) -> [String] {
      let reply = client.request("textDocument/completion", client.at(uri, marked[marker]))
      return reply["result"]?["items"]?.arrayValue?.compactMap { $0["label"]?.stringValue } ?? []
    }
    #expect(labels("type") == ["cloudformation", "generic", "terraform"])
    #expect(labels("event") == ["stop", "delete"])
    // The unprovided required variable first, then the one with a default.
    #expect(labels("env") == ["TF_VAR_db_password", "TF_VAR_bucket"])
    #expect(labels("shell").contains("QOVERY_ENVIRONMENT_ID"))
    #expect(labels("template").first == "TF_VAR_region")
    #expect(labels("top") == ["aliases", "resources", "restarts", "secrets", "source", "timeout"])
    // The item itself: the type, default and description, and an edit over what was typed.
    let reply = client.request("textDocument/completion", client.at(uri, marked["env"]))
    let item = reply["result"]?["items"]?.arrayValue?.first
    #expect(item?["detail"] == "string required sensitive")
    #expect(item?["textEdit"] == ["range": marked.range("env", "env"), "newText": "TF_VAR_db_password: "])
    let resolved = client.request("completionItem/resolve", item!)["result"]
    #expect(
      resolved?["documentation"]
        == [
          "kind": "markdown",
          "value":
            "Terraform variable `db_password` (`variables.tf`)\n\nType: `string`, no default: the job must provide it, sensitive",
        ], "\(resolved?.text ?? "")")
    #expect(client.shutdownAndExit() == 0)
  }

  /// A client with snippets gets the key's trailing space before the cursor stop, so typing the
  /// value leaves valid YAML even where a plain item's trailing space is dropped (Neovim 0.12).
  @Test func completionKeepsTheSpaceAfterTheColonAsASnippet() throws {
    let marked = Marked("name: a\nevents:\n  start: [\"-c\", \"true\"]\nenvironment:\n  TF_⟨env⟩\n")
    let job = try job(spec: marked.text)
    let (client, uri) = TestClient.opening(
      marked.text, in: job,
      capabilities: ["textDocument": ["completion": ["completionItem": ["snippetSupport": true]]]])
    let item = client.request("textDocument/completion", client.at(uri, marked["env"]))["result"]?["items"]?
      .arrayValue?.first
    #expect(item?["insertTextFormat"] == 2, "\(item?.text ?? "")")
    #expect(
      item?["textEdit"]?["newText"] == "TF_VAR_db_password: $0", "\(item?.text ?? "")")
    #expect(client.shutdownAndExit() == 0)
  }

  /// `time|out: 600`: a client that can replace gets the whole word to replace, and the key alone.
  @Test func completionInsideAWordOffersToReplaceIt() throws {
    let marked = Marked("name: a\nevents:\n  start: [\"-c\", \"true\"]\ntime⟨cursor⟩out: 600\n")
    let job = try job(spec: marked.text)
    let (client, uri) = TestClient.opening(
      marked.text, in: job,
      capabilities: ["textDocument": ["completion": ["completionItem": ["insertReplaceSupport": true]]]])
    let items = client.request("textDocument/completion", client.at(uri, marked["cursor"]))["result"]?["items"]?
      .arrayValue ?? []
    let timeout = items.first { $0["label"] == "timeout" }
    #expect(
      timeout?["textEdit"]
        == [
          "newText": "timeout",
          "insert": ["start": ["line": 3, "character": 0], "end": ["line": 3, "character": 4]],
          "replace": ["start": ["line": 3, "character": 0], "end": ["line": 3, "character": 7]],
        ], "\(timeout?.text ?? "")")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func dockerfileCompletionOfInstructionsArgumentsAndVariables() throws {
    let job = try job(spec: "name: a\nevents:\n  start: [\"-c\", \"true\"]\n")
    let marked = Marked("FROM alpine\nARG TF_VAR_region\nARG ⟨arg⟩\nRUN echo $TF_⟨var⟩\nENTR⟨keyword⟩\n")
    let client = TestClient()
    client.initialize(root: job.root)
    let uri = job.uri("job/Dockerfile")
    client.open(uri, marked.text, language: "dockerfile")
    func labels(_ marker: String) -> [String] {
      let reply = client.request("textDocument/completion", client.at(uri, marked[marker]))
      return reply["result"]?["items"]?.arrayValue?.compactMap { $0["label"]?.stringValue } ?? []
    }
    #expect(Array(labels("arg").prefix(2)) == ["TF_VAR_db_password", "TF_VAR_bucket"])
    #expect(labels("var").first == "TF_VAR_region")
    #expect(labels("keyword").contains("ENTRYPOINT"))
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func hoverExplainsKeysVariablesEventsAndInstructions() throws {
    let marked = Marked(
      """
      name: a
      ⟨key⟩timeout: 600
      events:
        ⟨event⟩start: ["-c", "terraform apply -auto-approve && echo $Q⟨builtin⟩OVERY_JOB_ID"]
      environment:
        TF_VAR_re⟨tf⟩gion: us-east-2
      secrets: [TF_VAR_db_password]

      """)
    let job = try job(spec: marked.text)
    let (client, uri) = TestClient.opening(marked.text, in: job)
    func hover(_ marker: String, _ uri: String = uri, _ marks: Marked? = nil) -> String {
      let reply = client.request("textDocument/hover", client.at(uri, (marks ?? marked)[marker]))
      return reply["result"]?["contents"]?["value"]?.stringValue ?? reply.text
    }
    #expect(hover("key").hasPrefix("**`timeout`**\n\n"))
    #expect(hover("builtin") == "**`QOVERY_JOB_ID`**\n\n- Built-in: The id of this job.")
    #expect(
      hover("tf")
        == "**`TF_VAR_region`**\n\n- Set by the job's `environment`: `us-east-2`\n- Sets the Terraform variable `region` (`variables.tf`), type `string`, required\n  The AWS region.\n- Declared by `ARG` in the Dockerfile: `TF_VAR_region`"
    )
    let event = hover("event")
    #expect(
      event.contains("```sh\n/bin/sh -c 'terraform apply -auto-approve && echo $QOVERY_JOB_ID'\n```"),
      "\(event)")
    #expect(event.contains("`/bin/sh` comes from the Dockerfile's ENTRYPOINT/CMD."))
    #expect(event.contains("| `TF_VAR_db_password` | `••••••` | secret |"))
    let dockerfile = Marked(
      "FROM alpine\nARG TF_VAR_region\n⟨kw⟩ENTRYPOINT /bin/sh\nONBUILD ⟨child⟩RUN echo $TF_VAR_re⟨var⟩gion\n")
    client.open(job.uri("job/Dockerfile"), dockerfile.text, language: "dockerfile")
    #expect(
      hover("kw", job.uri("job/Dockerfile"), dockerfile).hasPrefix(
        "**ENTRYPOINT**: The executable the container runs"))
    // Inside ONBUILD: the instruction it holds, and a variable of it.
    #expect(hover("child", job.uri("job/Dockerfile"), dockerfile).hasPrefix("**RUN**: "))
    #expect(
      hover("var", job.uri("job/Dockerfile"), dockerfile)
        == "**`TF_VAR_region`**\n\n- Defined by the job that builds this Dockerfile\n- Sets the Terraform variable `region` (`variables.tf`), type `string`, required\n  The AWS region.\n- Declared by `ARG` in the Dockerfile: `TF_VAR_region`"
    )
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func definitionSymbolsAndLinks() throws {
    let marked = Marked(
      """
      name: a
      source:
        dockerfile: ⟨docker⟩Dockerfile
      events:
        start: ["-c", "sh /app/scripts/⟨script⟩apply.sh"]
      environment:
        TF_VAR_⟨tf⟩region: us-east-2
        URL: "{{TF_VAR_re⟨ref⟩gion}}"
      aliases:
        TF_VAR_bucket: TF_VAR_regi⟨alias⟩on

      """)
    let job = try job(spec: marked.text)
    let (client, uri) = TestClient.opening(marked.text, in: job)
    func definition(_ marker: String) -> JSONValue {
      client.request("textDocument/definition", client.at(uri, marked[marker]))["result"] ?? nil
    }
    let variableDeclaration: JSONValue = [
      "uri": .string(job.uri("job/variables.tf")),
      "range": ["start": ["line": 0, "character": 9], "end": ["line": 0, "character": 17]],
    ]
    #expect(definition("tf") == [variableDeclaration], "\(definition("tf").text)")
    let definedHere: JSONValue = [
      "uri": .string(uri),
      "range": ["start": ["line": 6, "character": 2], "end": ["line": 6, "character": 15]],
    ]
    #expect(definition("ref") == [definedHere, variableDeclaration])
    #expect(definition("alias") == [definedHere, variableDeclaration])
    let fileStart: JSONValue = ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 0]]
    #expect(definition("docker") == [["uri": .string(job.uri("job/Dockerfile")), "range": fileStart]])
    #expect(definition("script") == [["uri": .string(job.uri("job/scripts/apply.sh")), "range": fileStart]])

    let links = client.request("textDocument/documentLink", ["textDocument": ["uri": .string(uri)]])["result"]
    #expect(
      links?.arrayValue?.compactMap { $0["target"]?.stringValue } == [
        job.uri("job/Dockerfile"), job.uri("job/scripts/apply.sh"),
      ])
    let symbols = client.request("textDocument/documentSymbol", ["textDocument": ["uri": .string(uri)]])[
      "result"]
    #expect(
      symbols?.arrayValue?.compactMap { $0["name"]?.stringValue } == [
        "name", "source", "events", "environment", "aliases",
      ])
    let events = symbols?.arrayValue?[2]["children"]?.arrayValue
    #expect(events?.first?["name"] == "start" && events?.first?["kind"] == 24)
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func quickFixesAndSuppressions() throws {
    let marked = Marked(
      """
      name: a
      events:
        start: ⟨s⟩terraform apply -auto-approve⟨e⟩
      environment:
        TF_VAR_region: us-east-2⟨end⟩

      """)
    let job = try job(spec: marked.text)
    let (client, uri) = TestClient.opening(marked.text, in: job)
    _ = client.diagnostics(for: uri)
    let actions =
      client.request(
        "textDocument/codeAction",
        [
          "textDocument": ["uri": .string(uri)], "range": marked.range("s", "e"),
          "context": ["diagnostics": []],
        ])["result"]?
      .arrayValue ?? []
    let titles = actions.compactMap { $0["title"]?.stringValue }
    #expect(titles.contains("Ignore `command-not-array` on this line"), "\(titles)")
    let wrap = actions.first { $0["isPreferred"] == true }
    #expect(
      wrap?["edit"]
        == [
          "changes": [
            uri: [
              ["range": marked.range("s", "e"), "newText": "[\"-c\", \"terraform apply -auto-approve\"]"]
            ]
          ]
        ],
      "\(wrap?.text ?? "none")")
    // The missing-terraform-variable fix adds the entry under `environment`.
    let all =
      client.request(
        "textDocument/codeAction",
        [
          "textDocument": ["uri": .string(uri)],
          "range": ["start": ["line": 0, "character": 0], "end": marked["end"]],
          "context": ["diagnostics": []],
        ])["result"]?.arrayValue ?? []
    let add = all.first { $0["title"] == "Add `TF_VAR_db_password` under `environment`" }
    #expect(
      add?["edit"] == [
        "changes": [uri: [["range": marked.range("end", "end"), "newText": "\n  TF_VAR_db_password: \"\""]]]
      ],
      "\(all.map(\.text))")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func aJSONArrayStringIsRewrittenAsAYAMLList() throws {
    let marked = Marked(
      """
      name: a
      events:
        start: ⟨s⟩'["-c", "echo \\"hi\\" && echo é\\u00e9"]'⟨e⟩

      """)
    let job = try job(spec: marked.text)
    let (client, uri) = TestClient.opening(marked.text, in: job)
    let actions =
      client.request(
        "textDocument/codeAction",
        [
          "textDocument": ["uri": .string(uri)], "range": marked.range("s", "s"),
          "context": ["diagnostics": [], "only": ["refactor"]],
        ])["result"]?.arrayValue ?? []
    #expect(
      actions == [
        [
          "title": "Convert the JSON string to a YAML list", "kind": "refactor.rewrite",
          "edit": [
            "changes": [
              uri: [["range": marked.range("s", "e"), "newText": "[\"-c\", \"echo \\\"hi\\\" && echo éé\"]"]]
            ]
          ],
        ]
      ], "\(actions.map(\.text))")
    #expect(client.shutdownAndExit() == 0)
  }

  @Test func aHugeCompletionListIsCutToWhatMatchesAndMarkedIncomplete() throws {
    let terraform = (0..<1_000).map { "variable \"var_\($0)\" {}\n" }.joined()
    let marked = Marked("name: a\nevents:\n  start: [\"-c\", \"true\"]\nenvironment:\n  ⟨empty⟩\n")
    let job = try TemporaryJob([
      "job/lifecycle-job.yaml": marked.text, "job/variables.tf": terraform,
      "job/Dockerfile": "FROM alpine\nENTRYPOINT [\"/bin/sh\"]\n",
    ])
    let (client, uri) = TestClient.opening(marked.text, in: job)
    let all = client.request("textDocument/completion", client.at(uri, marked["empty"]))["result"]
    #expect(all?["isIncomplete"] == true && all?["items"]?.arrayValue?.count == 200)
    // Typing narrows it down, on the server: `TF_VAR_var_99` matches var_99 and var_990…var_999.
    let typed = marked.text.replacingOccurrences(of: "  \n", with: "  TF_VAR_var_99\n")
    client.notify(
      "textDocument/didChange",
      ["textDocument": ["uri": .string(uri), "version": 2], "contentChanges": [["text": .string(typed)]]])
    let narrowed = client.request("textDocument/completion", client.at(uri, ["line": 4, "character": 15]))[
      "result"]
    let labels = narrowed?["items"]?.arrayValue?.compactMap { $0["label"]?.stringValue } ?? []
    #expect(labels.prefix(11).allSatisfy { $0.hasPrefix("TF_VAR_var_99") }, "\(labels)")
    #expect(labels.count <= 200 && !labels.dropFirst(11).contains { $0.hasPrefix("TF_VAR_var_99") })
    #expect(client.shutdownAndExit() == 0)
  }
}
