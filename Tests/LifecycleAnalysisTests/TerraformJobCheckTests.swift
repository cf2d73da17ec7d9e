import LifecycleAnalysis
import LifecycleSyntax
import Testing

/// Every check of a spec on a `qovery_job`, one fixture each, at its exact range in the HCL.
@Suite struct TerraformJobCheckTests {
  /// Analyses the marked HCL and expects exactly the marked diagnostics.
  func expectTerraform(
    _ annotated: String, files: TerraformJobFiles = .none, isJSON: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let (text, expected) = Markers.parse(annotated)
    let diagnostics = Analyzer.analyzeTerraform(SourceText(text), isJSON: isJSON, filesFor: { _ in files })
      .diagnostics
    #expect(
      Markers.render(text, diagnostics.map { ($0.range, $0.code) }) == Markers.render(text, expected),
      sourceLocation: sourceLocation)
  }

  /// A `qovery_job` with `schedule` holding `events`, and `extra` attributes.
  func job(_ events: String, _ extra: String = "") -> String {
    "resource \"qovery_job\" \"job\" {\n  name = \"job\"\n  schedule = {\n\(events)\n  }\n\(extra)}\n"
  }

  static let shellImage = "FROM alpine\nENTRYPOINT [\"/bin/sh\"]\n"

  static func files(
    dockerfile: String = shellImage, terraform: [String: String] = [:], rootFiles: [String] = []
  )
    -> TerraformJobFiles
  {
    .found(
      JobContext(
        root: .found(path: "job", contents: rootFiles),
        dockerfile: .found(path: "job/Dockerfile", contents: SourceText(dockerfile)),
        terraformFiles: terraform.mapValues { SourceText($0) }))
  }

  @Test func eventCommands() {
    expectTerraform(job("    on_start = ⟦{ arguments = [] }⟧{command-empty}"))
    expectTerraform(job("    on_start = { arguments = [⟦\"\"⟧{command-empty-argument}, \"x\"] }"))
    expectTerraform(job("    on_start = { entrypoint = ⟦\"/bin/sh -c\"⟧{entrypoint-has-spaces} }"))
    expectTerraform(job("    on_start = { arguments = [⟦\"-c\"⟧{shell-script-missing}] }"))
    expectTerraform(
      job("    on_start = { arguments = [\"-c\", \"echo\", ⟦\"x\"⟧{shell-extra-arguments}] }"))
    expectTerraform(job("    on_start = { arguments = [\"-c\", \"echo ⟦“⟧{typographic-quotes}done”\"] }"))
    // Through escapes: the range is the word's own bytes in the file.
    expectTerraform(
      job(
        "    on_start = { arguments = [\"-c\", \"echo \\\"\\u0041\\\" && terraform ⟦apply⟧{interactive-command}\"] }\n    on_delete = { arguments = [\"-c\", \"terraform destroy -auto-approve\"] }"
      ))
    expectTerraform(
      job(
        "    on_start = { arguments = [\"-c\", \"terraform output -json > ⟦/qovery-output/output.json⟧{output-path}\"] }"
      ))
  }

  /// What Terraform cannot convert to the attribute's type; what it converts (a number to a
  /// string) is read as it converts it.
  @Test func typesOfTheCommand() {
    expectTerraform(job("    on_start = { arguments = ⟦\"terraform apply\"⟧{command-not-array} }"))
    expectTerraform(job("    on_start = { entrypoint = ⟦[\"/bin/sh\", \"-c\"]⟧{wrong-type} }"))
    // `5` is the argument "5".
    expectTerraform(job("    on_start = { arguments = [\"-c\", \"sleep\", ⟦5⟧{shell-extra-arguments}] }"))
  }

  @Test func settings() {
    expectTerraform(job("    lifecycle_type = ⟦\"terraform\"⟧{invalid-value}"))
    expectTerraform(job("", "  max_duration_seconds = ⟦7200⟧{timeout-too-long}\n"))
    expectTerraform(
      job(
        "",
        "  cpu = ⟦5⟧{out-of-range}\n  memory = ⟦0⟧{out-of-range}\n  max_nb_restart = ⟦\"x\"⟧{wrong-type}\n"))
    // Terraform converts a string holding a number.
    expectTerraform(job("", "  cpu = \"250\"\n"))
  }

  @Test func variables() {
    expectTerraform(
      job(
        "",
        """
          environment_variables = [
            { key = "⟦1X⟧{invalid-variable-name}", value = "a" },
            { key = "⟦QOVERY_X⟧{reserved-variable-prefix}", value = "a" },
            { key = "⟦__X⟧{double-underscore-variable}", value = "a" },
            { key = "DB_PASSWORD", value = ⟦"hunter2"⟧{secret-in-plain-text} },
            { key = "URL", value = "postgres://{{⟦DB_USRE⟧{undefined-variable}}}@db" },
            { key = "DB_USER", value = "app" },
          ]
          secrets = [{ key = "⟦DB_USER⟧{duplicate-variable}", value = var.user }]
          environment_variable_aliases = [{ key = "ENV_ID", value = ⟦"QOVERY_ENVIRONMENT_IDD"⟧{unknown-alias-target} }]

        """))
    // A list Terraform computes may define anything: near misses stay quiet.
    expectTerraform(
      job(
        "",
        """
          environment_variables = concat(var.common, [{ key = "URL", value = "postgres://{{DB_USRE}}@db" }])
          secrets = [{ key = "DB_USER", value = var.user }]
          environment_variable_aliases = [{ key = "A", value = "DB_USRE" }]

        """))
    expectTerraform(
      job(
        "",
        """
          environment_variables = []
          secrets = [{ key = "DB_USER", value = var.user }]
          environment_variable_aliases = [{ key = "A", value = ⟦"DB_USRE"⟧{unknown-alias-target} }]

        """))
    expectTerraform(
      job(
        "",
        """
          environment_variables {
            key = "URL"
            value = "postgres://{{DB_USRE}}@db"
          }
          environment_variables {
            key = "DB_USER"
            value = "app"
          }
          dynamic "environment_variables" {
            for_each = var.common
            content {
              key = environment_variables.key
              value = environment_variables.value
            }
          }

        """))
    // The same blocks without `dynamic`: every name is known.
    expectTerraform(
      job(
        "",
        """
          environment_variables {
            key = "URL"
            value = "postgres://{{⟦DB_USRE⟧{undefined-variable}}}@db"
          }
          environment_variables {
            key = "DB_USER"
            value = "app"
          }

        """))
  }

  @Test func crossFile() {
    expectTerraform(
      job("    on_start = ⟦{ arguments = [\"-c\", \"./start.sh\"] }⟧{arguments-ignored}"),
      files: Self.files(dockerfile: "FROM alpine\nENTRYPOINT /bin/sh\n"))
    expectTerraform(
      job("    on_start = { arguments = [⟦\"-c\"⟧{no-shell-entrypoint}, \"./start.sh\"] }"),
      files: Self.files(dockerfile: "FROM scratch\nCMD [\"sh\"]\n"))
    expectTerraform(
      job("    on_start = { arguments = [\"apply\", ⟦\"&&\"⟧{shell-syntax-without-shell}, \"x\"] }"),
      files: Self.files(dockerfile: "FROM hashicorp/terraform\nENTRYPOINT [\"terraform\"]\n"))
    expectTerraform(
      job(
        "    ⟦on_start⟧{no-delete-event} = { arguments = [\"-c\", \"terraform init && terraform apply -auto-approve\"] }"
      ),
      files: Self.files())
    expectTerraform(
      job(
        "    on_start = { arguments = [\"-c\", \"/app/start.sh && ⟦/app/strat.sh⟧{script-not-found}\"] }",
        ""),
      files: Self.files(
        dockerfile: "FROM alpine\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"/bin/sh\"]\n", rootFiles: ["start.sh"]
      ))
    expectTerraform(
      """
      resource "qovery_job" "job" {
        name = "job"
        ⟦schedule⟧{missing-terraform-variable} = {
          on_start = { arguments = ["-c", "terraform apply -auto-approve"] }
          on_delete = { arguments = ["-c", "terraform destroy -auto-approve"] }
        }
        environment_variables = [{ key = "⟦TF_VAR_regoin⟧{unknown-terraform-variable}", value = "eu-west-3" }]
      }

      """,
      files: Self.files(terraform: ["variables.tf": "variable \"region\" {}\n"]))
    expectTerraform(
      """
      resource "qovery_job" "job" {
        schedule = { on_start = { arguments = ["-c", "x"] } }
        source = { docker = { git_repository = { url = ⟦"https://github.com/acme/other.git"⟧{job-files-unknown}, branch = "main" } } }
      }

      """, files: .notFound(reason: "not a remote of this checkout"))
    expectTerraform(
      """
      resource "qovery_job" "job" {
        schedule = { on_start = { arguments = ["-c", "x"] } }
        source = { docker = { dockerfile_path = ⟦"build/Dockerfile"⟧{file-not-found}, git_repository = { url = "u", branch = "main" } } }
      }

      """,
      files: .found(
        JobContext(root: .found(path: ".", contents: []), dockerfile: .missing(path: "build/Dockerfile"))))
  }

  /// `text` after the first fix of each diagnostic with `code`, and how many had one.
  func fixing(_ text: String, _ code: String, files: TerraformJobFiles = .none) -> (String, Int) {
    let fixes = Analyzer.analyzeTerraform(SourceText(text), isJSON: false, filesFor: { _ in files })
      .diagnostics
      .filter { $0.code == code }.compactMap(\.fixes.first)
    var bytes = Array(text.utf8)
    for edit in fixes.flatMap(\.edits).sorted(by: { $0.range.start > $1.range.start }) {
      bytes.replaceSubrange(edit.range.start..<edit.range.end, with: Array(edit.newText.utf8))
    }
    return (String(decoding: bytes, as: UTF8.self), fixes.count)
  }

  /// A spec's fix is offered where it writes plain text inside a string, and only there.
  @Test func fixesThatStayInsideStrings() {
    #expect(
      fixing(job("    on_start = { arguments = [\"-c\", \"terraform apply\"] }"), "interactive-command")
        == (job("    on_start = { arguments = [\"-c\", \"terraform apply -auto-approve\"] }"), 1))
    #expect(
      fixing(
        job("", "  environment_variables = [{ key = \"TF_VAR_regoin\", value = \"x\" }]\n"),
        "unknown-terraform-variable",
        files: Self.files(terraform: ["variables.tf": "variable \"region\" { default = \"\" }\n"]))
        == (job("", "  environment_variables = [{ key = \"TF_VAR_region\", value = \"x\" }]\n"), 1))
    // The alias fix replaces the whole value, quotes included: not offered.
    let alias = job(
      "", "  environment_variable_aliases = [{ key = \"A\", value = \"QOVERY_ENVIRONMENT_IDD\" }]\n")
    #expect(fixing(alias, "unknown-alias-target") == (alias, 0))
    // A curly quote becomes `"`, which needs escaping in HCL: not offered.
    let quotes = job("    on_start = { arguments = [\"-c\", \"echo “done”\"] }")
    #expect(fixing(quotes, "typographic-quotes") == (quotes, 0))
  }

  @Test func suppressionCommentsInHCL() {
    expectTerraform(
      job(
        """
            # lifecycle-job: ignore=interactive-command
            on_start = { arguments = ["-c", "terraform apply"] }
            on_stop = { arguments = ["-c", "terraform apply"] } // lifecycle-job: ignore=interactive-command
            on_delete = { arguments = ["-c", "terraform ⟦destroy⟧{interactive-command}"] } /* lifecycle-job: ignore=interactive-command */
        """))
    // A `//` or `#` inside a string comes before the comment.
    expectTerraform(
      job(
        """
            on_start = { arguments = ["-c", "curl https://x.io/#a && terraform apply"] } # lifecycle-job: ignore=interactive-command
        """))
  }

  @Test func theJSONSyntax() {
    expectTerraform(
      """
      {"resource": {"qovery_job": {"j": {"schedule": {
        "on_start": {"arguments": ["-c", "terraform ⟦\\u0061pply⟧{interactive-command} && terraform ⟦apply⟧{interactive-command}"]},
        "on_delete": {"arguments": ["-c", "terraform destroy -auto-approve ${var.x}"]}
      }}}}}
      """, isJSON: true)
  }
}
