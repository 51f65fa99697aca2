#compdef scwlua

__scwlua_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__scwlua_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __scwlua_complete "${completions[@]:0:-1}"
    fi
}

__scwlua_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_scwlua() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'deploy:Plan and apply a script to its stack.'
            'plan:Show what deploy would change. Writes nothing.'
            'destroy:Delete everything the stack holds, in reverse dependency order.'
            'refresh:Read the cloud and update state; report drift.'
            'output:Print the stack'\''s outputs as last applied.'
            'state:Inspect and repair state.'
            'import:Adopt an existing resource under an address the script declares.'
            'show:Print a plan saved by `scwlua plan --out FILE`.'
            'graph:Print a script'\''s dependency graph (DOT, Mermaid, or SVG via Graphviz).'
            'docs:Print every resource'\''s props, defaults and outputs.'
            'emulator:Run the local Scaleway API emulator.'
            'repl:An interactive Lua session over a stack: declare, inspect, :plan, :apply.'
            'version:Print the version.'
            'run:Run a Lua script with the scaleway module loaded (declares only; no API call).'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        deploy|plan|destroy|refresh|output|state|import|show|graph|docs|emulator|repl|version|run|help)
            "_scwlua_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_scwlua_deploy() {
    local -i ret=1
    local -ar arg_specs=(
        ':script:'
        '--profile[Scaleway config profile (overrides SCW_PROFILE and active_profile).]:profile:'
        '--local[Use a local emulator (in-process, its cloud kept in .scwlua/emulator.json)\: no account needed.]'
        '--endpoint[Use the Scaleway-compatible API at this URL (e.g. a running `scwlua emulator`).]:endpoint:'
        '--debug[Print one line per API call (method, path, status; never secrets).]'
        '--stack[Stack name\: one script can be deployed as several stacks.]:stack:'
        '--adopt-stack[Take over a stack last deployed from another script (its resources this script lacks are deleted).]'
        '--state-dir[Where state lives (default\: .scwlua beside the script).]:state-dir:'
        '--backend[Where state lives\: s3\://BUCKET/PREFIX\[?region=REGION\] (Object Storage, shared) or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the script, else local).]:backend:'
        '--parallelism[How many resources are worked on at once (1 to 1000).]:parallelism:'
        '*--var[A value the script reads as scaleway.vars.NAME, a string (repeatable).]:name=value:'
        '--allow-exec[Trust the script with the full Lua library\: os.execute, io.popen, file writes, every variable and file (also "allow_exec"\: true in scwlua.json).]'
        '*--allow-read[Let the script read files below DIR too (repeatable; its own folder is always readable).]:dir:'
        '*--allow-env[Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).]:name:'
        '(--yes -y)'{--yes,-y}'[Apply without asking.]'
        '--json[Print the plan and the result as JSON.]'
        '*--target[Only this resource and what it needs (destroy\: what needs it); repeatable.]:Type/name:'
        '--refresh[--refresh=false plans against state as last recorded, without reading the cloud first.]:bool:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_plan() {
    local -i ret=1
    local -ar arg_specs=(
        ':script:'
        '--profile[Scaleway config profile (overrides SCW_PROFILE and active_profile).]:profile:'
        '--local[Use a local emulator (in-process, its cloud kept in .scwlua/emulator.json)\: no account needed.]'
        '--endpoint[Use the Scaleway-compatible API at this URL (e.g. a running `scwlua emulator`).]:endpoint:'
        '--debug[Print one line per API call (method, path, status; never secrets).]'
        '--stack[Stack name\: one script can be deployed as several stacks.]:stack:'
        '--adopt-stack[Take over a stack last deployed from another script (its resources this script lacks are deleted).]'
        '--state-dir[Where state lives (default\: .scwlua beside the script).]:state-dir:'
        '--backend[Where state lives\: s3\://BUCKET/PREFIX\[?region=REGION\] (Object Storage, shared) or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the script, else local).]:backend:'
        '--parallelism[How many resources are worked on at once (1 to 1000).]:parallelism:'
        '*--var[A value the script reads as scaleway.vars.NAME, a string (repeatable).]:name=value:'
        '--allow-exec[Trust the script with the full Lua library\: os.execute, io.popen, file writes, every variable and file (also "allow_exec"\: true in scwlua.json).]'
        '*--allow-read[Let the script read files below DIR too (repeatable; its own folder is always readable).]:dir:'
        '*--allow-env[Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).]:name:'
        '--json[Print the plan as JSON.]'
        '--destroy[Plan a destroy instead.]'
        '*--target[Only this resource and what it needs (destroy\: what needs it); repeatable.]:Type/name:'
        '--out[Save the plan to FILE; `scwlua deploy FILE` applies exactly it.]:FILE:'
        '--detailed-exitcode[Exit 0 when there is nothing to change, 2 when there are changes, 1 on errors.]'
        '--refresh[--refresh=false plans against state as last recorded, without reading the cloud first.]:bool:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_destroy() {
    local -i ret=1
    local -ar arg_specs=(
        ':script:'
        '--profile[Scaleway config profile (overrides SCW_PROFILE and active_profile).]:profile:'
        '--local[Use a local emulator (in-process, its cloud kept in .scwlua/emulator.json)\: no account needed.]'
        '--endpoint[Use the Scaleway-compatible API at this URL (e.g. a running `scwlua emulator`).]:endpoint:'
        '--debug[Print one line per API call (method, path, status; never secrets).]'
        '--stack[Stack name\: one script can be deployed as several stacks.]:stack:'
        '--adopt-stack[Take over a stack last deployed from another script (its resources this script lacks are deleted).]'
        '--state-dir[Where state lives (default\: .scwlua beside the script).]:state-dir:'
        '--backend[Where state lives\: s3\://BUCKET/PREFIX\[?region=REGION\] (Object Storage, shared) or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the script, else local).]:backend:'
        '--parallelism[How many resources are worked on at once (1 to 1000).]:parallelism:'
        '*--var[A value the script reads as scaleway.vars.NAME, a string (repeatable).]:name=value:'
        '--allow-exec[Trust the script with the full Lua library\: os.execute, io.popen, file writes, every variable and file (also "allow_exec"\: true in scwlua.json).]'
        '*--allow-read[Let the script read files below DIR too (repeatable; its own folder is always readable).]:dir:'
        '*--allow-env[Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).]:name:'
        '(--yes -y)'{--yes,-y}'[Destroy without asking.]'
        '--json[Print the plan and the result as JSON.]'
        '*--target[Only this resource and what it needs (destroy\: what needs it); repeatable.]:Type/name:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_refresh() {
    local -i ret=1
    local -ar arg_specs=(
        ':script:'
        '--profile[Scaleway config profile (overrides SCW_PROFILE and active_profile).]:profile:'
        '--local[Use a local emulator (in-process, its cloud kept in .scwlua/emulator.json)\: no account needed.]'
        '--endpoint[Use the Scaleway-compatible API at this URL (e.g. a running `scwlua emulator`).]:endpoint:'
        '--debug[Print one line per API call (method, path, status; never secrets).]'
        '--stack[Stack name\: one script can be deployed as several stacks.]:stack:'
        '--adopt-stack[Take over a stack last deployed from another script (its resources this script lacks are deleted).]'
        '--state-dir[Where state lives (default\: .scwlua beside the script).]:state-dir:'
        '--backend[Where state lives\: s3\://BUCKET/PREFIX\[?region=REGION\] (Object Storage, shared) or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the script, else local).]:backend:'
        '--parallelism[How many resources are worked on at once (1 to 1000).]:parallelism:'
        '*--var[A value the script reads as scaleway.vars.NAME, a string (repeatable).]:name=value:'
        '--allow-exec[Trust the script with the full Lua library\: os.execute, io.popen, file writes, every variable and file (also "allow_exec"\: true in scwlua.json).]'
        '*--allow-read[Let the script read files below DIR too (repeatable; its own folder is always readable).]:dir:'
        '*--allow-env[Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).]:name:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_output() {
    local -i ret=1
    local -ar arg_specs=(
        ':name:'
        '--stack[Stack name.]:stack:'
        '--state-dir[Where local state lives.]:state-dir:'
        '--backend[Remote state\: s3\://BUCKET/PREFIX\[?region=REGION\], or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).]:backend:'
        '--profile[Scaleway config profile, for remote state.]:profile:'
        '--endpoint[A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.]:endpoint:'
        '--json[Print JSON.]'
        '--raw[Print that one output'\''s value as it is, a secret'\''s plaintext included (no quotes, no added newline; a list or table as JSON).]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_state() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'list:One line per resource: address, id, status.'
            'show:Everything state holds about one resource.'
            'export:The stack'\''s state as JSON (secrets hidden).'
            'unlock:Clear a stale lock.'
            'rm:Forget a resource (it stays in the cloud).'
            'mv:Rename a resource in state (nothing in the cloud changes).'
            'history:Past deploys and destroys.'
            'migrate:Copy a stack'\''s state (resources, outputs, history) to another backend.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        list|show|export|unlock|rm|mv|history|migrate)
            "_scwlua_state_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_scwlua_state_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--stack[Stack name.]:stack:'
        '--state-dir[Where local state lives.]:state-dir:'
        '--backend[Remote state\: s3\://BUCKET/PREFIX\[?region=REGION\], or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).]:backend:'
        '--profile[Scaleway config profile, for remote state.]:profile:'
        '--endpoint[A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.]:endpoint:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_state_show() {
    local -i ret=1
    local -ar arg_specs=(
        ':address:'
        '--stack[Stack name.]:stack:'
        '--state-dir[Where local state lives.]:state-dir:'
        '--backend[Remote state\: s3\://BUCKET/PREFIX\[?region=REGION\], or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).]:backend:'
        '--profile[Scaleway config profile, for remote state.]:profile:'
        '--endpoint[A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.]:endpoint:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_state_export() {
    local -i ret=1
    local -ar arg_specs=(
        '--stack[Stack name.]:stack:'
        '--state-dir[Where local state lives.]:state-dir:'
        '--backend[Remote state\: s3\://BUCKET/PREFIX\[?region=REGION\], or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).]:backend:'
        '--profile[Scaleway config profile, for remote state.]:profile:'
        '--endpoint[A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.]:endpoint:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_state_unlock() {
    local -i ret=1
    local -ar arg_specs=(
        '--stack[Stack name.]:stack:'
        '--state-dir[Where local state lives.]:state-dir:'
        '--backend[Remote state\: s3\://BUCKET/PREFIX\[?region=REGION\], or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).]:backend:'
        '--profile[Scaleway config profile, for remote state.]:profile:'
        '--endpoint[A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.]:endpoint:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_state_rm() {
    local -i ret=1
    local -ar arg_specs=(
        ':address:'
        '--stack[Stack name.]:stack:'
        '--state-dir[Where local state lives.]:state-dir:'
        '--backend[Remote state\: s3\://BUCKET/PREFIX\[?region=REGION\], or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).]:backend:'
        '--profile[Scaleway config profile, for remote state.]:profile:'
        '--endpoint[A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.]:endpoint:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_state_mv() {
    local -i ret=1
    local -ar arg_specs=(
        ':from:'
        ':to:'
        '--stack[Stack name.]:stack:'
        '--state-dir[Where local state lives.]:state-dir:'
        '--backend[Remote state\: s3\://BUCKET/PREFIX\[?region=REGION\], or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).]:backend:'
        '--profile[Scaleway config profile, for remote state.]:profile:'
        '--endpoint[A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.]:endpoint:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_state_history() {
    local -i ret=1
    local -ar arg_specs=(
        '--stack[Stack name.]:stack:'
        '--state-dir[Where local state lives.]:state-dir:'
        '--backend[Remote state\: s3\://BUCKET/PREFIX\[?region=REGION\], or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).]:backend:'
        '--profile[Scaleway config profile, for remote state.]:profile:'
        '--endpoint[A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.]:endpoint:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_state_migrate() {
    local -i ret=1
    local -ar arg_specs=(
        '--to[Where to copy\: s3\://BUCKET/PREFIX\[?region=REGION\] or local.]:backend:'
        '--from-state-dir[The local state to copy from (default\: --state-dir).]:from-state-dir:'
        '--stack[Stack name.]:stack:'
        '--state-dir[Where local state lives.]:state-dir:'
        '--backend[Remote state\: s3\://BUCKET/PREFIX\[?region=REGION\], or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).]:backend:'
        '--profile[Scaleway config profile, for remote state.]:profile:'
        '--endpoint[A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.]:endpoint:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_import() {
    local -i ret=1
    local -ar arg_specs=(
        ':script:'
        ':address:'
        ':id:'
        '--profile[Scaleway config profile (overrides SCW_PROFILE and active_profile).]:profile:'
        '--local[Use a local emulator (in-process, its cloud kept in .scwlua/emulator.json)\: no account needed.]'
        '--endpoint[Use the Scaleway-compatible API at this URL (e.g. a running `scwlua emulator`).]:endpoint:'
        '--debug[Print one line per API call (method, path, status; never secrets).]'
        '--stack[Stack name\: one script can be deployed as several stacks.]:stack:'
        '--adopt-stack[Take over a stack last deployed from another script (its resources this script lacks are deleted).]'
        '--state-dir[Where state lives (default\: .scwlua beside the script).]:state-dir:'
        '--backend[Where state lives\: s3\://BUCKET/PREFIX\[?region=REGION\] (Object Storage, shared) or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the script, else local).]:backend:'
        '--parallelism[How many resources are worked on at once (1 to 1000).]:parallelism:'
        '*--var[A value the script reads as scaleway.vars.NAME, a string (repeatable).]:name=value:'
        '--allow-exec[Trust the script with the full Lua library\: os.execute, io.popen, file writes, every variable and file (also "allow_exec"\: true in scwlua.json).]'
        '*--allow-read[Let the script read files below DIR too (repeatable; its own folder is always readable).]:dir:'
        '*--allow-env[Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).]:name:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_show() {
    local -i ret=1
    local -ar arg_specs=(
        ':file:'
        '--json[As JSON.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_graph() {
    local -i ret=1
    local -ar ___format=('dot' 'mermaid' 'svg')
    local -ar arg_specs=(
        ':script:'
        '--format[dot, mermaid or svg.]:format:{__scwlua_complete "${___format[@]}"}'
        '--allow-exec[Trust the script with the full Lua library\: os.execute, io.popen, file writes, every variable and file (also "allow_exec"\: true in scwlua.json).]'
        '*--allow-read[Let the script read files below DIR too (repeatable; its own folder is always readable).]:dir:'
        '*--allow-env[Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).]:name:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_docs() {
    local -i ret=1
    local -ar arg_specs=(
        ':type:'
        '--markdown[Markdown (as in docs/resources.md).]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_emulator() {
    local -i ret=1
    local -ar arg_specs=(
        '--port[Port (0 picks a free one).]:port:'
        '--latency[Added latency per request, in milliseconds.]:latency:'
        '--faults[Fault rates, e.g. 429\:0.1,503\:0.05,drop\:0.01]:faults:'
        '--speed[Speed of transient states (2 = twice as fast).]:speed:'
        '--data[Keep the emulated cloud in this file between runs.]:data:'
        '--verbose[Print one line per request.]'
        '--access-key[An access key Object Storage accepts besides the local one (default\: $SCW_ACCESS_KEY).]:access-key:'
        '--secret-key[The secret key of --access-key (default\: $SCW_SECRET_KEY).]:secret-key:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_repl() {
    local -i ret=1
    local -ar arg_specs=(
        ':script:'
        '--profile[Scaleway config profile (overrides SCW_PROFILE and active_profile).]:profile:'
        '--local[Use a local emulator (in-process, its cloud kept in .scwlua/emulator.json)\: no account needed.]'
        '--endpoint[Use the Scaleway-compatible API at this URL (e.g. a running `scwlua emulator`).]:endpoint:'
        '--debug[Print one line per API call (method, path, status; never secrets).]'
        '--stack[Stack name\: one script can be deployed as several stacks.]:stack:'
        '--adopt-stack[Take over a stack last deployed from another script (its resources this script lacks are deleted).]'
        '--state-dir[Where state lives (default\: .scwlua beside the script).]:state-dir:'
        '--backend[Where state lives\: s3\://BUCKET/PREFIX\[?region=REGION\] (Object Storage, shared) or local (default\: $SCWLUA_BACKEND, else scwlua.json beside the script, else local).]:backend:'
        '--parallelism[How many resources are worked on at once (1 to 1000).]:parallelism:'
        '*--var[A value the script reads as scaleway.vars.NAME, a string (repeatable).]:name=value:'
        '--allow-exec[Trust the script with the full Lua library\: os.execute, io.popen, file writes, every variable and file (also "allow_exec"\: true in scwlua.json).]'
        '*--allow-read[Let the script read files below DIR too (repeatable; its own folder is always readable).]:dir:'
        '*--allow-env[Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).]:name:'
        '(--yes -y)'{--yes,-y}'[Apply and destroy without asking (also through a pipe).]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_version() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_run() {
    local -i ret=1
    local -ar arg_specs=(
        ':script:'
        '--allow-exec[Trust the script with the full Lua library\: os.execute, io.popen, file writes, every variable and file (also "allow_exec"\: true in scwlua.json).]'
        '*--allow-read[Let the script read files below DIR too (repeatable; its own folder is always readable).]:dir:'
        '*--allow-env[Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).]:name:'
        '*--var[A value the script reads as scaleway.vars.NAME, a string (repeatable).]:name=value:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_scwlua_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _scwlua ]]; then
    _scwlua "${@}"
else
    compdef _scwlua scwlua
fi
