" lifecycle-job for Vim with ALE (Debian: `apt install vim-ale`; ALE 3.3 or later).
" Load ALE first (`packadd! ale` in your vimrc), then source this file.
"
" It defines the ALE linter `lifecycle_job` (an LSP over stdio: `lifecycle-job lsp`) for the
" yaml, json and dockerfile file types, started only for the files the server handles: job specs
" (lifecycle-job.yaml, *.lifecycle-job.yaml, lifecycle-job.json), Dockerfiles and
" qovery-output.json. Other YAML and JSON files never see it.
"
"   let g:lifecycle_job_executable = 'lifecycle-job'   " or its full path
"   let g:lifecycle_job_settings = {'severity': {'secret-in-plain-text': 'off'}}

if exists('g:loaded_lifecycle_job_ale')
  finish
endif
let g:loaded_lifecycle_job_ale = 1

" ALE shows only the servers' error messages by default: a run's start and its summary are
" information. Keep your own choice when you made one.
if !exists('g:ale_lsp_show_message_severity')
  let g:ale_lsp_show_message_severity = 'information'
endif

" The file names the server handles.
let s:patterns = [
\ '\v^lifecycle-job\.ya?ml$', '\v\.lifecycle-job\.ya?ml$', '\v^lifecycle-job\.json$',
\ '\v^[Dd]ockerfile$', '\v\.[Dd]ockerfile$', '\v^[Dd]ockerfile\..+$', '\v^qovery-output\.json$',
\]

function! s:Handles(buffer) abort
  let l:name = fnamemodify(bufname(a:buffer), ':t')
  for l:pattern in s:patterns
    if l:name =~# l:pattern
      return 1
    endif
  endfor
  return 0
endfunction

" The repository holding the file (its nearest .git), else its folder; '' (ALE then does not
" start the server) for a file the server does not handle.
function! LifecycleJobProjectRoot(buffer) abort
  if !s:Handles(a:buffer)
    return ''
  endif
  let l:folder = fnamemodify(bufname(a:buffer), ':p:h')
  let l:git = finddir('.git', l:folder . ';')
  if empty(l:git)
    let l:git = findfile('.git', l:folder . ';')
  endif
  return empty(l:git) ? l:folder : fnamemodify(l:git, ':p:h:h')
endfunction

for s:filetype in ['yaml', 'json', 'dockerfile']
  call ale#linter#Define(s:filetype, {
  \ 'name': 'lifecycle_job',
  \ 'lsp': 'stdio',
  \ 'executable': {buffer -> get(g:, 'lifecycle_job_executable', 'lifecycle-job')},
  \ 'command': '%e lsp',
  \ 'project_root': function('LifecycleJobProjectRoot'),
  \ 'initialization_options': {buffer -> get(g:, 'lifecycle_job_settings', {})},
  \ 'lsp_config': {buffer -> {'lifecycle-job': get(g:, 'lifecycle_job_settings', {})}},
  \})
endfor

" ALE runs a default list of linters for some file types (YAML among them): add ours to the
" list of the buffers the server handles, and only there.
function! s:Enable(buffer) abort
  if !s:Handles(a:buffer)
    return
  endif
  let l:filetype = getbufvar(a:buffer, '&filetype')
  let l:chosen = get(get(g:, 'ale_linters', {}), l:filetype, 'all')
  if type(l:chosen) == v:t_list && index(l:chosen, 'lifecycle_job') < 0
    let l:chosen = l:chosen + ['lifecycle_job']
  endif
  call setbufvar(a:buffer, 'ale_linters', {l:filetype : l:chosen})
endfunction

augroup lifecycle_job_ale
  autocmd!
  autocmd FileType yaml,json,dockerfile call s:Enable(str2nr(expand('<abuf>')))
augroup END

" Runs: :LifecycleJobRun {event} (or :ALECodeAction on the event's line, "Run start"),
" :LifecycleJobStop {event}, :LifecycleJobLog (the whole log of the last run). The server
" answers at once; a refusal (a missing secret, unsaved changes) is shown here, the start and the
" summary come as the server's messages.
function! s:Events(...) abort
  return ['start', 'stop', 'delete']
endfunction

function! s:OnRunAnswer(response) abort
  if has_key(a:response, 'error')
    echohl ErrorMsg
    echomsg 'lifecycle-job: ' . get(a:response.error, 'message', 'the run failed')
    echohl None
  elseif type(get(a:response, 'result')) is v:t_dict && has_key(a:response.result, 'logFile')
    let g:lifecycle_job_last_log = a:response.result.logFile
  endif
endfunction

function! s:Send(command, event) abort
  let l:buffer = bufnr('')
  if !s:Handles(l:buffer)
    echohl WarningMsg | echo 'lifecycle-job: this buffer is not a job spec' | echohl None
    return
  endif
  let l:uri = ale#path#ToFileURI(fnamemodify(bufname(l:buffer), ':p'))
  call ale#lsp_linter#SendRequest(l:buffer, 'lifecycle_job',
  \ ale#lsp#message#ExecuteCommand(a:command, [l:uri, a:event]), function('s:OnRunAnswer'))
endfunction

function! s:OpenLog() abort
  if !exists('g:lifecycle_job_last_log')
    echohl WarningMsg | echo 'lifecycle-job: no run yet' | echohl None
    return
  endif
  execute 'split' fnameescape(g:lifecycle_job_last_log)
  setlocal autoread
endfunction

command! -nargs=1 -complete=customlist,s:Events LifecycleJobRun call s:Send('lifecycle-job.runEvent', <q-args>)
command! -nargs=1 -complete=customlist,s:Events LifecycleJobStop call s:Send('lifecycle-job.stopRun', <q-args>)
command! LifecycleJobLog call s:OpenLog()
