import LifecycleAnalysis
import LifecycleSyntax
import Testing

@Suite struct DockerfileCheckTests {
  let dockerfile = FileKind.dockerfile

  @Test func aTypicalJobDockerfileIsClean() {
    expectDiagnostics(
      """
      # syntax=docker/dockerfile:1
      ARG TERRAFORM_VERSION=1.9
      FROM hashicorp/terraform:${TERRAFORM_VERSION}
      ARG TF_VAR_aws_region
      ENV AWS_REGION=$TF_VAR_aws_region PATH=/app/bin:$PATH
      WORKDIR /app
      COPY --chmod=755 . .
      RUN <<EOF
      terraform init -backend-config="region=${TF_VAR_aws_region}"
      EOF
      RUN for f in *.tf; do echo $f; done; X=1; echo $X ${UNSET:-default}
      ENTRYPOINT ["/bin/sh"]
      CMD ["-c", "terraform apply -auto-approve"]
      """, kind: dockerfile)
  }

  @Test func syntaxErrors() {
    expectDiagnostics("FROM alpine\nENV ⟦PATH⟧{dockerfile-syntax}\n", kind: dockerfile)
    expectDiagnostics("# only a comment\n⟦⟧{dockerfile-syntax}", kind: dockerfile)
    expectDiagnostics("FROM alpine\nCMD [\"echo\", ⟦[\"nested\"]⟧{dockerfile-syntax}]\n", kind: dockerfile)
    expectDiagnostics("FROM alpine\n⟦RUN⟧{dockerfile-syntax} <<EOF\necho\n", kind: dockerfile)
  }

  @Test func unknownInstructionsAndInstructionsBeforeFrom() {
    expectDiagnostics(
      "⟦WORKDIR⟧{instruction-before-from} /app\nFROM alpine\n⟦COPPY⟧{unknown-instruction} . .\n",
      kind: dockerfile)
    #expect(
      applyingFix("FROM alpine\nCOPPY . .\n", code: "unknown-instruction", kind: dockerfile)
        == "FROM alpine\nCOPY . .\n")
    expectDiagnostics("ARG BASE=alpine\nFROM $BASE\n", kind: dockerfile)
  }

  @Test func brokenExecForms() {
    expectDiagnostics("FROM alpine\nENTRYPOINT [⟦'⟧{exec-form-invalid-json}/bin/sh']\n", kind: dockerfile)
    expectDiagnostics("FROM alpine\nCMD [\"-c\" ⟦\"⟧{exec-form-invalid-json}x\"]\n", kind: dockerfile)
    expectDiagnostics(
      "FROM alpine\nHEALTHCHECK CMD [\"curl\", \"-f\"⟦,⟧{exec-form-invalid-json}]\n", kind: dockerfile)
    expectDiagnostics("FROM alpine\nRUN [\"a\"⟦,⟧{exec-form-invalid-json}\n", kind: dockerfile)
    #expect(
      applyingFix("FROM alpine\nCMD [\"-c\" \"x\"]\n", code: "exec-form-invalid-json", kind: dockerfile)
        == "FROM alpine\nCMD [\"-c\", \"x\"]\n")
    #expect(
      messages("FROM alpine\nENTRYPOINT ['/bin/sh']\n", kind: dockerfile) == [
        "exec-form-invalid-json: the ENTRYPOINT arguments look like a JSON array but are not valid JSON (single quotes are not JSON: strings need double quotes (`\"`)): Docker silently runs the whole text as a shell command"
      ])
    // Shell tests and JSON inside a string are shell commands, not broken arrays.
    expectDiagnostics("FROM alpine\nRUN [ -d /app ] || mkdir /app\nCMD '[\"a\"]'\n", kind: dockerfile)
  }

  @Test func undefinedVariables() {
    expectDiagnostics(
      """
      FROM alpine
      ARG TF_VAR_region
      RUN echo ${⟦TF_VAR_regoin⟧{undefined-variable}} $⟦TF_VAR_bucket⟧{undefined-variable} $⟦QOVERY_JOB_ID⟧{undefined-variable}
      RUN echo $JAVA_HOME $GOPATH $HOME $TARGETARCH
      ENV DATABASE_NAME=app
      WORKDIR /data/$⟦DATABSE_NAME⟧{undefined-variable}
      """, kind: dockerfile)
    // An ARG before FROM is visible only to FROM lines; after FROM it must be declared again.
    expectDiagnostics(
      "ARG TF_VAR_a\nFROM alpine:$TF_VAR_a\nRUN echo $⟦TF_VAR_a⟧{undefined-variable}\n", kind: dockerfile)
    // ENV of an earlier stage carries over to stages built from it.
    expectDiagnostics(
      "FROM alpine AS base\nENV TF_VAR_x=1\nFROM base\nRUN echo $TF_VAR_x\n", kind: dockerfile)
  }
}
