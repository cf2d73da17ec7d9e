import LifecycleAnalysis
import LifecycleSyntax
import Testing

@Suite struct EventTests {
  @Test func theThreeFormsGiveTheSameArguments() {
    let forms = [
      "  start: [\"-c\", \"echo hi\"]\n",
      "  start:\n    - -c\n    - echo hi\n",
      "  start:\n    arguments: [\"-c\", \"echo hi\"]\n",
      "  start: '[\"-c\", \"echo hi\"]'\n",
      "  start: \"[\\\"-c\\\", \\\"echo hi\\\"]\"\n",
    ]
    for form in forms {
      let (spec, diagnostics) = SpecReader.read(SourceText(spec(events: form)))
      #expect(diagnostics == [], "\(form)")
      #expect(spec.event(.start)?.arguments?.map(\.value) == ["-c", "echo hi"], "\(form)")
    }
  }

  @Test func plainShellStringIsNotAnArrayAndIsFixedToAShellCall() {
    let text = spec(events: "  start: terraform apply -auto-approve\n")
    expectDiagnostics(spec(events: "  start: ⟦terraform apply -auto-approve⟧{command-not-array}\n"))
    #expect(
      applyingFix(text, code: "command-not-array")
        == spec(events: "  start: [\"-c\", \"terraform apply -auto-approve\"]\n"))
    expectDiagnostics(spec(events: "  start: ⟦42⟧{command-not-array}\n"))
    expectDiagnostics(spec(events: "  start:\n    arguments: ⟦{a: b}⟧{command-not-array}\n"))
    expectDiagnostics(spec(events: "  start: ⟦'{\"a\": 1}'⟧{command-not-array}\n"))
  }

  @Test func invalidJSONIsReportedAtItsExactColumnWithAFix() {
    let text = spec(events: "  start: '[\"-c\" \"echo hi\"]'\n")
    expectDiagnostics(spec(events: "  start: '[\"-c\" ⟦\"⟧{command-invalid-json}echo hi\"]'\n"))
    #expect(
      messages(text) == [
        "command-invalid-json: `start` is not a valid JSON array: missing `,` between elements"
      ])
    #expect(
      applyingFix(text, code: "command-invalid-json") == spec(events: "  start: '[\"-c\", \"echo hi\"]'\n"))
  }

  @Test func invalidJSONKinds() {
    expectDiagnostics(spec(events: "  start: '[\"-c\", \"x\"⟦,⟧{command-invalid-json}]'\n"))
    expectDiagnostics(spec(events: "  start: \"[⟦'⟧{command-invalid-json}-c', 'x']\"\n"))
    expectDiagnostics(spec(events: "  start: '[\"-c\", ⟦\"x]⟧{command-invalid-json}'\n"))
    expectDiagnostics(spec(events: "  start: '[\"-c\", \"x\"⟦'⟧{command-invalid-json}\n"))
    expectDiagnostics(spec(events: "  start: '[\"-c\", \"⟦\\q⟧{command-invalid-json}\"]'\n"))
    // A YAML escape first decodes `\\` to `\`: the column is still the file's.
    expectDiagnostics(spec(events: "  start: \"[\\\"-c\\\", \\\"⟦\\\\q⟧{command-invalid-json}\\\"]\"\n"))
  }

  @Test func typographicQuotesInAJSONStringAreFixed() {
    let text = spec(events: "  start: '[“-c”, “echo hi”]'\n")
    #expect(
      applyingFix(text, code: "command-invalid-json") == spec(events: "  start: '[\"-c\", \"echo hi\"]'\n"))
  }

  @Test func typographicQuotesInsideElements() {
    expectDiagnostics(spec(events: "  start: [\"-c\", \"echo ⟦“⟧{typographic-quotes}done”\"]\n"))
    #expect(
      applyingFix(spec(events: "  start: [\"-c\", \"echo ‘done’\"]\n"), code: "typographic-quotes")
        == spec(events: "  start: [\"-c\", \"echo 'done'\"]\n"))
    // A lone ’ is an apostrophe.
    expectDiagnostics(spec(events: "  start: [\"-c\", \"echo it’s done\"]\n"))
  }

  @Test func elementsThatAreNotStrings() {
    expectDiagnostics(
      spec(
        events:
          "  start: [\"--port\", ⟦8080⟧{command-element-not-string}, ⟦null⟧{command-element-not-string}, ⟦[a]⟧{command-element-not-string}]\n"
      ))
    expectDiagnostics(spec(events: "  start:\n    - -c\n    - ⟦echo: hi⟧{command-element-not-string}\n"))
    expectDiagnostics(spec(events: "  start: '[\"-c\", ⟦true⟧{command-element-not-string}]'\n"))
    #expect(
      applyingFix(spec(events: "  start:\n    - --port\n    - 8080\n"), code: "command-element-not-string")
        == spec(events: "  start:\n    - --port\n    - \"8080\"\n"))
  }

  @Test func emptyCommandsAndArguments() {
    expectDiagnostics(spec(events: "  start: ⟦[]⟧{command-empty}\n"))
    expectDiagnostics(spec(events: "  start: [⟦\"\"⟧{command-empty-argument}, \"x\"]\n"))
    expectDiagnostics(spec(events: "  start:\n    entrypoint: /bin/true\n    arguments: []\n"))
    expectDiagnostics(spec(events: "  start:\n"))
    expectDiagnostics(spec(events: "  start: {}\n"))
  }

  @Test func entrypointWithSpaces() {
    expectDiagnostics(
      spec(events: "  start:\n    entrypoint: ⟦/bin/sh -c⟧{entrypoint-has-spaces}\n    arguments: [\"x\"]\n"))
    #expect(
      messages(spec(events: "  start:\n    entrypoint: /bin/sh -c\n")) == [
        "entrypoint-has-spaces: the entrypoint is one executable name, so `/bin/sh -c` looks for a file with spaces in its name; use `entrypoint: /bin/sh` and put `-c` first in `arguments`"
      ])
  }

  @Test func shellScriptMissingOrFollowedByExtras() {
    expectDiagnostics(spec(events: "  start: [⟦\"-c\"⟧{shell-script-missing}]\n"))
    expectDiagnostics(
      spec(events: "  start: [\"/bin/bash\", \"-o\", \"pipefail\", ⟦\"-ec\"⟧{shell-script-missing}]\n"))
    expectDiagnostics(spec(events: "  start: [\"-c\", ⟦\"  \"⟧{shell-script-missing}]\n"))
    expectDiagnostics(
      spec(
        events: "  start: [\"-c\", \"terraform\", ⟦\"apply\", \"-auto-approve\"⟧{shell-extra-arguments}]\n"))
    // Extras the script reads are meant.
    expectDiagnostics(spec(events: "  start: [\"-c\", \"echo $1\", \"sh\", \"hello\"]\n"))
    expectDiagnostics(
      spec(
        events: "  start:\n    entrypoint: /bin/sh\n    arguments: [\"-ec\", \"echo \\\"$@\\\"\", \"a\"]\n"))
    // No `-c`: nothing to say.
    expectDiagnostics(spec(events: "  start: [\"./start.sh\", \"arg\"]\n"))
  }

  @Test func interactiveCommands() {
    expectDiagnostics(
      spec(
        events: "  start: [\"-c\", \"terraform init && terraform ⟦apply⟧{interactive-command} -no-color\"]\n")
    )
    expectDiagnostics(
      spec(events: "  start: [\"-c\", \"cd infra; tofu -chdir=x ⟦destroy⟧{interactive-command}\"]\n"))
    expectDiagnostics(spec(events: "  start: [\"-c\", \"pulumi ⟦up⟧{interactive-command} --stack dev\"]\n"))
    expectDiagnostics(
      spec(
        events:
          "  start: [\"-c\", \"npx cdk deploy --require-approval never && cdk ⟦destroy⟧{interactive-command}\"]\n"
      ))
    expectDiagnostics(
      spec(events: "  start:\n    entrypoint: terraform\n    arguments: [⟦\"apply\"⟧{interactive-command}]\n")
    )
    expectDiagnostics(
      spec(events: "  start: [\"-c\", \"if true; then exec terraform ⟦destroy⟧{interactive-command}; fi\"]\n")
    )
  }

  @Test func nonInteractiveFormsStayQuiet() {
    for script in [
      "terraform apply -auto-approve", "terraform apply -no-color -auto-approve=true",
      "terraform apply tfplan",
      "terraform plan", "terraform destroy --auto-approve", "pulumi up --yes", "pulumi destroy -y",
      "pulumi preview", "cdk destroy --force", "echo terraform apply",
      "terraform output -json > /qovery-output/qovery-output.json",
    ] {
      #expect(messages(spec(events: "  start: [\"-c\", \"\(script)\"]\n")) == [], "\(script)")
    }
    #expect(
      messages(
        spec(
          events: "  start: [\"-c\", \"terraform apply\"]\n",
          extra: "environment:\n  TF_CLI_ARGS_apply: -auto-approve\n")) == [])
    #expect(
      messages(spec(events: "  start: [\"-c\", \"export PULUMI_SKIP_CONFIRMATIONS=true; pulumi up\"]\n"))
        == [])
  }

  @Test func interactiveCommandFixAddsTheFlag() {
    #expect(
      applyingFix(
        spec(events: "  start: [\"-c\", \"terraform apply -no-color\"]\n"), code: "interactive-command")
        == spec(events: "  start: [\"-c\", \"terraform apply -auto-approve -no-color\"]\n"))
  }

  @Test func outputsWrittenToTheWrongPlace() {
    expectDiagnostics(
      spec(
        events: "  start: [\"-c\", \"terraform output -json > ⟦/qovery-output/output.json⟧{output-path}\"]\n")
    )
    expectDiagnostics(
      spec(events: "  start: [\"-c\", \"./run.sh | tee ⟦qovery-output.json⟧{output-path}\"]\n"))
    expectDiagnostics(
      spec(
        events:
          "  start: [\"-c\", \"terraform apply -auto-approve && ⟦terraform output -json⟧{output-path}\"]\n"))
    #expect(
      applyingFix(spec(events: "  start: [\"-c\", \"terraform output -json\"]\n"), code: "output-path")
        == spec(events: "  start: [\"-c\", \"terraform output -json > /qovery-output/qovery-output.json\"]\n")
    )
    #expect(
      applyingFix(
        spec(events: "  start: [\"-c\", \"jq . x > /qovery_output/qovery-output.json\"]\n"),
        code: "output-path")
        == spec(events: "  start: [\"-c\", \"jq . x > /qovery-output/qovery-output.json\"]\n"))
  }

  @Test func correctOutputsStayQuiet() {
    for script in [
      "terraform output -json > /qovery-output/qovery-output.json",
      "terraform output -json | jq . > /qovery-output/qovery-output.json",
      "terraform output -json > /tmp/out.json && cp /tmp/out.json /qovery-output/qovery-output.json",
      "echo '{}' > /qovery-output/qovery-output.json.tmp && mv /qovery-output/qovery-output.json.tmp /qovery-output/qovery-output.json",
      "OUT=$(terraform output -json) && echo $OUT > /qovery-output/qovery-output.json",
      "terraform output -json > $OUTPUT_FILE",
    ] {
      #expect(messages(spec(events: "  start: [\"-c\", \"\(script)\"]\n")) == [], "\(script)")
    }
  }
}
