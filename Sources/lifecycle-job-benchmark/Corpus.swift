import Foundation

/// Generated inputs: a typical job, the large cases, and the `check` corpus.
enum Corpus {
  static func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  static let typicalSpec = """
    name: mysql-rds
    type: terraform
    events:
      start: ["-c", "terraform init -backend-config=bucket=$TF_VAR_bucket && terraform apply -no-color -auto-approve && terraform output -json > /qovery-output/qovery-output.json"]
      delete: ["-c", "terraform init && terraform destroy -no-color -auto-approve"]
    timeout: 1800
    resources:
      cpu: 500m
      memory: 512Mi
    environment:
      TF_VAR_region: us-east-2
      TF_VAR_bucket: states
      DATABASE_URL: "mysql://{{QOVERY_ENVIRONMENT_NAME}}@db/app"
    secrets:
      - TF_VAR_password
    aliases:
      TF_VAR_qovery_environment_id: QOVERY_ENVIRONMENT_ID

    """

  static let typicalDockerfile = """
    FROM hashicorp/terraform:1.9
    ARG TF_VAR_region
    ARG TF_VAR_bucket
    WORKDIR /app
    COPY . .
    RUN terraform init -backend=false
    ENTRYPOINT ["/bin/sh"]

    """

  static func terraform(variables count: Int) -> String {
    var text = ""
    for index in 0..<count {
      text += """
        variable "var_\(index)" {
          type        = string
          description = "Variable number \(index)."
          \(index % 3 == 0 ? "" : "default     = \"value-\(index)\"")
        }

        """
    }
    return text
      + "variable \"region\" {\n  type = string\n}\nvariable \"bucket\" {}\nvariable \"password\" {\n  sensitive = true\n}\nvariable \"qovery_environment_id\" {}\n"
  }

  /// A Dockerfile of about `lines` lines, with continuations, variables and exec forms.
  static func largeDockerfile(lines: Int) -> String {
    var text = "FROM alpine:3.20 AS build\nARG TF_VAR_region\nARG VERSION=1.0\n"
    var index = 0
    while text.utf8.count / 30 < lines {
      switch index % 5 {
      case 0:
        text += "RUN echo building step \(index) for $TF_VAR_region \\\n    && echo version ${VERSION}\n"
      case 1: text += "ENV STEP_\(index)=value-\(index)\n"
      case 2: text += "COPY scripts/step-\(index).sh /app/\n"
      case 3: text += "# step \(index)\nWORKDIR /app/\(index)\n"
      default: text += "RUN [\"/bin/sh\", \"-c\", \"echo \(index)\"]\n"
      }
      index += 1
    }
    return text + "ENTRYPOINT [\"/bin/sh\"]\n"
  }

  /// `count` jobs (a spec and a Dockerfile each) under `folder`; returns the Dockerfiles.
  static func checkCorpus(in folder: String, jobs count: Int) throws -> [String] {
    var dockerfiles: [String] = []
    for index in 0..<count {
      let job = "\(folder)/job-\(index)"
      var spec = typicalSpec.replacingOccurrences(of: "mysql-rds", with: "job-\(index)")
      if index % 10 == 0 {
        spec = spec.replacingOccurrences(of: "-auto-approve\"]\n  delete", with: "\"]\n  delete")
      }
      try write(spec, to: job + "/lifecycle-job.yaml")
      var dockerfile = typicalDockerfile
      for step in 0..<30 { dockerfile += "RUN echo step \(step) of job \(index) && ls -la /app\n" }
      if index % 7 == 0 { dockerfile += "CMD ['/bin/sh', '-c', 'echo broken exec form']\n" }
      try write(dockerfile, to: job + "/Dockerfile")
      dockerfiles.append(job + "/Dockerfile")
    }
    return dockerfiles
  }
}
