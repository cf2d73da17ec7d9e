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
