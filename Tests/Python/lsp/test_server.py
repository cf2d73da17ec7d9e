"""The language server against pytest-lsp, which checks every message against the LSP 3.17
types, with the capabilities of real clients (Neovim 0.7, VS Code, Emacs) and a pull-diagnostics
client. Run with `-W error::pytest_lsp.LspSpecificationWarning`.

The server binary comes from LIFECYCLE_JOB_BIN (default: .build/debug/lifecycle-job)."""

import asyncio
import os
import pathlib
import sys
import tempfile

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPOSITORY = pathlib.Path(__file__).resolve().parents[3]
BINARY = os.environ.get("LIFECYCLE_JOB_BIN", str(REPOSITORY / ".build" / "debug" / "lifecycle-job"))

WORKSPACE = pathlib.Path(tempfile.mkdtemp(prefix="lifecycle-job-pytest-lsp-"))
(WORKSPACE / ".git").mkdir()
JOB = WORKSPACE / "job"
JOB.mkdir()
SPEC_TEXT = """name: rds 🚀
type: terraform
events:
  start: '["-c", "terraform apply -auto-approve" "&& echo $QOVERY_JOB_ID"]'
  stop: terraform destroy
environment:
  TF_VAR_region: us-east-2
  
"""
(JOB / "lifecycle-job.yaml").write_text(SPEC_TEXT)
(JOB / "Dockerfile").write_text('FROM hashicorp/terraform:1.9\nARG TF_VAR_region\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/bin/sh"]\n')
(JOB / "variables.tf").write_text(
    'variable "region" {\n  type = string\n}\nvariable "db_password" {\n  type = string\n  description = "The password."\n}\n'
)
SPEC = (JOB / "lifecycle-job.yaml").as_uri()
RUNNABLE = WORKSPACE / "runnable"
RUNNABLE.mkdir()
(RUNNABLE / "lifecycle-job.yaml").write_text(
    'name: runnable\nevents:\n  start: ["-c", "echo running; echo \'{\\"host\\": {\\"value\\": \\"h\\"}}\' > /qovery-output/qovery-output.json"]\n'
)
(RUNNABLE / "Dockerfile").write_text('FROM alpine\nENTRYPOINT ["/bin/sh"]\n')
FAILING = WORKSPACE / "failing"
FAILING.mkdir()
(FAILING / "lifecycle-job.yaml").write_text(
    'name: failing\nevents:\n  start: ["-c", "echo working; echo \'Error: no credentials\' >&2; exit 3"]\n'
)
(FAILING / "Dockerfile").write_text('FROM alpine\nENTRYPOINT ["/bin/sh"]\n')
DOCKERFILE = (JOB / "Dockerfile").as_uri()


def capabilities_for(name: str) -> types.ClientCapabilities:
    if name == "pull":
        # Pulls, and can be asked to pull again (without refresh support a client is pushed to).
        capabilities = client_capabilities("visual-studio-code")
        capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities(dynamic_registration=False)
        capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
        return capabilities
    return client_capabilities(name)


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[BINARY, "lsp"]),
    params=["neovim@v0.7.0", "visual-studio-code", "emacs", "pull"],
    scope="module",
)
async def client(request, lsp_client: LanguageClient):
    registrations = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        # As VS Code and Emacs do: accept the file watchers the server asks for.
        registrations.extend(params.registrations)

    lsp_client.registrations = registrations
    params = types.InitializeParams(
        capabilities=capabilities_for(request.param),
        root_uri=WORKSPACE.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=WORKSPACE.as_uri(), name="workspace")],
        initialization_options={
            "diagnosticsDelayMilliseconds": 0,
            "run": {"engine": "process", "logFolder": str(WORKSPACE / "logs" / request.param)},
        },
    )
    result = await lsp_client.initialize_session(params)
    lsp_client.pulls = request.param == "pull"
    lsp_client.profile = request.param
    lsp_client.server_capabilities = result.capabilities
    lsp_client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=SPEC, language_id="yaml", version=1, text=SPEC_TEXT)
        )
    )
    yield
    await lsp_client.shutdown_session()


def at(uri, line, character):
    return types.TextDocumentIdentifier(uri=uri), types.Position(line=line, character=character)


async def diagnostics(client: LanguageClient, uri: str):
    if client.pulls:
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        return report.items
    while uri not in client.diagnostics:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


@pytest.mark.asyncio(loop_scope="module")
async def test_capabilities_follow_the_client(client: LanguageClient):
    capabilities = client.server_capabilities
    assert capabilities.hover_provider is True
    assert capabilities.completion_provider.resolve_provider is True
    assert (capabilities.diagnostic_provider is not None) == client.pulls
    if client.capabilities.workspace and client.capabilities.workspace.did_change_watched_files:
        await asyncio.sleep(0.1)
        assert [r.method for r in client.registrations] == ["workspace/didChangeWatchedFiles"]


@pytest.mark.asyncio(loop_scope="module")
async def test_malformed_array_diagnostic(client: LanguageClient):
    found = await diagnostics(client, SPEC)
    by_code = {d.code: d for d in found}
    assert by_code["command-invalid-json"].range == types.Range(
        start=types.Position(line=3, character=49), end=types.Position(line=3, character=50)
    )
    assert by_code["command-not-array"].severity == types.DiagnosticSeverity.Error
    assert "missing-terraform-variable" in by_code


@pytest.mark.asyncio(loop_scope="module")
async def test_completion_and_resolve(client: LanguageClient):
    document, position = at(SPEC, 7, 2)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=document, position=position)
    )
    labels = [item.label for item in result.items]
    assert labels == ["TF_VAR_db_password"]
    resolved = await client.completion_item_resolve_async(result.items[0])
    documentation = resolved.documentation
    text = documentation if isinstance(documentation, str) else documentation.value
    assert "The password." in text


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_of_a_builtin(client: LanguageClient):
    document, position = at(SPEC, 3, 62)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=document, position=position))
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value == "**`QOVERY_JOB_ID`**\n\n- Built-in: The id of this job."


@pytest.mark.asyncio(loop_scope="module")
async def test_definition_symbols_links(client: LanguageClient):
    document, position = at(SPEC, 6, 10)
    locations = await client.text_document_definition_async(
        types.DefinitionParams(text_document=document, position=position)
    )
    assert [location.uri for location in locations] == [(JOB / "variables.tf").as_uri()]
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=document))
    assert [symbol.name for symbol in symbols] == ["name", "type", "events", "environment"]
    links = await client.text_document_document_link_async(types.DocumentLinkParams(text_document=document))
    assert list(links) == []


@pytest.mark.asyncio(loop_scope="module")
async def test_code_actions(client: LanguageClient):
    document, _ = at(SPEC, 0, 0)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=document,
            range=types.Range(start=types.Position(line=4, character=8), end=types.Position(line=4, character=25)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    titles = [action.title for action in actions]
    assert "Ignore `command-not-array` on this line" in titles
    # "Run <event>" actions carry a command and no edit; the quick fixes carry edits.
    preferred = [action for action in actions if getattr(action, "is_preferred", None)]
    assert preferred[0].edit.changes[SPEC][0].new_text == '["-c", "terraform destroy"]'


@pytest.mark.asyncio(loop_scope="module")
async def test_dockerfile_and_incremental_change(client: LanguageClient):
    text = "FROM alpine\nARG TF_VAR_region\nRUN echo $TF_VAR_region\n"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=DOCKERFILE, language_id="dockerfile", version=1, text=text)
        )
    )
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=DOCKERFILE, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=3, character=0), end=types.Position(line=3, character=0)),
                    text="ENTRYPOINT ['/bin/sh']\n",
                )
            ],
        )
    )
    found = await diagnostics(client, DOCKERFILE)
    if not client.pulls:
        while not any(d.code == "exec-form-invalid-json" for d in client.diagnostics.get(DOCKERFILE, [])):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        found = client.diagnostics[DOCKERFILE]
    assert any(d.code == "exec-form-invalid-json" and d.range.start.line == 3 for d in found)
    document, position = at(DOCKERFILE, 2, 12)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=document, position=position))
    assert "Declared by `ARG`" in hover.contents.value
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=document))
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=document))


@pytest.mark.asyncio(loop_scope="module")
async def test_out_of_range_and_unhandled_documents_are_answered(client: LanguageClient):
    # A position past the end is clamped, never refused; a document the server does not handle
    # (any other YAML file) gets an empty answer, which editors do not pop up as an error.
    document, _ = at(SPEC, 0, 0)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=document, position=types.Position(line=500, character=0))
    )
    assert hover is None
    compose = types.TextDocumentIdentifier(uri=(JOB / "docker-compose.yml").as_uri())
    position = types.Position(line=0, character=0)
    assert await client.text_document_hover_async(types.HoverParams(text_document=compose, position=position)) is None
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=compose, position=position)
    )
    assert completion is None or len(completion.items if hasattr(completion, "items") else completion) == 0


@pytest.mark.asyncio(loop_scope="module")
async def test_code_lens_and_run_event(client: LanguageClient):
    uri = (RUNNABLE / "lifecycle-job.yaml").as_uri()
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert [lens.command.title for lens in lenses] == ["▶ Run start"]
    command = lenses[0].command
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command.command, arguments=command.arguments)
    )
    # Answered at once: the run goes on, its log and its summary follow.
    assert result["started"] is True
    log_file = pathlib.Path(result["logFile"])
    assert log_file.parent == WORKSPACE / "logs" / client.profile
    deadline = asyncio.get_running_loop().time() + 30
    while not any("runnable: exit" in message.message for message in client.messages):
        assert asyncio.get_running_loop().time() < deadline, client.messages
        await asyncio.sleep(0.05)
    summaries = [message.message for message in client.messages if "runnable: exit" in message.message]
    assert len(summaries) == 1 and summaries[0].endswith(f"; outputs: HOST=h; log: {log_file}"), summaries
    assert any(
        message.message == "running" and message.type == types.MessageType.Info for message in client.log_messages
    )
    assert "running\n" in log_file.read_text()
    # A run that worked opens nothing.
    assert client.shown_documents == []


@pytest.mark.asyncio(loop_scope="module")
async def test_a_failed_run_says_why_and_offers_its_log(client: LanguageClient):
    uri = (FAILING / "lifecycle-job.yaml").as_uri()
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="lifecycle-job.runEvent", arguments=[uri, "start"])
    )
    log_file = pathlib.Path(result["logFile"])
    deadline = asyncio.get_running_loop().time() + 30
    while not any("failing: exit" in message.message for message in client.messages):
        assert asyncio.get_running_loop().time() < deadline, client.messages
        await asyncio.sleep(0.05)
    summary = next(message for message in client.messages if "failing: exit" in message.message)
    assert summary.type == types.MessageType.Error
    assert summary.message.split(" after ")[0] == "Run start — failing: exit 3"
    assert summary.message.endswith(f"; log: {log_file}\nError: no credentials"), summary.message
    # Offered where the client can show a document (VS Code's profile), without the focus.
    window = client.capabilities.window
    if window and window.show_document and window.show_document.support:
        deadline = asyncio.get_running_loop().time() + 10
        while not client.shown_documents:
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.05)
        assert [(d.uri, d.take_focus) for d in client.shown_documents] == [(log_file.as_uri(), False)]
    else:
        assert client.shown_documents == []


# Issue 12's protocol fixes, through a client that checks every message against the LSP types.

OTHER = WORKSPACE / "other"
OTHER.mkdir()
(OTHER / "lifecycle-job.yaml").write_text('name: other\nevents:\n  start: ["-c", "true"]\ntimeout: 60\n')


@pytest.mark.asyncio(loop_scope="module")
async def test_a_quick_fix_from_the_start_of_the_diagnostics_line(client: LanguageClient):
    # `stop: terraform destroy` is a plain string; the cursor at column 0 of its line.
    await diagnostics(client, SPEC)
    document, position = at(SPEC, 4, 0)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=document,
            range=types.Range(start=position, end=position),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.QuickFix]),
        )
    )
    assert any(isinstance(action, types.CodeAction) and action.diagnostics and action.diagnostics[0].code == "command-not-array" for action in actions)


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_follows_the_clients_formats(client: LanguageClient):
    document, position = at(SPEC, 0, 1)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=document, position=position))
    formats = (client.capabilities.text_document.hover.content_format or []) if client.capabilities.text_document.hover else []
    if types.MarkupKind.Markdown in formats:
        assert hover.contents.kind == types.MarkupKind.Markdown
    else:
        assert hover.contents.kind == types.MarkupKind.PlainText
        assert "**" not in hover.contents.value and "`" not in hover.contents.value


@pytest.mark.asyncio(loop_scope="module")
async def test_completion_inside_a_word_replaces_it_where_the_client_can(client: LanguageClient):
    uri = (OTHER / "lifecycle-job.yaml").as_uri()
    text = 'name: other\nevents:\n  start: ["-c", "true"]\ntimeout: 60\nrestarts: 1\n'
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text))
    )
    # `rest|arts: 1`: the whole word is replaced where the client takes an InsertReplaceEdit.
    document, position = at(uri, 4, 4)
    result = await client.text_document_completion_async(types.CompletionParams(text_document=document, position=position))
    items = result.items if hasattr(result, "items") else result
    # A key already in the mapping is not offered.
    assert all(item.label != "timeout" for item in items)
    restarts = next(item for item in items if item.label == "restarts")
    completion = client.capabilities.text_document.completion
    if completion and completion.completion_item and completion.completion_item.insert_replace_support:
        assert isinstance(restarts.text_edit, types.InsertReplaceEdit)
        assert (restarts.text_edit.insert.end.character, restarts.text_edit.replace.end.character) == (4, 8)
        assert restarts.text_edit.new_text == "restarts"
    else:
        assert isinstance(restarts.text_edit, types.TextEdit)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=document))


@pytest.mark.asyncio(loop_scope="module")
async def test_workspace_folders_change_while_the_server_runs(client: LanguageClient):
    assert client.server_capabilities.workspace.workspace_folders.change_notifications is True
    folder = types.WorkspaceFolder(uri=OTHER.as_uri(), name="other")
    client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(event=types.WorkspaceFoldersChangeEvent(added=[folder], removed=[]))
    )
    client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(event=types.WorkspaceFoldersChangeEvent(added=[], removed=[folder]))
    )
    document, position = at(SPEC, 0, 1)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=document, position=position))
    assert hover is not None
