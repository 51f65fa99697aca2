function __scwlua_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __scwlua_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __scwlua_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __scwlua_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __scwlua_parse_tokens -S
    set -l unparsed_tokens (__scwlua_tokens -pc)
    switch $unparsed_tokens[1]
    case 'scwlua'
        __scwlua_parse_subcommand 0 'h/help'
        switch $unparsed_tokens[1]
        case 'deploy'
            __scwlua_parse_subcommand 1 'profile=' 'local' 'endpoint=' 'debug' 'stack=' 'adopt-stack' 'state-dir=' 'backend=' 'parallelism=' 'var=+' 'allow-exec' 'allow-read=+' 'allow-env=+' 'y/yes' 'json' 'target=+' 'refresh=' 'h/help'
        case 'plan'
            __scwlua_parse_subcommand 1 'profile=' 'local' 'endpoint=' 'debug' 'stack=' 'adopt-stack' 'state-dir=' 'backend=' 'parallelism=' 'var=+' 'allow-exec' 'allow-read=+' 'allow-env=+' 'json' 'destroy' 'target=+' 'out=' 'detailed-exitcode' 'refresh=' 'h/help'
        case 'destroy'
            __scwlua_parse_subcommand 1 'profile=' 'local' 'endpoint=' 'debug' 'stack=' 'adopt-stack' 'state-dir=' 'backend=' 'parallelism=' 'var=+' 'allow-exec' 'allow-read=+' 'allow-env=+' 'y/yes' 'json' 'target=+' 'h/help'
        case 'refresh'
            __scwlua_parse_subcommand 1 'profile=' 'local' 'endpoint=' 'debug' 'stack=' 'adopt-stack' 'state-dir=' 'backend=' 'parallelism=' 'var=+' 'allow-exec' 'allow-read=+' 'allow-env=+' 'h/help'
        case 'output'
            __scwlua_parse_subcommand 1 'stack=' 'state-dir=' 'backend=' 'profile=' 'endpoint=' 'json' 'raw' 'h/help'
        case 'state'
            __scwlua_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __scwlua_parse_subcommand 0 'stack=' 'state-dir=' 'backend=' 'profile=' 'endpoint=' 'h/help'
            case 'show'
                __scwlua_parse_subcommand 1 'stack=' 'state-dir=' 'backend=' 'profile=' 'endpoint=' 'h/help'
            case 'export'
                __scwlua_parse_subcommand 0 'stack=' 'state-dir=' 'backend=' 'profile=' 'endpoint=' 'h/help'
            case 'unlock'
                __scwlua_parse_subcommand 0 'stack=' 'state-dir=' 'backend=' 'profile=' 'endpoint=' 'h/help'
            case 'rm'
                __scwlua_parse_subcommand 1 'stack=' 'state-dir=' 'backend=' 'profile=' 'endpoint=' 'h/help'
            case 'mv'
                __scwlua_parse_subcommand 2 'stack=' 'state-dir=' 'backend=' 'profile=' 'endpoint=' 'h/help'
            case 'history'
                __scwlua_parse_subcommand 0 'stack=' 'state-dir=' 'backend=' 'profile=' 'endpoint=' 'h/help'
            case 'migrate'
                __scwlua_parse_subcommand 0 'to=' 'from-state-dir=' 'stack=' 'state-dir=' 'backend=' 'profile=' 'endpoint=' 'h/help'
            end
        case 'import'
            __scwlua_parse_subcommand 3 'profile=' 'local' 'endpoint=' 'debug' 'stack=' 'adopt-stack' 'state-dir=' 'backend=' 'parallelism=' 'var=+' 'allow-exec' 'allow-read=+' 'allow-env=+' 'h/help'
        case 'show'
            __scwlua_parse_subcommand 1 'json' 'h/help'
        case 'graph'
            __scwlua_parse_subcommand 1 'format=' 'allow-exec' 'allow-read=+' 'allow-env=+' 'h/help'
        case 'docs'
            __scwlua_parse_subcommand 1 'markdown' 'h/help'
        case 'emulator'
            __scwlua_parse_subcommand 0 'port=' 'latency=' 'faults=' 'speed=' 'data=' 'verbose' 'access-key=' 'secret-key=' 'h/help'
        case 'repl'
            __scwlua_parse_subcommand 1 'profile=' 'local' 'endpoint=' 'debug' 'stack=' 'adopt-stack' 'state-dir=' 'backend=' 'parallelism=' 'var=+' 'allow-exec' 'allow-read=+' 'allow-env=+' 'y/yes' 'h/help'
        case 'version'
            __scwlua_parse_subcommand 0 'h/help'
        case 'run'
            __scwlua_parse_subcommand 1 'allow-exec' 'allow-read=+' 'allow-env=+' 'var=+' 'h/help'
        case 'help'
            __scwlua_parse_subcommand -r 1 
        end
    end
end

function __scwlua_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __scwlua_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __scwlua_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __scwlua_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__scwlua_tokens -p)
    if test -z "$(__scwlua_tokens -t)"
        set -l index (count (__scwlua_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'scwlua' -f
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'deploy' -d 'Plan and apply a script to its stack.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'plan' -d 'Show what deploy would change. Writes nothing.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'destroy' -d 'Delete everything the stack holds, in reverse dependency order.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'refresh' -d 'Read the cloud and update state; report drift.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'output' -d 'Print the stack\'s outputs as last applied.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'state' -d 'Inspect and repair state.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'import' -d 'Adopt an existing resource under an address the script declares.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'show' -d 'Print a plan saved by `scwlua plan --out FILE`.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'graph' -d 'Print a script\'s dependency graph (DOT, Mermaid, or SVG via Graphviz).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'docs' -d 'Print every resource\'s props, defaults and outputs.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'emulator' -d 'Run the local Scaleway API emulator.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'repl' -d 'An interactive Lua session over a stack: declare, inspect, :plan, :apply.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'version' -d 'Print the version.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'run' -d 'Run a Lua script with the scaleway module loaded (declares only; no API call).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" profile' -l 'profile' -d 'Scaleway config profile (overrides SCW_PROFILE and active_profile).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" local' -l 'local' -d 'Use a local emulator (in-process, its cloud kept in .scwlua/emulator.json): no account needed.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" endpoint' -l 'endpoint' -d 'Use the Scaleway-compatible API at this URL (e.g. a running `scwlua emulator`).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" debug' -l 'debug' -d 'Print one line per API call (method, path, status; never secrets).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" stack' -l 'stack' -d 'Stack name: one script can be deployed as several stacks.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" adopt-stack' -l 'adopt-stack' -d 'Take over a stack last deployed from another script (its resources this script lacks are deleted).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" state-dir' -l 'state-dir' -d 'Where state lives (default: .scwlua beside the script).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" backend' -l 'backend' -d 'Where state lives: s3://BUCKET/PREFIX[?region=REGION] (Object Storage, shared) or local (default: $SCWLUA_BACKEND, else scwlua.json beside the script, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" parallelism' -l 'parallelism' -d 'How many resources are worked on at once (1 to 1000).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy"' -l 'var' -d 'A value the script reads as scaleway.vars.NAME, a string (repeatable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" allow-exec' -l 'allow-exec' -d 'Trust the script with the full Lua library: os.execute, io.popen, file writes, every variable and file (also "allow_exec": true in scwlua.json).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy"' -l 'allow-read' -d 'Let the script read files below DIR too (repeatable; its own folder is always readable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy"' -l 'allow-env' -d 'Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" y yes' -l 'yes' -s 'y' -d 'Apply without asking.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" json' -l 'json' -d 'Print the plan and the result as JSON.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy"' -l 'target' -d 'Only this resource and what it needs (destroy: what needs it); repeatable.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" refresh' -l 'refresh' -d '--refresh=false plans against state as last recorded, without reading the cloud first.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua deploy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" profile' -l 'profile' -d 'Scaleway config profile (overrides SCW_PROFILE and active_profile).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" local' -l 'local' -d 'Use a local emulator (in-process, its cloud kept in .scwlua/emulator.json): no account needed.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" endpoint' -l 'endpoint' -d 'Use the Scaleway-compatible API at this URL (e.g. a running `scwlua emulator`).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" debug' -l 'debug' -d 'Print one line per API call (method, path, status; never secrets).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" stack' -l 'stack' -d 'Stack name: one script can be deployed as several stacks.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" adopt-stack' -l 'adopt-stack' -d 'Take over a stack last deployed from another script (its resources this script lacks are deleted).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" state-dir' -l 'state-dir' -d 'Where state lives (default: .scwlua beside the script).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" backend' -l 'backend' -d 'Where state lives: s3://BUCKET/PREFIX[?region=REGION] (Object Storage, shared) or local (default: $SCWLUA_BACKEND, else scwlua.json beside the script, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" parallelism' -l 'parallelism' -d 'How many resources are worked on at once (1 to 1000).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan"' -l 'var' -d 'A value the script reads as scaleway.vars.NAME, a string (repeatable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" allow-exec' -l 'allow-exec' -d 'Trust the script with the full Lua library: os.execute, io.popen, file writes, every variable and file (also "allow_exec": true in scwlua.json).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan"' -l 'allow-read' -d 'Let the script read files below DIR too (repeatable; its own folder is always readable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan"' -l 'allow-env' -d 'Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" json' -l 'json' -d 'Print the plan as JSON.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" destroy' -l 'destroy' -d 'Plan a destroy instead.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan"' -l 'target' -d 'Only this resource and what it needs (destroy: what needs it); repeatable.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" out' -l 'out' -d 'Save the plan to FILE; `scwlua deploy FILE` applies exactly it.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" detailed-exitcode' -l 'detailed-exitcode' -d 'Exit 0 when there is nothing to change, 2 when there are changes, 1 on errors.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" refresh' -l 'refresh' -d '--refresh=false plans against state as last recorded, without reading the cloud first.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua plan" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy" profile' -l 'profile' -d 'Scaleway config profile (overrides SCW_PROFILE and active_profile).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy" local' -l 'local' -d 'Use a local emulator (in-process, its cloud kept in .scwlua/emulator.json): no account needed.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy" endpoint' -l 'endpoint' -d 'Use the Scaleway-compatible API at this URL (e.g. a running `scwlua emulator`).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy" debug' -l 'debug' -d 'Print one line per API call (method, path, status; never secrets).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy" stack' -l 'stack' -d 'Stack name: one script can be deployed as several stacks.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy" adopt-stack' -l 'adopt-stack' -d 'Take over a stack last deployed from another script (its resources this script lacks are deleted).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy" state-dir' -l 'state-dir' -d 'Where state lives (default: .scwlua beside the script).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy" backend' -l 'backend' -d 'Where state lives: s3://BUCKET/PREFIX[?region=REGION] (Object Storage, shared) or local (default: $SCWLUA_BACKEND, else scwlua.json beside the script, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy" parallelism' -l 'parallelism' -d 'How many resources are worked on at once (1 to 1000).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy"' -l 'var' -d 'A value the script reads as scaleway.vars.NAME, a string (repeatable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy" allow-exec' -l 'allow-exec' -d 'Trust the script with the full Lua library: os.execute, io.popen, file writes, every variable and file (also "allow_exec": true in scwlua.json).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy"' -l 'allow-read' -d 'Let the script read files below DIR too (repeatable; its own folder is always readable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy"' -l 'allow-env' -d 'Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy" y yes' -l 'yes' -s 'y' -d 'Destroy without asking.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy" json' -l 'json' -d 'Print the plan and the result as JSON.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy"' -l 'target' -d 'Only this resource and what it needs (destroy: what needs it); repeatable.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua destroy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh" profile' -l 'profile' -d 'Scaleway config profile (overrides SCW_PROFILE and active_profile).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh" local' -l 'local' -d 'Use a local emulator (in-process, its cloud kept in .scwlua/emulator.json): no account needed.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh" endpoint' -l 'endpoint' -d 'Use the Scaleway-compatible API at this URL (e.g. a running `scwlua emulator`).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh" debug' -l 'debug' -d 'Print one line per API call (method, path, status; never secrets).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh" stack' -l 'stack' -d 'Stack name: one script can be deployed as several stacks.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh" adopt-stack' -l 'adopt-stack' -d 'Take over a stack last deployed from another script (its resources this script lacks are deleted).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh" state-dir' -l 'state-dir' -d 'Where state lives (default: .scwlua beside the script).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh" backend' -l 'backend' -d 'Where state lives: s3://BUCKET/PREFIX[?region=REGION] (Object Storage, shared) or local (default: $SCWLUA_BACKEND, else scwlua.json beside the script, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh" parallelism' -l 'parallelism' -d 'How many resources are worked on at once (1 to 1000).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh"' -l 'var' -d 'A value the script reads as scaleway.vars.NAME, a string (repeatable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh" allow-exec' -l 'allow-exec' -d 'Trust the script with the full Lua library: os.execute, io.popen, file writes, every variable and file (also "allow_exec": true in scwlua.json).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh"' -l 'allow-read' -d 'Let the script read files below DIR too (repeatable; its own folder is always readable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh"' -l 'allow-env' -d 'Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua refresh" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua output" stack' -l 'stack' -d 'Stack name.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua output" state-dir' -l 'state-dir' -d 'Where local state lives.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua output" backend' -l 'backend' -d 'Remote state: s3://BUCKET/PREFIX[?region=REGION], or local (default: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua output" profile' -l 'profile' -d 'Scaleway config profile, for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua output" endpoint' -l 'endpoint' -d 'A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua output" json' -l 'json' -d 'Print JSON.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua output" raw' -l 'raw' -d 'Print that one output\'s value as it is, a secret\'s plaintext included (no quotes, no added newline; a list or table as JSON).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua output" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua state" -eq 1' -fa 'list' -d 'One line per resource: address, id, status.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua state" -eq 1' -fa 'show' -d 'Everything state holds about one resource.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua state" -eq 1' -fa 'export' -d 'The stack\'s state as JSON (secrets hidden).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua state" -eq 1' -fa 'unlock' -d 'Clear a stale lock.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua state" -eq 1' -fa 'rm' -d 'Forget a resource (it stays in the cloud).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua state" -eq 1' -fa 'mv' -d 'Rename a resource in state (nothing in the cloud changes).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua state" -eq 1' -fa 'history' -d 'Past deploys and destroys.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_positional "scwlua state" -eq 1' -fa 'migrate' -d 'Copy a stack\'s state (resources, outputs, history) to another backend.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state list" stack' -l 'stack' -d 'Stack name.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state list" state-dir' -l 'state-dir' -d 'Where local state lives.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state list" backend' -l 'backend' -d 'Remote state: s3://BUCKET/PREFIX[?region=REGION], or local (default: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state list" profile' -l 'profile' -d 'Scaleway config profile, for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state list" endpoint' -l 'endpoint' -d 'A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state show" stack' -l 'stack' -d 'Stack name.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state show" state-dir' -l 'state-dir' -d 'Where local state lives.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state show" backend' -l 'backend' -d 'Remote state: s3://BUCKET/PREFIX[?region=REGION], or local (default: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state show" profile' -l 'profile' -d 'Scaleway config profile, for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state show" endpoint' -l 'endpoint' -d 'A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state export" stack' -l 'stack' -d 'Stack name.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state export" state-dir' -l 'state-dir' -d 'Where local state lives.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state export" backend' -l 'backend' -d 'Remote state: s3://BUCKET/PREFIX[?region=REGION], or local (default: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state export" profile' -l 'profile' -d 'Scaleway config profile, for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state export" endpoint' -l 'endpoint' -d 'A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state unlock" stack' -l 'stack' -d 'Stack name.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state unlock" state-dir' -l 'state-dir' -d 'Where local state lives.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state unlock" backend' -l 'backend' -d 'Remote state: s3://BUCKET/PREFIX[?region=REGION], or local (default: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state unlock" profile' -l 'profile' -d 'Scaleway config profile, for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state unlock" endpoint' -l 'endpoint' -d 'A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state unlock" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state rm" stack' -l 'stack' -d 'Stack name.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state rm" state-dir' -l 'state-dir' -d 'Where local state lives.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state rm" backend' -l 'backend' -d 'Remote state: s3://BUCKET/PREFIX[?region=REGION], or local (default: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state rm" profile' -l 'profile' -d 'Scaleway config profile, for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state rm" endpoint' -l 'endpoint' -d 'A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state rm" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state mv" stack' -l 'stack' -d 'Stack name.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state mv" state-dir' -l 'state-dir' -d 'Where local state lives.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state mv" backend' -l 'backend' -d 'Remote state: s3://BUCKET/PREFIX[?region=REGION], or local (default: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state mv" profile' -l 'profile' -d 'Scaleway config profile, for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state mv" endpoint' -l 'endpoint' -d 'A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state mv" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state history" stack' -l 'stack' -d 'Stack name.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state history" state-dir' -l 'state-dir' -d 'Where local state lives.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state history" backend' -l 'backend' -d 'Remote state: s3://BUCKET/PREFIX[?region=REGION], or local (default: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state history" profile' -l 'profile' -d 'Scaleway config profile, for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state history" endpoint' -l 'endpoint' -d 'A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state history" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state migrate" to' -l 'to' -d 'Where to copy: s3://BUCKET/PREFIX[?region=REGION] or local.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state migrate" from-state-dir' -l 'from-state-dir' -d 'The local state to copy from (default: --state-dir).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state migrate" stack' -l 'stack' -d 'Stack name.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state migrate" state-dir' -l 'state-dir' -d 'Where local state lives.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state migrate" backend' -l 'backend' -d 'Remote state: s3://BUCKET/PREFIX[?region=REGION], or local (default: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state migrate" profile' -l 'profile' -d 'Scaleway config profile, for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state migrate" endpoint' -l 'endpoint' -d 'A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua state migrate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import" profile' -l 'profile' -d 'Scaleway config profile (overrides SCW_PROFILE and active_profile).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import" local' -l 'local' -d 'Use a local emulator (in-process, its cloud kept in .scwlua/emulator.json): no account needed.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import" endpoint' -l 'endpoint' -d 'Use the Scaleway-compatible API at this URL (e.g. a running `scwlua emulator`).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import" debug' -l 'debug' -d 'Print one line per API call (method, path, status; never secrets).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import" stack' -l 'stack' -d 'Stack name: one script can be deployed as several stacks.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import" adopt-stack' -l 'adopt-stack' -d 'Take over a stack last deployed from another script (its resources this script lacks are deleted).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import" state-dir' -l 'state-dir' -d 'Where state lives (default: .scwlua beside the script).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import" backend' -l 'backend' -d 'Where state lives: s3://BUCKET/PREFIX[?region=REGION] (Object Storage, shared) or local (default: $SCWLUA_BACKEND, else scwlua.json beside the script, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import" parallelism' -l 'parallelism' -d 'How many resources are worked on at once (1 to 1000).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import"' -l 'var' -d 'A value the script reads as scaleway.vars.NAME, a string (repeatable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import" allow-exec' -l 'allow-exec' -d 'Trust the script with the full Lua library: os.execute, io.popen, file writes, every variable and file (also "allow_exec": true in scwlua.json).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import"' -l 'allow-read' -d 'Let the script read files below DIR too (repeatable; its own folder is always readable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import"' -l 'allow-env' -d 'Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua show" json' -l 'json' -d 'As JSON.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua graph" format' -l 'format' -d 'dot, mermaid or svg.' -rfka 'dot mermaid svg'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua graph" allow-exec' -l 'allow-exec' -d 'Trust the script with the full Lua library: os.execute, io.popen, file writes, every variable and file (also "allow_exec": true in scwlua.json).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua graph"' -l 'allow-read' -d 'Let the script read files below DIR too (repeatable; its own folder is always readable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua graph"' -l 'allow-env' -d 'Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua graph" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua docs" markdown' -l 'markdown' -d 'Markdown (as in docs/resources.md).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua docs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua emulator" port' -l 'port' -d 'Port (0 picks a free one).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua emulator" latency' -l 'latency' -d 'Added latency per request, in milliseconds.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua emulator" faults' -l 'faults' -d 'Fault rates, e.g. 429:0.1,503:0.05,drop:0.01' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua emulator" speed' -l 'speed' -d 'Speed of transient states (2 = twice as fast).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua emulator" data' -l 'data' -d 'Keep the emulated cloud in this file between runs.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua emulator" verbose' -l 'verbose' -d 'Print one line per request.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua emulator" access-key' -l 'access-key' -d 'An access key Object Storage accepts besides the local one (default: $SCW_ACCESS_KEY).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua emulator" secret-key' -l 'secret-key' -d 'The secret key of --access-key (default: $SCW_SECRET_KEY).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua emulator" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl" profile' -l 'profile' -d 'Scaleway config profile (overrides SCW_PROFILE and active_profile).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl" local' -l 'local' -d 'Use a local emulator (in-process, its cloud kept in .scwlua/emulator.json): no account needed.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl" endpoint' -l 'endpoint' -d 'Use the Scaleway-compatible API at this URL (e.g. a running `scwlua emulator`).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl" debug' -l 'debug' -d 'Print one line per API call (method, path, status; never secrets).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl" stack' -l 'stack' -d 'Stack name: one script can be deployed as several stacks.' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl" adopt-stack' -l 'adopt-stack' -d 'Take over a stack last deployed from another script (its resources this script lacks are deleted).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl" state-dir' -l 'state-dir' -d 'Where state lives (default: .scwlua beside the script).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl" backend' -l 'backend' -d 'Where state lives: s3://BUCKET/PREFIX[?region=REGION] (Object Storage, shared) or local (default: $SCWLUA_BACKEND, else scwlua.json beside the script, else local).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl" parallelism' -l 'parallelism' -d 'How many resources are worked on at once (1 to 1000).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl"' -l 'var' -d 'A value the script reads as scaleway.vars.NAME, a string (repeatable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl" allow-exec' -l 'allow-exec' -d 'Trust the script with the full Lua library: os.execute, io.popen, file writes, every variable and file (also "allow_exec": true in scwlua.json).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl"' -l 'allow-read' -d 'Let the script read files below DIR too (repeatable; its own folder is always readable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl"' -l 'allow-env' -d 'Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl" y yes' -l 'yes' -s 'y' -d 'Apply and destroy without asking (also through a pipe).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua repl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua version" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua run" allow-exec' -l 'allow-exec' -d 'Trust the script with the full Lua library: os.execute, io.popen, file writes, every variable and file (also "allow_exec": true in scwlua.json).'
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua run"' -l 'allow-read' -d 'Let the script read files below DIR too (repeatable; its own folder is always readable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua run"' -l 'allow-env' -d 'Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua run"' -l 'var' -d 'A value the script reads as scaleway.vars.NAME, a string (repeatable).' -rfka ''
complete -c 'scwlua' -n '__scwlua_should_offer_completions_for_flags_or_options "scwlua run" h help' -s 'h' -l 'help' -d 'Show help information.'
