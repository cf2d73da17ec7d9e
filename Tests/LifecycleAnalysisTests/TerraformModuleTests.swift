import LifecycleAnalysis
import LifecycleSyntax
import Testing

/// A root module as Terraform loads it: JSON configuration and variable files, override files.
/// python-hcl2 reads neither JSON syntax nor override merging, so these fixtures are our own,
/// written from Terraform's documentation ("JSON Configuration Syntax", "Override Files").
@Suite struct TerraformModuleTests {
  /// Each variable as `file: name type=… default=… description=… sensitive`, then the outputs
  /// and the names the variable files set.
  static func summary(_ files: [String: String]) -> [String] {
    guard let module = TerraformModule(files: files.mapValues { SourceText($0) }) else {
      return ["no module"]
    }
    return module.variables.map { file, variable in
      "\(file): \(variable.name) type=\(variable.type ?? "-") default=\(variable.defaultExpression ?? "-") description=\(variable.description ?? "-")"
        + (variable.isSensitive ? " sensitive" : "")
    }
      + module.outputs.map {
        "output \($0.name) description=\($0.description ?? "-")" + ($0.isSensitive ? " sensitive" : "")
      }
      + ["assigned: " + module.assignedNames.sorted().joined(separator: " ")]
  }

  @Test func jsonConfigurationAndVariableFiles() {
    let json = """
      {
        "variable": {
          "region": {"type": "string", "default": "us-east-2", "description": "Caf\\u00e9 region"},
          "tags": [{"type": "map(string)"}, {"default": {"team": "a"}}],
          "password": {"sensitive": true}
        },
        "output": [{"endpoint": {"value": "${aws_db_instance.db.endpoint}", "description": "Where"}}],
        "resource": {"aws_s3_bucket": {"b": {"bucket": "x"}}}
      }
      """
    #expect(
      Self.summary([
        "main.tf.json": json, "terraform.tfvars.json": "{\"password\": \"p\", \"tags\": {}}",
        "prod.auto.tfvars.json": "{\"size\": 3}", "other.tfvars.json": "{\"ignored\": 1}",
        "broken.tf.json": "{\"variable\": ",
      ]) == [
        "main.tf.json: region type=string default=\"us-east-2\" description=Café region",
        "main.tf.json: tags type=map(string) default={\"team\": \"a\"} description=-",
        "main.tf.json: password type=- default=- description=- sensitive",
        "output endpoint description=Where",
        "assigned: password size tags",
      ])
    // JSON alone is a module.
    #expect(Self.summary(["variables.tf.json": "{}"]) == ["assigned: "])
    #expect(Self.summary(["terraform.tfvars.json": "{}"]) == ["no module"])
  }

  /// Override files come after the others, in name order; each attribute they set replaces the
  /// original's, the rest stays; a block with no original is ignored.
  @Test func overrideFilesMergeAttributeByAttribute() {
    let files = [
      "variables.tf": """
      variable "region" {
        type        = string
        description = "Where"
      }
      variable "size" {
        default = 1
      }
      output "url" {
        value       = "x"
        description = "The URL"
      }
      """,
      "override.tf": """
      variable "region" {
        default = "eu-west-3"
      }
      variable "not_declared" {}
      output "url" {
        sensitive = true
      }
      """,
      "b_override.tf.json": "{\"variable\": {\"region\": {\"description\": \"Overridden\"}}}",
      "a_override.tf": "variable \"region\" {\n  description = \"First\"\n  sensitive = true\n}\n",
      "overrides.tf": "variable \"extra\" {}\n",
    ]
    #expect(
      Self.summary(files) == [
        "overrides.tf: extra type=- default=- description=-",
        "variables.tf: region type=string default=\"eu-west-3\" description=Overridden sensitive",
        "variables.tf: size type=- default=1 description=-",
        "output url description=The URL sensitive",
        "assigned: ",
      ])
  }

  /// A JSON variable with a default needs no value from the job; one without does.
  @Test func missingVariablesOfAJSONModule() {
    let context = JobContext(
      root: .found(path: ".", contents: []), dockerfile: .unknown,
      terraformFiles: [
        "main.tf.json": SourceText("{\"variable\": {\"region\": {\"default\": \"x\"}, \"bucket\": {}}}"),
        "override.tf": SourceText("variable \"region\" {\n  type = string\n}\n"),
      ])
    let diagnostics = Analyzer.analyze(
      SourceText(
        "name: a\nevents:\n  start: [\"-c\", \"terraform apply -auto-approve\"]\n  delete: [\"-c\", \"x\"]\n"),
      kind: .spec(isJSON: false), context: context
    ).diagnostics.map(\.message)
    #expect(
      diagnostics == [
        "the Terraform variable `bucket` (main.tf.json) has no default and no tfvars value, and the job does not provide `TF_VAR_bucket`: terraform will fail or wait for input; add it under `environment`, `secrets` or `aliases`"
      ])
  }
}
