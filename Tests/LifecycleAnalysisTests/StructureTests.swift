import LifecycleAnalysis
import LifecycleSyntax
import Testing

@Suite struct StructureTests {
  @Test func aValidSpecHasNoDiagnostics() {
    expectDiagnostics(
      """
      name: mysql-rds
      type: terraform
      source:
        root: .
        dockerfile: Dockerfile
        target: build
      events:
        start: ["-c", "terraform apply -no-color -auto-approve && terraform output -json > /qovery-output/qovery-output.json"]
        delete:
          entrypoint: /bin/sh
          arguments: ["-c", "terraform destroy -no-color -auto-approve"]
      timeout: 1800
      restarts: 0
      resources:
        cpu: 500m
        memory: 256Mi
      environment:
        TF_VAR_aws_region: us-east-2
        DATABASE_URL: "postgres://{{DB_USER}}@db/app"
      secrets:
        - TF_VAR_aws_access_key_id
        - TF_VAR_aws_secret_access_key
      aliases:
        TF_VAR_qovery_environment_id: QOVERY_ENVIRONMENT_ID
      """)
  }

  @Test func yamlSyntaxErrorIsAtTheParsersPosition() {
    expectDiagnostics("name: job\nevents:\n  start: ⟦[\"-c\", \"x\"⟧{yaml-syntax}\n")
    #expect(
      messages("name: job\nevents:\n  start: [\"-c\", \"x\"\n") == [
        "yaml-syntax: did not find expected ',' or ']' (while parsing a flow sequence that starts at line 3, column 10)"
      ])
  }

  @Test func duplicateKeyIsReportedOnItsSecondOccurrence() {
    expectDiagnostics(
      """
      name: job
      events:
        start: ["-c", "x"]
      timeout: 60
      ⟦timeout⟧{duplicate-key}: 120
      """)
  }

  @Test func unknownKeySuggestsTheNearestAndFixesIt() {
    let text = spec(events: "  start: [\"-c\", \"x\"]\n", extra: "tiemout: 60\n")
    expectDiagnostics(spec(events: "  start: [\"-c\", \"x\"]\n", extra: "⟦tiemout⟧{unknown-key}: 60\n"))
    #expect(messages(text) == ["unknown-key: unknown key `tiemout` in the job spec; did you mean `timeout`?"])
    #expect(
      applyingFix(text, code: "unknown-key")
        == spec(events: "  start: [\"-c\", \"x\"]\n", extra: "timeout: 60\n"))
  }

  @Test func unknownKeysInNestedMappings() {
    expectDiagnostics(
      """
      name: job
      source:
        ⟦dockerfil⟧{unknown-key}: Dockerfile
      events:
        ⟦begin⟧{unknown-key}: ["-c", "x"]
        stop:
          ⟦entry⟧{unknown-key}: /bin/sh
      resources:
        ⟦cpus⟧{unknown-key}: 1
      """)
  }

  @Test func missingNameAndEvents() {
    expectDiagnostics("⟦⟦timeout⟧{missing-key}⟧{missing-key}: 60\n")
    #expect(
      messages("timeout: 60\n") == [
        "missing-key: the job spec has no `events`; it is required",
        "missing-key: the job spec has no `name`; it is required",
      ])
    expectDiagnostics("name: job\nevents: ⟦{}⟧{missing-key}\n")
    expectDiagnostics("⟦⟧{missing-key}")
  }

  @Test func wrongTypes() {
    expectDiagnostics(
      """
      name: ⟦[a, b]⟧{wrong-type}
      events:
        start: ["-c", "x"]
      timeout: ⟦"30 minutes"⟧{wrong-type}
      restarts: ⟦1.5⟧{wrong-type}
      environment: ⟦[A, B]⟧{wrong-type}
      secrets: ⟦A⟧{wrong-type}
      aliases:
        A: ⟦[B]⟧{wrong-type}
      """)
    expectDiagnostics("⟦- name: job⟧{wrong-type}\n")
  }

  @Test func secretsWithValuesAreReportedAndStillDefineTheNames() {
    expectDiagnostics(
      """
      name: job
      events:
        start: ["-c", "echo $API_TOKEN"]
      secrets:
        ⟦API_TOKEN: abc⟧{wrong-type}
      """)
  }

  @Test func settingsOutOfRange() {
    expectDiagnostics(
      """
      name: job
      events:
        start: ["-c", "x"]
      timeout: ⟦0⟧{out-of-range}
      restarts: ⟦-1⟧{out-of-range}
      resources:
        cpu: ⟦5m⟧{out-of-range}
        memory: ⟦0Mi⟧{out-of-range}
      """)
    expectDiagnostics(
      spec(events: "  start: [\"-c\", \"x\"]\n", extra: "timeout: ⟦7200⟧{timeout-too-long}\n"))
  }

  @Test func bareCPUAndMemoryNumbersAreSurelyOtherUnits() {
    let text = spec(events: "  start: [\"-c\", \"x\"]\n", extra: "resources:\n  cpu: 500\n  memory: 2\n")
    #expect(
      messages(text) == [
        "out-of-range: `cpu: 500` asks for 500 vCPUs; write `500m` for 500 millicores",
        "out-of-range: `memory: 2` is 2 MB, too little for any container; write `2Gi` for gigabytes",
      ])
    #expect(
      applyingFix(text, code: "out-of-range")
        == spec(events: "  start: [\"-c\", \"x\"]\n", extra: "resources:\n  cpu: 500m\n  memory: 2\n"))
  }

  @Test func acceptedResourceForms() {
    for cpu in ["500m", "0.5", "2", "\"1.5\"", "10m"] {
      for memory in ["256Mi", "1Gi", "512", "1G", "512M"] {
        let text = spec(
          events: "  start: [\"-c\", \"x\"]\n", extra: "resources:\n  cpu: \(cpu)\n  memory: \(memory)\n")
        #expect(messages(text) == [], "cpu \(cpu), memory \(memory)")
      }
    }
    let (spec, _) = SpecReader.read(SourceText("name: a\nresources:\n  cpu: 0.25\n  memory: 2Gi\n"))
    #expect(spec.cpuMillicores == 250)
    #expect(spec.memoryMegabytes == 2048)
    #expect(spec.timeoutSeconds == 300)
  }

  @Test func unknownLifecycleTypeSuggestsAndFixes() {
    let text = spec(events: "  start: [\"-c\", \"x\"]\n", extra: "type: terrafrom\n")
    #expect(
      messages(text) == [
        "invalid-value: unknown lifecycle type `terrafrom`; expected `generic`, `terraform` or `cloudformation`; did you mean `terraform`?"
      ])
    #expect(
      applyingFix(text, code: "invalid-value")
        == spec(events: "  start: [\"-c\", \"x\"]\n", extra: "type: terraform\n"))
    #expect(messages(spec(events: "  start: [\"-c\", \"x\"]\n", extra: "type: TERRAFORM\n")) == [])
  }

  @Test func imageTogetherWithDockerfile() {
    expectDiagnostics(
      """
      name: job
      source:
        dockerfile: Dockerfile
        ⟦image⟧{conflicting-keys}: hashicorp/terraform:1.9
      events:
        start: ["-c", "x"]
      """)
  }

  @Test func jsonSpecsAreReadWithTheSameChecks() {
    expectDiagnostics(
      """
      {"name": "job", "events": {"start": ["-c", ⟦1⟧{command-element-not-string}]}, ⟦"tiemout"⟧{unknown-key}: 60}
      """, kind: .spec(isJSON: true))
    expectDiagnostics(
      """
      {"name": "job", "events": {"start": ["-c", "x"]⟦,⟧{json-syntax}}}
      """, kind: .spec(isJSON: true))
  }

  @Test func positionsCountUTF16AfterTabsEmojiAndCJK() {
    let text = "name: \"\u{1F600}\u{4F60}\"\ntiemout: 1\nevents:\n  start: [\"-c\", \"x\"]\n"
    let diagnostic = Analyzer.analyze(SourceText(text), kind: .spec(isJSON: false)).diagnostics[0]
    #expect(SourceText(text).position(of: diagnostic.range.start) == LinePosition(line: 1, character: 0))
    let inline = "name: job\nevents:\n  start: [\"\u{1F600}\u{4F60}\", 1]\n"
    let element = Analyzer.analyze(SourceText(inline), kind: .spec(isJSON: false)).diagnostics[0]
    // `  start: ["` is 11 UTF-16 units, the emoji 2, the CJK character 1, `", ` 3.
    #expect(SourceText(inline).position(of: element.range.start) == LinePosition(line: 2, character: 17))
  }

  @Test func suppressionCommentsSilenceTheirLine() {
    expectDiagnostics(
      """
      name: job
      events:
        start: ["-c", "x"]
      # lifecycle-job: ignore=unknown-key
      tiemout: 60
      restarts: -1 # lifecycle-job: ignore=out-of-range,unknown-key
      ⟦foo⟧{unknown-key}: 1 # lifecycle-job: ignore=out-of-range
      """)
  }

  @Test func severityOverrides() {
    let text = spec(events: "  start: [\"-c\", \"x\"]\n", extra: "tiemout: 60\ntimeout: 7200\n")
    let settings = AnalysisSettings(severityOverrides: [
      "unknown-key": .warning, "timeout-too-long": Severity?.none,
    ])
    let diagnostics = Analyzer.analyze(SourceText(text), kind: .spec(isJSON: false), settings: settings)
      .diagnostics
    #expect(diagnostics.map { "\($0.code) \($0.severity)" } == ["unknown-key warning"])
  }

  @Test func brokenInputNeverCrashes() {
    for text in [
      "\u{FEFF}", ":", "- - -", "[", "{a: [}", "name: \"\\", "\t\tname: x", "events: !!binary x", "&a [*a]",
      "*unknown",
    ] {
      _ = Analyzer.analyze(SourceText(text), kind: .spec(isJSON: false))
    }
    let invalid = Analyzer.analyze(
      SourceText(bytes: [0x6E, 0x3A, 0x20, 0xFF, 0x0A]), kind: .spec(isJSON: false))
    #expect(invalid.diagnostics.map(\.code) == ["yaml-syntax"])
  }
}
